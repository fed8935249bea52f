"""Requests carrying a NUL character are refused at the door with a Russian 400.

No address, query parameter or form field of the platform has a use for U+0000, and PostgreSQL
refuses it in text: a NUL that reaches a query is a 500 ("A string literal cannot contain NUL"), in
a filter (``?user=%00`` on the audit log) as much as in a login attempt that django-axes records.
Forms of Django reject it in their fields, but not every value passes a form first, so one check
here covers the path, the query string and the fields of form bodies (URL-encoded and multipart;
uploaded files' contents are the importers' business, and nothing in the project changes upload
handlers, which reading the form here would fix early). JSON bodies of the test API are checked by
the API itself (a 422 per answer, see quizzes.scoring).
"""

from django.http import HttpResponseBadRequest, JsonResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

NUL = "\x00"
FORM_CONTENT_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def carries_nul(request):
    if NUL in request.path:
        return True
    if any(NUL in key or any(NUL in value for value in values) for key, values in request.GET.lists()):
        return True
    if request.method == "POST" and request.content_type in FORM_CONTENT_TYPES:
        return any(
            NUL in key or any(NUL in value for value in values) for key, values in request.POST.lists()
        )
    return False


class RejectNullCharactersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if carries_nul(request):
            message = _("Запрос содержит недопустимый символ (NUL). Уберите его и повторите попытку.")
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": message}, status=400)
            return HttpResponseBadRequest(render_to_string("400.html", {"detail": message}, request))
        return self.get_response(request)
