from django import forms
from django.utils.translation import gettext_lazy as _

from people.models import User

from .models.attendance import MAX_HEAD_COUNT


class CheckInForm(forms.Form):
    code = forms.CharField(
        label=_("Код присутствия"),
        max_length=20,
        help_text=_("Код показывают организаторы в зале и на странице трансляции."),
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}
        ),
    )


class RoomReportForm(forms.Form):
    """A coordinator's report on a broadcast room; the named participants come from the manager's scope."""

    room = forms.CharField(
        label=_("Зал, адрес"),
        max_length=500,
        required=False,
        help_text=_("Например: актовый зал администрации, ул. Ленина, 1."),
    )
    head_count = forms.IntegerField(
        label=_("Число присутствовавших"),
        min_value=0,
        max_value=MAX_HEAD_COUNT,
        help_text=_("Все, кто смотрел трансляцию в зале, включая названных поимённо ниже."),
    )
    participants = forms.ModelMultipleChoiceField(
        label=_("Участники поимённо"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 12}),
        help_text=_(
            "Необязательно. Если поимённо названо больше людей, чем указано присутствовавших, "
            "в итог идёт число названных. Тех, кто ещё и отметился лично по коду, дважды не считают."
        ),
    )

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["participants"].queryset = people.order_by("last_name", "first_name", "patronymic")
