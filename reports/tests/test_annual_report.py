"""The annual report as pages: the draft prefilled with a text per item, publication through the
workflow freezing the figures and attaching the DOCX (read back with python-docx and compared with the
independent counts), the public section listing the years, and who may write it."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from docx import Document
from wagtail.models import Page, Revision

from cms.models import HomePage, PlanItem
from courses.models import Enrollment
from people.factories import make_municipal_manager, make_person, make_regional_manager
from people.models import ServiceCategory
from people.roles import Role
from reports.models import PlanReportIndexPage, PlanReportPage
from reports.plan.figures import ITEM_NUMBERS

from .letters_dataset import build_letters_world
from .plan_dataset import YEAR, aware, build_dataset
from .test_plan_figures import expected_figures
from .test_plan_report import LETTERS_2024, compare, table_as_dicts

pytestmark = pytest.mark.django_db


@pytest.fixture
def data():
    return build_dataset()


@pytest.fixture
def index():
    page = HomePage.objects.first().add_child(
        instance=PlanReportIndexPage(title="Противодействие коррупции", slug="protivodejstvie-korrupcii")
    )
    page.save_revision().publish()
    return page


def draft(index, plan, title=None):
    page = index.add_child(
        instance=PlanReportPage(title=title or f"Отчёт за {plan.year} год", plan=plan, live=False)
    )
    page.save_revision()
    return page


def publish(page, **texts):
    """Write ``texts`` (item number → HTML) into a new revision and publish it."""
    page = page.get_latest_revision_as_object()
    # A live page without a newer draft is itself, its texts a database query: edit one list of them.
    written = list(page.texts.all())
    for text in written:
        if text.item.number in texts:
            text.text = texts[text.item.number]
    page.texts = written
    page.save_revision().publish()
    return PlanReportPage.objects.get(pk=page.pk)


def docx_of(page):
    with page.document.file.open("rb") as handle:
        return Document(io.BytesIO(handle.read()))


def all_items(plan):
    return list(PlanItem.objects.filter(section__plan=plan).order_by("section__number", "position"))


def test_a_new_draft_has_a_text_for_every_item_generated_for_the_measured_ones(data, index):
    page = draft(index, data.plan)
    texts = {text.item.number: text.text for text in page.ordered_texts()}
    assert list(texts) == [item.number for item in all_items(data.plan)]
    assert len(texts) == 39
    for number, text in texts.items():
        if number in ITEM_NUMBERS:
            assert text.startswith(f"<p>В {YEAR} году"), (number, text)
        else:
            assert text == "", number
    completed = sum(expected_figures("5.1", make_regional_manager())["completed"].values())
    assert f"Завершили обучение (государственные гражданские служащие): {completed} " in texts["5.1"]
    # The draft is a revision of its own: the texts are in it, nothing is frozen, nothing attached.
    revision = page.get_latest_revision_as_object()
    assert len(revision.texts.all()) == 39
    assert page.figures is None and page.document is None and not page.live


def test_one_report_per_plan(data, index):
    draft(index, data.plan)
    with pytest.raises(ValidationError) as error:
        PlanReportPage(title="Ещё один", plan=data.plan).full_clean(exclude=["path", "depth", "slug"])
    assert "plan" in error.value.message_dict


def test_publishing_freezes_the_figures_and_attaches_a_docx_of_the_whole_plan(data, index):
    manager = make_regional_manager()  # counted among the state civil servants: made before freezing
    page = publish(draft(index, data.plan), **{"2.2": "<p>Отчёт подготовлен и размещён на портале.</p>"})
    assert page.live and page.figures is not None and page.figures_frozen_at is not None
    assert page.document is not None and page.document.file.name.endswith(".docx")

    document = docx_of(page)
    text = "\n".join(p.text for p in document.paragraphs)
    items = [p.text for p in document.paragraphs if p.style.name == "Heading 2"]
    assert items == [f"{item.number}. {item.title}" for item in all_items(data.plan)]
    sections = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert sections == [f"{s.number}. {s.title}" for s in data.plan.sections.order_by("number")]
    assert "Отчёт подготовлен и размещён на портале." in text
    assert text.count("Сведения об исполнении не внесены.") == 39 - len(ITEM_NUMBERS) - 1
    assert text.count("Как считалось: ") == len(ITEM_NUMBERS)

    # The measured items' tables hold the independent counts.
    body, current, tables = document.element.body, None, {}
    for child in body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p" and child.xpath("string(.)") in items:
            current = child.xpath("string(.)").split(" ", 1)[0].rstrip(".")
        elif tag == "tbl":
            tables[current] = child
    grids = {t._element: t for t in document.tables}
    assert {"1.3", "5.1", "5.2", "5.7", "5.8", "5.9"} <= set(tables) <= set(ITEM_NUMBERS)
    for number, element in tables.items():
        cells = [[cell.text for cell in row.cells] for row in grids[element].rows]
        compare(number, table_as_dicts(cells[0], cells[1:]), manager, data)


def test_a_figure_changing_after_publication_changes_nothing_published(client, data, index):
    page = draft(index, data.plan)
    before_freezing = page.get_latest_revision()
    page = publish(page)
    frozen = page.figures
    html = client.get(page.url).content.decode()
    # Somebody completes a course linked to 5.1 within the year.
    person = make_person(category=ServiceCategory.STATE_CIVIL, municipality=data.districts[0])
    course = next(c for c in data.courses.values() if c.plan_items.filter(number="5.1").exists())
    Enrollment.objects.create(user=person, course=course, completed_at=aware(YEAR, 6, 1))

    # A text corrected and published again, and even the draft made before freezing published.
    page = publish(page, **{"1.1": "<p>Исправленный текст.</p>"})
    assert page.figures == frozen
    Revision.objects.get(pk=before_freezing.pk).publish()  # as the admin's «Ревизии» does
    page = PlanReportPage.objects.get(pk=page.pk)
    assert page.figures == frozen
    assert client.get(page.url).content.decode().count("<td>") == html.count("<td>")
    expected = expected_figures("5.1", make_regional_manager())["completed"]
    assert page.figures != {} and expected  # the live count moved on; the page did not
    assert sum(expected.values()) == _frozen_total(frozen, "5.1", "completed") + 1


def _frozen_total(snapshot, number, key):
    for section in snapshot["sections"]:
        for item in section["items"]:
            if item["number"] == number:
                return item["table"]["footer"][key]
    raise AssertionError(number)


def test_the_section_lists_the_published_reports_newest_year_first(client, data, index):
    publish(draft(index, data.plan, "Отчёт за 2024 год"))
    publish(draft(index, data.next_plan, "Отчёт за 2025 год"))
    response = client.get(index.url)
    html = response.content.decode()
    assert response.status_code == 200
    assert html.index("Отчёт за 2025 год") < html.index("Отчёт за 2024 год")
    assert html.count("скачать DOCX") == 2


def test_a_draft_is_not_listed_nor_shown(client, data, index):
    page = draft(index, data.plan, "Черновой отчёт")
    assert "Черновой отчёт" not in client.get(index.url).content.decode()
    assert client.get(f"/{index.slug}/{page.slug}/").status_code == 404


def test_anybody_downloads_the_published_docx(client, data, index):
    page = publish(draft(index, data.plan))
    html = client.get(page.url).content.decode()
    assert page.document.url in html
    response = client.get(page.document.url)
    assert response.status_code == 200
    content = b"".join(response.streaming_content) if response.streaming else response.content
    assert Document(io.BytesIO(content)).paragraphs[0].text == page.title


@pytest.mark.parametrize(
    ("role", "may_write"),
    [
        (Role.REGIONAL_MANAGER, True),
        (Role.TRAINER, False),
        (Role.ORGANIZER, False),
        (Role.MUNICIPAL_MANAGER, False),
        (Role.SERVANT, False),
    ],
)
def test_only_regional_managers_write_and_publish_reports(client, data, index, role, may_write):
    page = draft(index, data.plan)
    if role == Role.MUNICIPAL_MANAGER:
        user = make_municipal_manager(data.districts[0])
    else:
        user = make_person(role=role)
    rights = Page.objects.get(pk=index.pk).permissions_for_user(user)
    assert rights.can_add_subpage() is may_write
    page_rights = Page.objects.get(pk=page.pk).permissions_for_user(user)
    assert page_rights.can_edit() is may_write
    assert page_rights.can_publish() is may_write
    client.force_login(user)
    add = reverse("wagtailadmin_pages:add", args=["reports", "planreportpage", index.pk])
    edit = reverse("wagtailadmin_pages:edit", args=[page.pk])
    for url in (add, edit):
        status = client.get(url).status_code
        assert (status == 200) is may_write, (url, status)


def test_the_workflow_of_the_site_applies_to_reports(data, index):
    page = draft(index, data.plan)
    workflow = page.get_workflow()
    assert workflow is not None and workflow.name == "Проверка и публикация"


def test_frozen_figures_and_document_are_not_copied(data, index):
    page = publish(draft(index, data.plan))
    copy = page.copy(update_attrs={"slug": "kopiya", "title": "Копия"}, keep_live=False).specific
    assert page.document_id and page.figures
    assert copy.figures is None and copy.figures_frozen_at is None and copy.document_id is None


# --- 1.3: letters to municipalities (the numbers of letters_dataset) ------------------------------------


def test_the_annual_report_tells_the_letters_of_1_3_and_freezes_them(letters_world, index):
    page = draft(index, letters_world.plan)
    texts = {text.item.number: text.text for text in page.ordered_texts()}
    assert LETTERS_2024 in texts["1.3"]
    assert "письм" not in texts["5.7"].lower()

    page = publish(page)
    [item] = [i for s in page.figures["sections"] for i in s["items"] if i["number"] == "1.3"]
    assert LETTERS_2024 in item["paragraphs"]
    [activity] = [a for a in item["activities"] if a["kind"] == "письма муниципалитетам"]
    assert activity["figures"] == {"letters": 2, "recipients": 8, "acknowledged": 3}
    assert item["table"]["footer"]["letter_recipients"] == 8
    document = "\n".join(p.text for p in docx_of(page).paragraphs)
    assert LETTERS_2024 in document
    assert "писем: 2; получателей: 8; ознакомились: 3" in document


@pytest.fixture
def letters_world():
    return build_letters_world()
