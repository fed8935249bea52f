"""Roles of the platform as Django groups with permissions.

Groups are created (and their permissions brought up to date) after every ``migrate`` by
``people.signals``; code refers to roles through :class:`Role`, never by a literal group name.
"""

from django.contrib.auth.models import Group, Permission
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    SERVANT = "servant", _("Слушатель")
    TRAINER = "trainer", _("Преподаватель")
    ORGANIZER = "organizer", _("Организатор мероприятий")
    MUNICIPAL_MANAGER = "municipal_manager", _("Муниципальный менеджер")
    REGIONAL_MANAGER = "regional_manager", _("Региональный менеджер")
    JURY = "jury", _("Член жюри")


# The group name shown in the admin for each role.
GROUP_NAMES = {
    Role.SERVANT: "Слушатели",
    Role.TRAINER: "Преподаватели",
    Role.ORGANIZER: "Организаторы мероприятий",
    Role.MUNICIPAL_MANAGER: "Муниципальные менеджеры",
    Role.REGIONAL_MANAGER: "Региональные менеджеры",
    Role.JURY: "Члены жюри",
}

_CONTENT = [
    "wagtailadmin.access_admin",
    "wagtailimages.add_image",
    "wagtailimages.change_image",
    "wagtailimages.choose_image",
    "wagtaildocs.add_document",
    "wagtaildocs.change_document",
    "wagtaildocs.choose_document",
    "cms.view_plan",
    "cms.view_plansection",
    "cms.view_planitem",
]

# The question bank and quizzes, edited by trainers in the Wagtail admin ("Тестирование").
_QUESTION_BANK_MODELS = [
    "category",
    "question",
    "singlechoicequestion",
    "multiplechoicequestion",
    "truefalsequestion",
    "shorttextquestion",
    "numericquestion",
    "matchingquestion",
    "essayquestion",
    "choice",
    "matchingpair",
    "quiz",
    "quizquestion",
    "quizdraw",
]
_QUESTION_BANK = [
    f"quizzes.{action}_{model}"
    for model in _QUESTION_BANK_MODELS
    for action in ("add", "change", "view", "delete")
]
# Grading essays: the queue shows answers without names, so it gives no access to people.
_GRADING = ["quizzes.view_response", "quizzes.change_response"]
_CAMPAIGNS = [f"quizzes.{action}_testcampaign" for action in ("add", "change", "view", "delete")]
_ASSIGNMENTS = [f"courses.{action}_assignment" for action in ("add", "change", "view", "delete")]

# Permissions are "app_label.codename". Later apps extend these lists for their own models.
ROLE_PERMISSIONS = {
    Role.SERVANT: [],
    Role.TRAINER: [*_CONTENT, *_QUESTION_BANK, *_GRADING, "quizzes.view_testcampaign"],
    # Organizers see the registrations and attendance of every event, check people in and moderate the
    # live Q&A (events.models.EventPage.can_organize); that is done on the site's event pages, so the
    # role needs no admin permission. Writing event pages is the trainers' right, a separate role.
    Role.ORGANIZER: [],
    # A municipal manager also runs their own municipality (people.ownership): its roster import (limited
    # to it), its audiences, and campaigns and course assignments for them. Nothing is deleted by them.
    Role.MUNICIPAL_MANAGER: [
        "wagtailadmin.access_admin",
        "people.view_municipality_statistics",
        "people.import_people",
        "people.add_audience",
        "people.change_audience",
        "people.view_audience",
        *(f"quizzes.{action}_testcampaign" for action in ("add", "change", "view")),
        *(f"courses.{action}_assignment" for action in ("add", "change", "view")),
    ],
    Role.REGIONAL_MANAGER: [
        *_CONTENT,
        *_QUESTION_BANK,
        *_GRADING,
        *_CAMPAIGNS,
        *_ASSIGNMENTS,
        "people.view_municipality_statistics",
        "people.view_region_statistics",
        "people.import_people",
        "people.add_audience",
        "people.change_audience",
        "people.view_audience",
        "cms.add_plan",
        "cms.change_plan",
        "cms.add_plansection",
        "cms.change_plansection",
        "cms.add_planitem",
        "cms.change_planitem",
        # topics of consultations (events.consultations): the questions themselves are on site pages
        "events.add_consultationtopic",
        "events.change_consultationtopic",
        "events.view_consultationtopic",
        # the students' contest (events.contest, docs/contest.md): the contest itself in the admin
        "events.add_contest",
        "events.change_contest",
        "events.view_contest",
    ],
    # Jury of the students' contest: scores anonymised works on the contest's own pages (events.contest);
    # no admin and no people.
    Role.JURY: [],
}


def group_for(role):
    return Group.objects.get_or_create(name=GROUP_NAMES[Role(role)])[0]


def _permissions(names):
    wanted = [name.split(".", 1) for name in names]
    found = Permission.objects.filter(
        content_type__app_label__in={app for app, _ in wanted}, codename__in={code for _, code in wanted}
    ).select_related("content_type")
    return [p for p in found if [p.content_type.app_label, p.codename] in wanted]


def ensure_roles():
    """Create the role groups and give each exactly the permissions listed above (idempotent)."""
    for role, names in ROLE_PERMISSIONS.items():
        group = group_for(role)
        group.permissions.set(_permissions(names))


def missing_permissions():
    """Permission names listed for a role that do not exist (a typo, or an app not migrated)."""
    missing = []
    for names in ROLE_PERMISSIONS.values():
        found = {f"{p.content_type.app_label}.{p.codename}" for p in _permissions(names)}
        missing += [name for name in names if name not in found]
    return sorted(set(missing))


def roles_of(user):
    """The set of roles a user holds (a superuser counts as regional manager and trainer)."""
    if not user.is_authenticated:
        return set()
    names = {name: role for role, name in GROUP_NAMES.items()}
    held = {names[g.name] for g in user.groups.all() if g.name in names}
    if user.is_superuser:
        held |= {Role.REGIONAL_MANAGER, Role.TRAINER}
    return held


def assign_role(user, role):
    user.groups.add(group_for(role))
