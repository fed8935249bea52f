"""Who a campaign, an assignment or an event is meant for.

An :class:`Audience` is a saved rule over the people directory. Criteria of different kinds are
combined with AND, the values of one kind with OR; an explicit roster of people is added on top.
An audience with no criteria and no roster matches nobody (never "everybody by accident").

    audience.members()                       # a User queryset, evaluated in the database
    Scope.for_user(manager).people(audience.members())   # what a manager may see of it
    audience.includes(person)                # one person: one query
    Campaign.objects.annotate(**Audience.membership_facts('"campaign"."audience_id"', person))
                                             # ... or none, read along with the campaign row

The rule exists three times: as a condition over all people (:meth:`Audience.rule_condition`, for
:meth:`~Audience.members`), for one person already loaded (:meth:`Audience.includes`: the facts
that need the many-to-many tables come from the database, the rest is compared in Python), and as
one SQL condition over the audience's row for one person whose values are bound
(:meth:`Audience.admission_sql`, for a statement that must decide and act in the database, the
synchronized start's). ``people/tests/test_audience.py`` checks that the three agree.
"""

import dataclasses
import datetime

from django.db import connection, models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import Municipality, Organization, ServiceCategory, User


@dataclasses.dataclass(frozen=True)
class NamedValue:
    """A parameter of a statement written once: the name of the person's value to bind there."""

    name: str


class _NamedValues:
    """Stands for a person in :meth:`Audience.membership_facts`: each attribute is its name."""

    def __getattr__(self, name):
        return NamedValue(name)


class Audience(models.Model):
    title = models.CharField(_("название"), max_length=255, blank=True)
    municipalities = models.ManyToManyField(
        Municipality,
        verbose_name=_("муниципальные образования"),
        blank=True,
        related_name="+",
        help_text=_("Вместе с поселениями, входящими в выбранные районы."),
    )
    organizations = models.ManyToManyField(
        Organization, verbose_name=_("организации"), blank=True, related_name="+"
    )
    categories = models.JSONField(
        _("категории"),
        default=list,
        blank=True,
        help_text=_("Коды категорий служащих; пусто — любые."),
    )
    procurement_only = models.BooleanField(_("только участвующие в закупках"), default=False)
    anticorruption_only = models.BooleanField(
        _("только с обязанностями по противодействию коррупции"), default=False
    )
    hr_only = models.BooleanField(_("только кадровые службы"), default=False)
    hired_within_days = models.PositiveIntegerField(
        _("впервые поступившие на службу за последние N дней"), null=True, blank=True
    )
    people = models.ManyToManyField(User, verbose_name=_("поимённый список"), blank=True, related_name="+")
    owner_municipality = models.ForeignKey(
        Municipality,
        verbose_name=_("муниципальное образование-владелец"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_(
            "Аудитория муниципального менеджера: в неё входят только люди этого муниципального "
            "образования и его поселений, что бы ни говорило правило или поимённый список."
        ),
    )

    # What the rule needs to know about one person from the many-to-many tables (membership_facts()).
    MEMBERSHIP_FACTS = (
        "has_municipalities",
        "in_municipalities",
        "has_organizations",
        "in_organizations",
        "on_roster",
        "in_owner_municipality",
    )

    verbose_name_accusative = _("аудиторию")  # «Добавить аудиторию» (cms.admin_wording)

    class Meta:
        verbose_name = _("аудитория")
        verbose_name_plural = _("аудитории")

    def __str__(self):
        return self.title or _("Аудитория №%(pk)s") % {"pk": self.pk}

    def clean(self):
        from django.core.exceptions import ValidationError

        unknown = set(self.categories) - set(ServiceCategory.values)
        if unknown:
            raise ValidationError(
                {"categories": _("Неизвестные категории: %(codes)s") % {"codes": ", ".join(sorted(unknown))}}
            )

    def rule_condition(self, today=None):
        """The rule part as a Q over User, or None when the rule has no criteria."""
        conditions = []
        municipality_ids = list(self.municipalities.values_list("pk", flat=True))
        if municipality_ids:
            conditions.append(
                models.Q(municipality_id__in=municipality_ids)
                | models.Q(municipality__parent_id__in=municipality_ids)
            )
        organization_ids = list(self.organizations.values_list("pk", flat=True))
        if organization_ids:
            conditions.append(models.Q(organization_id__in=organization_ids))
        if self.categories:
            conditions.append(models.Q(category__in=self.categories))
        if self.procurement_only:
            conditions.append(models.Q(has_procurement_duties=True))
        if self.anticorruption_only:
            conditions.append(models.Q(has_anticorruption_duties=True))
        if self.hr_only:
            conditions.append(models.Q(is_hr_service=True))
        if self.hired_within_days is not None:
            today = today or timezone.localdate()
            since = today - datetime.timedelta(days=self.hired_within_days)
            conditions.append(models.Q(hire_date__gt=since, hire_date__lte=today))
        if not conditions:
            return None
        combined = conditions[0]
        for condition in conditions[1:]:
            combined &= condition
        return combined

    def owner_condition(self):
        """The limit of a municipal manager's audience as a Q over User (None: a regional audience)."""
        owner = self.owner_municipality_id
        if owner is None:
            return None
        return models.Q(municipality_id=owner) | models.Q(municipality__parent_id=owner)

    def members(self, today=None):
        """Active people matching the rule, plus the explicit roster; for an audience of a municipality,
        only its people."""
        condition = self.rule_condition(today)
        roster = models.Q(pk__in=self.people.values("pk"))
        combined = roster if condition is None else (condition | roster)
        owner = self.owner_condition()
        if owner is not None:
            combined &= owner
        return User.objects.active().filter(combined)

    def includes(self, user, today=None, facts=None):
        """Is ``user`` a member (active, and matching the rule or on the roster)?

        One query, which also reads the person afresh; none when the caller passes ``facts``, the
        :meth:`membership_facts` of ``user`` and this audience read along with another query (then
        ``user`` is judged as loaded).
        """
        if facts is None:
            user = (
                User.objects.filter(pk=user.pk).annotate(**self.membership_facts(self.pk, prefix="_")).first()
            )
            if user is None:
                return False
            facts = {name: getattr(user, "_" + name) for name in self.MEMBERSHIP_FACTS}
        if not user.is_active or not facts["in_owner_municipality"]:
            return False
        if facts["on_roster"]:
            return True
        # The same criteria as rule_condition(), for this one person.
        checks = []
        if facts["has_municipalities"]:
            checks.append(facts["in_municipalities"])
        if facts["has_organizations"]:
            checks.append(facts["in_organizations"])
        if self.categories:
            checks.append(user.category in self.categories)
        if self.procurement_only:
            checks.append(user.has_procurement_duties)
        if self.anticorruption_only:
            checks.append(user.has_anticorruption_duties)
        if self.hr_only:
            checks.append(user.is_hr_service)
        if self.hired_within_days is not None:
            today = today or timezone.localdate()
            since = today - datetime.timedelta(days=self.hired_within_days)
            checks.append(user.hire_date is not None and since < user.hire_date <= today)
        return bool(checks) and all(checks)

    # The person's values :meth:`admission_sql` binds, by name (:meth:`admission_values`).
    ADMISSION_VALUES = (
        "is_active",
        "id",
        "municipality_id",
        "organization_id",
        "category",
        "has_procurement_duties",
        "has_anticorruption_duties",
        "is_hr_service",
        "days_since_hire",
    )

    @classmethod
    def admission_values(cls, user, today=None):
        """The values of ``user`` that :meth:`admission_sql`'s parameters name."""
        values = {name: getattr(user, name) for name in cls.ADMISSION_VALUES if name != "days_since_hire"}
        today = today or timezone.localdate()
        values["days_since_hire"] = None if user.hire_date is None else (today - user.hire_date).days
        return values

    @classmethod
    def admission_sql(cls, audience):
        """:meth:`includes` as one SQL condition (never NULL): is the person whose
        :meth:`admission_values` are bound a member of the audience whose pk is the SQL ``audience``
        (a column of the query it goes into)? Returns the SQL and the names of its parameters, in order.
        The person is judged as loaded; the audience, its lists and its roster as the database has them.
        """
        quote = connection.ops.quote_name
        rule = "au"  # short: the statement it goes into stays under psycopg's cache of parsed queries

        def column(name):
            return f"{rule}.{quote(name)}"

        person = _NamedValues()
        facts = cls.membership_facts(column("id"), person)
        fact = {name: (facts[name].sql, list(facts[name].params)) for name in cls.MEMBERSHIP_FACTS}
        categories = column("categories")
        if connection.vendor == "postgresql":
            has_categories = f"jsonb_array_length({categories}) > 0"
            in_categories = f"{categories} @> jsonb_build_array(%s::text)"
        else:
            has_categories = f"json_array_length({categories}) > 0"
            in_categories = f"EXISTS (SELECT 1 FROM json_each({categories}) listed WHERE listed.value = %s)"
        has_rule = (
            f"{fact['has_municipalities'][0]} OR {fact['has_organizations'][0]} OR {has_categories}"
            f" OR {column('procurement_only')} OR {column('anticorruption_only')} OR {column('hr_only')}"
            f" OR {column('hired_within_days')} IS NOT NULL"
        )
        # the same criteria as rule_condition() and includes(): each applies when the rule has it
        checks = (
            f"(NOT {fact['has_municipalities'][0]} OR {fact['in_municipalities'][0]})"
            f" AND (NOT {fact['has_organizations'][0]} OR {fact['in_organizations'][0]})"
            f" AND (NOT {has_categories} OR {in_categories})"
            f" AND (NOT {column('procurement_only')} OR %s)"
            f" AND (NOT {column('anticorruption_only')} OR %s)"
            f" AND (NOT {column('hr_only')} OR %s)"
            f" AND ({column('hired_within_days')} IS NULL"
            f" OR COALESCE(%s >= 0 AND %s < {column('hired_within_days')}, FALSE))"
        )
        # owner_condition(): a regional audience, or the person of the owner municipality or its settlement
        owner = column("owner_municipality_id")
        in_owner = (
            f"({owner} IS NULL OR {owner} = %s OR {owner} = (SELECT own.{quote('parent_id')}"
            f" FROM {quote(Municipality._meta.db_table)} own WHERE own.{quote('id')} = %s))"
        )
        sql = (
            f"EXISTS (SELECT 1 FROM {quote(cls._meta.db_table)} {rule} WHERE {column('id')} = {audience}"
            f" AND %s AND {in_owner}"
            f" AND ({fact['on_roster'][0]} OR (({has_rule}) AND {checks})))"
        )
        params = [
            NamedValue("is_active"),
            NamedValue("municipality_id"),
            NamedValue("municipality_id"),
            *fact["on_roster"][1],
            *fact["has_municipalities"][1],
            *fact["has_organizations"][1],
            *fact["has_municipalities"][1],
            *fact["in_municipalities"][1],
            *fact["has_organizations"][1],
            *fact["in_organizations"][1],
            NamedValue("category"),
            NamedValue("has_procurement_duties"),
            NamedValue("has_anticorruption_duties"),
            NamedValue("is_hr_service"),
            NamedValue("days_since_hire"),
            NamedValue("days_since_hire"),
        ]
        assert sql.count("%s") == len(params)
        names = [param.name for param in params]
        assert set(names) <= set(cls.ADMISSION_VALUES)
        return sql, names

    @classmethod
    def membership_facts(cls, audience, user=None, prefix=""):
        """The :attr:`MEMBERSHIP_FACTS` of a person in an audience as boolean SQL expressions named
        ``prefix + fact``, to annotate one query with; see :meth:`includes`.

        ``audience``: the audience's pk, or the SQL of a column of the annotated query holding it
        (e.g. ``'"quizzes_testcampaign"."audience_id"'``). ``user``: a loaded person, or None for the
        person of the annotated query (a ``User`` query). Raw SQL on purpose: the start of a campaign
        builds these for every person, and compiling five ORM subqueries cost more CPU than the three
        queries they replace.
        """
        quote = connection.ops.quote_name
        columns = ("id", "municipality_id", "organization_id")
        if user is None:
            people = quote(User._meta.db_table)
            person = [(f"{people}.{quote(column)}", []) for column in columns]
        else:
            person = [("%s", [getattr(user, column)]) for column in columns]
        (user_id, user_params), (town, town_params), (organization, organization_params) = person
        audience_sql, audience_params = (audience, []) if isinstance(audience, str) else ("%s", [audience])
        towns = quote(Municipality._meta.db_table)

        def exists(field, condition="", params=()):
            table = quote(getattr(cls, field).through._meta.db_table)
            return models.expressions.RawSQL(
                f"EXISTS (SELECT 1 FROM {table} m2m WHERE m2m.{quote('audience_id')} = {audience_sql}"
                f"{condition})",
                [*audience_params, *params],
                output_field=models.BooleanField(),
            )

        facts = {
            "has_municipalities": exists("municipalities"),
            # the person's municipality, or the district of their settlement
            "in_municipalities": exists(
                "municipalities",
                f" AND (m2m.{quote('municipality_id')} = {town} OR m2m.{quote('municipality_id')} ="
                f" (SELECT own.{quote('parent_id')} FROM {towns} own WHERE own.{quote('id')} = {town}))",
                [*town_params, *town_params],
            ),
            "has_organizations": exists("organizations"),
            "in_organizations": exists(
                "organizations", f" AND m2m.{quote('organization_id')} = {organization}", organization_params
            ),
            "on_roster": exists("people", f" AND m2m.{quote('user_id')} = {user_id}", user_params),
            # a regional audience, or the person is of the owner municipality or one of its settlements
            "in_owner_municipality": models.expressions.RawSQL(
                f"EXISTS (SELECT 1 FROM {quote(cls._meta.db_table)} own_audience"
                f" WHERE own_audience.{quote('id')} = {audience_sql}"
                f" AND (own_audience.{quote('owner_municipality_id')} IS NULL"
                f" OR own_audience.{quote('owner_municipality_id')} = {town}"
                f" OR own_audience.{quote('owner_municipality_id')} ="
                f" (SELECT own.{quote('parent_id')} FROM {towns} own WHERE own.{quote('id')} = {town})))",
                [*audience_params, *town_params, *town_params],
                output_field=models.BooleanField(),
            ),
        }
        return {prefix + name: expression for name, expression in facts.items()}
