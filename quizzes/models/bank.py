"""The question bank's tree of categories (topic → subtopic) and its tags."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from taggit.models import TaggedItemBase


class CategoryQuerySet(models.QuerySet):
    def roots(self):
        return self.filter(parent__isnull=True)


class Category(models.Model):
    name = models.CharField(_("название"), max_length=255)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("родительская категория"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    description = models.TextField(_("описание"), blank=True)

    verbose_name_accusative = _("категорию вопросов")  # «Добавить категорию вопросов» (cms.admin_wording)
    objects = CategoryQuerySet.as_manager()

    class Meta:
        verbose_name = _("категория вопросов")
        verbose_name_plural = _("категории вопросов")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint("parent", "name", name="category_unique_name_in_parent"),
            models.UniqueConstraint(
                "name", condition=models.Q(parent__isnull=True), name="category_unique_root_name"
            ),
        ]

    def __str__(self):
        return self.full_name

    def clean(self):
        if self.pk and self.parent_id and self.parent_id in {self.pk, *self.descendant_ids()}:
            raise ValidationError({"parent": _("Категория не может входить сама в себя.")})

    @property
    def path(self):
        """Ancestors from the root down to this category (inclusive)."""
        chain, node, seen = [], self, set()
        while node is not None and node.pk not in seen:
            seen.add(node.pk)
            chain.append(node)
            node = node.parent
        return chain[::-1]

    @property
    def full_name(self):
        """E.g. "Конфликт интересов / Уведомление о возникновении"."""
        return " / ".join(node.name for node in self.path)

    full_name.fget.short_description = _("название")  # the column's heading in the admin's listing

    def descendant_ids(self):
        """Ids of all categories below this one (one query per tree level)."""
        found, level = [], [self.pk]
        while level:
            children = Category.objects.filter(parent_id__in=level).values_list("pk", flat=True)
            level = [pk for pk in children if pk not in found and pk != self.pk]
            found += level
        return found


class TaggedQuestion(TaggedItemBase):
    """Tags of questions through a real foreign key (not a generic relation), so joins stay simple."""

    content_object = models.ForeignKey(
        "quizzes.Question", on_delete=models.CASCADE, related_name="tagged_items"
    )

    class Meta:
        verbose_name = _("метка вопроса")
        verbose_name_plural = _("метки вопросов")
