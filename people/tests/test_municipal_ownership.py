"""A municipal manager runs their own municipality: audiences of it, campaigns and course assignments for
them, with the quizzes and courses opened to municipalities; the regional manager sees everything."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from courses.factories import make_course
from courses.models import Assignment, Enrollment
from people.audience import Audience
from people.factories import (
    make_municipal_manager,
    make_municipality,
    make_organization,
    make_person,
    make_regional_manager,
)
from people.models import Municipality
from quizzes.factories import make_campaign, make_quiz, make_true_false
from quizzes.models import TestCampaign

pytestmark = pytest.mark.django_db


@pytest.fixture
def region():
    district = make_municipality("Муниципальный район «Козельский район»")
    settlement = make_municipality(
        "Городское поселение «Город Козельск»", kind=Municipality.Kind.URBAN_SETTLEMENT, parent=district
    )
    okrug = make_municipality("Городской округ «Город Обнинск»", kind=Municipality.Kind.URBAN_OKRUG)
    own = make_organization(district, "Администрация Козельского района")
    other = make_organization(okrug, "Администрация города Обнинска")
    return {
        "district": district,
        "settlement": settlement,
        "okrug": okrug,
        "own_org": own,
        "other_org": other,
        "manager": make_municipal_manager(district),
        "local": make_person(own),
        "settler": make_person(municipality=settlement),
        "stranger": make_person(other),
    }


def own_audience(region, **fields):
    audience = Audience.objects.create(title="Наши", owner_municipality=region["district"], **fields)
    audience.municipalities.add(region["district"])
    return audience


def regional_audience(region):
    audience = Audience.objects.create(title="Вся область")
    audience.municipalities.add(region["district"], region["okrug"])
    return audience


def window():
    now = timezone.now()
    return now - datetime.timedelta(days=1), now + datetime.timedelta(days=10)


def campaign_form(quiz, audience, title="Местное тестирование"):
    opens, closes = window()
    return {
        "title": title,
        "description": "",
        "quiz": quiz.pk,
        "opens_at": timezone.localtime(opens).strftime("%Y-%m-%d %H:%M"),
        "closes_at": timezone.localtime(closes).strftime("%Y-%m-%d %H:%M"),
        "audience": audience.pk,
        "is_published": "on",
    }


# --- audiences ------------------------------------------------------------------------------------------


def test_a_municipal_managers_audience_belongs_to_their_municipality_whatever_is_posted(client, region):
    client.force_login(region["manager"])
    response = client.post(
        reverse("wagtailsnippets_people_audience:add"),
        {
            "title": "Кадровики района",
            "owner_municipality": region["okrug"].pk,  # tampered: not theirs
            "municipalities": [region["district"].pk],
            "hr_only": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    audience = Audience.objects.get(title="Кадровики района")
    assert audience.owner_municipality == region["district"]


def test_a_municipal_manager_cannot_name_another_municipality_in_the_rule(client, region):
    client.force_login(region["manager"])
    response = client.post(
        reverse("wagtailsnippets_people_audience:add"),
        {"title": "Чужие", "municipalities": [region["okrug"].pk]},
    )
    assert response.status_code == 200  # the form again, with the error
    assert not Audience.objects.filter(title="Чужие").exists()


def test_a_municipal_manager_sees_and_edits_only_their_own_audiences(client, region):
    mine, theirs = own_audience(region), regional_audience(region)
    client.force_login(region["manager"])
    listing = client.get(reverse("wagtailsnippets_people_audience:list")).content.decode()
    assert "Наши" in listing and "Вся область" not in listing
    assert client.get(reverse("wagtailsnippets_people_audience:edit", args=[mine.pk])).status_code == 200
    assert client.get(reverse("wagtailsnippets_people_audience:edit", args=[theirs.pk])).status_code == 404
    assert (
        client.post(reverse("wagtailsnippets_people_audience:edit", args=[theirs.pk]), {}).status_code == 404
    )


def test_the_regional_manager_sees_every_audience_and_may_give_one_to_a_municipality(client, region):
    own_audience(region)
    client.force_login(make_regional_manager())
    listing = client.get(reverse("wagtailsnippets_people_audience:list")).content.decode()
    assert "Наши" in listing
    response = client.post(
        reverse("wagtailsnippets_people_audience:add"),
        {
            "title": "Для Обнинска",
            "owner_municipality": region["okrug"].pk,
            "municipalities": [region["okrug"].pk],
        },
    )
    assert response.status_code == 302
    assert Audience.objects.get(title="Для Обнинска").owner_municipality == region["okrug"]


# --- campaigns ------------------------------------------------------------------------------------------


def test_a_municipal_manager_opens_a_local_campaign_with_a_quiz_opened_to_municipalities(client, region):
    quiz = make_quiz([make_true_false()], municipal_use=True)
    audience = own_audience(region)
    client.force_login(region["manager"])
    response = client.post(reverse("quizzes_campaign:add"), campaign_form(quiz, audience))
    assert response.status_code == 302, response.content.decode()[:3000]
    campaign = TestCampaign.objects.get(title="Местное тестирование")
    assert campaign.created_by == region["manager"]
    assert set(campaign.expected_participants()) == {region["local"], region["settler"], region["manager"]}
    assert campaign.admits(region["local"]) and not campaign.admits(region["stranger"])


@pytest.mark.parametrize("what", ["quiz not opened", "regional audience"])
def test_a_municipal_manager_cannot_use_another_quiz_or_audience(client, region, what):
    quiz = make_quiz([make_true_false()], municipal_use=what != "quiz not opened")
    audience = own_audience(region) if what == "quiz not opened" else regional_audience(region)
    client.force_login(region["manager"])
    response = client.post(reverse("quizzes_campaign:add"), campaign_form(quiz, audience))
    assert response.status_code == 200
    assert "Выберите корректный вариант" in response.content.decode()
    assert not TestCampaign.objects.exists()


def test_a_municipal_manager_sees_and_edits_only_local_campaigns(client, region):
    quiz = make_quiz([make_true_false()], municipal_use=True)
    opens, closes = window()
    local = make_campaign(quiz, own_audience(region), opens, closes, title="Районное")
    regional = make_campaign(quiz, regional_audience(region), opens, closes, title="Областное")
    client.force_login(region["manager"])
    listing = client.get(reverse("quizzes_campaign:index")).content.decode()
    assert "Районное" in listing and "Областное" not in listing
    assert client.get(reverse("quizzes_campaign:edit", args=[local.pk])).status_code == 200
    for name in ("edit", "history", "usage"):
        assert client.get(reverse(f"quizzes_campaign:{name}", args=[regional.pk])).status_code == 404, name
    tampered = client.post(
        reverse("quizzes_campaign:edit", args=[regional.pk]), campaign_form(quiz, regional.audience)
    )
    assert tampered.status_code == 404
    # nobody but the regional manager deletes
    assert client.get(reverse("quizzes_campaign:delete", args=[local.pk])).status_code in (302, 403)


def test_the_regional_manager_sees_local_campaigns_and_their_results(client, region):
    quiz = make_quiz([make_true_false()], municipal_use=True)
    opens, closes = window()
    local = make_campaign(quiz, own_audience(region), opens, closes, title="Районное")
    client.force_login(make_regional_manager())
    assert "Районное" in client.get(reverse("quizzes_campaign:index")).content.decode()
    assert client.get(reverse("quizzes_manage:results", args=[local.pk])).status_code == 200


# --- course assignments ---------------------------------------------------------------------------------


def assignment_form(course, audience):
    return {
        "course": course.pk,
        "audience": audience.pk,
        "due_date": "2030-12-01",
        "remind_days_before": 7,
        "is_active": "on",
    }


def test_a_municipal_manager_assigns_an_opened_course_to_their_people_only(client, region):
    course = make_course(municipal_use=True)
    audience = own_audience(region)
    audience.people.add(region["stranger"])  # on the roster, but of another municipality
    client.force_login(region["manager"])
    with_commit = client.post(reverse("courses_assignment:add"), assignment_form(course, audience))
    assert with_commit.status_code == 302, with_commit.content.decode()[:3000]
    assignment = Assignment.objects.get()
    assert assignment.created_by == region["manager"]
    enrolled = set(Enrollment.objects.filter(course=course).values_list("user", flat=True))
    assert region["stranger"].pk not in enrolled


@pytest.mark.parametrize("what", ["course not opened", "regional audience"])
def test_a_municipal_manager_cannot_assign_another_course_or_to_another_audience(client, region, what):
    course = make_course(municipal_use=what != "course not opened")
    audience = own_audience(region) if what == "course not opened" else regional_audience(region)
    client.force_login(region["manager"])
    response = client.post(reverse("courses_assignment:add"), assignment_form(course, audience))
    assert response.status_code == 200
    assert not Assignment.objects.exists()


def test_a_municipal_manager_sees_only_local_assignments(client, region):
    course = make_course(municipal_use=True)
    local = Assignment.objects.create(course=course, audience=own_audience(region), due_date="2030-12-01")
    regional = Assignment.objects.create(
        course=course, audience=regional_audience(region), due_date="2030-12-01"
    )
    client.force_login(region["manager"])
    listing = client.get(reverse("courses_assignment:index")).content.decode()
    assert "Наши" in listing and "Вся область" not in listing
    assert client.get(reverse("courses_assignment:edit", args=[local.pk])).status_code == 200
    assert client.get(reverse("courses_assignment:edit", args=[regional.pk])).status_code == 404


@pytest.mark.parametrize(
    "url_name", ["wagtailsnippets_people_audience:add", "quizzes_campaign:add", "courses_assignment:add"]
)
def test_a_municipal_manager_with_no_municipality_of_their_own_runs_nothing(client, url_name):
    from people.roles import Role

    client.force_login(make_person(role=Role.MUNICIPAL_MANAGER))
    assert client.get(reverse(url_name)).status_code in (302, 403)


def test_the_named_rosters_of_a_municipalitys_audiences_are_its_managers_only(region):
    from people.rosters import concerns
    from people.scope import Scope

    ours = Audience.objects.create(title="Наши", owner_municipality=region["district"])
    theirs = Audience.objects.create(title="Их", owner_municipality=region["okrug"])  # names no municipality
    scope = Scope.for_user(region["manager"])
    assert concerns(ours, scope)
    assert not concerns(theirs, scope)
