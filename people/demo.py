"""Demo people for ``manage.py demo_data``: servants all over the region and four fixed accounts.

Other apps add their demo content (courses, quizzes, events) without ``people`` importing them:
they call :func:`register_builder` in their ``AppConfig.ready`` with a callable
``builder(stdout, options)``; the command runs :func:`build_people` first and then every builder
in the order of registration.

Mass servants get the login ``servant00001`` … ``servantNNNNN``; everything about servant number
*i* (name, place, position, dates, flags) comes from a random generator seeded with ``(seed, i)``,
so a rerun skips the ones that exist and a larger ``--servants`` only tops the list up.
"""

import datetime
import random
from dataclasses import dataclass, field

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from . import region_data
from .models import Municipality, Organization, ServiceCategory, User
from .region import LoadResult, sync_organization
from .roles import Role, assign_role, group_for

DEMO_PASSWORD = "antikor-demo"
SERVANT_PREFIX = "servant"
EMAIL_DOMAIN = "demo.example"  # reserved for examples (RFC 2606): mail to it goes nowhere

# --- registry of builders from other apps ------------------------------------------------------

_BUILDERS = {}  # builder -> order


def register_builder(builder, order=100):
    """Register ``builder(stdout, options)`` to run after the demo people exist (idempotent). Builders run
    by ``order``, then in the order they were registered: a builder that needs what others make (the
    annual report needs the plan, courses, events and campaigns) registers a later order."""
    _BUILDERS.setdefault(builder, order)
    return builder


def registered_builders():
    return sorted(_BUILDERS, key=_BUILDERS.get)


def run_builders(stdout, options):
    for builder in registered_builders():
        builder(stdout, options)


# --- names -------------------------------------------------------------------------------------

MALE_FIRST_NAMES = [
    "Александр", "Сергей", "Андрей", "Алексей", "Дмитрий", "Михаил", "Владимир", "Николай", "Евгений",
    "Игорь", "Олег", "Павел", "Юрий", "Виктор", "Максим", "Иван", "Роман", "Денис", "Антон", "Артём",
    "Константин", "Вадим", "Геннадий", "Василий", "Анатолий", "Илья", "Никита", "Кирилл", "Станислав",
    "Виталий",
]  # fmt: skip

FEMALE_FIRST_NAMES = [
    "Елена", "Ольга", "Татьяна", "Наталья", "Ирина", "Светлана", "Марина", "Анна", "Юлия", "Екатерина",
    "Мария", "Людмила", "Галина", "Надежда", "Валентина", "Оксана", "Виктория", "Анастасия", "Дарья",
    "Ксения", "Алёна", "Евгения", "Вера", "Любовь", "Лариса", "Нина", "Маргарита", "Полина", "Кристина",
    "Елизавета",
]  # fmt: skip

# (for a son, for a daughter)
PATRONYMICS = [
    ("Александрович", "Александровна"), ("Сергеевич", "Сергеевна"), ("Андреевич", "Андреевна"),
    ("Алексеевич", "Алексеевна"), ("Дмитриевич", "Дмитриевна"), ("Михайлович", "Михайловна"),
    ("Владимирович", "Владимировна"), ("Николаевич", "Николаевна"), ("Евгеньевич", "Евгеньевна"),
    ("Игоревич", "Игоревна"), ("Олегович", "Олеговна"), ("Павлович", "Павловна"), ("Юрьевич", "Юрьевна"),
    ("Викторович", "Викторовна"), ("Иванович", "Ивановна"), ("Петрович", "Петровна"),
    ("Васильевич", "Васильевна"), ("Анатольевич", "Анатольевна"), ("Геннадьевич", "Геннадьевна"),
    ("Валерьевич", "Валерьевна"), ("Борисович", "Борисовна"), ("Григорьевич", "Григорьевна"),
    ("Фёдорович", "Фёдоровна"), ("Константинович", "Константиновна"), ("Леонидович", "Леонидовна"),
    ("Вячеславович", "Вячеславовна"), ("Ильич", "Ильинична"), ("Никитич", "Никитична"),
    ("Романович", "Романовна"), ("Станиславович", "Станиславовна"),
]  # fmt: skip

# Male forms; :func:`feminine_last_name` gives the female form.
LAST_NAMES = [
    "Иванов", "Смирнов", "Кузнецов", "Попов", "Васильев", "Петров", "Соколов", "Михайлов", "Новиков",
    "Фёдоров", "Морозов", "Волков", "Алексеев", "Лебедев", "Семёнов", "Егоров", "Павлов", "Козлов",
    "Степанов", "Николаев", "Орлов", "Андреев", "Макаров", "Никитин", "Захаров", "Зайцев", "Соловьёв",
    "Борисов", "Яковлев", "Григорьев", "Романов", "Воробьёв", "Сергеев", "Кузьмин", "Фролов",
    "Александров", "Дмитриев", "Королёв", "Гусев", "Киселёв", "Ильин", "Максимов", "Поляков", "Сорокин",
    "Виноградов", "Ковалёв", "Белов", "Медведев", "Антонов", "Тарасов", "Жуков", "Баранов", "Филиппов",
    "Комаров", "Давыдов", "Беляев", "Герасимов", "Богданов", "Осипов", "Сидоров", "Матвеев", "Титов",
    "Марков", "Миронов", "Крылов", "Куликов", "Карпов", "Власов", "Мельников", "Денисов", "Гаврилов",
    "Тихонов", "Казаков", "Афанасьев", "Данилов", "Савельев", "Тимофеев", "Фомин", "Чернов", "Абрамов",
    "Мартынов", "Ефимов", "Федотов", "Щербаков", "Назаров", "Калинин", "Исаев", "Быков", "Маслов",
    "Родионов", "Коновалов", "Лазарев", "Воронин", "Климов", "Филатов", "Пономарёв", "Голубев",
    "Кудрявцев", "Прохоров", "Наумов", "Потапов", "Журавлёв", "Трофимов", "Леонов", "Соболев", "Ермаков",
    "Колесников", "Гончаров", "Никифоров", "Котов", "Гришин", "Ефремов", "Архипов", "Громов", "Кириллов",
    "Малышев", "Панов", "Моисеев", "Румянцев", "Акимов", "Кондратьев", "Бирюков", "Горбунов", "Галкин",
    "Лукьянов", "Скворцов", "Юдин", "Белоусов", "Нестеров", "Симонов", "Цветков", "Логинов", "Краснов",
    "Островский", "Покровский", "Успенский", "Вишневский", "Трубецкой", "Толстой", "Черных", "Седых",
    "Шевченко", "Бондаренко", "Ткачук", "Кравец",
]  # fmt: skip


def feminine_last_name(last_name):
    """The female form of a Russian last name given in the male form (indeclinable ones stay)."""
    if last_name.endswith(("ов", "ев", "ёв", "ин", "ын")):
        return last_name + "а"
    if last_name.endswith(("ский", "цкий", "ской", "цкой")):
        return last_name[:-2] + "ая"
    if last_name.endswith("ой"):
        return last_name[:-2] + "ая"
    return last_name


_TRANSLIT = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh", "з": "z", "и": "i",
    "й": "i", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t",
    "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "ie", "ы": "y",
    "ь": "", "э": "e", "ю": "iu", "я": "ia",
}  # fmt: skip


def transliterate(text):
    """Latin spelling of a Russian word as in Russian passports (for demo email addresses)."""
    return "".join(_TRANSLIT.get(char, char) for char in text.lower())


# --- places and positions ----------------------------------------------------------------------

# How many demo servants a municipality gets relative to a small district.
SIZE_WEIGHTS = {"Город Калуга": 8, "Город Обнинск": 4}
LARGER_DISTRICTS = {
    "Боровский район", "Дзержинский район", "Жуковский район", "Малоярославецкий район", "Козельский район",
    "Людиновский район", "Кировский район", "Сухиничский район",
}  # fmt: skip

# Share of mass servants in regional bodies (state civil servants); the rest work in municipalities.
REGIONAL_SHARE = 0.15
NEWLY_HIRED_SHARE = 0.12

REPRESENTATIVE_BODIES = {
    "Город Калуга": ("Городская Дума города Калуги", "Городская Дума"),
    "Город Обнинск": ("Обнинское городское Собрание", "Городское Собрание"),
}


@dataclass(frozen=True)
class Department:
    name: str  # in the genitive, to follow a title: «Главный специалист отдела …»
    procurement: bool = False
    anticorruption: bool = False
    hr: bool = False
    weight: int = 2  # how often a servant works here, relative to other departments


@dataclass(frozen=True)
class Institution:
    name: str
    short_name: str
    positions: tuple  # (position, has procurement duties)


MUNICIPAL_DEPARTMENTS = [
    Department("отдела экономического развития"),
    Department("финансового отдела"),
    Department("отдела образования"),
    Department("отдела социальной защиты населения"),
    Department("отдела архитектуры и градостроительства"),
    Department("отдела по управлению муниципальным имуществом"),
    Department("юридического отдела"),
    Department("организационного отдела"),
    Department("отдела жилищно-коммунального хозяйства"),
    Department("отдела сельского хозяйства"),
    Department("отдела муниципальных закупок", procurement=True),
    Department(
        "отдела кадровой работы и профилактики коррупционных правонарушений",
        anticorruption=True,
        hr=True,
        weight=1,
    ),
    Department("отдела кадров", hr=True, weight=1),
]
MUNICIPAL_TITLES = [
    ("Начальник", 8),
    ("Заместитель начальника", 6),
    ("Главный специалист", 30),
    ("Ведущий специалист", 30),
    ("Специалист 1 категории", 20),
]

REGIONAL_DEPARTMENTS = [
    Department("отдела правового обеспечения"),
    Department("отдела бюджетного планирования и отчётности"),
    Department("отдела государственных закупок", procurement=True),
    Department("отдела контрольно-ревизионной работы"),
    Department("отдела организационной работы"),
    Department("отдела государственной службы и кадров", anticorruption=True, hr=True, weight=1),
    Department("отдела реализации государственных программ"),
]
AUTHORIZED_BODY_DEPARTMENTS = [
    Department("управления по профилактике коррупционных и иных правонарушений", anticorruption=True),
    Department("управления государственной службы и кадров", hr=True),
    Department("отдела правового обеспечения"),
]
REGIONAL_TITLES = [
    ("Начальник", 6),
    ("Заместитель начальника", 6),
    ("Консультант", 25),
    ("Главный специалист-эксперт", 25),
    ("Ведущий эксперт", 20),
    ("Главный эксперт", 10),
]

INSTITUTIONS = [
    Institution(
        "Муниципальное казённое учреждение «Централизованная бухгалтерия» %(of)s",
        "МКУ «Централизованная бухгалтерия»",
        (("Главный бухгалтер", False), ("Бухгалтер", False), ("Экономист", False), ("Бухгалтер", False)),
    ),
    Institution(
        "Муниципальное казённое учреждение «Служба заказчика» %(of)s",
        "МКУ «Служба заказчика»",
        (
            ("Директор", True),
            ("Контрактный управляющий", True),
            ("Специалист по закупкам", True),
            ("Инженер", False),
        ),
    ),
    Institution(
        "Муниципальное казённое учреждение «Единая дежурно-диспетчерская служба» %(of)s",
        "МКУ «ЕДДС»",
        (("Начальник", False), ("Оперативный дежурный", False), ("Оперативный дежурный", False)),
    ),
]


@dataclass
class MunicipalPlace:
    municipality: Municipality
    weight: int
    administration: Organization
    representative_body: Organization
    institutions: list  # of (Organization, Institution)


@dataclass
class Places:
    municipalities: list  # of MunicipalPlace
    authorized_body: Organization
    regional_bodies: list  # of Organization


def ensure_demo_organizations(tally):
    """Representative bodies and municipal institutions for every municipality of the region data."""
    authorized_body = Organization.objects.get(name=region_data.AUTHORIZED_BODY.name, municipality=None)
    regional_bodies = list(
        Organization.objects.filter(
            municipality=None,
            name__in=[body.name for body in region_data.REGIONAL_EXECUTIVE_BODIES],
        ).order_by("name")
    )
    places = []
    by_name = {data.name: data for data in region_data.MUNICIPALITIES}
    for municipality in Municipality.objects.filter(name__in=by_name).order_by("name"):
        data = by_name[municipality.name]
        administration = Organization.objects.get(municipality=municipality, name=data.administration)
        rep_name, rep_short = REPRESENTATIVE_BODIES.get(
            data.short_name, (f"Районное Собрание {data.genitive}", "Районное Собрание")
        )
        representative_body = sync_organization(
            rep_name, rep_short, Organization.Kind.REPRESENTATIVE_BODY, municipality, tally
        )
        institutions = [
            (
                sync_organization(
                    institution.name % {"of": data.genitive},
                    institution.short_name,
                    Organization.Kind.MUNICIPAL_INSTITUTION,
                    municipality,
                    tally,
                    parent=administration,
                ),
                institution,
            )
            for institution in INSTITUTIONS
        ]
        weight = SIZE_WEIGHTS.get(data.short_name, 2 if data.short_name in LARGER_DISTRICTS else 1)
        places.append(MunicipalPlace(municipality, weight, administration, representative_body, institutions))
    return Places(places, authorized_body, regional_bodies)


# --- mass servants -----------------------------------------------------------------------------


def servant_username(number):
    return f"{SERVANT_PREFIX}{number:05d}"


def _weighted(rng, pairs):
    values, weights = zip(*pairs, strict=True)
    return rng.choices(values, weights)[0]


def _department(rng, departments):
    return _weighted(rng, [(department, department.weight) for department in departments])


def _titled(rng, titles, department):
    return f"{_weighted(rng, titles)} {department.name}"


def make_servant(number, places, seed, today):
    """Servant number ``number`` (unsaved); the same arguments always give the same person."""
    rng = random.Random(f"{seed}:{number}")
    female = rng.random() < 0.65
    last_name = rng.choice(LAST_NAMES)
    patronymic = rng.choice(PATRONYMICS)
    if female:
        first_name, last_name, patronymic = (
            rng.choice(FEMALE_FIRST_NAMES),
            feminine_last_name(last_name),
            patronymic[1],
        )
    else:
        first_name, patronymic = rng.choice(MALE_FIRST_NAMES), patronymic[0]

    procurement = anticorruption = hr = False
    municipality = None
    if rng.random() < REGIONAL_SHARE:
        category = ServiceCategory.STATE_CIVIL
        if rng.random() < 0.1:
            organization, departments = places.authorized_body, AUTHORIZED_BODY_DEPARTMENTS
        else:
            organization, departments = rng.choice(places.regional_bodies), REGIONAL_DEPARTMENTS
        department = _department(rng, departments)
        position = _titled(rng, REGIONAL_TITLES, department)
        procurement, anticorruption, hr = department.procurement, department.anticorruption, department.hr
    else:
        place = _weighted(rng, [(place, place.weight) for place in places.municipalities])
        municipality = place.municipality
        where = rng.random()
        if where < 0.72:
            organization = place.administration
            category = ServiceCategory.MUNICIPAL
            if rng.random() < 0.03:
                position = "Заместитель главы администрации"
            else:
                department = _department(rng, MUNICIPAL_DEPARTMENTS)
                position = _titled(rng, MUNICIPAL_TITLES, department)
                procurement, anticorruption, hr = (
                    department.procurement,
                    department.anticorruption,
                    department.hr,
                )
        elif where < 0.82:
            organization = place.representative_body
            if rng.random() < 0.7:
                category = ServiceCategory.MUNICIPAL_OFFICE
                position = "Глава муниципального образования" if rng.random() < 0.05 else "Депутат"
            else:
                category = ServiceCategory.MUNICIPAL
                position = f"{_weighted(rng, MUNICIPAL_TITLES[2:])} аппарата представительного органа"
        else:
            organization, institution = rng.choice(place.institutions)
            category = ServiceCategory.SUBORDINATE_EMPLOYEE
            position, procurement = rng.choice(institution.positions)

    # Members of procurement commissions and those checking declarations, beyond the departments.
    procurement = procurement or rng.random() < 0.05
    anticorruption = anticorruption or rng.random() < 0.02
    if rng.random() < NEWLY_HIRED_SHARE:
        hire_date = today - datetime.timedelta(days=rng.randint(1, 360))
    else:
        hire_date = today - datetime.timedelta(days=rng.randint(366, 30 * 365))

    username = servant_username(number)
    login = ".".join([transliterate(last_name), transliterate(first_name)[0] + transliterate(patronymic)[0]])
    return User(
        username=username,
        email=f"{login}.{number:05d}@{EMAIL_DOMAIN}",
        last_name=last_name,
        first_name=first_name,
        patronymic=patronymic,
        personnel_number=f"Д-{number:06d}",
        organization=organization,
        municipality=municipality,
        category=category,
        position=position,
        hire_date=hire_date,
        has_procurement_duties=procurement,
        has_anticorruption_duties=anticorruption,
        is_hr_service=hr,
    )


def create_servants(count, places, seed, password_hash, today=None):
    """Create the missing servants among numbers 1…count; return (created, already there)."""
    today = today or timezone.localdate()
    existing = set(
        User.objects.filter(username__startswith=SERVANT_PREFIX).values_list("username", flat=True)
    )
    wanted = [number for number in range(1, count + 1) if servant_username(number) not in existing]
    new = []
    for number in wanted:
        servant = make_servant(number, places, seed, today)
        servant.password = password_hash
        new.append(servant)
    User.objects.bulk_create(new, batch_size=500)

    names = {servant.username for servant in new}
    ids = [
        pk
        for pk, username in User.objects.filter(username__startswith=SERVANT_PREFIX).values_list(
            "pk", "username"
        )
        if username in names
    ]
    group = group_for(Role.SERVANT)
    membership = User.groups.through
    membership.objects.bulk_create(
        [membership(user_id=pk, group_id=group.pk) for pk in ids], batch_size=1000, ignore_conflicts=True
    )
    return len(new), count - len(wanted)


# --- fixed accounts ----------------------------------------------------------------------------


@dataclass(frozen=True)
class DemoAccount:
    username: str
    role: str
    last_name: str
    first_name: str
    patronymic: str
    position: str
    category: str
    # "authorized_body", or the name of a municipality whose local administration employs the person.
    workplace: str
    manages_workplace: bool = False
    hire_days_ago: int = 5 * 365
    extra: dict = field(default_factory=dict)


OBNINSK = "Городской округ «Город Обнинск»"

DEMO_ACCOUNTS = [
    DemoAccount(
        username="trainer",
        role=Role.TRAINER,
        last_name="Смирнова",
        first_name="Елена",
        patronymic="Викторовна",
        position="Консультант управления по профилактике коррупционных и иных правонарушений",
        category=ServiceCategory.STATE_CIVIL,
        workplace="authorized_body",
        extra={"has_anticorruption_duties": True},
    ),
    DemoAccount(
        username="organizer",
        role=Role.ORGANIZER,
        last_name="Захарова",
        first_name="Мария",
        patronymic="Александровна",
        position="Главный специалист управления по профилактике коррупционных и иных правонарушений",
        category=ServiceCategory.STATE_CIVIL,
        workplace="authorized_body",
        extra={"has_anticorruption_duties": True},
    ),
    DemoAccount(
        username="region",
        role=Role.REGIONAL_MANAGER,
        last_name="Орлов",
        first_name="Андрей",
        patronymic="Николаевич",
        position="Начальник управления по профилактике коррупционных и иных правонарушений",
        category=ServiceCategory.STATE_CIVIL,
        workplace="authorized_body",
        extra={"has_anticorruption_duties": True},
    ),
    DemoAccount(
        username="obninsk",
        role=Role.MUNICIPAL_MANAGER,
        last_name="Кузнецова",
        first_name="Ольга",
        patronymic="Сергеевна",
        position="Заведующий отделом кадров",
        category=ServiceCategory.MUNICIPAL,
        workplace=OBNINSK,
        manages_workplace=True,
        extra={"has_anticorruption_duties": True, "is_hr_service": True},
    ),
    DemoAccount(
        username="servant",
        role=Role.SERVANT,
        last_name="Петров",
        first_name="Павел",
        patronymic="Игоревич",
        position="Ведущий специалист отдела муниципальных закупок",
        category=ServiceCategory.MUNICIPAL,
        workplace=OBNINSK,
        hire_days_ago=120,  # newly hired
        extra={"has_procurement_duties": True},
    ),
]


def ensure_account(account, places, password_hash, today=None):
    """Create or refresh a fixed demo account; its password is reset so the printed table holds."""
    today = today or timezone.localdate()
    if account.workplace == "authorized_body":
        organization, municipality = places.authorized_body, None
    else:
        place = next(p for p in places.municipalities if p.municipality.name == account.workplace)
        organization, municipality = place.administration, place.municipality
    user = User.objects.filter(username=account.username).first()
    created = user is None
    if created:
        user = User(
            username=account.username,
            last_name=account.last_name,
            first_name=account.first_name,
            patronymic=account.patronymic,
            email=f"{account.username}@{EMAIL_DOMAIN}",
            position=account.position,
            category=account.category,
            hire_date=today - datetime.timedelta(days=account.hire_days_ago),
            **account.extra,
        )
    user.organization = organization
    user.municipality = municipality
    user.managed_municipality = municipality if account.manages_workplace else None
    user.is_active = True
    user.password = password_hash
    user.save()
    assign_role(user, account.role)
    return user, created


# --- the whole people part ---------------------------------------------------------------------


@dataclass
class DemoResult:
    organizations: LoadResult
    servants_created: int = 0
    servants_existing: int = 0
    accounts_created: int = 0
    accounts: list = field(default_factory=list)  # of (DemoAccount, User)

    def summary_lines(self):
        tally = self.organizations.organizations
        return [
            _(
                "Представительные органы и муниципальные учреждения: создано %(created)d, "
                "без изменений %(kept)d."
            )
            % {"created": tally.created, "kept": tally.unchanged + tally.updated},
            _("Слушатели: создано %(created)d, уже были %(existing)d.")
            % {"created": self.servants_created, "existing": self.servants_existing},
            _("Демонстрационные учётные записи: создано %(created)d, обновлено %(updated)d.")
            % {"created": self.accounts_created, "updated": len(self.accounts) - self.accounts_created},
        ]


@transaction.atomic
def build_people(servants=300, seed=1, password=DEMO_PASSWORD):
    """Demo organizations, ``servants`` mass servants and the fixed accounts (region must be loaded)."""
    result = DemoResult(LoadResult())
    places = ensure_demo_organizations(result.organizations.organizations)
    password_hash = make_password(password)  # hashed once, shared by every demo account
    result.servants_created, result.servants_existing = create_servants(servants, places, seed, password_hash)
    for account in DEMO_ACCOUNTS:
        user, created = ensure_account(account, places, password_hash)
        result.accounts_created += created
        result.accounts.append((account, user))
    return result


def credentials_rows(result, password, servants):
    """Rows (login, password, role, where) of the demo credentials table."""
    rows = []
    for account, user in result.accounts:
        rows.append((account.username, password, str(Role(account.role).label), str(user.organization)))
    if servants:
        rows.append(
            (
                f"{servant_username(1)} … {servant_username(servants)}",
                password,
                str(Role.SERVANT.label),
                _("по всей области"),
            )
        )
    return rows
