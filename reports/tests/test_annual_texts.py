"""The texts «Что сделано» of the annual report: each names an item of the report's own plan, and an item
has one text. Posted through the Wagtail editor (a 200 with a Russian error, nothing saved) and checked
on the page's ``clean()``; the editor's item choice lists the report's plan's items only."""

import re

import pytest
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.urls import reverse
from wagtail.models import Revision
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text

from cms.models import HomePage, PlanItem
from cms.plan_years import copy_plan
from people.factories import make_regional_manager
from reports.models import PlanReportIndexPage, PlanReportPage, PlanReportText

from .plan_dataset import load_2024_plan
from .test_annual_report import draft

pytestmark = pytest.mark.django_db


class Plans:
    def __init__(self):
        self.plan, _items = load_2024_plan()
        self.next_plan = copy_plan(self.plan, self.plan.year + 1).plan
        self.items = {item.number: item for item in PlanItem.objects.filter(section__plan=self.plan)}
        self.next_items = {
            item.number: item for item in PlanItem.objects.filter(section__plan=self.next_plan)
        }


@pytest.fixture
def plans():
    return Plans()


@pytest.fixture
def index():
    page = HomePage.objects.first().add_child(
        instance=PlanReportIndexPage(title="Противодействие коррупции", slug="protivodejstvie-korrupcii")
    )
    page.save_revision().publish()
    return page


@pytest.fixture
def editor(client):
    client.force_login(make_regional_manager())
    return client


def report_form(page, texts, **fields):
    """The editor's post: the page's fields and ``texts`` as ``[{id?, item, text}]``."""
    return nested_form_data(
        {
            "title": page.title,
            "slug": page.slug,
            "plan": str(page.plan_id),
            "period_start": "",
            "period_end": "",
            "intro": rich_text(""),
            "texts": inline_formset(
                [
                    {
                        **({"id": str(text["id"])} if text.get("id") else {}),
                        "item": str(text["item"]),
                        "text": rich_text(text.get("text", "")),
                    }
                    for text in texts
                ],
                initial=sum(1 for text in texts if text.get("id")),
            ),
            **fields,
        }
    )


def current_texts(page):
    """The draft's texts as the editor shows them."""
    revision = PlanReportPage.objects.get(pk=page.pk).get_latest_revision_as_object()
    return [
        {"id": text.pk, "item": text.item_id, "text": text.text}
        for text in sorted(revision.texts.all(), key=lambda text: text.sort_order)
    ]


def edit(editor, page, texts):
    return editor.post(reverse("wagtailadmin_pages:edit", args=[page.pk]), report_form(page, texts))


def saved_state(page):
    return Revision.objects.filter(object_id=str(page.pk)).count(), sorted(
        PlanReportText.objects.filter(page=page).values_list("pk", "item_id")
    )


def test_the_editor_saves_the_texts_of_the_reports_plan(editor, plans, index):
    """The control: the same post with the items of the report's plan is saved."""
    page = draft(index, plans.plan)
    texts = current_texts(page)
    for text in texts:
        if text["item"] == plans.items["2.2"].pk:
            text["text"] = "<p>Отчёт рассмотрен комиссией.</p>"
    response = edit(editor, page, texts)
    assert response.status_code == 302, response.content.decode()[-3000:]
    latest = PlanReportPage.objects.get(pk=page.pk).get_latest_revision_as_object()
    assert "Отчёт рассмотрен комиссией.</p>" in {t.item.number: t.text for t in latest.texts.all()}["2.2"]


def test_a_text_of_another_plans_item_is_refused_in_the_editor(editor, plans, index):
    page = draft(index, plans.plan)
    before = saved_state(page)
    texts = current_texts(page)
    for text in texts:
        if text["item"] == plans.items["2.2"].pk:
            text["item"] = plans.next_items["2.2"].pk  # the same number in next year's plan
    response = edit(editor, page, texts)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Это мероприятие не из плана на 2024 год, по которому составляется отчёт." in html
    assert saved_state(page) == before


def test_a_second_text_of_an_item_is_refused_in_the_editor(editor, plans, index):
    page = draft(index, plans.plan)
    before = saved_state(page)
    texts = [*current_texts(page), {"item": plans.items["2.2"].pk, "text": "<p>Ещё раз о 2.2.</p>"}]
    response = edit(editor, page, texts)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Текст по мероприятию 2.2 в отчёте уже есть: у мероприятия может быть только один текст." in html
    assert saved_state(page) == before

    # Two existing texts made to name one item: refused the same way.
    texts = current_texts(page)
    two_one = next(text for text in texts if text["item"] == plans.items["2.1"].pk)
    two_one["item"] = plans.items["2.2"].pk
    response = edit(editor, page, texts)
    assert response.status_code == 200
    assert "Текст по мероприятию 2.2 в отчёте уже есть" in response.content.decode()
    assert saved_state(page) == before


def test_a_new_report_refuses_a_text_of_another_plan_and_keeps_a_text_of_its_own(editor, plans, index):
    add = reverse("wagtailadmin_pages:add", args=["reports", "planreportpage", index.pk])
    new = PlanReportPage(title="Отчёт за 2024 год", slug="otchet-2024", plan=plans.plan)
    response = editor.post(add, report_form(new, [{"item": plans.next_items["2.2"].pk, "text": "<p>Х</p>"}]))
    assert response.status_code == 200
    assert "Это мероприятие не из плана на 2024 год" in response.content.decode()
    assert not PlanReportPage.objects.exists()

    text = "<p>Отчёт рассмотрен комиссией.</p>"
    response = editor.post(add, report_form(new, [{"item": plans.items["2.2"].pk, "text": text}]))
    assert response.status_code == 302
    page = PlanReportPage.objects.get()
    texts = {t.item.number: t.text for t in page.ordered_texts()}
    assert len(texts) == len(plans.items)  # the other items are prefilled as for any new draft
    assert "Отчёт рассмотрен комиссией.</p>" in texts["2.2"]


def select_values(html, name):
    select = re.search(rf'<select name="{re.escape(name)}".*?</select>', html, re.S)
    assert select, name
    return select.group(0), set(re.findall(r'<option value="(\d+)"', select.group(0)))


def test_the_item_choice_lists_the_items_of_the_reports_plan_only(editor, plans, index):
    page = draft(index, plans.plan)
    html = editor.get(reverse("wagtailadmin_pages:edit", args=[page.pk])).content.decode()
    own = {str(item.pk) for item in plans.items.values()}
    for name in ("texts-0-item", "texts-__prefix__-item"):  # a text, and one added with «Добавить»
        select, values = select_values(html, name)
        assert values == own, name
        assert '<optgroup label="5. ' in select  # grouped by the plan's sections
    assert "reports/plan_report_items.js" in html


def test_a_new_reports_choice_groups_the_items_by_plan_for_the_script(editor, plans, index):
    add = reverse("wagtailadmin_pages:add", args=["reports", "planreportpage", index.pk])
    html = editor.get(add).content.decode()
    select, values = select_values(html, "texts-__prefix__-item")
    assert values == {str(item.pk) for item in [*plans.items.values(), *plans.next_items.values()]}
    assert select.index('label="План на 2025 год"') < select.index('label="План на 2024 год"')
    item = plans.items["5.1"]
    assert f'<option value="{item.pk}" data-plan="{plans.plan.pk}">' in select
    assert "reports/plan_report_items.js" in html


def test_the_pages_clean_refuses_a_text_of_another_plan_and_two_texts_of_an_item(plans, index):
    def clean(*items):
        page = PlanReportPage(
            title="Отчёт", plan=plans.plan, texts=[PlanReportText(item=item) for item in items]
        )
        page.full_clean(exclude=["path", "depth", "slug"])

    clean(plans.items["2.2"], plans.items["5.1"])  # fine
    with pytest.raises(ValidationError) as error:
        clean(plans.items["2.2"], plans.next_items["5.1"])
    assert error.value.message_dict["plan"] == [
        "Текст отчёта по мероприятию 5.1 — из другого плана. Текст пишется только по мероприятию плана "
        "на 2024 год; чтобы составить отчёт по другому плану, создайте новый отчёт."
    ]
    with pytest.raises(ValidationError) as error:  # one foreign item named twice: still one item
        clean(plans.next_items["5.1"], plans.next_items["5.1"])
    message = error.value.message_dict["plan"][0]
    assert message.startswith("Текст отчёта по мероприятию 5.1 — из другого плана.")
    with pytest.raises(ValidationError) as error:
        clean(plans.items["2.2"], plans.items["5.1"], plans.items["2.2"])
    assert error.value.message_dict[NON_FIELD_ERRORS] == [
        "По мероприятию 2.2 в отчёте несколько текстов: у мероприятия может быть только один текст."
    ]


def test_changing_the_plan_of_a_report_with_texts_is_refused(editor, plans, index):
    page = draft(index, plans.plan)
    before = saved_state(page)
    data = report_form(page, current_texts(page), plan=str(plans.next_plan.pk))
    response = editor.post(reverse("wagtailadmin_pages:edit", args=[page.pk]), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Тексты отчёта по мероприятиям 1.1, 1.2" in html and "— из другого плана." in html
    assert saved_state(page) == before
