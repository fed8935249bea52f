"""Manager pages of audiences' named rosters (/manage/audiences/): the audiences, and one audience's
roster within the manager's scope, with a search to add people and a reason for every change.

Municipal and regional managers only (anybody else, and a municipal manager with no municipality: 403);
a municipal manager sees and changes only the people of their scope (:mod:`people.rosters`).
"""

import re

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_safe

from .audience import Audience
from .models import User
from .rosters import (
    MAX_REASON_LENGTH,
    RosterError,
    add_to_roster,
    audiences_for,
    concerns,
    may_edit_rosters,
    remove_from_roster,
    roster_history,
    roster_in_scope,
    search_people,
)
from .scope import Scope

MAX_ID = 2**63 - 1


def _roster_scope(request):
    if not may_edit_rosters(request.user):
        raise PermissionDenied
    return Scope.for_user(request.user)


def _audience_or_404(scope, pk):
    if not 1 <= pk <= MAX_ID:
        raise Http404
    audience = Audience.objects.filter(pk=pk).first()
    if audience is None or not concerns(audience, scope):
        raise Http404
    return audience


class PeopleField(forms.ModelMultipleChoiceField):
    """Ids checked for their shape before any query: SQLite cannot even compare an id past 64 bits."""

    def _check_values(self, value):
        for pk in value:
            if not re.fullmatch(r"[0-9]{1,19}", str(pk)) or not 1 <= int(pk) <= MAX_ID:
                raise forms.ValidationError(
                    self.error_messages["invalid_pk_value"], code="invalid_pk_value", params={"pk": pk}
                )
        return super()._check_values(value)


class RosterChangeForm(forms.Form):
    ADD, REMOVE = "add", "remove"

    action = forms.ChoiceField(choices=[(ADD, ADD), (REMOVE, REMOVE)], widget=forms.HiddenInput)
    people = PeopleField(
        label=gettext_lazy("Люди"),
        queryset=User.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": gettext_lazy("Отметьте хотя бы одного человека.")},
    )
    reason = forms.CharField(
        label=gettext_lazy("Причина"),
        max_length=MAX_REASON_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": gettext_lazy("Укажите причину.")},
        help_text=gettext_lazy("Обязательно. Сохраняется в истории аудитории вместе с вашим именем."),
    )

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["people"].queryset = people


@login_required
@require_safe
def audience_list(request):
    scope = _roster_scope(request)
    through = Audience.people.through
    counts = dict(
        through.objects.filter(user__in=scope.people().values("pk"))
        .values("audience_id")
        .annotate(n=Count("pk"))
        .values_list("audience_id", "n")
    )
    audiences = audiences_for(scope)
    for audience in audiences:
        audience.roster_count = counts.get(audience.pk, 0)
    return render(request, "people/manage/audience_list.html", {"audiences": audiences, "scope": scope})


def _roster_page(request, scope, audience, *, add_form=None, remove_form=None, status=200):
    query = (request.GET.get("q") or "")[:200]
    roster = roster_in_scope(audience, scope)
    found = list(search_people(scope, query, exclude=audience.people.all())) if query.strip() else []
    on_rule = set()
    condition = audience.rule_condition()
    if condition is not None:
        on_rule = set(roster.filter(condition).values_list("pk", flat=True))
    people = list(roster)
    for person in people:
        person.matches_rule = person.pk in on_rule
    return render(
        request,
        "people/manage/audience_roster.html",
        {
            "audience": audience,
            "scope": scope,
            "roster": people,
            "query": query,
            "found": found,
            "add_form": add_form
            or RosterChangeForm(people=User.objects.none(), initial={"action": "add"}, prefix="add"),
            "remove_form": remove_form
            or RosterChangeForm(people=User.objects.none(), initial={"action": "remove"}, prefix="remove"),
            "history": roster_history(audience, scope),
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def audience_roster(request, pk):
    scope = _roster_scope(request)
    audience = _audience_or_404(scope, pk)
    if request.method != "POST":
        return _roster_page(request, scope, audience)
    prefix = "remove" if request.POST.get("remove-action") == RosterChangeForm.REMOVE else "add"
    people = scope.people(User.objects.active()) if prefix == "add" else roster_in_scope(audience, scope)
    form = RosterChangeForm(request.POST, people=people, prefix=prefix)
    forms_ = {f"{prefix}_form": form}
    if not form.is_valid() or form.cleaned_data["action"] != prefix:
        return _roster_page(request, scope, audience, status=400, **forms_)
    change = add_to_roster if prefix == "add" else remove_from_roster
    try:
        changed = change(request.user, audience, form.cleaned_data["people"], form.cleaned_data["reason"])
    except RosterError as error:
        form.add_error(None, error.message)
        return _roster_page(request, scope, audience, status=409, **forms_)
    names = ", ".join(person.get_full_name() or person.username for person in changed)
    if prefix == "add":
        messages.success(
            request, _("Изменения сохранены. Добавление в поимённый список: %(names)s.") % {"names": names}
        )
    else:
        messages.success(
            request, _("Изменения сохранены. Исключение из поимённого списка: %(names)s.") % {"names": names}
        )
    return redirect("audience_roster", audience.pk)
