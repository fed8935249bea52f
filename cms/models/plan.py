"""The registry of anti-corruption plans: a plan, its sections and its items (мероприятия).

Courses, events and campaigns link to :class:`PlanItem` so that every training activity is
reported against the plan (chiefly items 5.1–5.9).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.search import index


class Plan(index.Indexed, models.Model):
    title = models.CharField(_("название"), max_length=500)
    year = models.PositiveSmallIntegerField(_("год"), unique=True)
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


class PlanSection(models.Model):
    plan = models.ForeignKey(Plan, verbose_name=_("план"), on_delete=models.CASCADE, related_name="sections")
    number = models.PositiveSmallIntegerField(_("номер раздела"))
    title = models.TextField(_("название раздела"))

    panels = [FieldPanel("plan"), FieldPanel("number"), FieldPanel("title")]

    class Meta:
        verbose_name = _("раздел плана")
        verbose_name_plural = _("разделы плана")
        ordering = ["plan", "number"]
        constraints = [models.UniqueConstraint("plan", "number", name="plansection_unique_number")]

    def __str__(self):
        return f"{self.number}. {self.title}"


class PlanItemQuerySet(models.QuerySet):
    def of_year(self, year):
        return self.filter(section__plan__year=year)

    def training(self):
        """Items of section 5 about education, seminars and professional development (5.1, 5.2, 5.7–5.9)."""
        return self.filter(section__number=5, number__in=["5.1", "5.2", "5.7", "5.8", "5.9"])


class PlanItem(index.Indexed, models.Model):
    section = models.ForeignKey(
        PlanSection, verbose_name=_("раздел"), on_delete=models.CASCADE, related_name="items"
    )
    number = models.CharField(_("номер"), max_length=10, help_text=_("Например, 5.2"))
    position = models.PositiveSmallIntegerField(_("порядок в разделе"), default=0, editable=False)
    title = models.TextField(_("наименование мероприятия"))
    deadline = models.TextField(_("сроки реализации"))
    executors = models.TextField(_("ответственные исполнители"))

    objects = PlanItemQuerySet.as_manager()

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
        return f"{self.number} {self.title}"

    def save(self, *args, **kwargs):
        # "5.10" sorts after "5.9": keep the numeric tail as the position.
        tail = self.number.rsplit(".", 1)[-1]
        if tail.isdigit():
            self.position = int(tail)
        super().save(*args, **kwargs)

    @property
    def plan(self):
        return self.section.plan
