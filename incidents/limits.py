"""A bound on request bodies, enforced before anything reads them.

Django refuses a body larger than ``DATA_UPLOAD_MAX_MEMORY_SIZE`` only when it
is read through ``request.body`` or ``request.POST``; Django REST framework
parses ``request.stream`` directly and would read any size. This middleware
looks at ``Content-Length`` before the view runs and answers 413 in the API's
error shape when it is larger than the bound, or is not a number at all.

Under WSGI a request without ``Content-Length`` has no body Django will read
(Django bounds its input stream by that header), so the header is the whole story.

Bulk imports (``POST /api/v1/import/``) carry whole batches and are bound by
``IMPORT_MAX_BYTES`` instead; the import view reads the body itself, checking
the same bound.
"""

import json

from django.conf import settings
from django.http import JsonResponse
from django.utils import translation
from django.utils.translation import gettext as _

API_PREFIX = "/api/"
IMPORT_PATH = "/api/v1/import/"


def request_too_large(detail: str) -> JsonResponse:
    return JsonResponse(
        {
            "type": "client_error",
            "errors": [{"code": "request_too_large", "detail": detail, "attr": None}],
        },
        status=413,
    )


def body_limit(request) -> int | None:
    """The largest body this API request may declare: an import's bound, or the general one."""
    if request.method == "POST" and request.path_info == IMPORT_PATH:
        return settings.IMPORT_MAX_BYTES
    return settings.DATA_UPLOAD_MAX_MEMORY_SIZE


class RequestSizeLimitMiddleware:
    """Refuse API requests whose declared body exceeds their bound (see ``body_limit``)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        limit = body_limit(request)
        if limit is not None and request.path_info.startswith(API_PREFIX):
            raw = request.META.get("CONTENT_LENGTH", "")
            raw = raw.strip() if isinstance(raw, str) else str(raw)
            # This runs before LocaleMiddleware: the refusal picks the language itself.
            if raw and not (raw.isascii() and raw.isdigit()):
                with translation.override(translation.get_language_from_request(request)):
                    return request_too_large(_("The Content-Length header is not a valid length."))
            if raw and int(raw) > limit:
                with translation.override(translation.get_language_from_request(request)):
                    return request_too_large(
                        _("The request body is larger than the limit of %(limit)d bytes.")
                        % {"limit": limit}
                    )
        return self.get_response(request)


# --- how deep a JSON body may nest ---------------------------------------------------------

# Deeper than any real record (a figure's citations are three levels down): a body
# nested deeper is an attack or a mistake, and `[` a hundred thousand times over
# would otherwise exhaust the parser's recursion (a 500 on every JSON endpoint).
MAX_JSON_DEPTH = 32


class TooDeep(ValueError):
    """A JSON document nested deeper than ``MAX_JSON_DEPTH``."""

    def __init__(self):
        super().__init__(
            _("The JSON is nested more than %(depth)d levels deep; no record is.")
            % {"depth": MAX_JSON_DEPTH}
        )


def check_depth(value) -> None:
    """``TooDeep`` if ``value`` (parsed JSON) nests deeper than ``MAX_JSON_DEPTH``."""
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            children = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        if depth > MAX_JSON_DEPTH:
            raise TooDeep
        stack.extend((child, depth + 1) for child in children if isinstance(child, dict | list))


def json_loads(text):
    """``json.loads`` that refuses, with ``TooDeep`` (a ValueError), what nests too deep."""
    try:
        value = json.loads(text)
    except RecursionError:
        raise TooDeep from None
    check_depth(value)
    return value
