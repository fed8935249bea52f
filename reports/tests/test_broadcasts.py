"""«Рассылки»: a manager writes to people chosen by municipality, organization and state, sees who
receives it before sending, and the message is recorded, mailed and shown in each person's cabinet."""

import datetime
from unittest import mock

import pytest
from django.urls import reverse
from django.utils import timezone

from courses.factories import make_course, make_lesson
from courses.models import Enrollment, LessonProgress
from courses.services import enrol
from events.factories import make_event
from people.audience import Audience
from people.broadcasts.models import Broadcast, BroadcastChanged, BroadcastRecipient
from people.factories import (
    make_municipal_manager,
    make_municipality,
    make_organization,
    make_person,
    make_regional_manager,
)
from people.mail.models import OutgoingMail
from people.roles import Role
from people.scope import Scope
from quizzes.factories import correct_answer, make_quiz, make_single_choice
from quizzes.models import TestCampaign
from quizzes.services import finish_sitting, save_answer, start_campaign_sitting
from reports.broadcasts.selection import Basis, CampaignState, CourseState, Selection

pytestmark = pytest.mark.django_db

NOW = timezone.now()
TODAY = timezone.localdate()
NEW = reverse("reports_broadcast_new")


@pytest.fixture
def region():
    obninsk = make_municipality("Город Обнинск")
    kaluga = make_municipality("Город Калуга")
    office = make_organization(obninsk, "Администрация города Обнинска")
    school = make_organization(obninsk, "Управление образования Обнинска")
    return {
        "obninsk": obninsk,
        "kaluga": kaluga,
        "office": office,
        "school": school,
        "manager": make_municipal_manager(obninsk, last_name="Руководитель", password="secret-pass-1"),
        "regional": make_regional_manager(password="secret-pass-1"),
    }


@pytest.fixture
def campaign(region):
    audience = Audience.objects.create(title="Обнинск и Калуга")
    audience.municipalities.add(region["obninsk"], region["kaluga"])
    quiz = make_quiz(time_limit=30, pass_mark=60)
    quiz.questions.add(make_single_choice(), through_defaults={"order": 1})
    return TestCampaign.objects.create(
        title="Тестирование муниципальных служащих",
        quiz=quiz,
        audience=audience,
        opens_at=NOW - datetime.timedelta(days=1),
        closes_at=NOW + datetime.timedelta(days=10),
    )


def take(person, campaign, right):
    sitting = start_campaign_sitting(person, campaign)
    if right:
        question_id = sitting.question_order[0]
        save_answer(sitting, question_id, correct_answer(sitting.question_snapshot(question_id)), 1)
    finish_sitting(sitting)
    return sitting


@pytest.fixture
def people(region, campaign):
    office = region["office"]
    found = {
        name: make_person(office, last_name=name, first_name="Анна")
        for name in ("Непришедшая", "Проходящая", "Несдавшая", "Сдавшая")
    }
    start_campaign_sitting(found["Проходящая"], campaign)
    take(found["Несдавшая"], campaign, right=False)
    take(found["Сдавшая"], campaign, right=True)
    found["Школа"] = make_person(region["school"], last_name="Школа", first_name="Анна")
    found["Калуга"] = make_person(municipality=region["kaluga"], last_name="Калужская", first_name="Анна")
    found["Уволенная"] = make_person(office, last_name="Уволенная", is_active=False)
    return found


def names(queryset):
    return [person.last_name for person in queryset]


def test_campaign_states_narrow_the_list_within_the_scope(region, campaign, people):
    scope = Scope.for_user(region["manager"])

    def chosen(state, **extra):
        return names(
            Selection(scope, basis=Basis.CAMPAIGN, campaign=campaign, campaign_state=state, **extra).people()
        )

    # Kaluga is out of scope; the manager is one of Obninsk's servants too
    assert chosen(CampaignState.NOT_STARTED) == ["Непришедшая", "Руководитель", "Школа"]
    assert chosen(CampaignState.IN_PROGRESS) == ["Проходящая"]
    assert chosen(CampaignState.FAILED) == ["Несдавшая"]
    assert chosen(CampaignState.PASSED) == ["Сдавшая"]
    assert chosen(CampaignState.NOT_PASSED) == [
        "Непришедшая",
        "Несдавшая",
        "Проходящая",
        "Руководитель",
        "Школа",
    ]
    assert chosen(CampaignState.NOT_STARTED, organization=region["school"]) == ["Школа"]
    regional = Scope.for_user(region["regional"])
    assert names(
        Selection(regional, basis=Basis.CAMPAIGN, campaign=campaign, campaign_state="not_started").people()
    ) == [
        "Калужская",
        "Непришедшая",
        "Руководитель",
        "Школа",
    ]
    assert names(Selection(regional, municipality=region["kaluga"]).people()) == ["Калужская"]


def test_course_states(region, people):
    course = make_course(title="Основы противодействия коррупции")
    lesson = make_lesson(course)
    scope = Scope.for_user(region["manager"])
    enrol(
        people["Непришедшая"], course, Enrollment.Source.ASSIGNED, due_date=TODAY + datetime.timedelta(days=9)
    )
    started = enrol(people["Проходящая"], course, Enrollment.Source.SELF)
    LessonProgress.objects.create(enrollment=started, lesson=lesson, studied_at=NOW)
    enrol(
        people["Несдавшая"], course, Enrollment.Source.ASSIGNED, due_date=TODAY - datetime.timedelta(days=1)
    )
    done = enrol(people["Сдавшая"], course, Enrollment.Source.SELF)
    Enrollment.objects.filter(pk=done.pk).update(completed_at=NOW)

    def chosen(state):
        return names(Selection(scope, basis=Basis.COURSE, course=course, course_state=state).people())

    assert chosen(CourseState.NOT_STARTED) == ["Непришедшая", "Несдавшая"]
    assert chosen(CourseState.IN_PROGRESS) == ["Проходящая"]
    assert chosen(CourseState.OVERDUE) == ["Несдавшая"]
    assert chosen(CourseState.COMPLETED) == ["Сдавшая"]


def form_data(**fields):
    return {
        "basis": Basis.EVERYONE,
        "subject": "Семинар 15 марта",
        "body": "Приглашаем на семинар.\nЖдём вас.",
        **fields,
    }


def test_preview_then_send_records_mails_and_notifies(
    client, region, campaign, people, django_capture_on_commit_callbacks
):
    people["Непришедшая"].email = ""
    people["Непришедшая"].save()
    event = make_event(title="Семинар для кадровых служб", start=NOW + datetime.timedelta(days=5))
    client.force_login(region["manager"])
    data = form_data(
        basis=Basis.CAMPAIGN, campaign=campaign.pk, campaign_state=CampaignState.NOT_STARTED, event=event.pk
    )

    preview = client.post(NEW, {**data, "action": "preview"})
    assert preview.status_code == 200
    page = preview.content.decode()
    assert "Получатели: 3 чел." in page
    assert (
        "С email (получат письмо и уведомление в кабинете): 2. Без email (только уведомление в кабинете): 1."
        in page
    )
    assert "Непришедшая Анна" in page and "Школа Анна" in page and "Калужская" not in page
    assert not Broadcast.objects.exists()
    fingerprint = preview.context["preview"]["fingerprint"]

    with django_capture_on_commit_callbacks(execute=True):
        sent = client.post(NEW, {**data, "action": "send", "fingerprint": fingerprint})
    broadcast = Broadcast.objects.get()
    assert sent.status_code == 302 and sent.url == reverse("reports_broadcast", args=[broadcast.pk])
    assert (broadcast.recipient_count, broadcast.mailed_count, broadcast.author) == (3, 2, region["manager"])
    assert ["Тестирование", "Тестирование муниципальных служащих"] in broadcast.criteria
    assert ["Состояние", "не приступали"] in broadcast.criteria
    assert broadcast.link_url == event.url
    assert set(broadcast.recipients.values_list("user__last_name", flat=True)) == {
        "Непришедшая",
        "Руководитель",
        "Школа",
    }
    letters = OutgoingMail.objects.filter(kind="broadcast")
    assert set(letters.values_list("recipient", flat=True)) == {
        people["Школа"].email,
        region["manager"].email,
    }
    assert set(letters.values_list("subject", flat=True)) == {"Семинар 15 марта"}

    detail = client.get(sent.url).content.decode()
    assert "Тестирование муниципальных служащих" in detail and "Школа Анна" in detail

    for name in ("Непришедшая", "Школа"):  # both see it in the cabinet, with or without an address
        client.force_login(people[name])
        cabinet = client.get(reverse("cabinet")).content.decode()
        notices = cabinet[cabinet.index("Уведомления") :]
        assert "Семинар 15 марта" in notices and "Приглашаем на семинар.<br>Ждём вас." in notices
        assert f'href="{event.url}"' in notices
    client.force_login(people["Сдавшая"])
    assert "Семинар 15 марта" not in client.get(reverse("cabinet")).content.decode()


def test_a_list_that_changed_since_the_preview_is_not_sent(client, region, people):
    client.force_login(region["manager"])
    preview = client.post(NEW, {**form_data(), "action": "preview"})
    fingerprint = preview.context["preview"]["fingerprint"]
    make_person(region["office"], last_name="Новенькая")  # hired meanwhile
    response = client.post(NEW, {**form_data(), "action": "send", "fingerprint": fingerprint})
    assert response.status_code == 200
    assert "Список получателей изменился после предпросмотра" in response.content.decode()
    assert "Новенькая" in response.content.decode()
    assert not Broadcast.objects.exists() and not OutgoingMail.objects.exists()


def test_nothing_is_half_written_when_sending_fails(client, region, people):
    client.force_login(region["manager"])
    fingerprint = client.post(NEW, {**form_data(), "action": "preview"}).context["preview"]["fingerprint"]
    failing = mock.patch.object(
        BroadcastRecipient.objects, "bulk_create", side_effect=RuntimeError("disk full")
    )
    with failing, pytest.raises(RuntimeError):
        client.post(NEW, {**form_data(), "action": "send", "fingerprint": fingerprint})
    assert not Broadcast.objects.exists() and not OutgoingMail.objects.exists()


@pytest.mark.parametrize(
    "fields, error",
    [
        ({"municipality": "kaluga"}, "Выберите корректный вариант"),
        ({"organization": "school", "municipality": "kaluga_own"}, "Организация не относится"),
        ({"basis": Basis.CAMPAIGN}, "Выберите тестирование."),
        ({"basis": Basis.COURSE}, "Выберите курс."),
        ({"subject": ""}, "Требуется заполнить это поле."),
        ({"body": "х" * 5001}, "не более 5000 символов"),
        ({"campaign": "99999999999999999999999", "basis": Basis.CAMPAIGN}, "Выберите корректный вариант"),
    ],
)
def test_bad_choices_are_a_form_error_in_russian(client, region, fields, error):
    other = make_municipality("Сельское поселение «Деревня»", parent=region["obninsk"])
    values = {
        "kaluga": region["kaluga"].pk,  # out of the municipal manager's scope
        "school": region["school"].pk,
        "kaluga_own": other.pk,  # a settlement of Obninsk, but the school is not in it
    }
    client.force_login(region["manager"])
    data = form_data(**{name: values.get(value, value) for name, value in fields.items()})
    response = client.post(NEW, {**data, "action": "send", "fingerprint": "x"})
    assert response.status_code == 200
    assert error in response.content.decode()
    assert not Broadcast.objects.exists()


def test_who_may_see_and_send(client, region, people):
    broadcast = Broadcast.objects.create(
        author=region["regional"],
        author_name="Орлова Мария",
        scope="вся область",
        subject="Для всей области",
        body="Текст",
        recipient_count=0,
        mailed_count=0,
    )
    client.force_login(people["Сдавшая"])  # a servant: no admin at all
    assert client.get(reverse("reports_broadcasts")).status_code == 302
    assert client.post(NEW, {**form_data(), "action": "preview"}).status_code == 302
    client.force_login(make_person(role=Role.TRAINER))  # in the admin, but sees nobody: sent back there
    assert client.get(reverse("reports_broadcasts")).url == reverse("wagtailadmin_home")
    assert client.post(NEW, {**form_data(), "action": "preview"}).url == reverse("wagtailadmin_home")
    client.force_login(region["manager"])
    assert client.get(reverse("reports_broadcasts")).status_code == 200
    form = client.get(NEW).content.decode()
    assert "Город Обнинск" in form and "Город Калуга" not in form  # only the scope's municipalities
    assert "Для всей области" not in client.get(reverse("reports_broadcasts")).content.decode()
    assert client.get(reverse("reports_broadcast", args=[broadcast.pk])).status_code == 404
    client.force_login(region["regional"])
    assert "Для всей области" in client.get(reverse("reports_broadcasts")).content.decode()
    assert client.get(reverse("reports_broadcast", args=[broadcast.pk])).status_code == 200


def test_the_record_is_append_only_and_in_my_data(region, people):
    from people.broadcasts.services import send_broadcast
    from people.privacy.my_data import personal_data

    broadcast = send_broadcast(
        author=region["regional"],
        people=Scope.for_user(region["regional"]).people().filter(pk=people["Школа"].pk),
        subject="Тема",
        body="Текст",
        criteria=[("Кому", "все слушатели")],
        scope="вся область",
    )
    broadcast.subject = "Другая тема"
    with pytest.raises(BroadcastChanged):
        broadcast.save()
    with pytest.raises(BroadcastChanged):
        Broadcast.objects.all().delete()
    with pytest.raises(BroadcastChanged):
        BroadcastRecipient.objects.update(mail=None)
    sheets = {sheet.title: sheet for sheet in personal_data(people["Школа"])}
    assert sheets["Рассылки"].rows[0][2:] == ["Тема", "Текст"]
