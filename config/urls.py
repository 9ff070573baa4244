"""Top-level URLs."""

from django.contrib import admin
from django.urls import path
from django.views.generic import RedirectView

admin.site.site_header = "Incident records"
admin.site.site_title = "Incident records"
admin.site.index_title = "Records, sources and vocabularies"

urlpatterns = [
    path("", RedirectView.as_view(url="/admin/", permanent=False)),
    path("admin/", admin.site.urls),
]
