"""The live campaign monitor over a real ASGI stack: access, initial counters, updates, coalescing."""

import asyncio
import datetime

import pytest
from asgiref.sync import async_to_sync
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from config.asgi import application
from people.factories import make_municipal_manager, make_person, make_regional_manager
from people.roles import Role
from quizzes.models import Sitting
from quizzes.monitor import INTERVAL, coalescer
from quizzes.services import finish_sitting, start_campaign_sitting
from quizzes.tasks import finish_overdue_sittings
from quizzes.tests.test_analytics import build_region, district_of, raw_figures

pytestmark = pytest.mark.django_db(transaction=True)

ORIGIN = (b"origin", b"http://127.0.0.1:8000")


def headers_for(user):
    client = Client()
    client.force_login(user)
    return [ORIGIN, (b"cookie", f"sessionid={client.cookies['sessionid'].value}".encode())]


def path_for(campaign):
    return f"/ws/tests/campaigns/{campaign.pk}/monitor/"


def expected_rows(campaign, people=None):
    """``{key: {started, finished, passed}}`` of the districts with anybody started, from raw rows."""
    figures = raw_figures(campaign, district_of, people=people)
    return {
        ("none" if key is None else str(key)): {
            name: cell[name] for name in ("started", "finished", "passed")
        }
        for key, cell in figures.items()
        if cell["started"]
    }


def started_rows(message):
    return {key: row for key, row in message["rows"].items() if key != "total" and row["started"]}


async def _refused(campaign, headers):
    communicator = WebsocketCommunicator(application, path_for(campaign), headers=headers)
    connected, _ = await communicator.connect(timeout=5)
    assert connected
    closing = await communicator.receive_output(timeout=5)
    await communicator.wait()
    return closing


@pytest.mark.parametrize("role", [Role.SERVANT, Role.TRAINER])
def test_servants_and_trainers_are_refused_with_4403(role):
    region = build_region()
    person = make_person(region.organizations["kaluga_admin"], role=role)
    closing = async_to_sync(_refused)(region.campaign, headers_for(person))
    assert closing == {"type": "websocket.close", "code": 4403}


def test_anonymous_and_out_of_scope_managers_are_refused():
    region = build_region()
    assert async_to_sync(_refused)(region.campaign, [ORIGIN])["code"] == 4403
    outsider = make_municipal_manager(region.municipalities["outside"])
    assert async_to_sync(_refused)(region.campaign, headers_for(outsider))["code"] == 4403


async def _first_message(campaign, headers):
    communicator = WebsocketCommunicator(application, path_for(campaign), headers=headers)
    connected, _ = await communicator.connect(timeout=5)
    assert connected
    message = await communicator.receive_json_from(timeout=5)
    await communicator.disconnect()
    return message


def test_regional_manager_receives_the_current_counters():
    region = build_region()
    message = async_to_sync(_first_message)(region.campaign, headers_for(make_regional_manager()))
    assert message["type"] == "counters"
    assert started_rows(message) == expected_rows(region.campaign)
    assert str(region.municipalities["settlement"].pk) not in message["rows"]  # rolled into the district
    total = message["rows"]["total"]
    assert (
        total["started"] == Sitting.objects.filter(campaign=region.campaign).values("user").distinct().count()
    )


def test_municipal_manager_receives_only_their_municipality():
    region = build_region()
    obninsk = region.municipalities["obninsk"]
    message = async_to_sync(_first_message)(region.campaign, headers_for(make_municipal_manager(obninsk)))
    assert set(message["rows"]) == {str(obninsk.pk), "total"}
    in_obninsk = [p for p in region.people if p.municipality_id == obninsk.pk]
    assert started_rows(message) == expected_rows(region.campaign, people=in_obninsk)
    assert message["rows"]["total"] == message["rows"][str(obninsk.pk)]


async def _watch_a_start_and_a_finish(campaign, headers, person):
    communicator = WebsocketCommunicator(application, path_for(campaign), headers=headers)
    await communicator.connect(timeout=5)
    before = (await communicator.receive_json_from(timeout=5))["rows"]["total"]
    sitting = await database_sync_to_async(start_campaign_sitting)(person, campaign)
    started = (await communicator.receive_json_from(timeout=2))["rows"]["total"]
    await database_sync_to_async(finish_sitting)(sitting)
    finished = (await communicator.receive_json_from(timeout=2))["rows"]["total"]
    await communicator.disconnect()
    return before, started, finished


def test_a_start_and_a_finish_reach_the_monitor_within_seconds():
    region = build_region()
    newcomer = make_person(region.organizations["obninsk_admin"])
    before, started, finished = async_to_sync(_watch_a_start_and_a_finish)(
        region.campaign, headers_for(make_regional_manager()), newcomer
    )
    assert started["started"] == before["started"] + 1
    assert started["finished"] == before["finished"]
    assert finished["finished"] == before["finished"] + 1


async def _rapid_changes(campaign, headers, people):
    communicator = WebsocketCommunicator(application, path_for(campaign), headers=headers)
    await communicator.connect(timeout=5)
    await communicator.receive_json_from(timeout=5)
    coalescer().computations.clear()

    def start_everybody():
        for person in people:
            finish_sitting(start_campaign_sitting(person, campaign))

    await database_sync_to_async(start_everybody)()
    await asyncio.sleep(2 * INTERVAL + 0.5)
    messages = []
    while not await communicator.receive_nothing(timeout=0.1):
        messages.append(await communicator.receive_json_from())
    recomputations = coalescer().computations[campaign.pk]
    await communicator.disconnect()
    return messages, recomputations


def test_many_rapid_changes_lead_to_few_recomputations():
    region = build_region()
    newcomers = [make_person(region.organizations["obninsk_admin"]) for _ in range(25)]
    messages, recomputations = async_to_sync(_rapid_changes)(
        region.campaign, headers_for(make_regional_manager()), newcomers
    )
    changes = 2 * len(newcomers)  # each one starts and finishes: 50 notices
    assert 1 <= recomputations <= 4, recomputations
    assert recomputations < changes
    assert len(messages) == recomputations
    assert started_rows(messages[-1]) == expected_rows(region.campaign)


async def _two_managers_one_query(campaign, regional, municipal, person):
    first = WebsocketCommunicator(application, path_for(campaign), headers=regional)
    second = WebsocketCommunicator(application, path_for(campaign), headers=municipal)
    for communicator in (first, second):
        await communicator.connect(timeout=5)
        await communicator.receive_json_from(timeout=5)
    coalescer().computations.clear()
    await database_sync_to_async(start_campaign_sitting)(person, campaign)
    seen = [await communicator.receive_json_from(timeout=2) for communicator in (first, second)]
    recomputations = coalescer().computations[campaign.pk]
    for communicator in (first, second):
        await communicator.disconnect()
    return seen, recomputations


def test_one_recomputation_serves_every_manager_in_their_own_scope():
    region = build_region()
    obninsk = region.municipalities["obninsk"]
    person = make_person(region.organizations["obninsk_admin"])
    (regional, municipal), recomputations = async_to_sync(_two_managers_one_query)(
        region.campaign,
        headers_for(make_regional_manager()),
        headers_for(make_municipal_manager(obninsk)),
        person,
    )
    assert recomputations == 1
    assert set(municipal["rows"]) == {str(obninsk.pk), "total"}
    assert municipal["rows"][str(obninsk.pk)] == regional["rows"][str(obninsk.pk)]
    assert len(regional["rows"]) > 2


# ---- auto-finish -----------------------------------------------------------------------------------


def _overdue_sitting(region):
    person = make_person(region.organizations["obninsk_admin"])
    sitting = start_campaign_sitting(person, region.campaign)
    Sitting.objects.filter(pk=sitting.pk).update(deadline=timezone.now() - datetime.timedelta(minutes=5))
    return sitting


def test_finish_overdue_task_and_command():
    region = build_region()
    sitting = _overdue_sitting(region)
    result = finish_overdue_sittings.enqueue()  # the immediate backend runs it at once
    assert result.return_value == 1
    sitting.refresh_from_db()
    assert sitting.state == Sitting.State.FINISHED
    other = _overdue_sitting(region)
    call_command("finish_overdue", "--quiet")
    other.refresh_from_db()
    assert other.state == Sitting.State.FINISHED
    assert Sitting.objects.overdue(timezone.now()).count() == 0
