"""The mass-message form: whom (within the manager's scope) and what."""

from django import forms
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from courses.models import CoursePage
from events.models import EventPage
from people.broadcasts.models import BODY_MAX, SUBJECT_MAX
from quizzes import analytics

from .selection import Basis, CampaignState, CourseState, Selection

EMPTY = [("", "—")]


class BroadcastForm(forms.Form):
    municipality = forms.ModelChoiceField(
        label=gettext_lazy("Муниципальное образование"),
        queryset=None,
        required=False,
        empty_label=gettext_lazy("все в пределах доступа"),
    )
    organization = forms.ModelChoiceField(
        label=gettext_lazy("Организация"), queryset=None, required=False, empty_label=gettext_lazy("все")
    )
    basis = forms.ChoiceField(
        label=gettext_lazy("Кому"), choices=Basis.choices, initial=Basis.EVERYONE, widget=forms.RadioSelect
    )
    campaign = forms.TypedChoiceField(label=gettext_lazy("Тестирование"), coerce=int, required=False)
    campaign_state = forms.ChoiceField(
        label=gettext_lazy("Состояние в тестировании"), choices=EMPTY + CampaignState.choices, required=False
    )
    course = forms.ModelChoiceField(label=gettext_lazy("Курс"), queryset=None, required=False)
    course_state = forms.ChoiceField(
        label=gettext_lazy("Состояние на курсе"), choices=EMPTY + CourseState.choices, required=False
    )
    event = forms.ModelChoiceField(
        label=gettext_lazy("Пригласить на мероприятие"),
        queryset=None,
        required=False,
        empty_label=gettext_lazy("нет"),
        help_text=gettext_lazy("В сообщение добавится ссылка на страницу мероприятия с регистрацией."),
    )
    subject = forms.CharField(label=gettext_lazy("Тема"), max_length=SUBJECT_MAX)
    body = forms.CharField(
        label=gettext_lazy("Текст сообщения"), max_length=BODY_MAX, widget=forms.Textarea(attrs={"rows": 8})
    )

    def __init__(self, scope, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.scope = scope
        self.fields["municipality"].queryset = scope.municipalities().order_by("name")
        self.fields["organization"].queryset = (
            scope.organizations().select_related("municipality").order_by("name")
        )
        self.campaigns = {campaign.pk: campaign for campaign in analytics.visible_campaigns(scope)}
        self.fields["campaign"].choices = EMPTY + [(pk, c.title) for pk, c in self.campaigns.items()]
        self.fields["course"].queryset = CoursePage.objects.live().order_by("title")
        self.fields["event"].queryset = EventPage.objects.live().upcoming(timezone.now())

    def clean(self):
        data = super().clean()
        municipality, organization = data.get("municipality"), data.get("organization")
        if (
            municipality
            and organization
            and not (
                organization.municipality_id == municipality.pk
                or organization.municipality.parent_id == municipality.pk
            )
        ):
            self.add_error(
                "organization", _("Организация не относится к выбранному муниципальному образованию.")
            )
        basis = data.get("basis")
        if basis == Basis.CAMPAIGN:
            if not data.get("campaign"):
                self.add_error("campaign", _("Выберите тестирование."))
            if not data.get("campaign_state"):
                self.add_error("campaign_state", _("Выберите состояние в тестировании."))
        if basis == Basis.COURSE:
            if not data.get("course"):
                self.add_error("course", _("Выберите курс."))
            if not data.get("course_state"):
                self.add_error("course_state", _("Выберите состояние на курсе."))
        return data

    def selection(self):
        data = self.cleaned_data
        basis = data["basis"]
        return Selection(
            scope=self.scope,
            municipality=data.get("municipality"),
            organization=data.get("organization"),
            basis=basis,
            campaign=self.campaigns.get(data.get("campaign")) if basis == Basis.CAMPAIGN else None,
            campaign_state=data.get("campaign_state", "") if basis == Basis.CAMPAIGN else "",
            course=data.get("course") if basis == Basis.COURSE else None,
            course_state=data.get("course_state", "") if basis == Basis.COURSE else "",
        )

    def link(self):
        """The link the message carries: the event invited to, else the campaign's or course's page."""
        data = self.cleaned_data
        if data.get("event"):
            return data["event"].url or "", _("Страница мероприятия и регистрация")
        selection = self.selection()
        if selection.campaign is not None:
            return reverse("quizzes:campaign", args=[selection.campaign.pk]), _("Перейти к тестированию")
        if selection.course is not None:
            return selection.course.url or "", _("Открыть курс")
        return "", ""
