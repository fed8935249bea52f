"""Event pages: where they sit in the tree, what an editor may save, the check-in code."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from wagtail.models import Page
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from cms.models import HomePage, StandardPage
from events.factories import make_event, make_event_index
from events.models import EventIndexPage, EventPage, EventSpeaker
from events.models.pages import CHECK_IN_ALPHABET, CHECK_IN_CODE_LENGTH, normalize_check_in_code
from people.models import User

pytestmark = pytest.mark.django_db


def test_events_index_lives_under_the_home_page_and_holds_only_events():
    home = HomePage.objects.first()
    index = make_event_index(home)
    assert EventIndexPage.can_create_at(home) is False  # max_count = 1 and one exists
    assert EventIndexPage.allowed_parent_page_models() == [HomePage]
    assert EventIndexPage.allowed_subpage_models() == [EventPage]
    assert EventPage.can_create_at(index)
    assert not EventPage.can_create_at(home)
    assert EventPage.allowed_subpage_models() == []
    standard = StandardPage(title="О проекте", slug="about")
    home.add_child(instance=standard)
    assert not EventPage.can_create_at(standard)
    assert not EventIndexPage.can_create_at(standard)


def test_index_lists_upcoming_soonest_first_and_past_separately(client):
    now = timezone.now()
    later = make_event(start=now + datetime.timedelta(days=10), title="Позже")
    sooner = make_event(start=now + datetime.timedelta(days=2), title="Раньше")
    going_on = make_event(start=now - datetime.timedelta(minutes=30), title="Идёт сейчас")
    past = make_event(start=now - datetime.timedelta(days=30), title="Прошло")
    draft = make_event(start=now + datetime.timedelta(days=3), title="Черновик")
    draft.unpublish()

    context = client.get(later.get_parent().url).context
    assert list(context["upcoming_events"]) == [going_on, sooner, later]
    assert list(context["past_events"]) == [past]


def test_end_must_be_after_start():
    start = timezone.now() + datetime.timedelta(days=1)
    event = EventPage(title="Семинар", slug="s", start=start, end=start)
    with pytest.raises(ValidationError) as error:
        event.clean()
    assert "end" in error.value.message_dict


def test_database_refuses_an_event_that_ends_before_it_starts():
    # Page.save() already runs clean(); the constraint also guards bulk updates.
    event = make_event()
    with pytest.raises(IntegrityError), transaction.atomic():
        EventPage.objects.filter(pk=event.pk).update(end=event.start - datetime.timedelta(hours=1))


def test_registration_deadline_not_after_start():
    start = timezone.now() + datetime.timedelta(days=1)
    event = EventPage(
        title="Семинар",
        slug="s",
        start=start,
        end=start + datetime.timedelta(hours=1),
        registration_deadline=start + datetime.timedelta(minutes=1),
    )
    with pytest.raises(ValidationError) as error:
        event.clean()
    assert "registration_deadline" in error.value.message_dict


def test_each_event_gets_a_short_unambiguous_check_in_code():
    codes = {make_event().check_in_code for _ in range(5)}
    assert len(codes) == 5
    for code in codes:
        assert len(code) == CHECK_IN_CODE_LENGTH
        assert set(code) <= set(CHECK_IN_ALPHABET)
    assert not set(CHECK_IN_ALPHABET) & set("0O1IL2Z5S8B6GQUV")


def test_code_survives_saving_and_publishing_but_not_copying():
    event = make_event()
    code = event.check_in_code
    event.title = "Новое название"
    event.save_revision().publish()
    event.refresh_from_db()
    assert event.check_in_code == code
    copy = event.copy(update_attrs={"slug": "copy", "title": "Копия"})
    assert copy.check_in_code and copy.check_in_code != code


def test_typed_codes_are_normalized_including_cyrillic_look_alikes():
    # "А", "С", "Е", "Н", "К", "М", "Р", "Т", "Х", "У" typed on the Russian layout
    assert normalize_check_in_code(" ас-ем 34 ") == "ACEM34"
    assert normalize_check_in_code("нкртху") == "HKPTXY"


def test_event_page_renders_for_anonymous_visitors(client):
    event = make_event(venue="г. Калуга, зал заседаний", audience_text="Кадровые службы")
    event.speakers = [EventSpeaker(name="Иванов И. И.", position="руководитель", organization="УФАС")]
    event.save()
    response = client.get(event.url)
    assert response.status_code == 200
    body = response.content.decode()
    assert "г. Калуга, зал заседаний" in body
    assert "Иванов И. И." in body
    assert "Войдите, чтобы зарегистрироваться" in body
    assert event.check_in_code not in body


def test_only_the_events_index_may_be_the_parent_in_the_page_tree():
    root = Page.objects.get(depth=1)
    assert not EventPage.can_create_at(root)
    assert not EventIndexPage.can_create_at(root)


def test_wagtail_admin_add_and_edit_forms(client):
    client.force_login(User.objects.create_superuser("admin", "admin@example.org", "x"))
    index = make_event_index()
    assert client.get(f"/admin/pages/add/events/eventpage/{index.pk}/").status_code == 200
    event = make_event(index)
    response = client.get(f"/admin/pages/{event.pk}/edit/")
    assert response.status_code == 200
    assert event.check_in_code in response.content.decode()
    assert f"/events/{event.pk}/attendance/" in response.content.decode()
    listing = client.get(f"/admin/pages/{index.pk}/").content.decode()
    assert f"/events/{event.pk}/attendance/" in listing


def test_an_editor_cannot_save_an_event_that_ends_before_it_starts(client):
    client.force_login(User.objects.create_superuser("admin", "admin@example.org", "x"))
    index = make_event_index()

    def post(end):
        data = nested_form_data(
            {
                "title": "Семинар для кадровых служб",
                "slug": "hr-seminar",
                "kind": EventPage.Kind.SEMINAR,
                "format": EventPage.Format.IN_PERSON,
                "start": "2030-03-16 10:00",
                "end": end,
                "venue": "г. Калуга",
                "agenda": rich_text("<p>Сведения о доходах</p>"),
                "materials": streamfield([]),
                "speakers": inline_formset(
                    [{"name": "Иванов И. И.", "position": "", "organization": "УФАС"}]
                ),
                "registration_open": "on",
                "registration_mode": EventPage.RegistrationMode.OPEN,  # the audience panel (issue 18)
                "action-publish": "publish",
            }
        )
        return client.post(f"/admin/pages/add/events/eventpage/{index.pk}/", data)

    response = post("2030-03-16 09:00")
    assert response.status_code == 200
    assert "Окончание должно быть позже начала." in response.content.decode()
    assert not EventPage.objects.exists()

    response = post("2030-03-16 13:00")
    assert response.status_code == 302
    event = EventPage.objects.get(slug="hr-seminar")
    assert event.live and event.check_in_code
    assert [s.name for s in event.speakers.all()] == ["Иванов И. И."]
    assert event.end - event.start == datetime.timedelta(hours=3)
