"""A small region with letters to municipalities (events.letters) around 2024, for item 1.3 of the plan
report: the expected numbers are written out by hand next to the rows that make them.

* «Северный район» (with the settlement «Сельское поселение Берёзовка»), «Город Приречный» and «Южный
  район» (no coordinators: no letter reaches it);
* letter «march» (2024-03-05) to every municipality: Северный 2 + Берёзовка 1 + Приречный 2 = 5
  recipients; acknowledged in 2024 by «north-municipal» and «villager», in January 2025 (after the
  period) by «city-state»;
* letter «november» (2024-11-20) to Северный район (with its settlement): 3 recipients, acknowledged in
  2024 by «north-state»;
* letters of 2023-12-30 and 2025-01-02 to every municipality: outside 2024.

For 2024 and the whole region: 2 letters, 8 recipients (Северный район 6, Приречный 2), 3 acknowledged
(all in Северный район). Coordinators of any category are recipients («north-state», «city-state» are
state civil servants).
"""

import datetime
from dataclasses import dataclass, field

from cms.models import HomePage, MaterialIndexPage, MaterialKind, MaterialPage
from events.letters import services
from people.factories import (
    make_municipal_manager,
    make_municipality,
    make_organization,
    make_person,
    make_regional_manager,
)
from people.models import Municipality, ServiceCategory

from .plan_dataset import YEAR, aware, load_2024_plan


@dataclass
class LettersWorld:
    plan: object
    items: dict
    north: Municipality
    village: Municipality
    city: Municipality
    south: Municipality
    organizations: dict = field(default_factory=dict)
    people: dict = field(default_factory=dict)
    managers: dict = field(default_factory=dict)
    letters: dict = field(default_factory=dict)


def build_letters_world(send=True):
    """The region above; with ``send=False`` nothing is sent (the plan and the people only)."""
    plan, items = load_2024_plan()
    north = make_municipality(name="Северный район", short_name="Северный район")
    village = make_municipality(
        name="Сельское поселение Берёзовка", kind=Municipality.Kind.RURAL_SETTLEMENT, parent=north
    )
    city = make_municipality(name="Город Приречный", kind=Municipality.Kind.URBAN_OKRUG)
    south = make_municipality(name="Южный район", short_name="Южный район")
    world = LettersWorld(plan, items, north, village, city, south)
    world.organizations = {
        "north": make_organization(north, "Администрация Северного района"),
        "village": make_organization(village, "Администрация поселения Берёзовка"),
        "city": make_organization(city, "Администрация города Приречный"),
        "south": make_organization(south, "Администрация Южного района"),
    }
    coordinator = {"has_anticorruption_duties": True}
    world.people = {
        "north-municipal": make_person(world.organizations["north"], last_name="Северова", **coordinator),
        "north-state": make_person(
            world.organizations["north"],
            last_name="Северцев",
            category=ServiceCategory.STATE_CIVIL,
            **coordinator,
        ),
        "villager": make_person(world.organizations["village"], last_name="Берёзова", **coordinator),
        "city-municipal": make_person(world.organizations["city"], last_name="Приреченская", **coordinator),
        "city-state": make_person(
            world.organizations["city"],
            last_name="Приреченский",
            category=ServiceCategory.STATE_CIVIL,
            **coordinator,
        ),
        "south-plain": make_person(world.organizations["south"], last_name="Южный"),  # not a coordinator
    }
    world.managers = {
        "regional": make_regional_manager(last_name="Областная"),
        "north": make_municipal_manager(north, last_name="Кураторова"),
        "city": make_municipal_manager(city, last_name="Городская"),
        "south": make_municipal_manager(south, last_name="Южанина"),
    }
    if not send:
        return world
    library = HomePage.objects.first().add_child(
        instance=MaterialIndexPage(title="Материалы", slug="materials")
    )
    material = library.add_child(
        instance=MaterialPage(
            title="Методические рекомендации по антикоррупционной экспертизе",
            slug="recommendations",
            kind=MaterialKind.INFORMATION_LETTER,
            date=datetime.date(YEAR, 3, 1),
        )
    )

    def send_letter(key, when, municipalities=None):
        world.letters[key] = services.send_letter(
            world.managers["regional"],
            material=material,
            subject=f"Письмо {key}",
            municipalities=municipalities or [],
            all_municipalities=municipalities is None,
            now=when,
        )
        return world.letters[key]

    def acknowledge(person, key, when):
        services.acknowledge(world.people[person], world.letters[key], now=when)

    send_letter("old", aware(YEAR - 1, 12, 30))
    send_letter("march", aware(YEAR, 3, 5))
    send_letter("november", aware(YEAR, 11, 20), [north])
    send_letter("next-year", aware(YEAR + 1, 1, 2))
    acknowledge("north-municipal", "old", aware(YEAR, 1, 10))  # a letter of 2023: not counted
    acknowledge("north-municipal", "march", aware(YEAR, 3, 6))
    acknowledge("villager", "march", aware(YEAR, 4, 1))
    acknowledge("city-state", "march", aware(YEAR + 1, 1, 5))  # after the period's end
    acknowledge("north-state", "november", aware(YEAR, 12, 1))
    acknowledge("city-municipal", "next-year", aware(YEAR + 1, 1, 3))
    return world
