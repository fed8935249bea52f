"""Login lockout (django-axes): a login name together with an address, on every login form."""

import pytest
from axes.models import AccessAttempt
from django.urls import reverse

from people.backends import client_ip
from people.factories import make_person, make_regional_manager

PASSWORD = "Верный-пароль-2024"
OFFICE = "10.40.0.7"
OTHER_OFFICE = "10.40.9.9"

pytestmark = pytest.mark.django_db


@pytest.fixture
def person():
    return make_person(username="petrova", email="petrova@adm.kaluga.ru", password=PASSWORD)


def post_login(client, login, password, ip=OFFICE, url=None):
    return client.post(url or reverse("login"), {"username": login, "password": password}, REMOTE_ADDR=ip)


def fail(client, login, times, ip=OFFICE, url=None):
    for _ in range(times):
        response = post_login(client, login, "неверный", ip=ip, url=url)
    return response


def logged_in(response):
    return response.status_code == 302 and "_auth_user_id" in response.client.session


def test_five_failures_lock_that_login_from_that_address(client, settings, person):
    assert settings.AXES_FAILURE_LIMIT == 5
    response = fail(client, "petrova", 4)
    assert response.status_code == 200  # the form again, with an error
    response = post_login(client, "petrova", "неверный")
    assert response.status_code == 429
    content = response.content.decode()
    assert "Вход временно заблокирован" in content
    assert "15 мин." in content


def test_correct_password_during_lockout_is_refused(client, person):
    fail(client, "petrova", 5)
    response = post_login(client, "petrova", PASSWORD)
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_same_login_from_another_address_still_logs_in(client, person):
    fail(client, "petrova", 5)
    assert logged_in(post_login(client, "petrova", PASSWORD, ip=OTHER_OFFICE))


def test_another_login_from_the_same_address_still_logs_in(client, person):
    colleague = make_person(username="sidorov", password=PASSWORD)
    fail(client, "petrova", 5)
    assert logged_in(post_login(client, colleague.username, PASSWORD))


def test_email_and_login_name_of_one_person_count_together(client, person):
    fail(client, "petrova", 3)
    fail(client, "Petrova@ADM.kaluga.ru", 2)
    assert post_login(client, "petrova", PASSWORD).status_code == 429
    assert post_login(client, "petrova@adm.kaluga.ru", PASSWORD).status_code == 429
    assert set(AccessAttempt.objects.values_list("username", flat=True)) == {"petrova"}


def test_success_resets_the_count(client, person):
    fail(client, "petrova", 4)
    assert logged_in(post_login(client, "petrova", PASSWORD))
    client.logout()
    fail(client, "petrova", 4)
    assert logged_in(post_login(client, "petrova", PASSWORD))


def test_unknown_logins_are_counted_and_locked_too(client):
    response = fail(client, "nobody", 5)
    assert response.status_code == 429


@pytest.mark.parametrize("url_name", ["wagtailadmin_login", "admin:login"])
def test_admin_logins_are_locked_as_well(client, url_name):
    manager = make_regional_manager(username="kurator", password=PASSWORD, is_staff=True)
    url = reverse(url_name)
    response = fail(client, manager.username, 5, url=url)
    assert response.status_code == 429
    response = post_login(client, manager.username, PASSWORD, url=url)
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    # the site's own login form shares the lock
    assert post_login(client, manager.username, PASSWORD).status_code == 429


def test_failures_on_the_site_lock_the_wagtail_admin_login(client, person):
    fail(client, "petrova", 5)
    response = post_login(client, "petrova", PASSWORD, url=reverse("wagtailadmin_login"))
    assert response.status_code == 429


class TestClientAddress:
    def request(self, rf, remote, forwarded=None):
        extra = {"REMOTE_ADDR": remote}
        if forwarded is not None:
            extra["HTTP_X_FORWARDED_FOR"] = forwarded
        return rf.get("/", **extra)

    def test_remote_addr_without_trusted_proxies(self, rf, settings):
        settings.TRUSTED_PROXIES = []
        assert client_ip(self.request(rf, "203.0.113.5", "1.2.3.4")) == "203.0.113.5"

    def test_forwarded_for_believed_only_from_a_trusted_proxy(self, rf, settings):
        settings.TRUSTED_PROXIES = ["127.0.0.1", "10.0.0.0/24"]
        # the client's own header entry (left) is ignored; nginx appended the real address
        request = self.request(rf, "127.0.0.1", "6.6.6.6, 203.0.113.5")
        assert client_ip(request) == "203.0.113.5"
        assert client_ip(self.request(rf, "127.0.0.1", "203.0.113.5, 10.0.0.3")) == "203.0.113.5"
        # a direct client cannot choose its address
        assert client_ip(self.request(rf, "198.51.100.1", "203.0.113.5")) == "198.51.100.1"
        assert client_ip(self.request(rf, "127.0.0.1", "garbage")) == "127.0.0.1"
        assert client_ip(self.request(rf, "127.0.0.1")) == "127.0.0.1"

    def test_lockout_counts_the_forwarded_address(self, client, settings, person):
        settings.TRUSTED_PROXIES = ["127.0.0.1"]
        for _ in range(5):
            client.post(
                reverse("login"),
                {"username": "petrova", "password": "неверный"},
                REMOTE_ADDR="127.0.0.1",
                HTTP_X_FORWARDED_FOR="203.0.113.5",
            )
        blocked = client.post(
            reverse("login"),
            {"username": "petrova", "password": PASSWORD},
            REMOTE_ADDR="127.0.0.1",
            HTTP_X_FORWARDED_FOR="203.0.113.5",
        )
        assert blocked.status_code == 429
        other = client.post(
            reverse("login"),
            {"username": "petrova", "password": PASSWORD},
            REMOTE_ADDR="127.0.0.1",
            HTTP_X_FORWARDED_FOR="203.0.113.77",
        )
        assert logged_in(other)


def test_test_client_login_without_request_still_works(client, person):
    assert client.login(username="petrova", password=PASSWORD)


def test_a_login_of_thousands_of_characters_is_counted_not_a_500(client):
    """django-axes keeps the login in a 255-character column: PostgreSQL refused the insert (a 500)."""
    response = client.post("/login/", {"username": "я" * 5000, "password": "x"})
    assert response.status_code == 200  # the form again, with its error
    assert len(AccessAttempt.objects.get().username) <= 255
