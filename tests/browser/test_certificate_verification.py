"""In a real browser, at desktop and phone size, without logging in: somebody holding a paper certificate
types its code on the public check page, in lower case and with a dash at the end, and sees the
certificate; a wrong code gets the «не найден» page. Both pages have no serious accessibility
violations and no sideways scroll."""

import pytest

from courses import codes
from courses.factories import make_course
from courses.models import Certificate
from courses.services import issue_certificate
from people.factories import make_person

from .accessibility import serious_violations
from .journeys import VIEWPORTS, new_page, no_sideways_scroll

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("home_page"),
]


@pytest.fixture
def certificate(home_page):
    person = make_person(last_name="Смирнова", first_name="Анна", patronymic="Викторовна")
    course = make_course(title="Основы противодействия коррупции", certificate_validity_months=12)
    return issue_certificate(person, course)


@pytest.mark.parametrize("size", VIEWPORTS)
def test_a_typed_code_shows_the_certificate_and_a_wrong_one_is_not_found(
    browser, live_server, certificate, size, screenshot
):
    from playwright.sync_api import expect

    context, page = new_page(browser, live_server, VIEWPORTS[size])
    try:
        # Found from the footer of any page.
        page.goto("/privacy/")
        page.get_by_role("contentinfo").get_by_role("link", name="Проверка сертификата").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Проверка сертификата")
        assert serious_violations(page) == []
        assert no_sideways_scroll(page, slack=1)

        page.get_by_label("Код проверки").fill(f" {certificate.code.lower()}-")
        page.get_by_role("button", name="Проверить").click()
        page.wait_for_url(f"**/certificates/verify/{certificate.code}/")
        expect(page.get_by_text("Сертификат действителен до")).to_be_visible()
        expect(page.get_by_text("Смирнова Анна Викторовна")).to_be_visible()
        expect(page.get_by_text("Основы противодействия коррупции")).to_be_visible()
        expect(page.get_by_text(certificate.number)).to_be_visible()
        assert serious_violations(page) == []
        assert no_sideways_scroll(page, slack=1)
        screenshot(page, f"certificate-verify-{size}")

        wrong = codes.new_code()
        assert not Certificate.objects.filter(code=wrong).exists()
        page.get_by_label("Код проверки").fill(wrong.lower())
        with page.expect_response(lambda response: "/certificates/verify/?code=" in response.url) as answer:
            page.get_by_role("button", name="Проверить").click()
        assert answer.value.status == 404
        alert = page.get_by_role("alert")
        expect(alert).to_contain_text(f"Сертификат с кодом «{wrong.lower()}» не найден.")
        expect(page.get_by_text("Смирнова")).to_have_count(0)
        expect(page.get_by_label("Код проверки")).to_have_value(wrong.lower())  # to correct it
        assert serious_violations(page) == []
        assert no_sideways_scroll(page, slack=1)

        # A near miss is explained.
        page.get_by_label("Код проверки").fill(certificate.code[:-1])
        page.get_by_role("button", name="Проверить").click()
        expect(page.get_by_role("alert")).to_contain_text("В коде проверки 12 знаков")
        screenshot(page, f"certificate-verify-not-found-{size}")
    finally:
        context.close()
