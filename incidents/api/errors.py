"""The one error shape, also for paths no API route matches.

Errors look like ``{"type": "client_error", "errors": [{"code": "not_found",
"detail": "...", "attr": null}]}`` (drf-standardized-errors); validation errors
have ``"type": "validation_error"`` and name the parameter or field in ``attr``.
"""

from django.http import JsonResponse
from django.utils.translation import gettext as _
from django.views.defaults import page_not_found


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
