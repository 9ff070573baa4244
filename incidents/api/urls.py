"""Routes of /api/v1/."""

from django.urls import path
from rest_framework.routers import DefaultRouter

from incidents.api import import_views, root, sync, views, webhook_views

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.register("actors", views.ActorViewSet, basename="actor")
router.register("sources", views.SourceViewSet, basename="source")
router.register("incidents", views.IncidentViewSet, basename="incident")
router.register("detainee-groups", views.DetaineeGroupViewSet, basename="detaineegroup")
router.register("figures", views.FigureViewSet, basename="figure")
router.register("allegations", views.AllegationViewSet, basename="allegation")
router.register("citations", views.CitationViewSet, basename="citation")
router.register("terms", views.TermViewSet, basename="term")
router.register("webhooks", webhook_views.WebhookSubscriptionViewSet, basename="webhook")
router.register("import-jobs", import_views.ImportJobViewSet, basename="importjob")

urlpatterns = [
    path("", root.ApiRootView.as_view(), name="api-root"),
    path("changes/", sync.ChangeFeedView.as_view(), name="changes"),
    path("import/", import_views.ImportView.as_view(), name="import"),
    *router.urls,
]
