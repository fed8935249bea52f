"""Who a campaign, an assignment or an event is meant for.

An :class:`Audience` is a saved rule over the people directory. Criteria of different kinds are
combined with AND, the values of one kind with OR; an explicit roster of people is added on top.
An audience with no criteria and no roster matches nobody (never "everybody by accident").

    audience.members()                       # a User queryset, evaluated in the database
    Scope.for_user(manager).people(audience.members())   # what a manager may see of it
"""

import datetime

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import Municipality, Organization, ServiceCategory, User


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

    def members(self, today=None):
        """Active people matching the rule, plus the explicit roster."""
        condition = self.rule_condition(today)
        roster = models.Q(pk__in=self.people.values("pk"))
        combined = roster if condition is None else (condition | roster)
        return User.objects.active().filter(combined)

    def includes(self, user, today=None):
        return self.members(today).filter(pk=user.pk).exists()
