"""The materials library listing: filters from the query string, applied on the server.

:func:`filter_listing` takes the GET parameters (``kind``, ``topic``, ``year``, ``q``) and a queryset of
visible materials and returns the form to redisplay and the matching materials, newest first. Unknown
or malformed values are ignored rather than failing the page.
"""

from dataclasses import dataclass

from django import forms
from django.core.paginator import Paginator
from django.utils.translation import gettext_lazy as _

from cms.models import MaterialKind, MaterialPage, MaterialTopic
from cms.search import search_words


class MaterialFilterForm(forms.Form):
    q = forms.CharField(label=_("Поиск по тексту"), required=False, max_length=200)
    kind = forms.ChoiceField(
        label=_("Вид материала"), required=False, choices=[("", _("Все виды")), *MaterialKind.choices]
    )
    topic = forms.ModelChoiceField(
        label=_("Тема"),
        required=False,
        queryset=MaterialTopic.objects.all(),
        to_field_name="slug",
        empty_label=_("Все темы"),
    )
    year = forms.TypedChoiceField(label=_("Год"), required=False, coerce=int, empty_value=None)

    def __init__(self, *args, years=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [("", _("Все годы")), *((year, year) for year in years)]

    def clean_q(self):
        return " ".join(self.cleaned_data["q"].split())


@dataclass
class Listing:
    form: MaterialFilterForm
    results: object  # a MaterialPage queryset, or search results when there is a text query
    querystring: str  # the active filters, for pagination links

    @property
    def is_filtered(self):
        return bool(self.querystring)


def search(materials, text):
    """Materials among ``materials`` that match ``text`` (Wagtail search), newest first; none when
    ``text`` has no word."""
    if not search_words(text):
        return MaterialPage.objects.none()
    return (
        MaterialPage.objects.filter(pk__in=materials.values("pk"))
        .order_by("-date", "-first_published_at")
        .search(search_words(text), operator="and", order_by_relevance=False)
    )


def filter_listing(params, materials=None):
    """Apply the valid filters in ``params`` (a QueryDict) to ``materials`` (default: all visible)."""
    if materials is None:
        materials = MaterialPage.objects.live().public()
    form = MaterialFilterForm(params, years=materials.years())
    form.is_valid()  # only the fields that validated are in cleaned_data
    data = form.cleaned_data

    results = materials
    if data.get("kind"):
        results = results.of_kind(data["kind"])
    if data.get("topic"):
        results = results.on_topic(data["topic"])
    if data.get("year"):
        results = results.of_year(data["year"])
    results = results.newest_first()
    if data.get("q"):
        results = search(results, data["q"])

    active = params.copy()
    active.pop("page", None)
    for key in list(active):
        if key not in form.fields or not data.get(key):
            active.pop(key)
    return Listing(form=form, results=results, querystring=active.urlencode())


def paginate(results, page_number, per_page):
    """The requested page of ``results``; a missing or out-of-range number gives the first or last page."""
    return Paginator(results, per_page).get_page(page_number)
