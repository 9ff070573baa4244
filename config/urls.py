"""Top-level URLs: the API, its schema and documentation, the admin, and health probes."""

from django.contrib import admin
from django.urls import include, path, re_path
from django.views.generic import RedirectView
from drf_spectacular.views import SpectacularAPIView

from incidents.api import docs, health
from incidents.api.errors import not_found, server_error

urlpatterns = [
    path("", RedirectView.as_view(url="/api/docs/", permanent=False)),
    path("api/v1/", include("incidents.api.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    # Under the Content-Security-Policy (incidents/api/docs.py).
    path("api/docs/", docs.swagger_ui, name="swagger-ui"),
    path("api/redoc/", docs.redoc, name="redoc"),
    # Security keys' ceremonies (django-otp-webauthn, for the admin's second factor); before
    # the admin, whose catch-all would answer these paths.
    path("admin/webauthn/", include("incidents.admin.webauthn")),
    path("admin/", admin.site.urls),
    # Probes for supervisors and load balancers (docs/deployment.md); not part of the API.
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    # Any other address under /api/ is a JSON 404, with DEBUG on too: Django's debug page
    # (HTML) would otherwise answer where clients expect the documented error shape.
    re_path(r"^api/", not_found),
]

handler404 = not_found
handler500 = server_error
