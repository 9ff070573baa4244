"""The one error shape, also for paths no API route matches, and a busy database.

Errors look like ``{"type": "client_error", "errors": [{"code": "not_found",
"detail": "...", "attr": null}]}`` (drf-standardized-errors); validation errors
have ``"type": "validation_error"`` and name the parameter or field in ``attr``.
A database too busy to take a write is a 503 with ``Retry-After``
(``"code": "database_busy"``), not a 500.
"""

import sys

from django.db import OperationalError
from django.http import HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views import defaults
from django.views.defaults import page_not_found
from drf_standardized_errors import handler as standardized_errors
from rest_framework import status
from rest_framework.exceptions import APIException


def not_found(request, exception=None):
    """JSON 404 under /api/, Django's page elsewhere (the admin)."""
    if request.path.startswith("/api/"):
        return JsonResponse(
            {
                "type": "client_error",
                "errors": [{"code": "not_found", "detail": _("Not found."), "attr": None}],
            },
            status=404,
        )
    return page_not_found(request, exception)


# How long a caller is told to wait when the database was too busy to take its write.
BUSY_RETRY_AFTER_SECONDS = 5


class DatabaseBusy(APIException):
    """The database could not take a write in time: try again later (503, ``Retry-After``).

    With SQLite only one writer works at a time; the others wait for it up to
    ``SQLITE_BUSY_TIMEOUT`` seconds (config/settings.py). Past that, "database is
    locked" is not the server failing but the server being busy, and the transaction
    was rolled back, so saying when to retry is more use to a partner's sync than a 500.
    """

    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    default_detail = _lazy("The database is busy with other changes. Try again in a few seconds.")
    default_code = "database_busy"
    # drf-standardized-errors turns ``wait`` into the Retry-After header, as for throttling.
    wait = BUSY_RETRY_AFTER_SECONDS


def is_database_busy(exc: BaseException) -> bool:
    """Whether ``exc`` is SQLite's "database is locked": a writer waited its whole timeout."""
    return isinstance(exc, OperationalError) and "database is locked" in str(exc)


class ExceptionHandler(standardized_errors.ExceptionHandler):
    """drf-standardized-errors' handler, which also answers a busy database with a 503."""

    def convert_known_exceptions(self, exc: Exception) -> Exception:
        # Here rather than later: with DEBUG on, exceptions that are not the API's own
        # are left to Django's debug page, and this one is an answer, not a bug.
        if is_database_busy(exc):
            return DatabaseBusy()
        return super().convert_known_exceptions(exc)


def server_error(request):
    """Django's 500 page, except for a busy database outside the API's views: a 503.

    The API's views answer that themselves (``ExceptionHandler``); this covers what
    runs outside them (the admin, middleware), where Django calls this view from
    inside its ``except`` block, so the exception is at hand.
    """
    exc = sys.exc_info()[1]
    if exc is None or not is_database_busy(exc):
        return defaults.server_error(request)
    detail = str(DatabaseBusy.default_detail)
    if request.path.startswith("/api/"):
        response = JsonResponse(
            {
                "type": "server_error",
                "errors": [{"code": DatabaseBusy.default_code, "detail": detail, "attr": None}],
            },
            status=503,
        )
    else:
        response = HttpResponse(detail, content_type="text/plain; charset=utf-8", status=503)
    response["Retry-After"] = str(BUSY_RETRY_AFTER_SECONDS)
    return response
