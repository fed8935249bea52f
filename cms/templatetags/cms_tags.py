from django import template
from wagtail.models import Page, Site

register = template.Library()


@register.simple_tag(takes_context=True)
def main_menu(context):
    """Live, public pages directly under the site's home page that are marked «показывать в меню»."""
    request = context.get("request")
    site = Site.find_for_request(request) if request else None
    if site is None:
        return []
    return list(site.root_page.get_children().live().public().in_menu().only("title", "url_path"))


@register.filter
def is_cms_page(value):
    """Is this a Wagtail page (a page of the site's tree, where the editor's toolbar helps), not a view's
    paginator page or nothing? The base template shows the Wagtail userbar only then: it weighs ~1 MB."""
    return isinstance(value, Page)
