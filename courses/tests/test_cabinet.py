"""The "Мои курсы" section of the cabinet."""

import datetime

import pytest
from django.test import RequestFactory

from courses.cabinet import my_courses_section
from courses.factories import make_course, make_lesson
from courses.models import Enrollment
from courses.services import enrol, mark_studied
from people.cabinet import cabinet_sections

pytestmark = pytest.mark.django_db


def _section(user):
    request = RequestFactory().get("/cabinet/")
    request.user = user
    return my_courses_section(request)


def test_section_is_registered_and_empty_without_courses(servant):
    request = RequestFactory().get("/cabinet/")
    request.user = servant
    assert my_courses_section(request) is None
    assert all(section["template"] != "courses/cabinet_section.html" for section in cabinet_sections(request))


def test_current_and_completed_courses(client, servant, other_servant):
    current = make_course(title="Курс в процессе")
    lessons = [make_lesson(current) for _n in range(4)]
    enrollment = enrol(servant, current, Enrollment.Source.ASSIGNED, due_date=datetime.date(2031, 3, 15))
    mark_studied(enrollment, lessons[0])
    done = make_course(title="Пройденный курс")
    done_enrollment = enrol(servant, done)
    mark_studied(done_enrollment, make_lesson(done))
    enrol(other_servant, make_course(title="Чужой курс", lessons=1))

    section = _section(servant)
    assert [entry["course"] for entry in section["current"]] == [current]
    assert section["current"][0]["percent"] == 25
    assert [entry["course"] for entry in section["completed"]] == [done]

    client.force_login(servant)
    html = client.get("/cabinet/").content.decode()
    assert "Мои курсы" in html
    assert "Курс в процессе" in html
    assert 'value="25"' in html
    assert "15 марта 2031" in html
    done_enrollment.refresh_from_db()
    assert done_enrollment.certificate.get_pdf_url() in html
    assert "Чужой курс" not in html
