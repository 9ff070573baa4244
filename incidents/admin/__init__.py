"""The Django admin for NGO documentation staff, one module per area.

Django's autodiscovery imports this package; importing each module registers its pages:

- ``records``: the records, their citations inline, history, restore and the chart;
- ``articles``: importing a news article as draft records, and publishing drafts;
- ``imports``: partners' bulk import jobs (CSV, JSON, HXL) as staff see them;
- ``webhooks``: webhook subscriptions and their deliveries;
- ``oversight``: the access log (who read which restricted record), for administrators.
- ``signin``: failed sign-ins, lockouts and how an administrator unlocks them.
- ``purge``: purging a value from a record and everywhere it was kept, and the purge entries.
- ``second_factor``: the second step of signing in, enrolment, recovery codes and
  "Your second factors"; ``staff``: staff accounts (role changes, resetting factors).
"""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from incidents.admin import (  # noqa: F401  (register)
    articles,
    imports,
    oversight,
    purge,
    records,
    second_factor,
    signin,
    staff,
    webhooks,
)

# The site's names, translated like the rest of the admin (they are set here, not in
# config/urls.py, so that `make messages` finds them in the app).
admin.site.site_header = _("Incident records")
admin.site.site_title = _("Incident records")
admin.site.index_title = _("Records, sources and vocabularies")
