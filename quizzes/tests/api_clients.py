"""A signed-in servant with a test client that enforces CSRF, as take.js calls the API."""

from django.test import Client

from people.factories import make_person


def signed_in_servant(municipality):
    """``(person, client, csrf_token)`` for a new servant of ``municipality``."""
    person = make_person(municipality=municipality)
    client = Client(enforce_csrf_checks=True)
    client.force_login(person)
    client.get("/tests/")  # a page with a form: sets the CSRF cookie
    return person, client, client.cookies["csrftoken"].value
