"""The materials library: methodological recommendations, court practice, information letters.

The authorized body sends such documents to municipalities; here they are published as pages under one
:class:`MaterialIndexPage`, which lists them with filters and offers RSS and Atom feeds.
"""

import datetime

from django import forms
from django.db import models
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel, MultipleChooserPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.documents import get_document_model_string
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page, PageManager, PageQuerySet
from wagtail.search import index
from wagtail.snippets.models import register_snippet

from cms.blocks import BaseStreamBlock
from cms.slugs import TransliteratedSlugMixin
from cms.widgets import PlanItemsWidget

DEFAULT_ISSUING_BODY = "Администрация Губернатора Калужской области"


class MaterialKind(models.TextChoices):
    METHODOLOGICAL = "methodological", _("Методические рекомендации")
    COURT_PRACTICE = "court_practice", _("Судебная практика")
    INFORMATION_LETTER = "information_letter", _("Информационное письмо")
    LEGISLATION_REVIEW = "legislation_review", _("Обзор изменений законодательства")
    # Published from an answered consultation (events.consultations), anonymised.
    FAQ = "faq", _("Ответ на вопрос")
    OTHER = "other", _("Иное")


@register_snippet
class MaterialTopic(models.Model):
    name = models.CharField(_("название"), max_length=150, unique=True)
    slug = models.SlugField(
        _("адрес в ссылке"),
        max_length=150,
        unique=True,
        allow_unicode=True,
        blank=True,
        help_text=_("Используется в адресе отбора по теме; если пусто, составляется из названия."),
    )

    panels = [FieldPanel("name"), FieldPanel("slug")]

    verbose_name_accusative = _("тему материалов")  # «Добавить тему материалов» (cms.admin_wording)

    class Meta:
        verbose_name = _("тема материалов")
        verbose_name_plural = _("темы материалов")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = slugify(self.name, allow_unicode=True)[:150]
        super().save(*args, **kwargs)


class MaterialIndexPage(TransliteratedSlugMixin, RoutablePageMixin, Page):
    """The library: a filtered, paginated listing of its materials and their feeds."""

    show_in_menus_default = True

    intro = RichTextField(_("вступление"), blank=True, features=["bold", "italic", "link", "document-link"])

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    search_fields = [*Page.search_fields, index.SearchField("intro")]
    parent_page_types = ["cms.HomePage"]
    subpage_types = ["cms.MaterialPage"]
    max_count = 1

    per_page = 20
    feed_length = 50

    class Meta:
        verbose_name = _("библиотека материалов")
        verbose_name_plural = _("библиотеки материалов")

    def materials(self):
        """Published materials of this library that anonymous visitors may see."""
        return MaterialPage.objects.child_of(self).live().public()

    def get_context(self, request, *args, **kwargs):
        from cms.materials import filter_listing, paginate

        context = super().get_context(request, *args, **kwargs)
        listing = filter_listing(request.GET, self.materials())
        context["listing"] = listing
        context["materials"] = paginate(listing.results, request.GET.get("page"), self.per_page)
        return context

    @path("rss/", name="rss")
    def rss_feed(self, request):
        from cms.feeds import MaterialsRssFeed

        return MaterialsRssFeed()(request, library=self)

    @path("atom/", name="atom")
    def atom_feed(self, request):
        from cms.feeds import MaterialsAtomFeed

        return MaterialsAtomFeed()(request, library=self)


class MaterialPageQuerySet(PageQuerySet):
    def of_kind(self, kind):
        return self.filter(kind=kind)

    def of_year(self, year):
        return self.filter(date__year=year)

    def on_topic(self, topic):
        return self.filter(topics=topic)

    def newest_first(self):
        return self.order_by("-date", "-first_published_at", "-pk")

    def years(self):
        """Years that have materials, newest first."""
        return [day.year for day in self.dates("date", "year", order="DESC")]


MaterialPageManager = PageManager.from_queryset(MaterialPageQuerySet)


class MaterialPage(TransliteratedSlugMixin, Page):
    kind = models.CharField(_("вид материала"), max_length=32, choices=MaterialKind.choices)
    date = models.DateField(_("дата документа"), default=timezone.localdate)
    number = models.CharField(
        _("номер документа"), max_length=64, blank=True, help_text=_("Например: № 12-01/123")
    )
    issuing_body = models.CharField(_("кем издан"), max_length=255, default=DEFAULT_ISSUING_BODY)
    summary = models.TextField(
        _("краткое содержание"), blank=True, help_text=_("Показывается в списке материалов и в рассылке.")
    )
    body = StreamField(BaseStreamBlock(), verbose_name=_("текст"), blank=True)
    topics = ParentalManyToManyField(
        MaterialTopic, verbose_name=_("темы"), blank=True, related_name="materials"
    )
    plan_items = ParentalManyToManyField(
        "cms.PlanItem",
        verbose_name=_("мероприятия плана"),
        blank=True,
        related_name="materials",
        help_text=_("Мероприятия плана противодействия коррупции, во исполнение которых издан материал."),
    )

    objects = MaterialPageManager()

    content_panels = [
        *Page.content_panels,
        MultiFieldPanel(
            [
                FieldPanel("kind"),
                FieldRowPanel([FieldPanel("date"), FieldPanel("number")]),
                FieldPanel("issuing_body"),
            ],
            heading=_("Реквизиты"),
        ),
        FieldPanel("summary"),
        FieldPanel("body"),
        MultipleChooserPanel(
            "documents", chooser_field_name="document", label=_("Прикреплённые документы"), heading=_("Файлы")
        ),
        FieldPanel("topics", widget=forms.CheckboxSelectMultiple),
        FieldPanel("plan_items", widget=PlanItemsWidget),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("number"),
        index.SearchField("issuing_body"),
        index.SearchField("body"),
        index.AutocompleteField("number"),
        index.FilterField("kind"),
        index.FilterField("date"),
        index.RelatedFields("topics", [index.SearchField("name")]),
    ]
    parent_page_types = ["cms.MaterialIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("материал")
        verbose_name_plural = _("материалы")

    @property
    def requisites(self):
        """E.g. "Информационное письмо от 12.03.2024 № 12-01/123"."""
        parts = [self.get_kind_display(), gettext("от %(date)s") % {"date": self.date.strftime("%d.%m.%Y")}]
        if self.number:
            parts.append(self.number)
        return " ".join(parts)

    @property
    def published_at(self):
        """The document date as an aware datetime (midnight, local time), for feeds."""
        return timezone.make_aware(datetime.datetime.combine(self.date, datetime.time.min))


class MaterialDocument(Orderable):
    page = ParentalKey(MaterialPage, on_delete=models.CASCADE, related_name="documents")
    document = models.ForeignKey(
        get_document_model_string(), verbose_name=_("документ"), on_delete=models.CASCADE, related_name="+"
    )
    title = models.CharField(
        _("название ссылки"),
        max_length=255,
        blank=True,
        help_text=_("Если пусто, берётся название документа."),
    )

    panels = [FieldPanel("document"), FieldPanel("title")]

    class Meta(Orderable.Meta):
        verbose_name = _("прикреплённый документ")
        verbose_name_plural = _("прикреплённые документы")

    def __str__(self):
        return self.display_title

    @property
    def display_title(self):
        return self.title or self.document.title
