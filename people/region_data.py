"""Kaluga oblast as data: the top-level municipalities and the regional and local bodies.

Plain constants, loaded into the database by :func:`people.region.load_region`. Records are found by
``name``, so an edit of any other field here propagates on the next ``manage.py load_region``;
renaming a record creates a new one (rename it in the admin first).

OKTMO codes are left empty: fill them in only from the official classifier.
"""

from dataclasses import dataclass

DISTRICT = "district"
URBAN_OKRUG = "urban_okrug"


@dataclass(frozen=True)
class MunicipalityData:
    name: str
    short_name: str
    kind: str
    center: str
    # "of the district/town", used to build names of bodies: «Администрация Бабынинского района».
    genitive: str
    administration: str
    administration_short: str
    oktmo: str = ""


@dataclass(frozen=True)
class OrganizationData:
    name: str
    short_name: str


REGION_NAME = "Калужская область"

MUNICIPALITIES = [
    MunicipalityData(
        name="Муниципальный район «Бабынинский район»",
        short_name="Бабынинский район",
        kind=DISTRICT,
        center="село Бабынино",
        genitive="Бабынинского района",
        administration="Администрация муниципального района «Бабынинский район»",
        administration_short="Администрация Бабынинского района",
    ),
    MunicipalityData(
        name="Муниципальный район «Барятинский район»",
        short_name="Барятинский район",
        kind=DISTRICT,
        center="село Барятино",
        genitive="Барятинского района",
        administration="Администрация муниципального района «Барятинский район»",
        administration_short="Администрация Барятинского района",
    ),
    MunicipalityData(
        name="Муниципальный район «Боровский район»",
        short_name="Боровский район",
        kind=DISTRICT,
        center="город Боровск",
        genitive="Боровского района",
        administration="Администрация муниципального района «Боровский район»",
        administration_short="Администрация Боровского района",
    ),
    MunicipalityData(
        name="Муниципальный район «Дзержинский район»",
        short_name="Дзержинский район",
        kind=DISTRICT,
        center="город Кондрово",
        genitive="Дзержинского района",
        administration="Администрация муниципального района «Дзержинский район»",
        administration_short="Администрация Дзержинского района",
    ),
    MunicipalityData(
        name="Муниципальный район «Думиничский район»",
        short_name="Думиничский район",
        kind=DISTRICT,
        center="поселок Думиничи",
        genitive="Думиничского района",
        administration="Администрация муниципального района «Думиничский район»",
        administration_short="Администрация Думиничского района",
    ),
    MunicipalityData(
        name="Муниципальный район «Жиздринский район»",
        short_name="Жиздринский район",
        kind=DISTRICT,
        center="город Жиздра",
        genitive="Жиздринского района",
        administration="Администрация муниципального района «Жиздринский район»",
        administration_short="Администрация Жиздринского района",
    ),
    MunicipalityData(
        name="Муниципальный район «Жуковский район»",
        short_name="Жуковский район",
        kind=DISTRICT,
        center="город Жуков",
        genitive="Жуковского района",
        administration="Администрация муниципального района «Жуковский район»",
        administration_short="Администрация Жуковского района",
    ),
    MunicipalityData(
        name="Муниципальный район «Износковский район»",
        short_name="Износковский район",
        kind=DISTRICT,
        center="село Износки",
        genitive="Износковского района",
        administration="Администрация муниципального района «Износковский район»",
        administration_short="Администрация Износковского района",
    ),
    MunicipalityData(
        name="Муниципальный район «Город Киров и Кировский район»",
        short_name="Кировский район",
        kind=DISTRICT,
        center="город Киров",
        genitive="Кировского района",
        administration="Администрация муниципального района «Город Киров и Кировский район»",
        administration_short="Администрация Кировского района",
    ),
    MunicipalityData(
        name="Муниципальный район «Козельский район»",
        short_name="Козельский район",
        kind=DISTRICT,
        center="город Козельск",
        genitive="Козельского района",
        administration="Администрация муниципального района «Козельский район»",
        administration_short="Администрация Козельского района",
    ),
    MunicipalityData(
        name="Муниципальный район «Куйбышевский район»",
        short_name="Куйбышевский район",
        kind=DISTRICT,
        center="поселок Бетлица",
        genitive="Куйбышевского района",
        administration="Администрация муниципального района «Куйбышевский район»",
        administration_short="Администрация Куйбышевского района",
    ),
    MunicipalityData(
        name="Муниципальный район «Город Людиново и Людиновский район»",
        short_name="Людиновский район",
        kind=DISTRICT,
        center="город Людиново",
        genitive="Людиновского района",
        administration="Администрация муниципального района «Город Людиново и Людиновский район»",
        administration_short="Администрация Людиновского района",
    ),
    MunicipalityData(
        name="Муниципальный район «Малоярославецкий район»",
        short_name="Малоярославецкий район",
        kind=DISTRICT,
        center="город Малоярославец",
        genitive="Малоярославецкого района",
        administration="Администрация муниципального района «Малоярославецкий район»",
        administration_short="Администрация Малоярославецкого района",
    ),
    MunicipalityData(
        name="Муниципальный район «Медынский район»",
        short_name="Медынский район",
        kind=DISTRICT,
        center="город Медынь",
        genitive="Медынского района",
        administration="Администрация муниципального района «Медынский район»",
        administration_short="Администрация Медынского района",
    ),
    MunicipalityData(
        name="Муниципальный район «Мещовский район»",
        short_name="Мещовский район",
        kind=DISTRICT,
        center="город Мещовск",
        genitive="Мещовского района",
        administration="Администрация муниципального района «Мещовский район»",
        administration_short="Администрация Мещовского района",
    ),
    MunicipalityData(
        name="Муниципальный район «Мосальский район»",
        short_name="Мосальский район",
        kind=DISTRICT,
        center="город Мосальск",
        genitive="Мосальского района",
        administration="Администрация муниципального района «Мосальский район»",
        administration_short="Администрация Мосальского района",
    ),
    MunicipalityData(
        name="Муниципальный район «Перемышльский район»",
        short_name="Перемышльский район",
        kind=DISTRICT,
        center="село Перемышль",
        genitive="Перемышльского района",
        administration="Администрация муниципального района «Перемышльский район»",
        administration_short="Администрация Перемышльского района",
    ),
    MunicipalityData(
        name="Муниципальный район «Спас-Деменский район»",
        short_name="Спас-Деменский район",
        kind=DISTRICT,
        center="город Спас-Деменск",
        genitive="Спас-Деменского района",
        administration="Администрация муниципального района «Спас-Деменский район»",
        administration_short="Администрация Спас-Деменского района",
    ),
    MunicipalityData(
        name="Муниципальный район «Сухиничский район»",
        short_name="Сухиничский район",
        kind=DISTRICT,
        center="город Сухиничи",
        genitive="Сухиничского района",
        administration="Администрация муниципального района «Сухиничский район»",
        administration_short="Администрация Сухиничского района",
    ),
    MunicipalityData(
        name="Муниципальный район «Тарусский район»",
        short_name="Тарусский район",
        kind=DISTRICT,
        center="город Таруса",
        genitive="Тарусского района",
        administration="Администрация муниципального района «Тарусский район»",
        administration_short="Администрация Тарусского района",
    ),
    MunicipalityData(
        name="Муниципальный район «Ульяновский район»",
        short_name="Ульяновский район",
        kind=DISTRICT,
        center="село Ульяново",
        genitive="Ульяновского района",
        administration="Администрация муниципального района «Ульяновский район»",
        administration_short="Администрация Ульяновского района",
    ),
    MunicipalityData(
        name="Муниципальный район «Ферзиковский район»",
        short_name="Ферзиковский район",
        kind=DISTRICT,
        center="поселок Ферзиково",
        genitive="Ферзиковского района",
        administration="Администрация муниципального района «Ферзиковский район»",
        administration_short="Администрация Ферзиковского района",
    ),
    MunicipalityData(
        name="Муниципальный район «Хвастовичский район»",
        short_name="Хвастовичский район",
        kind=DISTRICT,
        center="село Хвастовичи",
        genitive="Хвастовичского района",
        administration="Администрация муниципального района «Хвастовичский район»",
        administration_short="Администрация Хвастовичского района",
    ),
    MunicipalityData(
        name="Муниципальный район «Юхновский район»",
        short_name="Юхновский район",
        kind=DISTRICT,
        center="город Юхнов",
        genitive="Юхновского района",
        administration="Администрация муниципального района «Юхновский район»",
        administration_short="Администрация Юхновского района",
    ),
    MunicipalityData(
        name="Городской округ «Город Калуга»",
        short_name="Город Калуга",
        kind=URBAN_OKRUG,
        center="город Калуга",
        genitive="города Калуги",
        administration="Городская Управа города Калуги",
        administration_short="Городская Управа города Калуги",
    ),
    MunicipalityData(
        name="Городской округ «Город Обнинск»",
        short_name="Город Обнинск",
        kind=URBAN_OKRUG,
        center="город Обнинск",
        genitive="города Обнинска",
        administration="Администрация города Обнинска",
        administration_short="Администрация города Обнинска",
    ),
]

# The regional body for the prevention of corruption and other offences: it runs the programme.
AUTHORIZED_BODY = OrganizationData(
    name="Администрация Губернатора Калужской области",
    short_name="Администрация Губернатора",
)

REGIONAL_EXECUTIVE_BODIES = [
    OrganizationData("Министерство финансов Калужской области", "Министерство финансов"),
    OrganizationData(
        "Министерство образования и науки Калужской области", "Министерство образования и науки"
    ),
    OrganizationData("Министерство здравоохранения Калужской области", "Министерство здравоохранения"),
    OrganizationData(
        "Министерство труда и социальной защиты Калужской области", "Министерство труда и социальной защиты"
    ),
    OrganizationData(
        "Министерство экономического развития и промышленности Калужской области",
        "Министерство экономического развития и промышленности",
    ),
    OrganizationData(
        "Министерство строительства и жилищно-коммунального хозяйства Калужской области",
        "Министерство строительства и ЖКХ",
    ),
    OrganizationData(
        "Министерство сельского хозяйства Калужской области", "Министерство сельского хозяйства"
    ),
    OrganizationData("Министерство культуры Калужской области", "Министерство культуры"),
    OrganizationData(
        "Министерство природных ресурсов и экологии Калужской области",
        "Министерство природных ресурсов и экологии",
    ),
    OrganizationData(
        "Министерство дорожного хозяйства Калужской области", "Министерство дорожного хозяйства"
    ),
    OrganizationData(
        "Министерство конкурентной политики Калужской области", "Министерство конкурентной политики"
    ),
    OrganizationData(
        "Министерство внутренней политики и массовых коммуникаций Калужской области",
        "Министерство внутренней политики и массовых коммуникаций",
    ),
    OrganizationData("Министерство цифрового развития Калужской области", "Министерство цифрового развития"),
    OrganizationData("Министерство спорта Калужской области", "Министерство спорта"),
]
