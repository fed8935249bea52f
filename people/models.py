"""The people directory: municipalities, organizations and the users who work in them."""

import datetime

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# A servant hired within this many days counts as "newly hired" (plan item 5.8) unless a rule says otherwise.
NEWLY_HIRED_DAYS = 365


class MunicipalityQuerySet(models.QuerySet):
    def top_level(self):
        return self.filter(parent__isnull=True)

    def with_settlements_of(self, municipality_ids):
        """The given municipalities and the settlements inside them."""
        return self.filter(models.Q(pk__in=municipality_ids) | models.Q(parent_id__in=municipality_ids))


def name_sort_key(name):
    """The one order of municipalities, organizations and people in every table and document: by the
    name as shown (a municipality's or organization's short name), case-insensitive, «ё» as «е»."""
    return str(name).lower().replace("ё", "е")


class Municipality(models.Model):
    class Kind(models.TextChoices):
        DISTRICT = "district", _("муниципальный район")
        MUNICIPAL_OKRUG = "municipal_okrug", _("муниципальный округ")
        URBAN_OKRUG = "urban_okrug", _("городской округ")
        URBAN_SETTLEMENT = "urban_settlement", _("городское поселение")
        RURAL_SETTLEMENT = "rural_settlement", _("сельское поселение")

    SETTLEMENT_KINDS = (Kind.URBAN_SETTLEMENT, Kind.RURAL_SETTLEMENT)

    name = models.CharField(_("название"), max_length=255, unique=True)
    short_name = models.CharField(
        _("краткое название"), max_length=120, blank=True, help_text=_("Например, «Бабынинский район».")
    )
    kind = models.CharField(_("вид"), max_length=32, choices=Kind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("муниципальный район"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="settlements",
        help_text=_("Для поселений: район, в который входит поселение."),
    )
    oktmo = models.CharField(_("код ОКТМО"), max_length=11, blank=True)
    center = models.CharField(_("административный центр"), max_length=120, blank=True)

    objects = MunicipalityQuerySet.as_manager()

    class Meta:
        verbose_name = _("муниципальное образование")
        verbose_name_plural = _("муниципальные образования")
        ordering = ["name"]

    def __str__(self):
        return self.short_name or self.name

    def clean(self):
        from django.core.exceptions import ValidationError

        if self.kind in self.SETTLEMENT_KINDS and self.parent_id is None:
            raise ValidationError({"parent": _("Для поселения укажите муниципальный район.")})
        if self.kind not in self.SETTLEMENT_KINDS and self.parent_id is not None:
            raise ValidationError({"parent": _("Район или округ не может входить в другое образование.")})


class Organization(models.Model):
    class Kind(models.TextChoices):
        AUTHORIZED_BODY = "authorized_body", _("уполномоченный орган")
        REGIONAL_EXECUTIVE = "regional_executive", _("исполнительный орган области")
        LOCAL_ADMINISTRATION = "local_administration", _("местная администрация")
        REPRESENTATIVE_BODY = "representative_body", _("представительный орган")
        MUNICIPAL_INSTITUTION = "municipal_institution", _("муниципальное учреждение")
        STATE_INSTITUTION = "state_institution", _("государственное учреждение")
        SUBORDINATE = "subordinate", _("подведомственная организация")

    name = models.CharField(_("название"), max_length=500)
    short_name = models.CharField(_("краткое название"), max_length=255, blank=True)
    kind = models.CharField(_("вид"), max_length=32, choices=Kind.choices)
    municipality = models.ForeignKey(
        Municipality,
        verbose_name=_("муниципальное образование"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="organizations",
        help_text=_("Пусто для региональных органов."),
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("вышестоящая организация"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )

    verbose_name_accusative = _("организацию")  # «Добавить организацию» (cms.admin_wording)

    class Meta:
        verbose_name = _("организация")
        verbose_name_plural = _("организации")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                Lower("name"), "municipality", name="organization_unique_name_in_municipality"
            ),
        ]

    def __str__(self):
        return self.short_name or self.name


class ServiceCategory(models.TextChoices):
    STATE_CIVIL = "state_civil", _("государственный гражданский служащий")
    MUNICIPAL = "municipal", _("муниципальный служащий")
    MUNICIPAL_OFFICE = "municipal_office", _("лицо, замещающее муниципальную должность")
    SUBORDINATE_EMPLOYEE = "subordinate_employee", _("работник подведомственной организации")
    OTHER = "other", _("иное")


class PersonQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)

    def update(self, **kwargs):
        """``update(is_active=True/False)`` also writes ``deactivated_at`` (Wagtail's bulk "set active
        state" and any other bulk code): deactivation dates the people it switches, keeping the date
        of those already inactive; activation clears it. An update that names ``deactivated_at`` itself,
        or sets ``is_active`` to an expression (``bulk_update``), is left as it is: the database check
        ``user_deactivated_at_iff_inactive`` refuses it if the two disagree."""
        active = kwargs.get("is_active")
        if "deactivated_at" in kwargs or not isinstance(active, bool):
            return super().update(**kwargs)
        if active:
            return super().update(**kwargs, deactivated_at=None)
        rest = {name: value for name, value in kwargs.items() if name != "is_active"}
        already = self.filter(is_active=False)
        count = already.update(**rest) if rest else already.count()
        return count + self.filter(is_active=True).update(**kwargs, deactivated_at=timezone.now())

    def deactivate(self, now=None):
        """Deactivate the active people among these (leavers), dating it; returns how many.

        Bulk code (the roster import) must use this, or set ``deactivated_at`` itself: the retention
        (:mod:`people.privacy`) counts a leaver's years from that date, and a database check refuses
        an inactive person without it.
        """
        return self.filter(is_active=True).update(is_active=False, deactivated_at=now or timezone.now())

    def reactivate(self):
        """Activate the inactive people among these (a leaver who came back); returns how many.
        Anonymized people stay inactive: nothing is left to bring back."""
        return self.filter(is_active=False, anonymized_at__isnull=True).update(
            is_active=True, deactivated_at=None
        )

    def past_retention(self, cutoff):
        """Inactive people deactivated before ``cutoff`` and not anonymized yet."""
        return self.filter(is_active=False, deactivated_at__lt=cutoff, anonymized_at__isnull=True)

    def newly_hired(self, days=NEWLY_HIRED_DAYS, today=None):
        today = today or timezone.localdate()
        return self.filter(hire_date__gt=today - datetime.timedelta(days=days), hire_date__lte=today)

    def in_municipalities(self, municipality_ids):
        """People of these municipalities, including the settlements inside them."""
        return self.filter(
            models.Q(municipality_id__in=municipality_ids)
            | models.Q(municipality__parent_id__in=municipality_ids)
        )


class PersonManager(UserManager.from_queryset(PersonQuerySet)):
    pass


class User(AbstractUser):
    """A person of the platform: servant, trainer or manager."""

    patronymic = models.CharField(_("отчество"), max_length=150, blank=True)
    personnel_number = models.CharField(
        _("табельный номер"),
        max_length=50,
        blank=True,
        help_text=_("Номер из кадрового реестра; по нему и по email находят человека при повторном импорте."),
    )
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("организация"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="people",
    )
    municipality = models.ForeignKey(
        Municipality,
        verbose_name=_("муниципальное образование"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="people",
    )
    category = models.CharField(
        _("категория"), max_length=32, choices=ServiceCategory.choices, default=ServiceCategory.OTHER
    )
    position = models.CharField(_("должность"), max_length=500, blank=True)
    hire_date = models.DateField(_("дата поступления на службу"), null=True, blank=True)
    has_procurement_duties = models.BooleanField(_("участвует в закупках"), default=False)
    has_anticorruption_duties = models.BooleanField(
        _("обязанности по противодействию коррупции"), default=False
    )
    is_hr_service = models.BooleanField(_("кадровая служба"), default=False)
    managed_municipality = models.ForeignKey(
        Municipality,
        verbose_name=_("курируемое муниципальное образование"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="managers",
        help_text=_("Для муниципального менеджера: образование, статистику которого он видит."),
    )
    deactivated_at = models.DateTimeField(
        _("деактивирован"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("Когда учётная запись стала неактивной; от этой даты считается срок хранения данных."),
    )
    directory_dn = models.CharField(
        _("запись в каталоге организации"),
        max_length=1000,
        blank=True,
        editable=False,
        help_text=_(
            "Имя записи (DN) в Active Directory / LDAP, с которой человек входит. Пока вход через "
            "каталог включён, пароль этого сайта у такой учётной записи не действует."
        ),
    )
    anonymized_at = models.DateTimeField(
        _("обезличен"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("Когда личные данные удалены по истечении срока хранения (остались только счётчики)."),
    )

    objects = PersonManager()

    class Meta:
        verbose_name = _("пользователь")
        verbose_name_plural = _("пользователи")
        ordering = ["last_name", "first_name", "patronymic"]
        constraints = [
            models.UniqueConstraint(
                Lower("email"), condition=~models.Q(email=""), name="user_unique_email_ci"
            ),
            models.UniqueConstraint(
                "personnel_number",
                condition=~models.Q(personnel_number=""),
                name="user_unique_personnel_number",
            ),
            # An inactive person always has the date the retention counts from, an active one none.
            models.CheckConstraint(
                condition=models.Q(is_active=True, deactivated_at__isnull=True)
                | models.Q(is_active=False, deactivated_at__isnull=False),
                name="user_deactivated_at_iff_inactive",
            ),
        ]
        indexes = [models.Index(fields=["municipality", "organization"])]
        permissions = [
            ("view_municipality_statistics", _("Видеть статистику своего муниципального образования")),
            ("view_region_statistics", _("Видеть статистику всей области")),
            ("import_people", _("Импортировать кадровые списки")),
        ]

    def __str__(self):
        return self.get_full_name() or self.username

    def save(self, *args, **kwargs):
        self.email = self.email.strip().lower()
        if self.organization_id and not self.municipality_id:
            self.municipality_id = self.organization.municipality_id
        if self.is_active:
            self.deactivated_at = None
        elif self.deactivated_at is None:
            self.deactivated_at = timezone.now()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "is_active" in update_fields:
            kwargs["update_fields"] = {*update_fields, "deactivated_at"}
        password_set = self._password is not None  # set_password() was called: cleared by the save
        super().save(*args, **kwargs)
        if password_set:
            # However the password was set (a code, the invitation link, a reset, the admin), the printed
            # one-time codes the person still holds stop working: a lost slip must not reopen the account.
            self.invitations.usable_codes().update(revoked_at=timezone.now())

    def get_full_name(self):
        return " ".join(part for part in (self.last_name, self.first_name, self.patronymic) if part)

    def get_short_name(self):
        """Фамилия И. О."""
        initials = "".join(f"{part[0]}." for part in (self.first_name, self.patronymic) if part)
        return f"{self.last_name} {initials}".strip() or self.username

    def is_newly_hired(self, days=NEWLY_HIRED_DAYS, today=None):
        if self.hire_date is None:
            return False
        today = today or timezone.localdate()
        return today - datetime.timedelta(days=days) < self.hire_date <= today


# Models kept in their own modules, imported here so that Django registers them.
from .audience import Audience  # noqa: E402, F401
from .broadcasts.models import Broadcast, BroadcastRecipient  # noqa: E402, F401
from .invitations.models import Invitation  # noqa: E402, F401
from .mail.models import OutgoingMail  # noqa: E402, F401
