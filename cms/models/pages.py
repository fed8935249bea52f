from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from cms.blocks import BaseStreamBlock

from ..slugs import TransliteratedSlugMixin


class HomePage(TransliteratedSlugMixin, RoutablePageMixin, Page):
    intro = RichTextField(_("вступление"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    max_count = 1
    parent_page_types = ["wagtailcore.Page"]

    class Meta:
        verbose_name = _("главная страница")

    @path("search/", name="search")
    def search_view(self, request):
        """The site search (``/search/?q=…``): published, public pages of this site only."""
        from cms.materials import paginate
        from cms.search import PER_PAGE, SearchForm, search_pages

        form = SearchForm(request.GET)
        text = form.cleaned_data["q"] if form.is_valid() else ""
        results = (
            paginate(search_pages(text, site_root=self), request.GET.get("page"), PER_PAGE) if text else None
        )
        return self.render(
            request,
            template="cms/search.html",
            context_overrides={"form": form, "query_text": text, "results": results},
        )


class StandardPage(TransliteratedSlugMixin, Page):
    intro = models.TextField(_("краткое описание"), blank=True)
    body = StreamField(BaseStreamBlock(), verbose_name=_("текст"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("body")]
    search_fields = [*Page.search_fields, index.SearchField("intro"), index.SearchField("body")]
    parent_page_types = ["cms.HomePage", "cms.StandardPage"]

    class Meta:
        verbose_name = _("текстовая страница")
        verbose_name_plural = _("текстовые страницы")
