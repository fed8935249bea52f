"""The roster upload page in the Wagtail admin (registered in ``people/wagtail_hooks.py``)."""

import logging

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _
from django.views.generic import FormView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from ..scope import Scope
from .forms import RosterUploadForm
from .service import import_people

logger = logging.getLogger(__name__)

# Importing creates and changes accounts: a permission of its own (regional and municipal managers,
# superusers). add_user/change_user would also open the Wagtail users admin, where a user editor can make
# anybody a superuser. A municipal manager imports within their scope only (people.scope).
IMPORT_PERMISSIONS = ("people.import_people",)
# The page shows this many row errors, and people per list; the management command prints them all.
ERRORS_SHOWN = 1000
PEOPLE_SHOWN = 1000


def can_import_people(user):
    return user.is_authenticated and user.has_perms(IMPORT_PERMISSIONS) and not Scope.for_user(user).is_empty


class ImportPeopleView(WagtailAdminTemplateMixin, FormView):
    template_name = "people/import.html"
    form_class = RosterUploadForm
    page_title = _("Импорт людей")
    header_icon = "upload"

    def dispatch(self, request, *args, **kwargs):
        if not can_import_people(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "scope": Scope.for_user(self.request.user)}

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.page_title}]

    def form_valid(self, form):
        upload = form.cleaned_data["file"]
        dry_run = "check" in self.request.POST
        full_roster = form.cleaned_data["full_roster"]
        report = import_people(
            upload,
            skip_invalid=form.cleaned_data["skip_invalid"],
            dry_run=dry_run,
            filename=upload.name,
            full_roster=full_roster,
            confirm_deactivation=form.cleaned_data["confirm_deactivation"],
            # A full roster deactivates only the people a check of this page has shown (see the template).
            reviewed_leavers=self.request.POST.get("reviewed_leavers", "") if full_roster else None,
            user=self.request.user,
            invite=form.cleaned_data["invite"],
            scope=Scope.for_user(self.request.user),
        )
        logger.info(
            "People import of %r by %s (dry run: %s, full roster: %s): %s",
            upload.name,
            self.request.user.get_username(),
            dry_run,
            full_roster,
            report.outcome(),
        )
        context = self.get_context_data(
            form=form,
            report=report,
            filename=upload.name,
            errors_shown=sorted(report.errors)[:ERRORS_SHOWN],
            people_shown=PEOPLE_SHOWN,
            people_shown_slice=f":{PEOPLE_SHOWN}",
        )
        return self.render_to_response(context)
