"""Audiences in the Wagtail admin.

A regional manager edits every audience and may give one to a municipality (``owner_municipality``). A
municipal manager makes and edits the audiences of their own municipality only: the owner is set to it
and cannot be changed, the rule's lists offer the municipality's settlements and organizations, and
anybody else's audience is "not found" (:mod:`people.ownership`).
"""

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail.snippets.views.chooser import (
    ChooseResultsView,
    ChooseView,
    SnippetChooserViewSet,
    SnippetChosenView,
)
from wagtail.snippets.views.snippets import (
    CreateView,
    DeleteView,
    EditView,
    HistoryView,
    SnippetViewSet,
    UsageView,
)

from .audience import Audience
from .models import Municipality, ServiceCategory
from .ownership import OwnedObjectsMixin, OwnMunicipalityRequiredMixin, is_limited, own_municipality_id, owned
from .scope import Scope


class AudienceForm(WagtailAdminModelForm):
    """Categories are stored as a JSON list of codes; edit them as checkboxes."""

    categories = forms.MultipleChoiceField(
        label=_("Категории"),
        choices=ServiceCategory.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Пусто — любые категории."),
    )

    def __init__(self, *args, for_user=None, **kwargs):
        super().__init__(*args, for_user=for_user, **kwargs)
        if for_user is None or not is_limited(for_user):
            return
        scope = Scope.for_user(for_user)
        owner = self.fields["owner_municipality"]
        owner.queryset = Municipality.objects.filter(pk=own_municipality_id(for_user))
        owner.required = True
        owner.disabled = True  # the form keeps the initial value, whatever is posted
        owner.initial = own_municipality_id(for_user)
        self.fields["municipalities"].queryset = scope.municipalities()
        self.fields["organizations"].queryset = scope.organizations()


class AudienceCreateView(OwnMunicipalityRequiredMixin, CreateView):
    pass


class AudienceEditView(OwnedObjectsMixin, EditView):
    audience_path = ""


class AudienceDeleteView(OwnedObjectsMixin, DeleteView):
    audience_path = ""


class AudienceHistoryView(OwnedObjectsMixin, HistoryView):
    audience_path = ""


class AudienceUsageView(OwnedObjectsMixin, UsageView):
    audience_path = ""


class OwnedChoicesMixin:
    """The audience chooser (campaign and assignment forms) offers a municipal manager their own only."""

    def get_object_list(self):
        return owned(self.request.user, super().get_object_list(), "")


class AudienceChooseView(OwnedChoicesMixin, ChooseView):
    pass


class AudienceChooseResultsView(OwnedChoicesMixin, ChooseResultsView):
    pass


class AudienceChosenView(SnippetChosenView):
    def get_object(self, pk):
        return owned(self.request.user, Audience.objects.all(), "").get(pk=pk)


class AudienceChooserViewSet(SnippetChooserViewSet):
    choose_view_class = AudienceChooseView
    choose_results_view_class = AudienceChooseResultsView
    chosen_view_class = AudienceChosenView


class AudienceViewSet(SnippetViewSet):
    model = Audience
    icon = "group"
    menu_label = _("Аудитории")
    menu_order = 300
    add_to_admin_menu = True
    list_display = ["__str__", "owner_municipality"]
    list_filter = ["owner_municipality"]
    search_fields = ["title"]
    copy_view_enabled = False  # Wagtail's copy view checks model permissions only, not the owner
    chooser_viewset_class = AudienceChooserViewSet
    add_view_class = AudienceCreateView
    edit_view_class = AudienceEditView
    delete_view_class = AudienceDeleteView
    history_view_class = AudienceHistoryView
    usage_view_class = AudienceUsageView
    edit_handler = ObjectList(
        [
            FieldPanel("title"),
            FieldPanel("owner_municipality"),
            FieldPanel("municipalities", widget=forms.CheckboxSelectMultiple),
            FieldPanel("organizations"),
            FieldPanel("categories"),
            FieldPanel("procurement_only"),
            FieldPanel("anticorruption_only"),
            FieldPanel("hr_only"),
            FieldPanel("hired_within_days"),
        ],
        base_form_class=AudienceForm,
    )

    def get_queryset(self, request):
        return owned(request.user, Audience.objects.select_related("owner_municipality"), "")
