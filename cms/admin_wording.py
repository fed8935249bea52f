"""The Wagtail admin in correct Russian where Wagtail builds phrases from model names.

Wagtail puts a model's ``verbose_name`` (nominative) into phrases that need another case: its listings'
button «Add %(model_name)s» reads «Добавить категория вопросов». A model whose accusative differs from
its nominative (feminine nouns: «категорию вопросов», «аудиторию», «тему материалов») says so with a
plain class attribute (not a ``Meta`` option, so no migration)::

    class Category(models.Model):
        verbose_name_accusative = _("категорию вопросов")

and :func:`install` (``CmsConfig.ready``) makes every Wagtail listing's «Добавить …» button use it
(:func:`accusative` falls back to ``verbose_name``, which is right for masculine and neuter nouns).

Yes/no values of listings («Да» / «Нет», not True / False) and two English labels Wagtail's templates
write literally are in templates/wagtailadmin/ (copies of Wagtail's templates). Wagtail's other phrases
with a model name (the «… created.» message, «New: …», the empty listing) are
worded in our catalogue, locale/ru/LC_MESSAGES/django.po, so that they read with any model name.
Checked by tests/test_admin_language.py and tests/browser/test_admin_language.py.
"""

from django.utils.functional import cached_property
from django.utils.text import capfirst
from django.utils.translation import gettext


def accusative(model):
    """The model's name as the object of «Добавить»: ``verbose_name_accusative``, else ``verbose_name``."""
    return getattr(model, "verbose_name_accusative", None) or model._meta.verbose_name


def _add_item_label(view):
    if view.model:
        # Wagtail's Russian for "Add %(model_name)s" is «Добавить %(model_name)s»: the accusative goes in.
        return capfirst(gettext("Add %(model_name)s") % {"model_name": accusative(view.model)})
    return gettext("Add")


def install():
    """Every Wagtail listing of a model (``ModelViewSet``, snippets) names the model in the accusative on
    its «Добавить …» button. Views that set their own label (images, documents, users) keep it."""
    from wagtail.admin.views.generic.models import IndexView

    label = cached_property(_add_item_label)
    label.__set_name__(IndexView, "add_item_label")
    IndexView.add_item_label = label
