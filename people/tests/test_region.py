"""load_region puts Kaluga oblast into the directory once, and reruns change nothing."""

from io import StringIO

import pytest
from django.core.management import call_command

from people import region_data
from people.models import Municipality, Organization
from people.region import load_region, region_is_loaded

pytestmark = pytest.mark.django_db

DISTRICTS = [
    "Бабынинский", "Барятинский", "Боровский", "Дзержинский", "Думиничский", "Жиздринский", "Жуковский",
    "Износковский", "Кировский", "Козельский", "Куйбышевский", "Людиновский", "Малоярославецкий",
    "Медынский", "Мещовский", "Мосальский", "Перемышльский", "Спас-Деменский", "Сухиничский", "Тарусский",
    "Ульяновский", "Ферзиковский", "Хвастовичский", "Юхновский",
]  # fmt: skip


def run_command():
    out = StringIO()
    call_command("load_region", stdout=out)
    return out.getvalue()


def test_loads_the_24_districts_and_2_urban_okrugs():
    assert not region_is_loaded()

    load_region()

    top = Municipality.objects.top_level()
    assert top.count() == 26
    districts = top.filter(kind=Municipality.Kind.DISTRICT)
    assert sorted(districts.values_list("short_name", flat=True)) == sorted(f"{d} район" for d in DISTRICTS)
    assert set(top.filter(kind=Municipality.Kind.URBAN_OKRUG).values_list("short_name", flat=True)) == {
        "Город Калуга",
        "Город Обнинск",
    }
    assert region_is_loaded()


def test_official_style_names_and_administrative_centres():
    load_region()

    babynino = Municipality.objects.get(short_name="Бабынинский район")
    assert babynino.name == "Муниципальный район «Бабынинский район»"
    assert babynino.center == "село Бабынино"
    assert Municipality.objects.get(short_name="Боровский район").center == "город Боровск"
    assert Municipality.objects.get(short_name="Дзержинский район").center == "город Кондрово"
    assert Municipality.objects.get(short_name="Куйбышевский район").center == "поселок Бетлица"
    assert not Municipality.objects.exclude(center="").filter(center__in=["", None]).exists()
    assert all(m.center for m in Municipality.objects.all())


def test_one_local_administration_per_municipality():
    load_region()

    for municipality in Municipality.objects.top_level():
        administrations = municipality.organizations.filter(kind=Organization.Kind.LOCAL_ADMINISTRATION)
        assert administrations.count() == 1, municipality
    assert Organization.objects.get(
        kind=Organization.Kind.LOCAL_ADMINISTRATION, municipality__short_name="Бабынинский район"
    ).name == ("Администрация муниципального района «Бабынинский район»")
    assert Organization.objects.filter(
        name="Городская Управа города Калуги", municipality__short_name="Город Калуга"
    ).exists()
    assert Organization.objects.filter(
        name="Администрация города Обнинска", municipality__short_name="Город Обнинск"
    ).exists()


def test_authorized_body_and_regional_executive_bodies():
    load_region()

    body = Organization.objects.get(kind=Organization.Kind.AUTHORIZED_BODY)
    assert body.name == "Администрация Губернатора Калужской области"
    assert body.municipality is None
    regional = Organization.objects.filter(kind=Organization.Kind.REGIONAL_EXECUTIVE)
    assert regional.count() >= 12
    assert not regional.filter(municipality__isnull=False).exists()
    assert regional.filter(name="Министерство финансов Калужской области").exists()


def test_second_run_changes_nothing():
    first = load_region()
    organizations = list(Organization.objects.values_list("pk", "name", "short_name", "kind", "municipality"))
    municipalities = list(Municipality.objects.values_list("pk", "name", "short_name", "kind", "center"))

    second = load_region()

    assert first.created == 26 + 1 + len(region_data.REGIONAL_EXECUTIVE_BODIES) + 26
    assert (second.created, second.updated, second.changed) == (0, 0, False)
    assert second.municipalities.unchanged == 26
    assert list(Organization.objects.values_list("pk", "name", "short_name", "kind", "municipality")) == (
        organizations
    )
    assert (
        list(Municipality.objects.values_list("pk", "name", "short_name", "kind", "center")) == municipalities
    )
    keys = [
        (name.casefold(), municipality)
        for name, municipality in Organization.objects.values_list("name", "municipality")
    ]
    assert len(keys) == len(set(keys))


def test_rerun_brings_edited_records_back_to_the_data():
    load_region()
    Municipality.objects.filter(short_name="Юхновский район").update(center="деревня Ошибка")
    Organization.objects.filter(name="Министерство культуры Калужской области").update(
        name="министерство культуры калужской области", short_name=""
    )
    count = Organization.objects.count()

    result = load_region()

    assert (result.municipalities.updated, result.organizations.updated, result.created) == (1, 1, 0)
    assert Municipality.objects.get(short_name="Юхновский район").center == "город Юхнов"
    culture = Organization.objects.get(name__iexact="Министерство культуры Калужской области")
    assert culture.name == "Министерство культуры Калужской области"
    assert culture.short_name
    assert Organization.objects.count() == count


def test_oktmo_typed_in_the_admin_is_kept():
    load_region()
    Municipality.objects.filter(short_name="Тарусский район").update(oktmo="29638000")

    assert not load_region().changed
    assert Municipality.objects.get(short_name="Тарусский район").oktmo == "29638000"


def test_command_says_what_it_did_and_that_a_rerun_changed_nothing():
    first = run_command()
    second = run_command()

    assert "создано 26" in first
    assert "ничего не изменено" not in first
    assert "ничего не изменено" in second
    assert "создано 0" in second
    assert Municipality.objects.top_level().count() == 26


def test_region_counts_as_missing_until_every_body_is_there():
    load_region()
    Organization.objects.filter(name="Министерство спорта Калужской области").delete()
    assert not region_is_loaded()

    result = load_region()

    assert result.organizations.created == 1
    assert region_is_loaded()
