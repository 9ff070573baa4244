"""The API's documentation pages (Swagger UI, Redoc) under the Content-Security-Policy.

Both pages' own inline script and style carry the answer's nonce (their templates in
``templates/api/``). Redoc needs two things more, on its page only:

- a stylesheet its bundle writes into the page as it loads, before it can be given the
  nonce (perfect-scrollbar's CSS), and an empty one: allowed by their hashes. An update
  of drf-spectacular-sidecar that changes them shows as a violation in
  ``tests/browser/test_csp.py``; the browser's message names the new hash.
- its search index runs in a worker it makes from a ``blob:`` URL.
"""

from csp.decorators import csp_update
from drf_spectacular.views import SpectacularRedocView, SpectacularSwaggerView

REDOC_POLICY = {
    "style-src": [
        "'sha256-QMIg+bpjm3JdElJ388KYke01izlUW0UoNOeKjpMxdgc='",  # perfect-scrollbar
        "'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU='",  # an empty <style>
    ],
    "worker-src": ["'self'", "blob:"],
}

swagger_ui = SpectacularSwaggerView.as_view(url_name="schema", template_name="api/swagger_ui.html")

# The same additions whether the policy is enforced or only reported (CSP_REPORT_ONLY).
redoc = csp_update(REDOC_POLICY)(
    csp_update(REDOC_POLICY, REPORT_ONLY=True)(
        SpectacularRedocView.as_view(url_name="schema", template_name="api/redoc.html")
    )
)
