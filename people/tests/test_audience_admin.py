import pytest
from django.urls import reverse

from people.audience import Audience
from people.factories import make_municipality, make_person, make_regional_manager
from people.models import ServiceCategory
from people.roles import Role

pytestmark = pytest.mark.django_db


def test_regional_manager_creates_an_audience_with_categories_in_the_admin(client):
    obninsk = make_municipality("Город Обнинск")
    client.force_login(make_regional_manager())
    url = reverse("wagtailsnippets_people_audience:add")
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "title": "Закупки Обнинска",
            "municipalities": [obninsk.pk],
            "categories": [ServiceCategory.MUNICIPAL],
            "procurement_only": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    audience = Audience.objects.get(title="Закупки Обнинска")
    assert audience.categories == [ServiceCategory.MUNICIPAL]
    assert list(audience.municipalities.all()) == [obninsk]
    edit = client.get(reverse("wagtailsnippets_people_audience:edit", args=[audience.pk])).content.decode()
    assert f'value="{ServiceCategory.MUNICIPAL}" ' in edit and "checked" in edit


def test_trainer_cannot_edit_audiences(client):
    client.force_login(make_person(role=Role.TRAINER))
    response = client.get(reverse("wagtailsnippets_people_audience:add"))
    assert response.status_code in (302, 403)
