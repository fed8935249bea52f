"""Course assignments in the Wagtail admin.

Regional managers give any course to any audience. A municipal manager gives a course the authorized
body has opened to municipalities (``CoursePage.municipal_use``) to an audience of their municipality,
and sees and edits only those assignments (:mod:`people.ownership`). Saving an active assignment applies
it at once (everybody the audience covers is enrolled); later people are enrolled automatically when they
are imported or their details change.
"""

from django.contrib import messages
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel, ObjectList
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet

from people.audience import Audience
from people.ownership import (
    OwnedListingMixin,
    OwnedObjectsMixin,
    OwnMunicipalityRequiredMixin,
    is_limited,
    owned,
)

from .assignments import apply_assignment
from .models import Assignment, CoursePage


class AssignmentForm(WagtailAdminModelForm):
    """The course and audience lists hold what the user may choose; anything else is an invalid choice."""

    def __init__(self, *args, for_user=None, **kwargs):
        super().__init__(*args, for_user=for_user, **kwargs)
        if for_user is None or not is_limited(for_user):
            return
        current = self.instance.course_id if self.instance.pk else None
        self.fields["course"].queryset = CoursePage.objects.filter(
            Q(live=True, municipal_use=True) | Q(pk=current)
        )
        self.fields["audience"].queryset = owned(for_user, Audience.objects.all(), "")


class ApplyOnSaveMixin:
    def save_instance(self):
        instance = super().save_instance()
        if instance.is_active:
            # After the commit: the enrolments go in their own transaction, the form's is done.
            transaction.on_commit(lambda: self.apply(instance))
        return instance

    def apply(self, assignment):
        count = apply_assignment(assignment)
        messages.info(
            self.request, _("Назначение применено: записано новых слушателей — %(count)s.") % {"count": count}
        )


class AssignmentIndexView(OwnedListingMixin, generic.IndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().select_related("course", "audience")


class AssignmentCreateView(OwnMunicipalityRequiredMixin, ApplyOnSaveMixin, generic.CreateView):
    def save_instance(self):
        self.form.instance.created_by = self.request.user
        return super().save_instance()


class AssignmentEditView(OwnedObjectsMixin, ApplyOnSaveMixin, generic.EditView):
    pass


class AssignmentDeleteView(OwnedObjectsMixin, generic.DeleteView):
    pass


class AssignmentHistoryView(OwnedObjectsMixin, generic.HistoryView):
    pass


class AssignmentUsageView(OwnedObjectsMixin, generic.UsageView):
    pass


class AssignmentViewSet(ModelViewSet):
    model = Assignment
    name = "courses_assignment"
    url_prefix = "courses/assignments"
    icon = "group"
    menu_label = gettext_lazy("Назначения курсов")
    menu_order = 250
    add_to_admin_menu = True
    list_display = ["course", "audience", "due_date", "due_days_after_hire", "is_active", "created_at"]
    list_filter = ["is_active", "course"]
    copy_view_enabled = False
    index_view_class = AssignmentIndexView
    add_view_class = AssignmentCreateView
    edit_view_class = AssignmentEditView
    delete_view_class = AssignmentDeleteView
    history_view_class = AssignmentHistoryView
    usage_view_class = AssignmentUsageView
    edit_handler = ObjectList(
        [
            FieldPanel("course"),
            FieldPanel("audience"),
            MultiFieldPanel(
                [
                    FieldRowPanel([FieldPanel("due_date"), FieldPanel("due_days_after_hire")]),
                    FieldPanel("remind_days_before"),
                ],
                heading=gettext_lazy("Срок"),
            ),
            FieldPanel("is_active"),
        ],
        base_form_class=AssignmentForm,
    )
