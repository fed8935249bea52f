"""RSS 2.0 and Atom feeds of a materials library: its latest published materials, newest first.

Served by the library page itself (``<library>/rss/`` and ``<library>/atom/``), so Wagtail's privacy
rules for the library apply; private or unpublished materials never appear.
"""

from django.contrib.syndication.views import Feed
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _


class MaterialsRssFeed(Feed):
    def get_object(self, request, library):
        self.request = request
        return library

    def title(self, library):
        return library.title

    def link(self, library):
        return library.get_url(self.request)

    def description(self, library):
        return _(
            "Новые методические рекомендации, обзоры судебной практики и информационные письма "
            "по вопросам противодействия коррупции."
        )

    def items(self, library):
        return library.materials().newest_first().prefetch_related("topics")[: library.feed_length]

    def item_title(self, material):
        return material.title

    def item_description(self, material):
        return material.summary or material.requisites

    def item_link(self, material):
        return material.get_url(self.request)

    def item_pubdate(self, material):
        return material.published_at

    def item_updateddate(self, material):
        return material.last_published_at or material.published_at

    def item_author_name(self, material):
        return material.issuing_body

    def item_categories(self, material):
        return [material.get_kind_display(), *(topic.name for topic in material.topics.all())]


class MaterialsAtomFeed(MaterialsRssFeed):
    feed_type = Atom1Feed

    def subtitle(self, library):
        return self.description(library)
