"""Consultations: who sees and does what, answering and its notices, the term of answer, attachments,
publishing as an anonymised FAQ of the library, the managers' overview, the plan figure (1.3), personal
data and bad input."""

import datetime
import importlib
import io
import os
from unittest import mock

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import DatabaseError, transaction
from django.urls import reverse
from django.utils import timezone
from wagtail.models import ModelLogEntry

from cms.models import HomePage, MaterialIndexPage, MaterialKind, MaterialPage, MaterialTopic
from events.consultations import audit, faq, services
from events.consultations.cabinet import my_notices
from events.consultations.figures import overview
from events.consultations.privacy import CONSULTATIONS, my_consultations
from events.models import Consultation, ConsultationMessage, ConsultationTopic
from people.factories import (
    make_municipal_manager,
    make_municipality,
    make_organization,
    make_person,
    make_regional_manager,
)
from people.mail.models import OutgoingMail
from people.models import User
from people.privacy import anonymize_people, apply_retention
from people.roles import Role
from people.scope import Scope

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def private_files(settings, tmp_path):
    settings.CONSULTATION_FILES_ROOT = str(tmp_path / "consultations")
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.CONSULTATION_ANSWER_WORKING_DAYS = 10
    return tmp_path


@pytest.fixture
def world():
    obninsk = make_municipality("Город Обнинск")
    settlement = make_municipality("Деревня Ивановка", parent=obninsk)
    kaluga = make_municipality("Город Калуга")
    office = make_organization(obninsk, "Администрация города Обнинска")
    village_office = make_organization(settlement, "Администрация деревни Ивановка")
    other_office = make_organization(kaluga, "Администрация города Калуги")
    return {
        "obninsk": obninsk,
        "kaluga": kaluga,
        "asker": make_person(office, last_name="Сидорова", first_name="Анна", patronymic="Павловна"),
        "villager": make_person(village_office, last_name="Полев"),
        "neighbour": make_person(office, last_name="Соседов"),
        "stranger": make_person(other_office, last_name="Калужский"),
        "municipal": make_municipal_manager(obninsk, last_name="Кураторова"),
        "municipal_other": make_municipal_manager(kaluga),
        "regional": make_regional_manager(last_name="Отвечающий"),
        "trainer": make_person(role=Role.TRAINER),
        "topic": ConsultationTopic.objects.get_or_create(name="Подарки")[0],
    }


def ask(person, topic, subject="Подарок на юбилей", text="Нужно ли уведомлять о подарке?", **kwargs):
    return services.ask(person, topic=topic, subject=subject, text=text, **kwargs)


def make_library():
    return HomePage.objects.get().add_child(instance=MaterialIndexPage(title="Материалы", slug="materials"))


# --- topics ------------------------------------------------------------------------------------------


def test_the_migration_brings_the_topics_and_regional_managers_edit_them(world):
    from django.apps import apps

    migration = importlib.import_module("events.migrations.0006_consultations")
    migration.add_topics(
        apps, None
    )  # what the migration ran (a flush by an earlier test may have cleared it)
    migration.add_topics(apps, None)  # idempotent
    names = list(ConsultationTopic.objects.values_list("name", flat=True))
    assert len(names) == len(set(names)) == len(migration.TOPICS)
    assert {"Конфликт интересов", "Подарки", "Иная оплачиваемая работа", "Другое"} <= set(names)
    assert world["regional"].has_perm("events.change_consultationtopic")
    assert world["regional"].has_perm("events.add_consultationtopic")
    assert not world["municipal"].has_perm("events.change_consultationtopic")
    assert not world["trainer"].has_perm("events.change_consultationtopic")


# --- asking ------------------------------------------------------------------------------------------


def test_asking_takes_municipality_and_organization_from_the_profile(client, world):
    client.force_login(world["asker"])
    response = client.post(
        reverse("consultations:ask"),
        {"topic": world["topic"].pk, "subject": "Подарок на юбилей", "text": "Нужно ли уведомлять?"},
    )
    consultation = Consultation.objects.get()
    assert response.status_code == 302 and response["Location"] == consultation.get_absolute_url()
    assert consultation.municipality == world["obninsk"]
    assert consultation.organization == world["asker"].organization
    assert consultation.asker == world["asker"]
    assert consultation.state == Consultation.State.OPEN


@pytest.mark.parametrize(
    "data, message",
    [
        ({"subject": "Тема", "text": "Текст"}, "Выберите тему вопроса."),
        ({"topic": "999999", "subject": "Тема", "text": "Текст"}, "Выберите тему вопроса из списка."),
        ({"topic": "abc", "subject": "Тема", "text": "Текст"}, "Выберите тему вопроса из списка."),
        ({"topic": "TOPIC", "subject": "", "text": "Текст"}, "Напишите вопрос кратко, одной строкой."),
        ({"topic": "TOPIC", "subject": "Тема", "text": "  "}, "Напишите текст вопроса."),
        ({"topic": "TOPIC", "subject": "Тема", "text": "x" * 5001}, "5000"),
        ({"topic": "TOPIC", "subject": "x" * 201, "text": "Текст"}, "200"),
    ],
)
def test_bad_questions_are_refused_with_a_russian_message(client, world, data, message):
    client.force_login(world["asker"])
    data = {key: (str(world["topic"].pk) if value == "TOPIC" else value) for key, value in data.items()}
    response = client.post(reverse("consultations:ask"), data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Consultation.objects.exists()


def test_an_inactive_topic_is_not_offered(client, world):
    world["topic"].is_active = False
    world["topic"].save()
    client.force_login(world["asker"])
    response = client.post(
        reverse("consultations:ask"), {"topic": world["topic"].pk, "subject": "Тема", "text": "Текст"}
    )
    assert response.status_code == 400
    assert world["topic"].name not in response.content.decode()
    with pytest.raises(services.ConsultationError):
        ask(world["asker"], world["topic"])


def test_anonymous_people_are_sent_to_log_in(client):
    response = client.get(reverse("consultations:ask"))
    assert response.status_code == 302 and "/login/" in response["Location"]


# --- attachments ---------------------------------------------------------------------------------


def upload(client, name, content, world):
    return client.post(
        reverse("consultations:ask"),
        {
            "topic": world["topic"].pk,
            "subject": "С вложением",
            "text": "Прошу посмотреть документ",
            "attachment": SimpleUploadedFile(name, content),
        },
    )


@pytest.mark.parametrize(
    "name, content",
    [
        ("prikaz.html", b"<html><script>alert(1)</script></html>"),
        ("schema.svg", b"<svg onload='alert(1)'/>"),
        ("run.js", b"alert(1)"),
        ("index.php", b"<?php ?>"),
        ("noextension", b"text"),
    ],
)
def test_attachments_with_an_active_or_unknown_extension_are_refused(client, world, name, content):
    client.force_login(world["asker"])
    response = upload(client, name, content, world)
    assert response.status_code == 400
    assert "не принимаются" in response.content.decode()
    assert not Consultation.objects.exists()


def test_oversized_and_empty_attachments_are_refused(client, world, settings):
    settings.WAGTAILDOCS_MAX_UPLOAD_SIZE = 1024
    client.force_login(world["asker"])
    response = upload(client, "big.txt", b"x" * 2048, world)
    assert response.status_code == 400
    assert "Файл слишком большой" in response.content.decode()
    response = upload(client, "empty.txt", b"", world)
    assert response.status_code == 400
    assert not Consultation.objects.exists()


def test_attachment_is_private_and_served_only_to_the_asker_and_staff_in_scope(client, world, private_files):
    client.force_login(world["asker"])
    assert upload(client, "письмо.docx", b"<html><script>alert(1)</script></html>", world).status_code == 302
    consultation = Consultation.objects.get()
    assert consultation.attachment_name == "письмо.docx"
    assert str(private_files / "consultations") in consultation.attachment.path
    assert "письмо" not in consultation.attachment.name  # stored under a random name
    url = reverse("consultations:attachment", args=[consultation.pk])
    for person, status in [
        ("asker", 200),
        ("regional", 200),
        ("municipal", 200),
        ("neighbour", 404),
        ("municipal_other", 404),
        ("trainer", 404),
    ]:
        client.force_login(world[person])
        response = client.get(url)
        assert response.status_code == status, person
        if status == 200:
            assert response["Content-Disposition"].startswith("attachment")
            assert response["X-Content-Type-Options"] == "nosniff"
            assert response["Content-Security-Policy"] == "default-src 'none'"
            assert "html" not in response["Content-Type"]
    client.logout()
    assert client.get(url).status_code == 302
    viewed = ModelLogEntry.objects.for_instance(consultation).filter(action=audit.ATTACHMENT_VIEWED)
    assert {entry.user for entry in viewed} == {world["regional"], world["municipal"]}


def test_a_pdf_attachment_opens_inline(client, world):
    client.force_login(world["asker"])
    upload(client, "reshenie.pdf", b"%PDF-1.4 test", world)
    response = client.get(reverse("consultations:attachment", args=[Consultation.objects.get().pk]))
    assert response["Content-Disposition"].startswith("inline")


def stored_files(private_files):
    root = private_files / "consultations"
    return sorted(path for path in root.rglob("*") if path.is_file()) if root.exists() else []


def test_an_attachment_is_not_kept_when_the_row_fails(world, private_files):
    attachment = SimpleUploadedFile("akt.pdf", b"%PDF-1.4 test")
    failing = mock.patch.object(Consultation, "save", side_effect=DatabaseError("forced"))
    with failing, pytest.raises(DatabaseError):
        ask(world["asker"], world["topic"], attachment=attachment)
    assert not Consultation.objects.exists()
    assert stored_files(private_files) == []


def test_an_attachment_is_not_kept_when_the_transaction_is_rolled_back(world, private_files):
    with pytest.raises(RuntimeError), transaction.atomic():
        ask(world["asker"], world["topic"], attachment=SimpleUploadedFile("akt.pdf", b"%PDF-1.4 test"))
        assert len(stored_files(private_files)) == 1
        raise RuntimeError("a later error in the same transaction")
    assert not Consultation.objects.exists()
    assert stored_files(private_files) == []


def test_a_committed_attachment_stays(world, private_files, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        consultation = ask(
            world["asker"], world["topic"], attachment=SimpleUploadedFile("akt.pdf", b"%PDF-1.4 test")
        )
    del callbacks
    stored = [path.name for path in stored_files(private_files)]
    assert stored == [os.path.basename(consultation.attachment.name)]


# --- scope -------------------------------------------------------------------------------------------


def test_who_sees_a_question(client, world):
    own = ask(world["asker"], world["topic"])
    settlement = ask(world["villager"], world["topic"], subject="Из поселения")
    foreign = ask(world["stranger"], world["topic"], subject="Из Калуги")
    expected = {
        "asker": {own},
        "villager": {settlement},
        "neighbour": set(),
        "trainer": set(),
        "municipal": {own, settlement},
        "municipal_other": {foreign},
        "regional": {own, settlement, foreign},
    }
    for person, visible in expected.items():
        client.force_login(world[person])
        for consultation in (own, settlement, foreign):
            status = client.get(reverse("consultations:detail", args=[consultation.pk])).status_code
            assert status == (200 if consultation in visible else 404), (person, consultation.subject)
    client.force_login(world["asker"])
    assert client.get(reverse("consultations:detail", args=[999_999])).status_code == 404


def test_a_servant_lists_only_their_own_questions(client, world):
    ask(world["asker"], world["topic"], subject="Мой вопрос")
    ask(world["neighbour"], world["topic"], subject="Вопрос соседа")
    client.force_login(world["asker"])
    text = client.get(reverse("consultations:mine")).content.decode()
    assert "Мой вопрос" in text and "Вопрос соседа" not in text
    cabinet = client.get(reverse("cabinet")).content.decode()
    assert "Мой вопрос" in cabinet and "Вопрос соседа" not in cabinet
    assert "Задать вопрос" in cabinet


def test_a_municipal_manager_reads_but_cannot_answer_close_or_publish(client, world):
    consultation = ask(world["asker"], world["topic"])
    client.force_login(world["municipal"])
    page = client.get(reverse("consultations:detail", args=[consultation.pk])).content.decode()
    assert "Отправить ответ" not in page and "Закрыть вопрос" not in page
    assert (
        client.post(reverse("consultations:reply", args=[consultation.pk]), {"text": "Ответ"}).status_code
        == 403
    )
    assert client.post(reverse("consultations:close", args=[consultation.pk])).status_code == 403
    assert client.get(reverse("consultations:publish", args=[consultation.pk])).status_code == 403
    assert not consultation.messages.exists()
    with pytest.raises(services.ConsultationError):
        services.reply(world["municipal"], consultation, "Ответ")
    consultation.refresh_from_db()
    assert consultation.state == Consultation.State.OPEN


def test_outsiders_cannot_reply_to_a_question_they_do_not_see(client, world):
    consultation = ask(world["asker"], world["topic"])
    for person in ("neighbour", "municipal_other", "trainer"):
        client.force_login(world[person])
        assert (
            client.post(reverse("consultations:reply", args=[consultation.pk]), {"text": "x"}).status_code
            == 404
        )
        assert client.post(reverse("consultations:close", args=[consultation.pk])).status_code == 404
        assert client.get(reverse("consultations:publish", args=[consultation.pk])).status_code == 403
    assert not consultation.messages.exists()


def test_the_managers_overview_is_for_managers_of_their_scope(client, world):
    ask(world["asker"], world["topic"], subject="Обнинский вопрос")
    ask(world["stranger"], world["topic"], subject="Калужский вопрос")
    url = reverse("consultations:manage")
    for person in ("asker", "trainer"):
        client.force_login(world[person])
        assert client.get(url).status_code == 403
    client.force_login(world["municipal"])
    text = client.get(url).content.decode()
    assert "Обнинский вопрос" in text and "Калужский вопрос" not in text
    client.force_login(world["regional"])
    text = client.get(url).content.decode()
    assert "Обнинский вопрос" in text and "Калужский вопрос" in text


@pytest.mark.parametrize("query", ["end=9999-12-31", "start=0001-01-01", "start=2025-05-01&end=2025-01-01"])
def test_a_period_out_of_bounds_is_a_russian_400(client, world, query):
    client.force_login(world["regional"])
    response = client.get(reverse("consultations:manage") + "?" + query)
    assert response.status_code == 400
    assert (
        "Период должен лежать" in response.content.decode() or "позже его конца" in response.content.decode()
    )


# --- answering, following up, closing --------------------------------------------------------------


def test_answering_notifies_the_asker_by_mail_and_in_the_cabinet(
    client, world, django_capture_on_commit_callbacks
):
    consultation = ask(world["asker"], world["topic"], subject="Подарок на юбилей")
    client.force_login(world["regional"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("consultations:reply", args=[consultation.pk]), {"text": "Да, уведомлять нужно."}
        )
    assert response.status_code == 302
    consultation.refresh_from_db()
    assert consultation.state == Consultation.State.ANSWERED
    assert consultation.first_answered_at is not None and consultation.due_on is None
    [letter] = OutgoingMail.objects.filter(kind=services.MAIL_ANSWER)
    assert letter.recipient == world["asker"].email and letter.person == world["asker"]
    assert "Подарок на юбилей" in letter.subject
    [sent] = mail.outbox
    assert f"/consultations/{consultation.pk}/" in sent.body
    assert "Да, уведомлять нужно." not in sent.body  # the answer itself stays behind the login
    [notice] = my_notices(world["asker"], 10)
    assert "Подарок на юбилей" in notice.text and notice.url == consultation.get_absolute_url()
    assert my_notices(world["neighbour"], 10) == []
    client.force_login(world["asker"])
    cabinet = client.get(reverse("cabinet")).content.decode()
    assert "Уполномоченный орган ответил на ваш вопрос «Подарок на юбилей»." in cabinet
    thread = client.get(consultation.get_absolute_url()).content.decode()
    assert "Да, уведомлять нужно." in thread
    assert "Отвечающий" not in thread  # the asker sees the authorized body, not the official's name
    assert (
        ModelLogEntry.objects.for_instance(consultation)
        .filter(action=audit.ANSWERED, user=world["regional"])
        .exists()
    )


def test_a_follow_up_reopens_the_question_and_is_not_mailed(world):
    consultation = ask(world["asker"], world["topic"])
    services.reply(world["regional"], consultation, "Ответ")
    later = timezone.now() + datetime.timedelta(days=3)
    services.reply(world["asker"], consultation, "А если подарок дешёвый?", now=later)
    consultation.refresh_from_db()
    assert consultation.state == Consultation.State.OPEN
    assert consultation.waiting_since == later
    assert consultation.due_on == services.due_date(later)
    assert OutgoingMail.objects.filter(kind=services.MAIL_ANSWER).count() == 1
    kinds = list(consultation.messages.values_list("kind", flat=True))
    assert kinds == [ConsultationMessage.Kind.ANSWER, ConsultationMessage.Kind.FOLLOW_UP]


def test_a_closed_question_takes_no_more_messages(client, world):
    consultation = ask(world["asker"], world["topic"])
    client.force_login(world["asker"])
    assert client.post(reverse("consultations:close", args=[consultation.pk])).status_code == 302
    consultation.refresh_from_db()
    assert consultation.state == Consultation.State.CLOSED
    response = client.post(
        reverse("consultations:reply", args=[consultation.pk]), {"text": "Ещё"}, follow=True
    )
    assert "Вопрос закрыт: задайте новый вопрос." in response.content.decode()
    assert not consultation.messages.exists()
    response = client.post(reverse("consultations:close", args=[consultation.pk]), follow=True)
    assert "Вопрос уже закрыт." in response.content.decode()


def test_an_empty_reply_is_a_400_with_a_russian_message(client, world):
    consultation = ask(world["asker"], world["topic"])
    client.force_login(world["regional"])
    response = client.post(reverse("consultations:reply", args=[consultation.pk]), {"text": "   "})
    assert response.status_code == 400
    assert "Напишите текст сообщения." in response.content.decode()
    response = client.post(reverse("consultations:reply", args=[consultation.pk]), {"text": "x" * 6000})
    assert response.status_code == 400
    assert not consultation.messages.exists()


def test_only_post_changes_anything(client, world):
    consultation = ask(world["asker"], world["topic"])
    client.force_login(world["regional"])
    assert client.get(reverse("consultations:reply", args=[consultation.pk])).status_code == 405
    assert client.get(reverse("consultations:close", args=[consultation.pk])).status_code == 405


def test_managers_viewing_a_question_is_logged_but_the_asker_is_not(client, world):
    consultation = ask(world["asker"], world["topic"])
    for person in ("asker", "municipal", "regional"):
        client.force_login(world[person])
        client.get(consultation.get_absolute_url())
    viewed = ModelLogEntry.objects.for_instance(consultation).filter(action=audit.VIEWED)
    assert {entry.user for entry in viewed} == {world["municipal"], world["regional"]}
    assert all(entry.label == f"Консультация № {consultation.pk}" for entry in viewed)  # no text in the log


# --- the term of answer -------------------------------------------------------------------------------


def test_working_days_skip_weekends():
    friday = datetime.date(2025, 3, 7)
    assert services.add_working_days(friday, 1) == datetime.date(2025, 3, 10)
    assert services.add_working_days(friday, 10) == datetime.date(2025, 3, 21)
    saturday = datetime.date(2025, 3, 8)
    assert services.add_working_days(saturday, 1) == datetime.date(2025, 3, 10)


def test_overdue_after_the_configured_working_days(world, settings):
    settings.CONSULTATION_ANSWER_WORKING_DAYS = 2
    monday = timezone.make_aware(datetime.datetime(2025, 3, 3, 10))
    consultation = ask(world["asker"], world["topic"], now=monday)
    assert consultation.due_on == datetime.date(2025, 3, 5)
    assert not consultation.is_overdue(datetime.date(2025, 3, 5))
    assert consultation.is_overdue(datetime.date(2025, 3, 6))
    assert list(Consultation.objects.overdue(datetime.date(2025, 3, 6))) == [consultation]
    assert not Consultation.objects.overdue(datetime.date(2025, 3, 5)).exists()
    services.reply(world["regional"], consultation, "Ответ", now=monday + datetime.timedelta(days=5))
    assert not Consultation.objects.overdue(datetime.date(2025, 3, 20)).exists()


def test_a_bad_setting_falls_back_to_ten_days(settings):
    settings.CONSULTATION_ANSWER_WORKING_DAYS = 0
    assert services.working_days() == 10


def test_overview_counts_per_municipality_and_topic(world):
    other_topic = ConsultationTopic.objects.get_or_create(name="Конфликт интересов")[0]
    old = timezone.now() - datetime.timedelta(days=40)
    overdue = ask(world["asker"], world["topic"], now=old)
    answered = ask(world["villager"], other_topic)
    services.reply(world["regional"], answered, "Ответ")
    ask(world["stranger"], world["topic"])
    ask(world["regional"], world["topic"])  # a regional body: no municipality
    today = timezone.localdate()
    start = today - datetime.timedelta(days=60)
    everything = overview(Scope.for_user(world["regional"]), start, today, no_municipality_label="Областные")
    rows = {row.name: row for row in everything.by_municipality}
    obninsk = rows[str(world["obninsk"])]
    assert (obninsk.asked, obninsk.answered, obninsk.open, obninsk.overdue) == (2, 1, 1, 1)
    assert rows[str(world["kaluga"])].asked == 1 and rows["Областные"].asked == 1
    assert everything.total.asked == 4
    topics = {row.name: row for row in everything.by_topic}
    assert topics["Подарки"].asked == 3 and topics["Подарки"].overdue == 1
    assert topics["Конфликт интересов"].answered == 1
    municipal = overview(Scope.for_user(world["municipal"]), start, today)
    assert [row.name for row in municipal.by_municipality] == [str(world["obninsk"])]
    assert municipal.total.asked == 2
    assert overdue.is_overdue()


def test_overview_with_a_bad_period_is_a_400(client, world):
    client.force_login(world["regional"])
    url = reverse("consultations:manage")
    assert client.get(url, {"start": "2025-13-45"}).status_code == 400
    response = client.get(url, {"start": "2025-05-01", "end": "2025-01-01"})
    assert response.status_code == 400
    assert "Начало периода позже его конца." in response.content.decode()
    assert client.get(url, {"state": "overdue", "topic": "abc"}).status_code == 400
    assert client.get(url, {"state": "overdue"}).status_code == 200


# --- publishing as FAQ -------------------------------------------------------------------------------


@pytest.fixture
def answered(world):
    consultation = ask(
        world["asker"],
        world["topic"],
        subject="Подарок для Сидоровой на юбилей",
        text="Я, Сидорова Анна Павловна из «Администрация города Обнинска», получила вазу. Уведомлять?",
    )
    services.reply(world["regional"], consultation, "Да, уведомление подаётся в течение трёх рабочих дней.")
    consultation.refresh_from_db()
    return consultation


def test_the_publish_form_starts_anonymised(client, world, answered):
    make_library()
    client.force_login(world["regional"])
    response = client.get(reverse("consultations:publish", args=[answered.pk]))
    assert response.status_code == 200
    form = response.context["form"]
    text = " ".join(str(form[name].value()) for name in ("title", "question", "answer"))
    for word in ("Сидоров", "Анна", "Павловна", "Администрация города Обнинска", world["asker"].email):
        assert word not in text
    assert "вазу" in text and "трёх рабочих дней" in text
    assert response.context["mentions"] == []


def test_publishing_puts_an_anonymised_searchable_faq_in_the_library(client, world, answered):
    library = make_library()
    client.force_login(world["regional"])
    response = client.post(
        reverse("consultations:publish", args=[answered.pk]),
        {
            "title": "Уведомление о подарке, полученном на юбилее",
            "question": "Служащий получил в подарок вазу. Нужно ли уведомлять?",
            "answer": "Да, уведомление подаётся в течение трёх рабочих дней.\n\nВторой абзац <b>жирно</b>.",
        },
    )
    page = MaterialPage.objects.get()
    assert response.status_code == 302 and response["Location"] == page.url
    assert page.live and page.kind == MaterialKind.FAQ and page.get_parent().pk == library.pk
    assert page.requisites.startswith("Ответ на вопрос от ")
    assert [topic.name for topic in page.topics.all()] == ["Подарки"]
    answered.refresh_from_db()
    assert answered.faq_page_id == page.pk
    shown = client.get(page.url).content.decode()
    assert "Служащий получил в подарок вазу." in shown and "трёх рабочих дней" in shown
    assert "&lt;b&gt;жирно&lt;/b&gt;" in shown  # the text is escaped, not markup
    for word in ("Сидоров", "Обнинск", world["asker"].email):
        assert word not in shown
    client.logout()
    found = client.get(library.url, {"q": "вазу"}).context["materials"]
    assert [material.title for material in found] == ["Уведомление о подарке, полученном на юбилее"]
    assert [m.title for m in client.get(library.url, {"kind": "faq"}).context["materials"]] == [page.title]
    assert ModelLogEntry.objects.for_instance(answered).filter(action=audit.PUBLISHED).exists()


def test_publishing_again_edits_the_same_page(world, answered):
    make_library()
    first = faq.publish(world["regional"], answered, title="Первый", question="Вопрос", answer="Ответ")
    answered.refresh_from_db()
    assert faq.draft(answered) == {"title": "Первый", "question": "Вопрос", "answer": "Ответ"}
    second = faq.publish(world["regional"], answered, title="Второй", question="Вопрос 2", answer="Ответ 2")
    assert first.pk == second.pk and MaterialPage.objects.count() == 1
    assert MaterialPage.objects.get().title == "Второй"


def test_publishing_refuses_unanswered_questions_empty_text_and_a_missing_library(client, world, answered):
    unanswered = ask(world["asker"], world["topic"])
    client.force_login(world["regional"])
    response = client.post(
        reverse("consultations:publish", args=[unanswered.pk]), {"title": "Т", "question": "В", "answer": "О"}
    )
    assert response.status_code == 302 and not MaterialPage.objects.exists()
    response = client.post(
        reverse("consultations:publish", args=[answered.pk]), {"title": "Т", "question": "В"}
    )
    assert response.status_code == 400 and not MaterialPage.objects.exists()
    response = client.post(
        reverse("consultations:publish", args=[answered.pk]), {"title": "Т", "question": "В", "answer": "О"}
    )
    assert response.status_code == 400
    assert "Библиотека материалов ещё не создана" in response.content.decode()
    assert not MaterialPage.objects.exists()


def test_the_editor_is_warned_about_the_askers_data_left_in(client, world, answered):
    make_library()
    client.force_login(world["regional"])
    response = client.post(
        reverse("consultations:publish", args=[answered.pk]),
        {"title": "Вопрос Сидоровой", "question": "В", "answer": ""},
    )
    assert response.status_code == 400
    assert "Сидорова" in response.context["mentions"]


# --- the plan figure (1.3) ----------------------------------------------------------------------------


def test_plan_item_1_3_counts_the_consultations_of_municipalities(world):
    from cms.models import PlanItem
    from cms.plan_loading import BUNDLED_PLAN_2024, load_plan, read_plan_json
    from reports.period import Period
    from reports.plan.figures import activity_rows, item_figures
    from reports.plan.wording import how_counted, item_paragraphs

    load_plan(read_plan_json(BUNDLED_PLAN_2024))
    item = PlanItem.objects.get(section__plan__year=2024, number="1.3")
    period = Period.year(2024)
    during = timezone.make_aware(datetime.datetime(2024, 5, 14, 10))
    answered = ask(world["asker"], world["topic"], now=during)
    services.reply(world["regional"], answered, "Ответ", now=during + datetime.timedelta(days=2))
    ask(world["villager"], world["topic"], now=during)  # a settlement: counted in its district
    ask(world["stranger"], world["topic"], now=during)
    ask(world["regional"], world["topic"], now=during)  # a regional body: not assistance to municipalities
    ask(world["asker"], world["topic"], now=during.replace(year=2023))  # another year
    late = ask(
        world["neighbour"], world["topic"], now=timezone.make_aware(datetime.datetime(2024, 12, 30, 10))
    )
    services.reply(
        world["regional"], late, "Ответ", now=timezone.make_aware(datetime.datetime(2025, 1, 9, 10))
    )

    figures = item_figures(item, Scope.for_user(world["regional"]), period)
    assert figures.activities.consultations == 4
    assert "consultations" in figures.columns and "consultations_answered" in figures.columns
    rows = {row.name: row.values for row in figures.rows}
    assert rows[str(world["obninsk"])]["consultations"] == 3
    assert rows[str(world["obninsk"])]["consultations_answered"] == 1  # the late answer is in 2025
    assert rows[str(world["kaluga"])]["consultations"] == 1
    assert figures.total.values["consultations"] == 4
    paragraphs = " ".join(item_paragraphs(figures))
    assert "поступило 4 вопроса, ответ дан на 1." in paragraphs
    note = how_counted(item, period)
    assert "Консультации — вопросы в уполномоченный орган" in note and "01.01.2025" in note
    assert any(row.kind == "консультирование" and row.figures == {"asked": 4, "answered": 1}
               for row in activity_rows(figures, Scope.for_user(world["regional"])))  # fmt: skip

    municipal = item_figures(item, Scope.for_user(world["municipal"]), period)
    assert municipal.activities.consultations == 3
    other = PlanItem.objects.get(section__plan__year=2024, number="5.1")
    assert item_figures(other, Scope.for_user(world["regional"]), period).activities.consultations == 0
    assert "Консультации" not in how_counted(other, period)


# --- personal data -------------------------------------------------------------------------------------


def test_my_data_lists_the_persons_questions_and_threads(world):
    mine = ask(world["asker"], world["topic"], subject="Мой вопрос", text="Мой текст")
    services.reply(world["regional"], mine, "Ответ мне")
    ask(world["neighbour"], world["topic"], subject="Чужой вопрос")
    questions, thread = my_consultations(world["asker"])
    assert [row[3] for row in questions.rows] == ["Мой вопрос"]
    assert questions.rows[0][4] == "Мой текст"
    assert [row[3] for row in thread.rows] == ["Ответ мне"]
    assert not questions.in_training_record  # not shown to managers in the training record


def test_the_my_data_workbook_has_the_consultations_sheets(client, world):
    ask(world["asker"], world["topic"], subject="Мой вопрос")
    client.force_login(world["asker"])
    response = client.get(reverse("my_data"))
    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(response.content))
    assert "Вопросы (консультации)" in workbook.sheetnames


def test_anonymizing_a_person_erases_their_questions_texts_but_keeps_the_counts(
    world, private_files, django_capture_on_commit_callbacks
):
    consultation = ask(
        world["asker"], world["topic"], attachment=SimpleUploadedFile("a.txt", b"personal"), subject="Личное"
    )
    path = consultation.attachment.path
    services.reply(world["regional"], consultation, "Ответ")
    world["asker"].is_active = False
    world["asker"].save()
    with django_capture_on_commit_callbacks(execute=True):
        anonymize_people(User.objects.filter(pk=world["asker"].pk), timezone.now())
    consultation.refresh_from_db()
    assert consultation.subject == "" and consultation.text == "" and consultation.asker is None
    assert not consultation.attachment and consultation.texts_erased_at is not None
    assert not consultation.messages.exists()
    assert consultation.municipality == world["obninsk"] and consultation.first_answered_at is not None
    assert not os.path.exists(path)


def test_retention_erases_old_threads_once(world, settings):
    settings.RETENTION_CONSULTATIONS_YEARS = 3
    old = ask(world["asker"], world["topic"], now=timezone.now() - datetime.timedelta(days=4 * 366))
    fresh = ask(world["asker"], world["topic"])
    assert CONSULTATIONS.key in [outcome.rule.key for outcome in apply_retention(dry_run=True)]
    [outcome] = [o for o in apply_retention() if o.rule.key == CONSULTATIONS.key]
    assert outcome.count == 1
    old.refresh_from_db()
    fresh.refresh_from_db()
    assert old.texts_erased_at is not None and old.text == "" and old.topic == world["topic"]
    assert fresh.texts_erased_at is None and fresh.text
    [again] = [o for o in apply_retention() if o.rule.key == CONSULTATIONS.key]
    assert again.count == 0
    assert Consultation.objects.count() == 2


def test_an_erased_thread_takes_no_replies_and_is_not_published(world):
    make_library()
    consultation = ask(world["asker"], world["topic"])
    services.reply(world["regional"], consultation, "Ответ")
    from events.consultations.privacy import erase_texts

    erase_texts(Consultation.objects.filter(pk=consultation.pk))
    consultation.refresh_from_db()
    with pytest.raises(services.ConsultationError):
        services.reply(world["regional"], consultation, "Ещё ответ")
    with pytest.raises(services.ConsultationError):
        faq.publish(world["regional"], consultation, title="Т", question="В", answer="О")


def test_publishing_needs_the_page_rights_regional_managers_have(world, answered):
    from wagtail.models import GroupPagePermission

    make_library()
    GroupPagePermission.objects.filter(group__name="Региональные менеджеры").delete()
    with pytest.raises(services.ConsultationError, match="нет права публиковать"):
        faq.publish(world["regional"], answered, title="Т", question="В", answer="О")
    assert not MaterialPage.objects.exists()
    assert not MaterialTopic.objects.filter(name="Подарки").exists()


def test_a_failed_publication_leaves_neither_a_page_nor_a_topic(world, answered):
    make_library()
    with mock.patch.object(audit, "log", side_effect=DatabaseError("forced")), pytest.raises(DatabaseError):
        faq.publish(world["regional"], answered, title="Т", question="В", answer="О")
    assert not MaterialPage.objects.exists()
    assert not MaterialTopic.objects.filter(name="Подарки").exists()
    answered.refresh_from_db()
    assert answered.faq_page_id is None


# --- demo ----------------------------------------------------------------------------------------------


def test_the_demo_builds_a_few_consultations_once(world):
    from events.consultations.demo import build_demo_consultations
    from people.demo import registered_builders

    assert build_demo_consultations in registered_builders()
    make_library()
    make_person(world["asker"].organization, username="servant")
    make_regional_manager(username="region")
    out = io.StringIO()
    build_demo_consultations(out, {})
    assert "вопросов добавлено 4, опубликовано в библиотеке 1" in out.getvalue()
    states = sorted(Consultation.objects.values_list("state", flat=True))
    assert states == ["answered", "closed", "open", "open"]
    assert Consultation.objects.overdue().count() == 1
    [page] = MaterialPage.objects.live()
    assert page.kind == MaterialKind.FAQ
    build_demo_consultations(out := io.StringIO(), {})
    assert "вопросов добавлено 0" in out.getvalue()
    assert Consultation.objects.count() == 4 and MaterialPage.objects.count() == 1


# --- outside a test transaction (last: a transactional test flushes the database) -----------------


@pytest.mark.django_db(transaction=True)
def test_outside_a_test_transaction_a_rolled_back_attachment_goes_and_a_committed_one_stays(
    world, private_files
):
    with pytest.raises(RuntimeError), transaction.atomic():
        ask(world["asker"], world["topic"], attachment=SimpleUploadedFile("akt.pdf", b"%PDF-1.4 test"))
        raise RuntimeError("a later error in the same transaction")
    assert stored_files(private_files) == []
    kept = ask(world["asker"], world["topic"], attachment=SimpleUploadedFile("akt.pdf", b"%PDF-1.4 test"))
    assert [path.name for path in stored_files(private_files)] == [os.path.basename(kept.attachment.name)]
