"""The admin's campaign views: regional managers run every campaign; a municipal manager runs the campaigns
of their municipality's audiences, with the quizzes the authorized body has opened to municipalities
(:mod:`people.ownership`)."""

from django.db.models import Q
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.views import generic

from people.audience import Audience
from people.ownership import (
    OwnedListingMixin,
    OwnedObjectsMixin,
    OwnMunicipalityRequiredMixin,
    is_limited,
    owned,
)

from ..models import Quiz


class CampaignForm(WagtailAdminModelForm):
    """The quiz and audience lists hold what the user may choose; anything else is an invalid choice."""

    def __init__(self, *args, for_user=None, **kwargs):
        super().__init__(*args, for_user=for_user, **kwargs)
        if for_user is None or not is_limited(for_user):
            return
        current = self.instance.quiz_id if self.instance.pk else None
        if "quiz" in self.fields:
            self.fields["quiz"].queryset = Quiz.objects.filter(Q(municipal_use=True) | Q(pk=current))
        if "audience" in self.fields:
            self.fields["audience"].queryset = owned(for_user, Audience.objects.all(), "")


class CampaignIndexView(OwnedListingMixin, generic.IndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().select_related("quiz", "audience")


class CampaignCreateView(OwnMunicipalityRequiredMixin, generic.CreateView):
    def save_instance(self):
        self.form.instance.created_by = self.request.user
        return super().save_instance()


class CampaignEditView(OwnedObjectsMixin, generic.EditView):
    pass


class CampaignDeleteView(OwnedObjectsMixin, generic.DeleteView):
    pass


class CampaignHistoryView(OwnedObjectsMixin, generic.HistoryView):
    pass


class CampaignUsageView(OwnedObjectsMixin, generic.UsageView):
    pass
