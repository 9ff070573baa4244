"""The admin site staff use: Django's, with the second factor at its door.

``admin.site`` is an instance of ``StaffAdminSite`` (``StaffAdminConfig.default_site`` in
``incidents.second_factor``). It differs from Django's in two ways:

- a staff session that still owes its second factor has no permission here (the
  middleware sends it to the second-factor step first; this is the same rule, again,
  at the admin's own gate);
- pages that are not about one model (the second-factor step, enrolment, "Your second
  factors") are added with ``add_page``, by the admin modules that define them, and
  are named in the ``admin`` namespace (``admin:confirm_second_factor``).

This module lives outside ``incidents.admin``: Django imports it when ``admin.site`` is
first used, and importing the package would register the models on a second site.
"""

from django.contrib.admin import AdminSite
from django.urls import path

from incidents.second_factor import must_pass_second_factor


class StaffAdminSite(AdminSite):
    """Django's admin site with the second factor enforced and the factor pages added."""

    index_template = "admin/staff_index.html"

    def __init__(self, name="admin"):
        super().__init__(name)
        self._pages = []

    def add_page(self, route: str, view, name: str) -> None:
        """Serve ``view`` at ``/admin/<route>``, named ``admin:<name>``; the view guards itself."""
        self._pages.append(path(route, view, name=name))

    def get_urls(self):
        # Before the model pages: the admin's catch-all would otherwise answer these paths.
        return [*self._pages, *super().get_urls()]

    def has_permission(self, request) -> bool:
        return super().has_permission(request) and not must_pass_second_factor(request)
