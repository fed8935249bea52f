"""Letters to municipalities (docs/letters.md): who receives a letter, sending in one transaction with the
mail, the notice in «Мой кабинет», «Ознакомлен», the managers' status page within their scope, reminders
and their interval, the link to the bank's questions citing the legal norm, the figures, personal data,
the demo and bad input."""

import datetime
import pathlib
import re

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from wagtail.models import ModelLogEntry

from cms.models import HomePage, MaterialIndexPage, MaterialKind, MaterialPage
from events.letters import audit, services
from events.letters.cabinet import my_notices
from events.letters.demo import SUBJECT as DEMO_SUBJECT
from events.letters.demo import build_demo_letters
from events.letters.figures import letter_figures, letters_with_counts, recipient_status
from events.letters.privacy import LETTERS, my_letters
from events.letters.views import questions_citing_url
from events.models import Letter, LetterAcknowledgement, LetterRecipient, LetterReminder
from events.models.letters import LetterChanged
from people.factories import (
    make_municipal_manager,
    make_municipality,
    make_organization,
    make_person,
    make_regional_manager,
)
from people.mail.models import OutgoingMail
from people.notices import notices_of
from people.privacy import apply_retention, rules
from people.privacy.my_data import personal_data
from people.roles import Role
from people.scope import Scope

pytestmark = pytest.mark.django_db


class Output:
    def __init__(self):
        self.lines = []

    def write(self, text):
        self.lines.append(str(text))


@pytest.fixture
def library():
    return HomePage.objects.get().add_child(instance=MaterialIndexPage(title="Материалы", slug="materials"))


def add_material(library, title="Об изменениях 273-ФЗ", kind=MaterialKind.INFORMATION_LETTER, live=True):
    page = library.add_child(
        instance=MaterialPage(
            title=title, kind=kind, date=datetime.date(2026, 3, 1), summary="Кратко о письме."
        )
    )
    if not live:
        page.unpublish()
        page.refresh_from_db()
    return page


@pytest.fixture
def world(library):
    obninsk = make_municipality("Город Обнинск")
    village = make_municipality("Деревня Ивановка", parent=obninsk)
    kaluga = make_municipality("Город Калуга")
    office = make_organization(obninsk, "Администрация города Обнинска")
    village_office = make_organization(village, "Администрация деревни Ивановка")
    kaluga_office = make_organization(kaluga, "Администрация города Калуги")
    regional_body = make_organization(None, "Управление по профилактике коррупции")
    return {
        "obninsk": obninsk,
        "village": village,
        "kaluga": kaluga,
        "coordinator": make_person(office, last_name="Сидорова", has_anticorruption_duties=True),
        "villager": make_person(village_office, last_name="Полев", has_anticorruption_duties=True),
        "no_email": make_person(office, last_name="Безпочтов", email="", has_anticorruption_duties=True),
        "plain": make_person(office, last_name="Обычный"),
        "gone": make_person(office, last_name="Уволен", has_anticorruption_duties=True, is_active=False),
        "kalugan": make_person(kaluga_office, last_name="Калужский", has_anticorruption_duties=True),
        "regional_coordinator": make_person(
            regional_body, last_name="Областной", has_anticorruption_duties=True
        ),
        "municipal": make_municipal_manager(obninsk, last_name="Кураторова"),
        "municipal_other": make_municipal_manager(kaluga, last_name="Калугина"),
        "regional": make_regional_manager(last_name="Орлов"),
        "trainer": make_person(role=Role.TRAINER),
        "material": add_material(library),
    }


def send(world, municipalities=None, everywhere=False, **kwargs):
    if municipalities is None and not everywhere:
        municipalities = [world["obninsk"]]
    return services.send_letter(
        world["regional"],
        material=world["material"],
        municipalities=municipalities or [],
        all_municipalities=everywhere,
        **kwargs,
    )


def recipients_of(letter):
    return set(LetterRecipient.objects.filter(letter=letter).values_list("user__last_name", flat=True))


def letter_mail(kind=services.MAIL_LETTER):
    return OutgoingMail.objects.filter(kind=kind)


# --- recipients --------------------------------------------------------------------------------------


def test_recipients_are_active_coordinators_of_the_chosen_municipality_with_its_settlements(world):
    letter = send(world)
    assert recipients_of(letter) == {"Сидорова", "Полев", "Безпочтов"}
    assert letter.recipient_count == 3
    assert list(letter.municipalities.all()) == [world["obninsk"]]


def test_all_municipalities_reaches_every_municipal_coordinator_but_not_regional_bodies(world):
    letter = send(world, everywhere=True)
    assert recipients_of(letter) == {"Сидорова", "Полев", "Безпочтов", "Калужский", "Кураторова"} - {
        "Кураторова"
    }
    assert letter.all_municipalities


def test_recipients_are_resolved_at_send_time_and_stored(world):
    letter = send(world)
    row = LetterRecipient.objects.get(letter=letter, user=world["coordinator"])
    assert row.municipality == world["obninsk"] and row.organization == world["coordinator"].organization
    world["plain"].has_anticorruption_duties = True
    world["plain"].save()
    world["coordinator"].municipality = world["kaluga"]
    world["coordinator"].organization = None
    world["coordinator"].save()
    assert recipients_of(letter) == {"Сидорова", "Полев", "Безпочтов"}  # the later flag changes nothing
    row.refresh_from_db()
    assert row.municipality == world["obninsk"]  # nor a later move


def test_recipient_rows_acknowledgements_and_reminders_are_append_only(world):
    letter = send(world)
    row = LetterRecipient.objects.filter(letter=letter).first()
    with pytest.raises(LetterChanged):
        row.save()
    with pytest.raises(LetterChanged):
        row.delete()
    with pytest.raises(LetterChanged):
        LetterRecipient.objects.filter(letter=letter).update(municipality=None)
    with pytest.raises(LetterChanged):
        LetterRecipient.objects.filter(letter=letter).delete()
    acknowledgement, _created = services.acknowledge(row.user, letter)
    with pytest.raises(LetterChanged):
        acknowledgement.save()
    reminder = services.remind(world["regional"], letter)
    with pytest.raises(LetterChanged):
        LetterReminder.objects.filter(pk=reminder.pk).delete()


# --- sending -----------------------------------------------------------------------------------------


def test_sending_queues_one_letter_per_address_in_the_outbox(
    world, settings, django_capture_on_commit_callbacks
):
    settings.SITE_URL = "https://antikor.example.org"
    with django_capture_on_commit_callbacks(execute=True):
        letter = send(world, message="Просим ознакомиться до 1 апреля.", legal_norm="ст. 12 273-ФЗ")
    queued = letter_mail()
    assert sorted(queued.values_list("recipient", flat=True)) == sorted(
        [world["coordinator"].email, world["villager"].email]
    )
    assert letter.mailed_count == 2
    body = next(m.body for m in mail.outbox if m.to == [world["coordinator"].email])
    assert "Просим ознакомиться до 1 апреля." in body
    assert "ст. 12 273-ФЗ" in body
    assert f"https://antikor.example.org/letters/{letter.pk}/" in body
    no_email = LetterRecipient.objects.get(letter=letter, user=world["no_email"])
    assert no_email.mail is None  # recorded all the same: the letter is in their cabinet
    assert LetterRecipient.objects.get(letter=letter, user=world["coordinator"]).mail is not None
    assert letter.subject == world["material"].title  # an empty subject takes the material's title
    assert sorted(m.to[0] for m in mail.outbox) == sorted(queued.values_list("recipient", flat=True))
    assert all(m.subject == letter.subject for m in mail.outbox)  # delivered after the commit


def test_the_letter_the_recipients_and_the_mail_are_one_transaction(world, monkeypatch):
    def broken(messages):
        list(messages)
        raise RuntimeError("outbox down")

    monkeypatch.setattr(services, "enqueue_many", broken)
    with pytest.raises(RuntimeError):
        send(world)
    assert not Letter.objects.exists()
    assert not LetterRecipient.objects.exists()
    assert not ModelLogEntry.objects.filter(action=audit.SENT).exists()


@pytest.mark.parametrize("who", ["municipal", "trainer", "coordinator"])
def test_only_regional_managers_send(world, who):
    with pytest.raises(PermissionDenied):
        services.send_letter(world[who], material=world["material"], all_municipalities=True)
    assert not Letter.objects.exists()


def test_a_material_of_another_kind_or_a_draft_is_not_sent(world, library):
    other = add_material(library, "Памятка", kind=MaterialKind.OTHER)
    draft = add_material(library, "Черновик письма", live=False)
    for material in (other, draft, None):
        with pytest.raises(services.LetterError, match="Выберите опубликованный материал"):
            services.send_letter(world["regional"], material=material, all_municipalities=True)
    assert not Letter.objects.exists()


def test_no_municipality_chosen_and_nobody_to_send_to_are_refused(world):
    with pytest.raises(services.LetterError, match="Выберите муниципальные образования"):
        send(world, municipalities=[])
    nobody = make_municipality("Село Пустое")
    with pytest.raises(services.LetterError, match="нет ответственных за противодействие коррупции"):
        send(world, municipalities=[nobody])
    assert not Letter.objects.exists() and not letter_mail().exists()


def test_sending_is_in_the_letters_log(world):
    letter = send(world)
    entry = ModelLogEntry.objects.get(action=audit.SENT)
    assert entry.user == world["regional"] and entry.object_id == str(letter.pk)
    assert entry.label == f"Письмо муниципалитетам № {letter.pk}"
    assert entry.data == {"recipients": 3, "mailed": 2}


def test_a_strange_material_in_the_address_is_ignored_not_a_500(client, world):
    client.force_login(world["regional"])
    for value in ("²", "9" * 30, "-1", "abc"):
        response = client.get(reverse("letters:new"), {"material": value})
        assert response.status_code == 200, value
        assert response.context["form"].initial == {}


def test_the_form_sends_and_shows_the_status(client, world):
    client.force_login(world["regional"])
    response = client.get(reverse("letters:new") + f"?material={world['material'].pk}")
    assert response.status_code == 200
    assert response.context["form"].initial == {"material": world["material"].pk}
    response = client.post(
        reverse("letters:new"),
        {"material": world["material"].pk, "municipalities": [world["obninsk"].pk], "legal_norm": "273-ФЗ"},
    )
    letter = Letter.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("letters:status", args=[letter.pk])
    assert letter.legal_norm == "273-ФЗ" and letter.recipient_count == 3


@pytest.mark.parametrize(
    "data, message",
    [
        ({"municipalities": ["{obninsk}"]}, "Выберите материал."),
        (
            {"material": "999999", "municipalities": ["{obninsk}"]},
            "Выберите опубликованный материал из списка.",
        ),
        ({"material": "abc", "municipalities": ["{obninsk}"]}, "Выберите опубликованный материал из списка."),
        ({"material": "{material}"}, "Выберите муниципальные образования или отметьте"),
        (
            {"material": "{material}", "municipalities": ["abc"]},
            "Выберите муниципальные образования из списка.",
        ),
        (
            {"material": "{material}", "municipalities": ["{village}"]},
            "Выберите муниципальные образования из",
        ),
        (
            {"material": "{material}", "municipalities": ["{obninsk}"], "legal_norm": "x" * 300},
            "не более 255",
        ),
        ({"material": "{material}", "municipalities": ["{nobody}"]}, "нет ответственных"),
    ],
)
def test_bad_input_to_the_form_is_a_russian_400(client, world, data, message):
    world["nobody"] = make_municipality("Село Пустое")
    ids = {name: getattr(value, "pk", None) for name, value in world.items()}

    def fill(value):
        return value.format(**ids) if isinstance(value, str) else [fill(item) for item in value]

    client.force_login(world["regional"])
    response = client.post(reverse("letters:new"), {key: fill(value) for key, value in data.items()})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Letter.objects.exists()


@pytest.mark.parametrize("who, status", [("municipal", 403), ("coordinator", 403), ("trainer", 403)])
def test_the_form_is_the_regional_managers(client, world, who, status):
    client.force_login(world[who])
    assert client.get(reverse("letters:new")).status_code == status
    assert client.post(reverse("letters:new"), {"material": world["material"].pk}).status_code == status


# --- the recipient: cabinet, letter, «Ознакомлен» -------------------------------------------------------


def test_the_recipient_gets_a_notice_and_a_cabinet_section(client, world):
    letter = send(world)
    notices = my_notices(world["coordinator"], 10)
    assert [notice.url for notice in notices] == [reverse("letters:detail", args=[letter.pk])]
    assert notices[0].title == letter.subject
    assert notices_of(world["coordinator"])[0].url == notices[0].url  # merged into «Уведомления»
    assert my_notices(world["kalugan"], 10) == []
    client.force_login(world["coordinator"])
    page = client.get(reverse("cabinet")).content.decode()
    assert "Письма уполномоченного органа" in page and "ожидает ознакомления" in page
    client.force_login(world["plain"])
    assert "Письма уполномоченного органа" not in client.get(reverse("cabinet")).content.decode()


def test_only_the_recipient_opens_the_letter(client, world):
    letter = send(world)
    client.force_login(world["coordinator"])
    response = client.get(reverse("letters:detail", args=[letter.pk]))
    assert response.status_code == 200
    assert "Ознакомлен" in response.content.decode()
    for who in ("plain", "kalugan", "municipal", "regional", "trainer"):
        client.force_login(world[who])
        assert client.get(reverse("letters:detail", args=[letter.pk])).status_code == 404, who
    assert client.get(reverse("letters:detail", args=[999_999])).status_code == 404


def test_acknowledging_is_a_post_of_the_recipient_only_and_idempotent(client, world):
    letter = send(world)
    url = reverse("letters:acknowledge", args=[letter.pk])
    client.force_login(world["coordinator"])
    assert client.get(url).status_code == 405
    response = client.post(url)
    assert response.status_code == 302 and response["Location"] == reverse("letters:detail", args=[letter.pk])
    first = LetterAcknowledgement.objects.get(recipient__user=world["coordinator"])
    response = client.post(url, follow=True)
    assert "Вы уже отметили ознакомление" in response.content.decode()
    assert LetterAcknowledgement.objects.get(recipient__user=world["coordinator"]).acknowledged_at == (
        first.acknowledged_at
    )
    assert LetterAcknowledgement.objects.count() == 1
    page = client.get(reverse("letters:detail", args=[letter.pk])).content.decode()
    assert "Вы ознакомились с письмом" in page
    for who in ("plain", "kalugan", "regional", "municipal"):
        client.force_login(world[who])
        assert client.post(url).status_code == 404, who
    assert LetterAcknowledgement.objects.count() == 1


def test_acknowledging_needs_the_csrf_token(world):
    letter = send(world)
    client = Client(enforce_csrf_checks=True)
    client.force_login(world["coordinator"])
    assert client.post(reverse("letters:acknowledge", args=[letter.pk])).status_code == 403
    assert not LetterAcknowledgement.objects.exists()


def test_the_service_keeps_the_first_time_and_refuses_others(world):
    letter = send(world)
    earlier = timezone.now() - datetime.timedelta(hours=3)
    first, created = services.acknowledge(world["coordinator"], letter, now=earlier)
    again, created_again = services.acknowledge(world["coordinator"], letter)
    assert created and not created_again and again.acknowledged_at == first.acknowledged_at == earlier
    with pytest.raises(services.LetterError, match="только получатель"):
        services.acknowledge(world["kalugan"], letter)


def test_anonymous_visitors_are_sent_to_log_in(client, world):
    letter = send(world)
    for name, args in (("mine", []), ("detail", [letter.pk]), ("manage", []), ("status", [letter.pk])):
        response = client.get(reverse(f"letters:{name}", args=args))
        assert response.status_code == 302 and "/login/" in response["Location"]
    assert "/login/" in client.post(reverse("letters:acknowledge", args=[letter.pk]))["Location"]


# --- managers: the status page --------------------------------------------------------------------------


def test_the_regional_manager_sees_every_recipient_by_municipality(client, world):
    letter = send(world, everywhere=True)
    services.acknowledge(world["coordinator"], letter)
    client.force_login(world["regional"])
    response = client.get(reverse("letters:status", args=[letter.pk]))
    assert response.status_code == 200
    assert response.context["total"] == 4 and response.context["acknowledged"] == 1
    table = {row.name: (row.recipients, row.acknowledged) for row in response.context["table"]}
    assert table == {"Город Обнинск": (3, 1), "Город Калуга": (1, 0)}  # the settlement within its district
    page = response.content.decode()
    assert "Калужский" in page and "Полев" in page
    assert client.get(reverse("letters:manage")).status_code == 200


def test_a_municipal_manager_sees_only_their_municipality(client, world):
    letter = send(world, everywhere=True)
    client.force_login(world["municipal"])
    response = client.get(reverse("letters:status", args=[letter.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Сидорова" in page and "Полев" in page  # with its settlement
    assert "Калужский" not in page
    assert response.context["total"] == 3
    listing = client.get(reverse("letters:manage"))
    assert [row.in_scope for row in listing.context["page_obj"]] == [3]
    figures = listing.context["figures"]  # the year's figures of their scope only
    assert (figures.letters, figures.recipients) == (1, 3)
    assert [row.name for row in figures.by_municipality] == ["Город Обнинск"]
    assert "Писем отправлено: 1; получателей: 3; ознакомились: 0." in listing.content.decode()


def test_a_letter_that_did_not_reach_the_managers_municipality_is_not_found(client, world):
    letter = send(world, municipalities=[world["kaluga"]])
    client.force_login(world["municipal"])
    assert client.get(reverse("letters:status", args=[letter.pk])).status_code == 404
    assert client.post(reverse("letters:remind", args=[letter.pk])).status_code == 404
    assert list(client.get(reverse("letters:manage")).context["page_obj"]) == []


@pytest.mark.parametrize("who", ["coordinator", "trainer", "plain"])
def test_the_managers_pages_are_403_for_others(client, world, who):
    letter = send(world)
    client.force_login(world[who])
    assert client.get(reverse("letters:manage")).status_code == 403
    assert client.get(reverse("letters:status", args=[letter.pk])).status_code == 403
    assert client.post(reverse("letters:remind", args=[letter.pk])).status_code == 403
    assert not LetterReminder.objects.exists()


def test_a_municipal_manager_without_a_municipality_is_403(client, world):
    letter = send(world)
    manager = make_person(role=Role.MUNICIPAL_MANAGER)
    client.force_login(manager)
    assert client.get(reverse("letters:status", args=[letter.pk])).status_code == 403


def test_the_status_page_links_to_the_bank_questions_citing_the_norm(client, world):
    from quizzes.factories import make_single_choice

    letter = send(world, legal_norm="ст. 12 273-ФЗ")
    cited = make_single_choice(text="Вопрос о статье 12", legal_norm="ст. 12 273-ФЗ")
    other = make_single_choice(text="Вопрос о подарках", legal_norm="ст. 575 ГК РФ")
    url = questions_citing_url(letter.legal_norm)
    assert url.startswith(reverse("quizzes_question:index") + "?legal_norm=")
    client.force_login(world["regional"])
    page = client.get(reverse("letters:status", args=[letter.pk])).content.decode()
    assert url.replace("&", "&amp;") in page or url in page
    admin = make_person(is_superuser=True, is_staff=True, role=None)
    client.force_login(admin)
    listing = client.get(url)
    assert listing.status_code == 200
    assert cited.text in listing.content.decode() and other.text not in listing.content.decode()
    assert questions_citing_url("") == ""
    without = send(world)
    assert (
        'id="questions-citing"'
        not in client.get(reverse("letters:status", args=[without.pk])).content.decode()
    )


def test_events_links_to_the_bank_by_url_and_does_not_import_quizzes():
    folder = pathlib.Path(__file__).resolve().parent.parent / "letters"
    for path in folder.glob("*.py"):
        assert not re.search(r"^\s*(from|import)\s+quizzes", path.read_text(), re.M), path


# --- reminders -------------------------------------------------------------------------------------------


def test_a_reminder_goes_to_those_who_have_not_acknowledged(client, world):
    letter = send(world)
    services.acknowledge(world["coordinator"], letter)
    client.force_login(world["regional"])
    response = client.post(reverse("letters:remind", args=[letter.pk]), follow=True)
    assert "Напоминание отправлено тем, кто ещё не ознакомился: 2." in response.content.decode()
    reminder = LetterReminder.objects.get()
    assert set(reminder.recipients.values_list("user__last_name", flat=True)) == {"Полев", "Безпочтов"}
    assert list(letter_mail(services.MAIL_REMINDER).values_list("recipient", flat=True)) == [
        world["villager"].email
    ]
    assert ModelLogEntry.objects.filter(action=audit.REMINDED, object_id=str(letter.pk)).count() == 1
    texts = [notice.text for notice in my_notices(world["villager"], 10)]
    assert any(text.startswith("Напоминание") for text in texts)
    assert not any(
        text.startswith("Напоминание") for text in (n.text for n in my_notices(world["coordinator"], 10))
    )


def test_no_second_reminder_within_the_interval(client, world, settings):
    settings.LETTERS_REMINDER_INTERVAL_HOURS = 24
    letter = send(world)
    now = timezone.now()
    services.remind(world["regional"], letter, now=now)
    with pytest.raises(services.LetterError, match=r"Напоминание уже отправлено .* не раньше"):
        services.remind(world["regional"], letter, now=now + datetime.timedelta(hours=23))
    client.force_login(world["regional"])
    response = client.post(reverse("letters:remind", args=[letter.pk]), follow=True)
    assert "Напоминание уже отправлено" in response.content.decode()
    assert LetterReminder.objects.count() == 1
    later = services.remind(world["regional"], letter, now=now + datetime.timedelta(hours=25))
    assert later.count == 3 and LetterReminder.objects.count() == 2


def test_a_municipal_manager_reminds_only_their_scope_and_the_interval_is_per_person(world):
    letter = send(world, everywhere=True)
    reminder = services.remind(world["municipal"], letter)
    assert set(reminder.recipients.values_list("user__last_name", flat=True)) == {
        "Сидорова",
        "Полев",
        "Безпочтов",
    }
    regional = services.remind(world["regional"], letter)  # the people of Obninsk were just reminded
    assert set(regional.recipients.values_list("user__last_name", flat=True)) == {"Калужский"}
    with pytest.raises(services.LetterError):
        services.remind(world["municipal_other"], letter)


def test_nobody_to_remind_when_everybody_acknowledged(world):
    letter = send(world)
    for who in ("coordinator", "villager", "no_email"):
        services.acknowledge(world[who], letter)
    with pytest.raises(services.LetterError, match="Все получатели уже ознакомились"):
        services.remind(world["regional"], letter)
    assert not LetterReminder.objects.exists()


def test_remind_is_post_only(client, world):
    letter = send(world)
    client.force_login(world["regional"])
    assert client.get(reverse("letters:remind", args=[letter.pk])).status_code == 405


# --- figures -------------------------------------------------------------------------------------------


def test_figures_count_letters_recipients_and_acknowledgements_in_the_period_and_scope(world):
    now = timezone.now()
    letter = send(world, everywhere=True, now=now - datetime.timedelta(days=2))
    send(world, now=now - datetime.timedelta(days=400))  # outside the period
    services.acknowledge(world["coordinator"], letter, now=now - datetime.timedelta(days=1))
    today = timezone.localdate()
    region = letter_figures(Scope.for_user(world["regional"]), today - datetime.timedelta(days=30), today)
    assert (region.letters, region.recipients, region.acknowledged, region.waiting) == (1, 4, 1, 3)
    rows = {row.name: (row.letters, row.recipients, row.acknowledged) for row in region.by_municipality}
    assert rows["Город Обнинск"] == (1, 3, 1) and rows["Город Калуга"] == (1, 1, 0)
    obninsk = letter_figures(Scope.for_user(world["municipal"]), today - datetime.timedelta(days=30), today)
    assert (obninsk.letters, obninsk.recipients, obninsk.acknowledged) == (1, 3, 1)
    assert [row.name for row in obninsk.by_municipality] == ["Город Обнинск"]
    before = letter_figures(
        Scope.for_user(world["regional"]),
        today - datetime.timedelta(days=30),
        today - datetime.timedelta(days=2),
    )
    assert (before.letters, before.acknowledged) == (1, 0)  # acknowledged after the period's end
    assert (
        letter_figures(Scope.for_user(world["trainer"]), today - datetime.timedelta(days=30), today).letters
        == 0
    )


def test_the_managers_list_counts_only_the_recipients_of_the_scope(client, world):
    """One scope rule (``recipients_in``) for the list's counts: a municipal manager's counts of a letter
    to the whole region leave out the other municipalities' recipients and their acknowledgements."""
    letter = send(world, everywhere=True)
    services.acknowledge(world["kalugan"], letter)
    services.acknowledge(world["villager"], letter)
    counts = {
        who: [
            (row.pk, row.in_scope, row.acknowledged)
            for row in letters_with_counts(Scope.for_user(world[who]))
        ]
        for who in ("regional", "municipal", "municipal_other", "trainer")
    }
    assert counts == {
        "regional": [(letter.pk, 4, 2)],
        "municipal": [(letter.pk, 3, 1)],  # Obninsk with its settlement; Kaluga's acknowledgement left out
        "municipal_other": [(letter.pk, 1, 1)],
        "trainer": [],
    }
    client.force_login(world["municipal_other"])
    [row] = client.get(reverse("letters:manage")).context["page_obj"]
    assert (row.in_scope, row.acknowledged) == (1, 1)


def test_the_status_rows_are_grouped_by_district_within_the_scope(world):
    letter = send(world, everywhere=True)
    services.acknowledge(world["villager"], letter)
    status = recipient_status(Scope.for_user(world["municipal"]), letter)
    assert (status.total, status.acknowledged, status.waiting) == (3, 1, 2)
    assert [(district, [str(row.user.last_name) for row in rows]) for district, rows in status.groups] == [
        ("Город Обнинск", ["Безпочтов", "Сидорова", "Полев"]),  # waiting first, then acknowledged
    ]
    region = recipient_status(Scope.for_user(world["regional"]), letter)
    assert [district for district, _rows in region.groups] == ["Город Калуга", "Город Обнинск"]
    assert region.total == 4


# --- personal data -------------------------------------------------------------------------------------


def test_my_data_lists_the_persons_letters(world):
    letter = send(world)
    services.acknowledge(world["coordinator"], letter)
    services.remind(world["regional"], letter)
    (sheet,) = my_letters(world["coordinator"])
    assert sheet.title == "Письма уполномоченного органа"
    assert len(sheet.rows) == 1 and sheet.rows[0][2] == letter.subject and sheet.rows[0][4] is not None
    (villager,) = my_letters(world["villager"])
    assert villager.rows[0][4] is None and villager.rows[0][5] == 1
    assert "Письма уполномоченного органа" in [sheet.title for sheet in personal_data(world["coordinator"])]
    assert my_letters(world["kalugan"])[0].rows == []


def test_retention_deletes_old_letters_whole(world, settings):
    settings.RETENTION_LETTERS_YEARS = 5
    assert LETTERS in rules()
    old = send(world, now=timezone.now() - datetime.timedelta(days=6 * 366))
    recent = send(world)
    services.acknowledge(world["coordinator"], old)
    services.remind(world["regional"], old)
    apply_retention()
    assert list(Letter.objects.all()) == [recent]
    assert not LetterRecipient.objects.filter(letter_id=old.pk).exists()
    assert not LetterAcknowledgement.objects.exists() and not LetterReminder.objects.exists()
    assert MaterialPage.objects.filter(pk=world["material"].pk).exists()  # the material stays


# --- demo ----------------------------------------------------------------------------------------------


def test_the_demo_sends_one_letter_with_some_acknowledgements_once(world, library):
    make_regional_manager(username="region")
    add_material(library, "Обзор изменений законодательства", kind=MaterialKind.LEGISLATION_REVIEW)
    output = Output()
    build_demo_letters(output, {})
    build_demo_letters(output, {})
    letter = Letter.objects.get(subject=DEMO_SUBJECT)
    assert letter.material.kind == MaterialKind.LEGISLATION_REVIEW and letter.legal_norm
    acknowledged = LetterAcknowledgement.objects.filter(recipient__letter=letter).count()
    assert 0 < acknowledged < letter.recipient_count
    assert Letter.objects.count() == 1


def test_the_demo_skips_without_a_sender(world):
    output = Output()
    build_demo_letters(output, {})
    assert not Letter.objects.exists() and "пропускаю" in output.lines[0]


# --- admin ---------------------------------------------------------------------------------------------


def test_the_admin_menu_and_the_materials_button(client, world):
    client.force_login(world["regional"])
    assert reverse("letters:manage") in client.get(reverse("wagtailadmin_home")).content.decode()
    client.force_login(world["municipal"])
    assert reverse("letters:manage") in client.get(reverse("wagtailadmin_home")).content.decode()
    client.force_login(make_person(role=Role.TRAINER, is_staff=True))
    assert reverse("letters:manage") not in client.get(reverse("wagtailadmin_home")).content.decode()
    client.force_login(world["regional"])
    edit = client.get(reverse("wagtailadmin_pages:edit", args=[world["material"].pk])).content.decode()
    assert reverse("letters:new") + f"?material={world['material'].pk}" in edit.replace("&amp;", "&")
