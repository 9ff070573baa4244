from django.apps import AppConfig


class IncidentsConfig(AppConfig):
    """Human-rights incident records: the one app of the project."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "incidents"
    verbose_name = "Incident records"
