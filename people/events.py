"""Signals other apps listen to, so that ``people`` never imports them.

``people_changed`` is sent with ``user_ids`` (a list) after people were created, or after a field
that audiences look at (:data:`AUDIENCE_FIELDS`) changed: by the roster import once its transaction
has committed, and by saving a user (``people.signals``). Courses enrol the people whom an
assignment newly covers.
"""

from django.dispatch import Signal

people_changed = Signal()

# User fields (attnames) that decide whether an audience rule matches a person.
AUDIENCE_FIELDS = (
    "hire_date",
    "municipality_id",
    "organization_id",
    "category",
    "has_procurement_duties",
    "has_anticorruption_duties",
    "is_hr_service",
    "is_active",
)


def touches_audience(field_names):
    """Whether changing these fields (names or attnames) can change who an audience includes."""
    attnames = {f"{name}_id" if name in ("municipality", "organization") else name for name in field_names}
    return not attnames.isdisjoint(AUDIENCE_FIELDS)
