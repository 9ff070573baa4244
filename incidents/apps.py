from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IncidentsConfig(AppConfig):
    """Human-rights incident records: the one app of the project."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "incidents"
    verbose_name = _("Incident records")

    def ready(self):
        from django.db.models.signals import post_migrate

        from incidents import (
            security_log,  # noqa: F401  (log sign-ins and their failures)
            sessions,  # noqa: F401  (sign-in starts the session's clock)
        )
        from incidents.integration import changes  # noqa: F401  (connect the history signals)
        from incidents.roles import ensure_roles
        from incidents.writes import audit  # noqa: F401  (connect the history signals)

        post_migrate.connect(ensure_roles, sender=self)
