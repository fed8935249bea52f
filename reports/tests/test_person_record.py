"""A person's training record for the managers of their scope: courses and due dates, certificates,
test results, seminars — printable, its workbook audited, and nothing of the person's private traces
(answers, logins, messages)."""

import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from courses.factories import make_course
from courses.models import Enrollment
from courses.services import enrol, issue_certificate
from events.factories import make_event
from events.models import Attendance, Registration
from people.factories import make_municipal_manager, make_municipality, make_organization, make_person
from quizzes.factories import (
    correct_answer,
    make_campaign,
    make_municipal_audience,
    make_quiz,
    make_short_text,
)
from quizzes.services import finish_sitting, save_answer, start_campaign_sitting
from reports.models import ExportAuditEntry

pytestmark = pytest.mark.django_db

NOW = timezone.now()
TODAY = timezone.localdate()
SECRET_ANSWER = "мой личный ответ про подарки"


@pytest.fixture
def record():
    town = make_municipality("Город Обнинск")
    office = make_organization(town, "Администрация города Обнинска")
    person = make_person(office, last_name="Смирнова", first_name="Ольга", position="Главный специалист")
    course = make_course(title="Основы противодействия коррупции")
    enrol(person, course, Enrollment.Source.ASSIGNED, due_date=TODAY + datetime.timedelta(days=10))
    done = make_course(title="Конфликт интересов")
    enrol(person, done, Enrollment.Source.SELF)
    issue_certificate(person, done)
    quiz = make_quiz([make_short_text(accepted=("подарок",)), make_short_text(accepted=("уведомление",))])
    window = (NOW - datetime.timedelta(days=1), NOW + datetime.timedelta(days=5))
    campaign = make_campaign(
        quiz, make_municipal_audience(town), *window, title="Тестирование муниципальных служащих"
    )
    sitting = start_campaign_sitting(person, campaign)
    first, second = sitting.question_order
    save_answer(sitting, first, correct_answer(sitting.question_snapshot(first)), 1)
    save_answer(sitting, second, {"text": SECRET_ANSWER}, 2)
    finish_sitting(sitting)
    event = make_event(title="Семинар о конфликте интересов", start=NOW - datetime.timedelta(days=3))
    Registration.objects.create(event=event, user=person)
    Attendance.objects.create(event=event, user=person, checked_in_at=NOW - datetime.timedelta(days=3))
    return {"town": town, "person": person, "manager": make_municipal_manager(town)}


def test_the_manager_opens_the_record_from_the_people_table(client, record):
    person = record["person"]
    client.force_login(record["manager"])
    table = client.get(reverse("reports:municipality_people", args=[record["town"].pk]), {"year": NOW.year})
    assert reverse("reports:person", args=[person.pk]) in table.content.decode()

    page = client.get(reverse("reports:person", args=[person.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    for fact in (
        "Смирнова Ольга",
        "Главный специалист",
        "Основы противодействия коррупции",
        (TODAY + datetime.timedelta(days=10)).strftime("%d.%m.%Y"),  # the assignment's due date
        "Конфликт интересов",  # the completed course and its certificate
        "Тестирование муниципальных служащих",
        "Семинар о конфликте интересов",
    ):
        assert fact in html, fact
    for private in (SECRET_ANSWER, "Входы", "IP-адрес", "Ответы в тестах"):
        assert private not in html, private
    assert 'id="print-page"' in html


def test_the_workbook_is_a_post_and_audited(client, record):
    person = record["person"]
    client.force_login(record["manager"])
    url = reverse("reports:person_xlsx", args=[person.pk])
    assert client.get(url).status_code == 405
    response = client.post(url)
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["Профиль", "Курсы", "Сертификаты", "Попытки тестирования", "Мероприятия"]
    cells = [str(c) for sheet in workbook for row in sheet.iter_rows(values_only=True) for c in row if c]
    assert "Смирнова" in cells and SECRET_ANSWER not in " ".join(cells)
    entry = ExportAuditEntry.objects.get()
    assert (entry.user, entry.table_key, entry.format) == (record["manager"], "person_record", "xlsx")
    assert entry.params == {"Слушатель": "Смирнова Ольга"} and entry.row_count > 10


def test_only_the_managers_of_the_persons_scope(client, record):
    person = record["person"]
    urls = [reverse("reports:person", args=[person.pk])]
    client.force_login(make_municipal_manager(make_municipality("Город Калуга")))
    assert client.get(urls[0]).status_code == 404
    assert client.post(reverse("reports:person_xlsx", args=[person.pk])).status_code == 404
    client.force_login(person)  # a servant, even their own: «Мои данные» is theirs
    assert client.get(urls[0]).status_code == 403
    client.force_login(record["manager"])
    assert client.get(reverse("reports:person", args=[999_999_999])).status_code == 404
    assert not ExportAuditEntry.objects.exists()
