"""Errors of the test-taking API: always JSON ``{"detail": "..."}`` with a Russian message.

The engine's named exceptions (:mod:`quizzes.exceptions`) become HTTP statuses in one place,
:data:`STATUSES`, through the :func:`quiz_errors` decorator on every endpoint. :func:`install` puts
Russian messages on the errors NinjaAPI itself raises (not logged in, CSRF, a malformed body); call it
once on the API instance (``config/api.py``).
"""

import functools
import logging

from django.core.exceptions import RequestDataTooBig
from django.http import Http404
from django.utils.translation import gettext as _
from ninja.errors import AuthenticationError, HttpError, ValidationError

from .. import exceptions

# Statuses by exception class; the first match in the class's MRO wins, anything else is 409.
STATUSES = {
    exceptions.SittingFinished: 409,
    exceptions.SittingExpired: 410,
    exceptions.InvalidAnswer: 422,
    exceptions.QuestionNotInSitting: 404,
    exceptions.NotInAudience: 404,
    exceptions.CampaignNotOpen: 409,
    exceptions.QuizClosed: 409,
    exceptions.NoAttemptsLeft: 409,
}
CONFLICT = 409
# 400: a body that is not JSON or is over DATA_UPLOAD_MAX_MEMORY_SIZE.
ERROR_CODES = frozenset({400, 401, 403, 404, 409, 410, 422})

logger = logging.getLogger("django.request")


def status_for(error):
    for cls in type(error).__mro__:
        if cls in STATUSES:
            return STATUSES[cls]
    return CONFLICT


def quiz_errors(view):
    """Turn a :class:`~quizzes.exceptions.QuizError` raised by ``view`` into an HTTP error."""

    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        try:
            return view(*args, **kwargs)
        except exceptions.QuizError as error:
            raise HttpError(status_for(error), error.message) from error

    return wrapper


def not_found():
    return HttpError(404, _("Не найдено."))


def install(api):
    """Russian messages for the errors the API instance raises before an endpoint runs."""

    def unauthenticated(request, exc):
        return api.create_response(request, {"detail": _("Войдите на сайт.")}, status=401)

    def invalid(request, exc):
        return api.create_response(
            request, {"detail": _("Запрос не распознан."), "errors": exc.errors}, status=422
        )

    def missing(request, exc):
        return api.create_response(request, {"detail": _("Не найдено.")}, status=404)

    def http_error(request, exc):
        message = str(exc)
        if exc.status_code == 403 and message == "CSRF check Failed":
            message = _("Проверка безопасности не пройдена. Обновите страницу.")
        elif exc.status_code == 400 and message.startswith("Cannot parse request body"):
            message = _("Запрос не распознан: тело запроса должно быть в формате JSON.")
        return api.create_response(request, {"detail": message}, status=exc.status_code)

    def too_big(request, exc):
        return api.create_response(request, {"detail": _("Запрос слишком велик.")}, status=400)

    def unexpected(request, exc):
        """Any other error: logged like Django logs a 500, answered as the documented JSON."""
        logger.error("Internal Server Error: %s", request.path, exc_info=exc, extra={"status_code": 500})
        detail = _("Внутренняя ошибка сервера. Ответы, сохранённые ранее, не потеряны; повторите попытку.")
        return api.create_response(request, {"detail": detail}, status=500)

    api.add_exception_handler(Exception, unexpected)
    api.add_exception_handler(AuthenticationError, unauthenticated)
    api.add_exception_handler(ValidationError, invalid)
    api.add_exception_handler(Http404, missing)
    api.add_exception_handler(HttpError, http_error)
    api.add_exception_handler(RequestDataTooBig, too_big)
