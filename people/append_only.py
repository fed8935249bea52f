"""Append-only tables: logs whose rows are written once and never changed or deleted.

The audit log of exports, the history of operations on people's tests and the record of mass
messages keep what happened. A model inherits :class:`AppendOnlyModel` and names the exception it
raises (a subclass of :class:`AppendOnlyViolation`); saving a stored row, deleting one, and
``update()``/``delete()`` on its querysets raise it. (Rows still go when the database cascades from a
deleted parent: that is the parent's decision, not an edit of the log.)
"""

from django.db import models


class AppendOnlyViolation(Exception):
    """An attempt to change or delete a row of an append-only table."""


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise self.model.changed_error

    def delete(self):
        raise self.model.changed_error


class AppendOnlyModel(models.Model):
    changed_error = AppendOnlyViolation

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.pk is not None or not self._state.adding:
            raise self.changed_error
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise self.changed_error
