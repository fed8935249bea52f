"""In a real browser: a servant takes an assigned course from start to certificate.

Logs in, opens the course from "Мой кабинет", studies the lessons (the progress bar grows), passes the
final test, sees the course completed, downloads the certificate as PNG and PDF, and opens the public
verification page. At desktop and phone size, every page the servant sees without sideways scroll.
"""

import datetime
import re

import pytest
from django.utils import timezone

from courses.assignments import apply_assignment
from courses.factories import make_course, make_course_index, make_lesson
from courses.models import Assignment, Certificate, Enrollment
from people.audience import Audience
from people.factories import make_municipality, make_organization, make_person
from quizzes.factories import make_quiz, make_single_choice, make_true_false
from quizzes.models import Sitting

from .journeys import PASSWORD, VIEWPORTS, log_in, new_context, new_page, no_sideways_scroll, record_requests

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("home_page"),
]

COURSE_TITLE = "Основы противодействия коррупции"


@pytest.fixture
def servant():
    organization = make_organization(
        make_municipality("Муниципальный район «Бабынинский район»"), "Администрация Бабынинского района"
    )
    return make_person(
        organization,
        email="anna.smirnova@example.org",
        last_name="Смирнова",
        first_name="Анна",
        patronymic="Викторовна",
        password=PASSWORD,
    )


@pytest.fixture
def course(home_page, servant):
    quiz = make_quiz(
        [
            make_true_false(text="Служащий вправе получать подарки в связи с должностью.", value=False),
            make_single_choice(
                text="Кому направляется уведомление о подарке?", correct="Представителю нанимателя"
            ),
        ],
        title="Итоговый тест",
        pass_mark=100,
        attempts_allowed=0,
    )
    course = make_course(
        make_course_index(home_page),
        title=COURSE_TITLE,
        final_quiz=quiz,
        self_enrollment=False,
        is_mandatory=True,
        certificate_validity_months=12,
    )
    make_lesson(course, title="Что такое коррупция", body=[("paragraph", "<p>Понятие коррупции.</p>")])
    make_lesson(course, title="Подарки", body=[("paragraph", "<p>Порядок уведомления о подарке.</p>")])
    audience = Audience.objects.create(title="Бабынинский район")
    audience.people.add(servant)
    assignment = Assignment.objects.create(
        course=course, audience=audience, due_date=timezone.localdate() + datetime.timedelta(days=30)
    )
    assert apply_assignment(assignment) == 1
    return course


def progress(page):
    return page.locator("#course-progress")


def fits(page):
    assert no_sideways_scroll(page), f"{page.url} scrolls sideways"


@pytest.mark.parametrize("size", VIEWPORTS)
def test_servant_studies_an_assigned_course_and_gets_the_certificate(
    browser, live_server, servant, course, size, screenshot
):
    from playwright.sync_api import expect

    context, page = new_page(browser, live_server, VIEWPORTS[size])
    record_requests(page, live_server)
    try:
        log_in(page, servant.email, until=f"{live_server.url}/cabinet/")
        expect(page.get_by_text("Курс назначен")).to_be_visible()
        fits(page)
        screenshot(page, f"cabinet-course-assigned-{size}")

        page.get_by_role("link", name=COURSE_TITLE).click()
        expect(page.get_by_role("heading", level=1)).to_have_text(COURSE_TITLE)
        expect(progress(page)).to_have_attribute("value", "0")
        expect(page.get_by_text("Изучено уроков: 0 из 2")).to_be_visible()
        fits(page)
        screenshot(page, f"course-{size}")

        # Lesson 1, then straight on to lesson 2.
        page.get_by_role("link", name="Начать обучение").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Что такое коррупция")
        expect(page.get_by_text("Понятие коррупции.")).to_be_visible()
        fits(page)
        screenshot(page, f"lesson-{size}")
        page.get_by_role("button", name="Я изучил(а) урок").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Подарки")
        fits(page)

        page.goto(course.url)
        expect(progress(page)).to_have_attribute("value", "1")
        expect(page.get_by_text("Изучено уроков: 1 из 2")).to_be_visible()
        page.get_by_role("link", name="Продолжить").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Подарки")
        page.get_by_role("button", name="Я изучил(а) урок").click()
        expect(page.get_by_text("Все уроки изучены.")).to_be_visible()
        expect(progress(page)).to_have_attribute("value", "2")
        fits(page)

        # The final test.
        page.get_by_role("button", name="Пройти итоговый тест").click()
        expect(page).to_have_url(re.compile(r"/tests/sittings/\d+/$"))
        ids = Sitting.objects.get(user=servant, quiz=course.final_quiz).question_order
        shown = page.locator("fieldset.take-item:visible")
        shown.get_by_label("Неверно", exact=True).check()
        expect(page.locator(f"#take-status-{ids[0]}")).to_have_text("сохранено")
        fits(page)
        page.get_by_role("button", name="Далее").click()
        shown.get_by_label("Представителю нанимателя", exact=True).check()
        expect(page.locator(f"#take-status-{ids[1]}")).to_have_text("сохранено")
        fits(page)
        page.once("dialog", lambda dialog: dialog.accept())
        page.get_by_role("button", name="Завершить тест").click()
        expect(page).to_have_url(re.compile(r"/tests/sittings/\d+/result/$"))
        fits(page)
        screenshot(page, f"test-result-{size}")

        # Back to the course: completed, with the certificate.
        page.goto(course.url)
        expect(page.get_by_text(re.compile(r"Курс завершён"))).to_be_visible()
        certificate = Certificate.objects.get(user=servant, course=course)
        assert Enrollment.objects.active().get(user=servant, course=course).certificate == certificate
        expect(page.get_by_text(f"Сертификат № {certificate.number}")).to_be_visible()
        fits(page)
        screenshot(page, f"course-certificate-{size}")

        png_url = page.get_by_role("link", name="PNG").get_attribute("href")
        pdf_url = page.get_by_role("link", name="PDF").get_attribute("href")
        png = page.request.get(png_url)
        assert png.status == 200
        assert png.headers["content-type"] == "image/png"
        assert png.body().startswith(b"\x89PNG\r\n\x1a\n")
        pdf = page.request.get(pdf_url)
        assert pdf.status == 200
        assert pdf.headers["content-type"] == "application/pdf"
        assert pdf.body().startswith(b"%PDF")

        # The cabinet lists it among the completed courses.
        page.goto("/cabinet/")
        expect(page.get_by_text("Завершённые курсы")).to_be_visible()
        fits(page)

        # Anyone with the code can check it, without logging in.
        anonymous = new_context(browser, live_server, VIEWPORTS[size])
        try:
            verify = anonymous.new_page()
            verify.goto(certificate.get_verify_url())
            expect(verify.get_by_role("heading", level=1)).to_have_text("Проверка сертификата")
            expect(verify.get_by_text("Сертификат действителен до")).to_be_visible()
            expect(verify.get_by_text("Смирнова Анна Викторовна")).to_be_visible()
            expect(verify.get_by_text(certificate.number)).to_be_visible()
            fits(verify)
        finally:
            anonymous.close()

        assert page.foreign_requests == []
        assert [failed for failed in page.failed_responses if "/api/" not in failed[1]] == []
    finally:
        context.close()
