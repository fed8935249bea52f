"""The site shell: home, login and logout, the cabinet, password reset, error pages, no external hosts."""

import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.staticfiles import finders
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.template import loader
from django.test import Client
from django.urls import include, path, reverse
from wagtail.models import Site

from people.factories import make_municipal_manager, make_municipality, make_organization, make_person
from people.roles import Role

pytestmark = pytest.mark.django_db

PASSWORD = "Серый-кот-2024"
CYRILLIC = re.compile(r"[А-Яа-яЁё]")


def _boom(request):
    raise RuntimeError("deliberate failure for the 500 page test")


def _forbidden(request):
    raise PermissionDenied


# Used only by tests marked @pytest.mark.urls(__name__): the real URLs plus two failing views.
urlpatterns = [
    path("shell-test/boom/", _boom),
    path("shell-test/forbidden/", _forbidden),
    path("", include("config.urls")),
]


@pytest.fixture
def servant():
    organization = make_organization(make_municipality("Городской округ «Город Калуга»"), "Городская Управа")
    return make_person(
        organization,
        username="petrova",
        email="olga.petrova@example.org",
        last_name="Петрова",
        first_name="Ольга",
        patronymic="Сергеевна",
        position="главный специалист",
        password=PASSWORD,
    )


def logged_in_user_id(client):
    return client.session.get(SESSION_KEY)


def html_of(response):
    return response.content.decode()


# Home page and admin entrances


def test_home_page_answers_in_russian(client):
    response = client.get("/")
    assert response.status_code == 200
    html = html_of(response)
    assert '<html lang="ru">' in html
    assert "<title>Антикор: обучение</title>" in html
    assert "Войти" in html
    assert 'href="#main"' in html and 'id="main"' in html  # skip link and its target


@pytest.mark.parametrize(
    ("url", "login_url_name"),
    [("/admin/", "wagtailadmin_login"), ("/django-admin/", "admin:login")],
)
def test_admin_sends_anonymous_to_its_login(client, url, login_url_name):
    response = client.get(url)
    assert response.status_code == 302
    assert urlsplit(response["Location"]).path == reverse(login_url_name)


# Login and logout


def test_login_by_username(client, servant):
    response = client.post(reverse("login"), {"username": "petrova", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("cabinet")
    assert int(logged_in_user_id(client)) == servant.pk


def test_login_by_email_ignores_case(client, servant):
    response = client.post(
        reverse("login"), {"username": "  Olga.Petrova@Example.ORG ", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert int(logged_in_user_id(client)) == servant.pk


def test_login_with_wrong_password_shows_a_russian_error(client, servant):
    response = client.post(reverse("login"), {"username": servant.email, "password": "не тот пароль"})
    assert response.status_code == 200
    assert logged_in_user_id(client) is None
    errors = response.context["form"].non_field_errors()
    assert len(errors) == 1
    assert CYRILLIC.search(errors[0])
    html = html_of(response)
    assert 'role="alert"' in html
    assert errors[0] in html
    assert "Please enter" not in html
    assert f'value="{servant.email}"' in html  # what was typed stays in the field


def test_login_with_empty_fields_shows_russian_field_errors(client):
    response = client.post(reverse("login"), {"username": "", "password": ""})
    form = response.context["form"]
    assert set(form.errors) == {"username", "password"}
    for message in form.errors["username"] + form.errors["password"]:
        assert CYRILLIC.search(message)
        assert message in html_of(response)
    assert 'aria-invalid="true"' in html_of(response)


def test_logged_in_user_is_sent_from_login_page_to_cabinet(client, servant):
    client.force_login(servant)
    response = client.get(reverse("login"))
    assert response.status_code == 302
    assert response["Location"] == reverse("cabinet")


def test_logout_is_post_only_and_logs_out(client, servant):
    client.force_login(servant)
    assert client.get(reverse("logout")).status_code == 405
    assert int(logged_in_user_id(client)) == servant.pk

    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert logged_in_user_id(client) is None
    assert client.get(reverse("cabinet")).status_code == 302


def test_header_offers_logout_form_only_to_logged_in(client, servant):
    anonymous_html = html_of(client.get("/"))
    assert f'action="{reverse("logout")}"' not in anonymous_html
    client.force_login(servant)
    html = html_of(client.get("/"))
    assert f'<form method="post" action="{reverse("logout")}"' in html
    assert servant.get_short_name() in html


# The cabinet


def test_cabinet_sends_anonymous_to_login(client):
    response = client.get(reverse("cabinet"))
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={reverse('cabinet')}"


def test_cabinet_shows_own_profile_and_not_another_persons(client, servant):
    other = make_person(last_name="Сидоров", first_name="Пётр", patronymic="Ильич", position="референт")
    client.force_login(servant)
    response = client.get(reverse("cabinet"))
    assert response.status_code == 200
    html = html_of(response)
    assert "Мой кабинет" in html
    assert servant.get_full_name() in html
    assert servant.position in html
    assert servant.organization.name in html
    assert servant.municipality.name in html
    assert str(Role.SERVANT.label) in html
    assert other.get_full_name() not in html
    assert other.position not in html


def test_cabinet_links_managers_to_the_admin_and_not_servants(client, servant):
    admin_url = reverse("wagtailadmin_home")
    client.force_login(servant)
    assert f'href="{admin_url}"' not in html_of(client.get(reverse("cabinet")))

    manager = make_municipal_manager(servant.municipality, password=PASSWORD)
    client.force_login(manager)
    html = html_of(client.get(reverse("cabinet")))
    assert f'href="{admin_url}"' in html
    assert str(Role.MUNICIPAL_MANAGER.label) in html
    assert str(Role.SERVANT.label) not in html
    assert servant.municipality.name in html  # the managed municipality


# Password change and reset


def test_password_change_with_wrong_old_password_shows_russian_error(client, servant):
    client.force_login(servant)
    response = client.post(
        reverse("password_change"),
        {"old_password": "не тот", "new_password1": "Новый-пароль-42", "new_password2": "Новый-пароль-42"},
    )
    assert response.status_code == 200
    message = response.context["form"].errors["old_password"][0]
    assert CYRILLIC.search(message)
    assert message in html_of(response)


def test_password_change_works(client, servant):
    client.force_login(servant)
    response = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": "Новый-пароль-42", "new_password2": "Новый-пароль-42"},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == reverse("password_change_done")
    assert "Пароль изменён" in html_of(response)
    servant.refresh_from_db()
    assert servant.check_password("Новый-пароль-42")


def test_password_reset_sends_one_russian_email_whose_link_sets_a_new_password(
    client, servant, django_capture_on_commit_callbacks
):
    site = Site.objects.get(is_default_site=True)
    site.site_name = "Обучение Калужской области"
    site.save()

    with django_capture_on_commit_callbacks(execute=True):  # the outbox sends after the commit
        response = client.post(reverse("password_reset"), {"email": "OLGA.PETROVA@example.org"})
    assert response.status_code == 302
    assert response["Location"] == reverse("password_reset_done")
    assert "Проверьте почту" in html_of(client.get(response["Location"]))

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [servant.email]
    assert site.site_name in message.subject
    assert CYRILLIC.search(message.subject)
    assert site.site_name in message.body
    assert "Ольга Сергеевна" in message.body
    assert servant.username in message.body
    links = re.findall(r"https?://\S+", message.body)
    assert len(links) == 1
    assert links[0].startswith(f"{settings.SITE_URL}/password/reset/")  # the public address, not the Host

    response = client.get(urlsplit(links[0]).path, follow=True)
    assert response.status_code == 200
    assert response.context["validlink"] is True
    set_password_url = response.redirect_chain[-1][0]
    new_password = "Весенний-ручей-17"
    response = client.post(set_password_url, {"new_password1": new_password, "new_password2": new_password})
    assert response.status_code == 302
    assert response["Location"] == reverse("password_reset_complete")
    assert "Пароль сохранён" in html_of(client.get(response["Location"]))

    fresh = Client()
    assert fresh.post(reverse("login"), {"username": servant.email, "password": PASSWORD}).status_code == 200
    response = fresh.post(reverse("login"), {"username": servant.email, "password": new_password})
    assert response.status_code == 302
    assert int(logged_in_user_id(fresh)) == servant.pk

    # The link is single-use.
    response = client.get(urlsplit(links[0]).path, follow=True)
    assert response.context["validlink"] is False
    assert "Ссылка недействительна" in html_of(response)


def test_password_reset_for_unknown_email_sends_nothing_and_says_the_same(client, servant):
    response = client.post(reverse("password_reset"), {"email": "nobody@example.org"}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("password_reset_done")
    assert mail.outbox == []


def test_password_reset_with_malformed_email_shows_russian_error(client):
    response = client.post(reverse("password_reset"), {"email": "не-адрес"})
    assert response.status_code == 200
    message = response.context["form"].errors["email"][0]
    assert CYRILLIC.search(message)
    assert message in html_of(response)
    assert 'aria-invalid="true"' in html_of(response)


def test_password_reset_form_labels_its_field(client):
    html = html_of(client.get(reverse("password_reset")))
    assert re.search(r'<label for="id_email"[^>]*>', html)
    assert 'id="id_email"' in html


# Error pages


def test_unknown_url_gives_a_russian_404_page(client):
    response = client.get("/no-such-page/at-all/")
    assert response.status_code == 404
    html = html_of(response)
    assert '<html lang="ru">' in html
    assert "Страница не найдена" in html


@pytest.mark.urls(__name__)
def test_server_error_gives_a_russian_500_page():
    client = Client(raise_request_exception=False)
    response = client.get("/shell-test/boom/")
    assert response.status_code == 500
    html = html_of(response)
    assert '<html lang="ru">' in html
    assert "Ошибка на сервере" in html


def test_500_page_renders_without_context_or_database(django_assert_num_queries):
    with django_assert_num_queries(0):
        html = loader.get_template("500.html").render()
    assert "Ошибка на сервере" in html
    assert "/static/" not in html  # no dependency on the static files storage either


@pytest.mark.urls(__name__)
def test_permission_denied_gives_a_russian_403_page(client):
    response = client.get("/shell-test/forbidden/")
    assert response.status_code == 403
    assert "Доступ запрещён" in html_of(response)


def test_csrf_failure_gives_a_russian_page(servant):
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("login"), {"username": servant.username, "password": PASSWORD})
    assert response.status_code == 403
    html = html_of(response)
    assert '<html lang="ru">' in html
    assert "Форма устарела" in html


# No external hosts


class AssetURLs(HTMLParser):
    """Every URL a browser would fetch on its own: src, link href, srcset, CSS url(), form actions."""

    FETCHING_ATTRS = {"src", "srcset", "poster", "data", "action", "formaction", "background"}
    CSS_URL = re.compile(r"""url\(\s*['"]?([^'")\s]+)|@import\s+['"]([^'"]+)""")

    def __init__(self):
        super().__init__()
        self.urls = []
        self._in_style = False

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if value is None:
                continue
            if name in self.FETCHING_ATTRS or (tag == "link" and name == "href"):
                self.urls += (
                    [part.strip().split(" ")[0] for part in value.split(",")] if name == "srcset" else [value]
                )
            elif name == "style":
                self.urls += self._css_urls(value)
        self._in_style = tag == "style"

    def handle_endtag(self, tag):
        self._in_style = False

    def handle_data(self, data):
        if self._in_style:
            self.urls += self._css_urls(data)

    def _css_urls(self, css):
        return [a or b for a, b in self.CSS_URL.findall(css)]


def external_urls(html, own_host="testserver"):
    collector = AssetURLs()
    collector.feed(html)
    return [
        url
        for url in collector.urls
        if url.startswith("//")
        or (urlsplit(url).scheme in {"http", "https"} and urlsplit(url).hostname != own_host)
    ]


def test_external_url_detector_is_not_blind():
    html = (
        '<link rel="stylesheet" href="https://cdn.example.com/x.css">'
        '<script src="//cdn.example.com/x.js"></script>'
        '<img srcset="/a.png 1x, http://img.example.com/b.png 2x">'
        "<div style=\"background:url('https://e.com/i.png')\">"
        "<style>@import 'https://fonts.example.com/f.css';</style><a href=\"https://example.com/\">ok</a>"
    )
    assert external_urls(html) == [
        "https://cdn.example.com/x.css",
        "//cdn.example.com/x.js",
        "http://img.example.com/b.png",
        "https://e.com/i.png",
        "https://fonts.example.com/f.css",
    ]


def test_pages_reference_no_external_host(client, servant):
    pages = {"home": client.get("/"), "login": client.get(reverse("login"))}
    client.force_login(servant)
    pages["cabinet"] = client.get(reverse("cabinet"))
    pages["home, logged in"] = client.get("/")
    for name, response in pages.items():
        assert response.status_code == 200, name
        assert external_urls(html_of(response)) == [], name


def test_stylesheet_references_no_external_host():
    css = Path(finders.find("css/site.css")).read_text(encoding="utf-8")
    assert [url for url in AssetURLs()._css_urls(css) if re.match(r"(https?:)?//", url)] == []


def test_favicon_is_linked_and_exists(client):
    html = html_of(client.get("/"))
    match = re.search(r'<link rel="icon" href="/static/([^"]+)"', html)
    assert match
    assert finders.find(match.group(1))


def test_imported_person_without_a_password_sets_the_first_one_through_the_reset_link(
    client, django_capture_on_commit_callbacks
):
    """Roster imports create accounts with unusable passwords; the reset email is their way in."""
    from people.factories import make_person

    person = make_person(email="novichok@example.org")
    assert not person.has_usable_password()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("password_reset"), {"email": "novichok@example.org"})
    assert len(mail.outbox) == 1
    link = re.findall(r"https?://\S+", mail.outbox[0].body)[0]
    response = client.get(urlsplit(link).path, follow=True)
    assert response.context["validlink"] is True
    first_password = "Первый-пароль-2024"
    client.post(
        response.redirect_chain[-1][0], {"new_password1": first_password, "new_password2": first_password}
    )
    person.refresh_from_db()
    assert person.check_password(first_password)


def test_password_reset_skips_deactivated_people(client):
    from people.factories import make_person

    make_person(email="ushel@example.org", is_active=False)
    client.post(reverse("password_reset"), {"email": "ushel@example.org"})
    assert mail.outbox == []
