"""The signed-in person of a session, read by ``UsernameOrEmailBackend.get_user`` with one plain query:
the same person, field for field, as the ORM reads, and nobody who may not sign in."""

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext

from people.backends import UsernameOrEmailBackend
from people.factories import make_municipality, make_person

pytestmark = pytest.mark.django_db


def test_the_person_of_a_session_is_read_field_for_field_in_one_query():
    person = make_person(municipality=make_municipality("Город Обнинск"))
    with CaptureQueriesContext(connection) as captured:
        user = UsernameOrEmailBackend().get_user(str(person.pk))  # sessions keep the id as text
    assert len(captured) == 1
    expected = get_user_model().objects.get(pk=person.pk)
    for field in get_user_model()._meta.concrete_fields:
        assert getattr(user, field.attname) == getattr(expected, field.attname), field.name
    assert user.municipality.name == "Город Обнинск"


def test_nobody_for_an_unknown_or_malformed_id_or_a_deactivated_person():
    person = make_person()
    backend = UsernameOrEmailBackend()
    assert backend.get_user(str(person.pk + 1000)) is None
    assert backend.get_user("не число") is None
    person.is_active = False
    person.save()
    assert backend.get_user(str(person.pk)) is None


def test_a_session_signs_in_through_it(client):
    person = make_person()
    client.force_login(person, backend="people.backends.UsernameOrEmailBackend")
    response = client.get("/cabinet/")
    assert response.status_code == 200 and response.context["user"].pk == person.pk
