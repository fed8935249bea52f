"""The guide to the question file formats is in the admin, where trainers are (issue 21): the import
page links it and the samples, not a file of the repository."""

import pytest
from django.urls import reverse

from people.factories import make_municipal_manager, make_municipality, make_person
from people.roles import Role

pytestmark = pytest.mark.django_db


def test_a_trainer_reads_the_guide_and_downloads_the_samples(client):
    client.force_login(make_person(role=Role.TRAINER))
    upload = client.get(reverse("quizzes_import:upload")).content.decode()
    assert reverse("quizzes_import:formats") in upload and reverse("quizzes_import:gift_sample") in upload
    assert "docs/import-questions.md" not in upload

    guide = client.get(reverse("quizzes_import:formats"))
    assert guide.status_code == 200
    html = guide.content.decode()
    assert "<h1>Импорт вопросов в банк: форматы файлов</h1>" in html  # the Markdown rendered
    assert "<table>" in html and "<th>формат</th>" in html

    sample = client.get(reverse("quizzes_import:gift_sample"))
    assert sample.status_code == 200 and sample["Content-Disposition"].endswith('questions-sample.gift"')
    assert "::" in sample.content.decode()


def test_people_who_may_not_import_are_refused(client):
    for user in (make_person(), make_municipal_manager(make_municipality())):
        client.force_login(user)
        for name in ("quizzes_import:formats", "quizzes_import:gift_sample"):
            assert client.get(reverse(name)).status_code in (302, 403), (user, name)
