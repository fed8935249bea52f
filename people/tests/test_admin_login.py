"""The Wagtail admin's login page speaks Russian throughout (a trainer's first screen)."""

import re

import pytest

pytestmark = pytest.mark.django_db


def test_the_admin_login_page_labels_are_russian(client):
    html = client.get("/admin/login/").content.decode()
    labels = [
        re.sub(r"<[^>]+>|\*", "", label).strip()
        for label in re.findall(r"<label[^>]*>(.*?)</label>", html, flags=re.S)
    ]
    assert "Пароль" in labels
    english = [label for label in labels if label and not re.search("[а-яё]", label, flags=re.I)]
    assert english == []


def test_a_trainer_still_logs_in_to_the_admin(client, django_user_model):
    django_user_model.objects.create_superuser("admin-login", "a@example.ru", "Секретный-пароль-1")
    response = client.post("/admin/login/", {"username": "admin-login", "password": "Секретный-пароль-1"})
    assert response.status_code == 302
    assert client.get("/admin/").status_code == 200
