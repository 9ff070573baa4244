"""A Content-Security-Policy on every answer: pages get theirs, data gets a stricter one.

django-csp writes the header from ``CONTENT_SECURITY_POLICY`` (or, while a policy is
being tried out, ``CONTENT_SECURITY_POLICY_REPORT_ONLY``). That policy is written for
pages: scripts and styles from this server, or inline ones carrying the answer's nonce
(``{{ request.csp_nonce }}``).

An answer that is not a page (the API's JSON, the schema, a CSV export, a chart) is
never meant to run anything, so it gets ``default-src 'none'``: opened in a browser on
purpose or by a trick (a JSON answer that holds a string an attacker wrote, sniffed as
HTML by an old browser), it can load nothing, run nothing and be framed by nobody.
An SVG chart may still apply the inline styles matplotlib writes into it, and nothing
else.

``REPORTING_ENDPOINTS`` (a dict of name to URL) is sent as the ``Reporting-Endpoints``
header that a policy's ``report-to`` names.
"""

from csp.constants import NONE, UNSAFE_INLINE
from csp.middleware import CSPMiddleware, PolicyParts
from csp.utils import default_config
from django.conf import settings

# Directives for answers that are data, not pages.
DATA_DIRECTIVES = {
    "default-src": [NONE],
    "base-uri": [NONE],
    "form-action": [NONE],
    "frame-ancestors": [NONE],
}
# An SVG document opened on its own: matplotlib styles its shapes inline; no scripts.
SVG_DIRECTIVES = {**DATA_DIRECTIVES, "style-src": [UNSAFE_INLINE]}
# Where violations are reported: kept from the page policy on every answer.
REPORTING = ("report-uri", "report-to")


def _media_type(response) -> str:
    return response.get("Content-Type", "").split(";")[0].strip().lower()


def _data_directives(media_type: str) -> dict | None:
    """The directives of an answer that is not a page; None for a page."""
    if media_type in ("", "text/html", "application/xhtml+xml"):
        return None
    if media_type == "image/svg+xml":
        return SVG_DIRECTIVES
    return DATA_DIRECTIVES


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's middleware, with the data policy for answers that are not pages."""

    def get_policy_parts(self, request, response, report_only: bool = False) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only=report_only)
        directives = _data_directives(_media_type(response))
        if parts.config is not None or directives is None:
            return parts  # a view's own policy (django-csp's decorators), or a page
        name = "CONTENT_SECURITY_POLICY_REPORT_ONLY" if report_only else "CONTENT_SECURITY_POLICY"
        policy = getattr(settings, name, None)
        if not policy:
            return parts  # this header is not in use
        page = policy.get("DIRECTIVES", {})
        reporting = {key: page[key] for key in REPORTING if page.get(key)}
        # No nonce: nothing in an answer of data may run, whatever a view asked for.
        return PolicyParts(config=default_config({**directives, **reporting}))

    def process_response(self, request, response):
        response = super().process_response(request, response)
        endpoints = getattr(settings, "REPORTING_ENDPOINTS", None)
        if endpoints and "Reporting-Endpoints" not in response:
            response["Reporting-Endpoints"] = ", ".join(
                f'{name}="{url}"' for name, url in endpoints.items()
            )
        return response
