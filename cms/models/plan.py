"""The registry of anti-corruption plans: a plan, its sections and its items (мероприятия).

Courses, events, campaigns, quizzes and materials link to :class:`PlanItem` so that every training
activity is reported against the plan (chiefly items 5.1–5.9).

There is one plan per year. An item keeps its links across years where the numbering stays: item N of
the plan of year Y *continues* item N (same section) of the previous plan in the registry, which may
continue an older one in turn. An activity linked to any item of that chain counts under item N of
year Y (:meth:`PlanItem.continued_items`); whether it falls into the reported period is the report's
business. A renumbered or missing item breaks the chain.
"""

import re

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.search import index

# The years a plan may cover (reports refuse periods outside 2000–2100 as well).
FIRST_PLAN_YEAR, LAST_PLAN_YEAR = 2000, 2100
# "5.2" (a trailing dot, as in the decree's table, is allowed by the readers, never stored).
ITEM_NUMBER_RE = re.compile(r"^(?P<section>\d+)\.(?P<index>\d+)$")


class Plan(index.Indexed, models.Model):
    title = models.CharField(_("название"), max_length=500)
    year = models.PositiveSmallIntegerField(
        _("год"),
        unique=True,
        validators=[MinValueValidator(FIRST_PLAN_YEAR), MaxValueValidator(LAST_PLAN_YEAR)],
        help_text=_("Год, на который утверждён план. На каждый год — один план."),
    )
    act_issuer = models.CharField(_("кем утвержден"), max_length=255)
    act_kind = models.CharField(_("вид акта"), max_length=120, default="Постановление")
    act_date = models.DateField(_("дата акта"))
    act_number = models.CharField(_("номер акта"), max_length=30)
    act_title = models.CharField(_("название акта"), max_length=500)

    panels = [
        FieldPanel("title"),
        FieldPanel("year"),
        FieldPanel("act_issuer"),
        FieldPanel("act_kind"),
        FieldPanel("act_date"),
        FieldPanel("act_number"),
        FieldPanel("act_title"),
    ]
    search_fields = [index.SearchField("title"), index.FilterField("year")]

    class Meta:
        verbose_name = _("план противодействия коррупции")
        verbose_name_plural = _("планы противодействия коррупции")
        ordering = ["-year"]

    def __str__(self):
        return self.title

    @property
    def act_reference(self):
        """E.g. "Постановление Губернатора Калужской области от 07.12.2023 N 587"."""
        return f"{self.act_kind} {self.act_issuer} от {self.act_date:%d.%m.%Y} N {self.act_number}"


class PlanSectionManager(models.Manager):
    def get_queryset(self):
        return super().get_queryset().select_related("plan")


class PlanSection(models.Model):
    plan = models.ForeignKey(Plan, verbose_name=_("план"), on_delete=models.CASCADE, related_name="sections")
    number = models.PositiveSmallIntegerField(_("номер раздела"))
    title = models.TextField(_("название раздела"))

    objects = PlanSectionManager()

    panels = [FieldPanel("plan"), FieldPanel("number"), FieldPanel("title")]

    class Meta:
        verbose_name = _("раздел плана")
        verbose_name_plural = _("разделы плана")
        ordering = ["plan", "number"]
        constraints = [models.UniqueConstraint("plan", "number", name="plansection_unique_number")]

    def __str__(self):
        # Several years' plans share section numbers: the year tells them apart in choosers and lists.
        return f"{self.number}. {self.title} ({self.plan.year})"


class PlanItemQuerySet(models.QuerySet):
    def of_year(self, year):
        return self.filter(section__plan__year=year)

    def training(self):
        """Items of section 5 about education, seminars and professional development (5.1, 5.2, 5.7–5.9)."""
        return self.filter(section__number=5, number__in=["5.1", "5.2", "5.7", "5.8", "5.9"])


class PlanItemManager(models.Manager.from_queryset(PlanItemQuerySet)):
    # Every label of an item names its plan's year: join the two small tables once.
    def get_queryset(self):
        return super().get_queryset().select_related("section__plan")


class PlanItem(index.Indexed, models.Model):
    section = models.ForeignKey(
        PlanSection, verbose_name=_("раздел"), on_delete=models.CASCADE, related_name="items"
    )
    number = models.CharField(_("номер"), max_length=10, help_text=_("Например, 5.2"))
    position = models.PositiveSmallIntegerField(_("порядок в разделе"), default=0, editable=False)
    title = models.TextField(_("наименование мероприятия"))
    deadline = models.TextField(_("сроки реализации"))
    executors = models.TextField(_("ответственные исполнители"))

    objects = PlanItemManager()

    panels = [
        FieldPanel("section"),
        FieldPanel("number"),
        FieldPanel("title"),
        FieldPanel("deadline"),
        FieldPanel("executors"),
    ]
    search_fields = [
        index.SearchField("number", boost=3),
        index.SearchField("title"),
        index.AutocompleteField("number"),
        index.AutocompleteField("title"),
        index.FilterField("section"),
    ]

    class Meta:
        verbose_name = _("мероприятие плана")
        verbose_name_plural = _("мероприятия плана")
        ordering = ["section__plan", "section__number", "position"]
        constraints = [models.UniqueConstraint("section", "number", name="planitem_unique_number")]

    def __str__(self):
        return f"{self.number} ({self.section.plan.year}) {self.title}"

    def save(self, *args, **kwargs):
        # "5.10" sorts after "5.9": keep the numeric tail as the position.
        tail = self.number.rsplit(".", 1)[-1]
        if tail.isdigit():
            self.position = int(tail)
        super().save(*args, **kwargs)

    def clean(self):
        super().clean()
        self.number = self.number.strip().rstrip(".")
        match = ITEM_NUMBER_RE.match(self.number)
        if not match:
            raise ValidationError(
                {"number": _("Номер мероприятия пишется как «5.2»: номер раздела, точка, номер.")}
            )
        if self.section_id is not None and int(match["section"]) != self.section.number:
            raise ValidationError(
                {
                    "number": _("Мероприятие %(item)s не может стоять в разделе %(section)s.")
                    % {"item": self.number, "section": self.section.number}
                }
            )

    def continued_items(self):
        """This item and the items of earlier plans it continues: item N (same section) of the previous
        plan in the registry, of the plan before that, … while every plan on the way has item N.
        Activities linked to any of them count under this item."""
        year = self.section.plan.year
        same_number = {
            item.section.plan.year: item
            for item in PlanItem.objects.filter(
                number=self.number, section__number=self.section.number, section__plan__year__lte=year
            )
        }
        chain = []
        for plan_year in Plan.objects.filter(year__lte=year).order_by("-year").values_list("year", flat=True):
            if plan_year not in same_number:
                break
            chain.append(same_number[plan_year])
        return chain

    @property
    def plan(self):
        return self.section.plan
