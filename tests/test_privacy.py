"""Personal data across the apps (152-ФЗ): each app's retention rule and eraser, the «Мои данные»
download (the requester's data from every app, nobody else's) and the privacy notice."""

import datetime
import io

import pytest
from axes.models import AccessLog
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from courses.factories import make_course
from courses.models import Certificate, Enrollment, LessonProgress, Reminder
from courses.services import issue_certificate
from events.factories import make_event
from events.models import Attendance, BroadcastRoom, Question, QuestionVote, Registration
from people.factories import make_municipality, make_organization, make_person, make_regional_manager
from people.privacy import apply_retention
from people.privacy.retention import years_before
from quizzes.factories import correct_answer, make_essay, make_quiz, make_single_choice
from quizzes.models import Response, Sitting
from quizzes.services import finish_sitting, grade_response, save_answer, start_sitting
from reports.models import AuditLogChanged, ExportAuditEntry

pytestmark = pytest.mark.django_db

NOW = timezone.now()


def years_ago(years, days=0):
    return years_before(NOW, years) - datetime.timedelta(days=days)


def take(user, quiz, when, essay_text, comment="", grade=True):
    """A sitting of ``quiz`` started and finished at ``when``: the single-choice question right and the
    essay written; graded with ``comment`` unless ``grade`` is false (it then waits for a trainer)."""
    sitting = start_sitting(user, quiz, now=when)
    for seq, snapshot in enumerate(sitting.questions(), start=1):
        answer = {"text": essay_text} if snapshot["type"] == "essay" else correct_answer(snapshot)
        save_answer(sitting, snapshot["id"], answer, seq, now=when)
    finish_sitting(sitting, now=when)
    if grade:
        essay = sitting.responses.get(answer__text=essay_text)
        grade_response(essay, "0.5", make_person(role=None), comment=comment, now=when)
    sitting.refresh_from_db()
    return sitting


def audit_entry(user, when, title):
    return ExportAuditEntry.objects.create(
        user=user,
        username=user.username,
        created_at=when,
        table_key="people",
        table_title=title,
        format="xlsx",
        scope="вся область",
        period="2024 год",
        row_count=3,
    )


@pytest.fixture
def quiz():
    return make_quiz(questions=[make_single_choice(), make_essay()])


# --- retention rules of the apps ----------------------------------------------------------------------


def test_old_answers_lose_their_contents_and_keep_their_scores(settings, quiz):
    settings.RETENTION_ANSWERS_YEARS = 3
    person = make_person()
    old = take(person, quiz, years_ago(3, days=1), "Старый развёрнутый ответ", comment="Неплохо")
    recent = take(make_person(), quiz, years_ago(3, days=-1), "Свежий ответ", comment="Хорошо")
    waiting = take(make_person(), quiz, years_ago(5), "Ждёт проверки", grade=False)
    old_result = (old.score, old.percent, old.passed, old.state)
    old_fractions = old.fractions()

    apply_retention(now=NOW)

    old.refresh_from_db()
    assert (old.score, old.percent, old.passed, old.state) == old_result
    assert old.fractions() == old_fractions
    assert list(old.responses.values_list("answer", "grader_comment")) == [({}, ""), ({}, "")]
    assert set(recent.responses.values_list("grader_comment", flat=True)) == {"", "Хорошо"}
    assert recent.responses.filter(answer__text="Свежий ответ").exists()
    assert waiting.responses.filter(answer__text="Ждёт проверки").exists()  # a trainer still needs it
    # an erased answer still counts as given (item analysis)
    assert Response.objects.filter(sitting=old, answer__isnull=False).count() == 2


def test_old_live_questions_go_with_their_votes(settings):
    settings.RETENTION_LIVE_QUESTIONS_YEARS = 1
    event = make_event(start=years_ago(2))
    author, voter = make_person(), make_person()
    old = Question.objects.create(
        event=event, author=author, text="Старый вопрос", created=years_ago(1, days=1)
    )
    QuestionVote.objects.create(question=old, user=voter)
    recent = Question.objects.create(
        event=event, author=author, text="Новый вопрос", created=years_ago(1, days=-1)
    )
    apply_retention(now=NOW)
    assert list(Question.objects.values_list("pk", flat=True)) == [recent.pk]
    assert not QuestionVote.objects.exists()


def test_old_audit_entries_are_deleted_and_the_log_stays_append_only(settings):
    settings.RETENTION_AUDIT_YEARS = 3
    manager = make_regional_manager()
    audit_entry(manager, years_ago(3, days=1), "Старая выгрузка")
    recent = audit_entry(manager, years_ago(3, days=-1), "Новая выгрузка")
    apply_retention(now=NOW)
    assert list(ExportAuditEntry.objects.values_list("pk", flat=True)) == [recent.pk]
    with pytest.raises(AuditLogChanged):
        ExportAuditEntry.objects.all().delete()
    with pytest.raises(AuditLogChanged):
        recent.delete()


def test_the_dry_run_reports_every_kind_and_changes_nothing(quiz):
    person = make_person()
    old = take(person, quiz, years_ago(4), "Старый ответ", comment="Комментарий")
    event = make_event(start=years_ago(3))
    Question.objects.create(event=event, author=person, text="Вопрос", created=years_ago(3))
    audit_entry(make_regional_manager(), years_ago(4), "Выгрузка")
    out = io.StringIO()
    call_command("apply_retention", "--dry-run", stdout=out)
    text = out.getvalue()
    assert (
        "Ответы в тестах и комментарии проверяющих — срок хранения 3 года после завершения попытки, граница"
        in text
    )
    assert "будет очищено 2." in text
    assert (
        "Вопросы, заданные во время мероприятий — срок хранения 1 год после того, как вопрос задан, граница"
        in text
    )
    assert "Журнал выгрузок персональных данных — срок хранения 3 года после выгрузки, граница" in text
    assert text.count("будет удалено 1.") == 2
    assert old.responses.filter(answer__text="Старый ответ").exists()
    assert Question.objects.count() == 1
    assert ExportAuditEntry.objects.count() == 1


def test_anonymizing_erases_the_persons_texts_in_every_app_and_nobody_elses(quiz):
    course = make_course()
    event = make_event(start=NOW - datetime.timedelta(days=30))
    gone = make_person(is_active=False, deactivated_at=years_ago(4), last_name="Ушедшая")
    stays = make_person(last_name="Оставшаяся")
    sittings = {
        person.pk: take(
            person, quiz, NOW - datetime.timedelta(days=40), f"Эссе {person.last_name}", comment="Ок"
        )
        for person in (gone, stays)
    }
    certificates = {person.pk: issue_certificate(person, course) for person in (gone, stays)}
    for person in (gone, stays):
        Question.objects.create(event=event, author=person, text=f"Вопрос {person.last_name}")

    apply_retention(now=NOW)

    assert list(sittings[gone.pk].responses.values_list("answer", "grader_comment")) == [({}, ""), ({}, "")]
    assert sittings[stays.pk].responses.filter(answer__text="Эссе Оставшаяся", grader_comment="Ок").exists()
    assert Sitting.objects.get(pk=sittings[gone.pk].pk).score == sittings[gone.pk].score
    assert list(Question.objects.values_list("text", flat=True)) == ["Вопрос Оставшаяся"]
    assert Certificate.objects.get(pk=certificates[gone.pk].pk).holder_name == f"Удалён №{gone.pk}"
    assert Certificate.objects.get(pk=certificates[stays.pk].pk).holder_name.startswith("Оставшаяся")


# --- «Мои данные» -------------------------------------------------------------------------------------


def world(person, marker, quiz):
    """Data about ``person`` in every app, each text carrying ``marker``."""
    course = make_course(title=f"Курс {marker}", lessons=1)
    enrollment = Enrollment.objects.create(user=person, course=course, due_date=datetime.date(2030, 1, 1))
    LessonProgress.objects.create(enrollment=enrollment, lesson=course.lessons().first(), studied_at=NOW)
    Reminder.objects.create(
        enrollment=enrollment, kind=Reminder.Kind.BEFORE_DUE, due_date=datetime.date(2030, 1, 1)
    )
    certificate = issue_certificate(person, course)
    take(person, quiz, NOW - datetime.timedelta(days=3), f"Эссе {marker}", comment=f"Комментарий {marker}")
    event = make_event(title=f"Семинар {marker}", start=NOW - datetime.timedelta(days=2))
    Registration.objects.create(event=event, user=person)
    Attendance.objects.create(event=event, user=person)
    room = BroadcastRoom.objects.create(event=event, municipality=person.municipality, room=f"Зал {marker}")
    room.participants.add(person)
    question = Question.objects.create(event=event, author=person, text=f"Вопрос {marker}")
    QuestionVote.objects.create(question=question, user=person)
    audit_entry(person, NOW, f"Выгрузка {marker}")
    AccessLog.objects.create(username=person.username, ip_address="10.1.2.3", user_agent=f"Браузер {marker}")
    return certificate


def workbook_of(response):
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert response["Content-Disposition"].startswith('attachment; filename="my-data-')
    book = load_workbook(io.BytesIO(response.content))
    return {
        sheet.title: [list(row) for row in sheet.iter_rows(values_only=True)] for sheet in book.worksheets
    }


def texts(sheets):
    return " | ".join(
        str(value) for rows in sheets.values() for row in rows for value in row if value is not None
    )


def test_my_data_holds_the_persons_data_from_every_app_and_nothing_of_anybody_else(client, quiz):
    organization = make_organization(make_municipality())
    anna = make_person(
        organization, last_name="Андреева", first_name="Анна", email="anna@adm.ru", position="Секретарь"
    )
    boris = make_person(organization, last_name="Борисов", first_name="Борис", email="boris@adm.ru")
    anna_certificate = world(anna, "Анны", quiz)
    boris_certificate = world(boris, "Бориса", quiz)

    client.force_login(anna)
    response = client.get(reverse("my_data"), {"user": boris.pk, "id": boris.pk})  # parameters change nothing
    assert "no-store" in response["Cache-Control"]
    sheets = workbook_of(response)

    assert list(sheets) == [
        "Профиль",
        "Входы",
        "Курсы",
        "Сертификаты",
        "Напоминания",
        "Попытки тестирования",
        "Ответы в тестах",
        "Мероприятия",
        "Вопросы на мероприятиях",
        "Голоса за вопросы",
        "Мои выгрузки",
    ]
    profile = dict(sheets["Профиль"][1:])
    assert (profile["Фамилия"], profile["Адрес электронной почты"], profile["Должность"]) == (
        "Андреева",
        "anna@adm.ru",
        "Секретарь",
    )
    assert profile["Роли"] == "Слушатель"
    assert sheets["Курсы"][1][:2] == ["Курс Анны", "записался сам"]
    assert sheets["Курсы"][1][4] == 1  # lessons studied
    assert sheets["Сертификаты"][1][0] == anna_certificate.number
    assert sheets["Попытки тестирования"][1][-1] == "да"
    answers = [row[3] for row in sheets["Ответы в тестах"][1:]]
    assert "Эссе Анны" in answers
    assert "Комментарий Анны" in texts({"a": sheets["Ответы в тестах"]})
    assert sheets["Мероприятия"][1][0] == "Семинар Анны"
    assert sheets["Мероприятия"][1][2] == "зарегистрирован"
    assert sheets["Вопросы на мероприятиях"][1][2] == "Вопрос Анны"
    assert sheets["Мои выгрузки"][1][1] == "Выгрузка Анны"
    assert "Браузер Анны" in [row[3] for row in sheets["Входы"][1:]]
    # dates are local, readable dates
    assert isinstance(sheets["Попытки тестирования"][1][5], datetime.datetime)

    everything = texts(sheets)
    for foreign in ("Борис", "boris@adm.ru", "Бориса", boris_certificate.number):
        assert foreign not in everything


def test_my_data_is_for_the_signed_in_person_only(client):
    url = reverse("my_data")
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert "?next=" in response["Location"]
    client.force_login(make_person())
    assert client.post(url).status_code == 405  # a read: GET (and HEAD) only


def test_a_formula_in_a_persons_data_stays_text(client):
    person = make_person(last_name='=HYPERLINK("http://evil.example","Иванов")')
    client.force_login(person)
    sheets = workbook_of(client.get(reverse("my_data")))
    assert dict(sheets["Профиль"][1:])["Фамилия"] == '\'=HYPERLINK("http://evil.example","Иванов")'


def test_the_cabinet_offers_the_download_and_the_notice(client):
    client.force_login(make_person())
    content = client.get(reverse("cabinet")).content.decode()
    assert f'href="{reverse("my_data")}"' in content
    assert f'href="{reverse("privacy")}"' in content
    assert "Скачать мои данные (XLSX)" in content


# --- the privacy notice -------------------------------------------------------------------------------


def test_the_notice_is_reachable_from_the_login_page_and_shows_the_configured_periods(client, settings):
    settings.RETENTION_LEAVERS_YEARS = 5
    settings.RETENTION_ANSWERS_YEARS = 2
    settings.RETENTION_LIVE_QUESTIONS_YEARS = 1
    settings.RETENTION_AUDIT_YEARS = 21
    settings.RETENTION_LOGIN_LOG_YEARS = 3
    settings.PRIVACY_OPERATOR_NAME = "Управление по профилактике коррупционных правонарушений"
    settings.PRIVACY_OPERATOR_ADDRESS = "248000, г. Калуга, ул. Ленина, д. 1"
    settings.PRIVACY_CONTACT_EMAIL = "pdn@adm.kaluga.ru"
    settings.PRIVACY_CONTACT_PHONE = "+7 4842 00-00-00"

    login = client.get(reverse("login")).content.decode()
    url = reverse("privacy")
    assert f'href="{url}"' in login
    response = client.get(url)
    assert response.status_code == 200
    content = response.content.decode()
    assert "<h1" in content and "Обработка персональных данных</h1>" in content
    for period in (
        "5 лет после отключения учётной записи",
        "2 года после завершения попытки",
        "1 год после того, как вопрос задан",
        "21 год после выгрузки",
        "3 года после входа или попытки входа",
    ):
        assert period in content
    assert "Управление по профилактике коррупционных правонарушений" in content
    assert "248000, г. Калуга, ул. Ленина, д. 1" in content
    assert 'href="mailto:pdn@adm.kaluga.ru"' in content
    assert "+7 4842 00-00-00" in content
    assert "152-ФЗ" in content
    assert "Роскомнадзор" in content
    assert f'href="{reverse("my_data")}"' not in content  # anonymous: told to sign in instead


def test_the_notice_is_in_every_footer_and_links_the_download_for_the_signed_in(client):
    client.force_login(make_person())
    response = client.get(reverse("privacy"))
    content = response.content.decode()
    assert f'href="{reverse("my_data")}"' in content
    cabinet = client.get(reverse("cabinet")).content.decode()
    footer = cabinet.split('class="site-footer"', 1)[1]
    assert f'href="{reverse("privacy")}"' in footer
