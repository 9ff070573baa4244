"""Contest state: which figures are contested, and why, for each audience, kept as rows.

Whether a figure is contested depends on who asks (a citation or a figure the caller
may not read cannot contest anything: ``incidents.reads.contested``). The write path
keeps the answer for the three audiences the access rule makes
(``incidents.writes.contest``), so reading it is a join, not a search.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

# How far apart two figures' dates may be for a different value to contest them, in days.
WINDOW_DAYS = 14


class ContestAudience(models.IntegerChoices):
    """Who reads a figure's contest state: what ``incidents.access.visibility_q`` lets through.

    A partner reads ``SHARED`` unless it owns restricted records of its own that are
    still live (they could change its answer); it then gets the rule at query time.
    """

    PUBLIC = 1, _("Anyone (public records)")
    SHARED = 2, _("Partners and staff (public and partners records)")
    ALL = 3, _("Staff who read restricted records (every live record)")


class ContestReasonKind(models.TextChoices):
    DENIES = "denies", _("denies")
    DISPUTES = "disputes", _("disputes")
    DIFFERENT_VALUE = "different_value", _("different value")


class FigureContest(models.Model):
    """One reason a figure is contested, as one audience sees it.

    ``citation`` is the objecting citation (``denies``, ``disputes``), or, for
    ``different_value``, the asserting citation of the other figure. A figure is
    contested for an audience when it has at least one row for it. Maintained by
    every write (``incidents.writes.contest``); ``manage.py rebuild_contest_state``
    rebuilds it from the records.
    """

    figure = models.ForeignKey(
        "incidents.Figure", verbose_name=_("figure"), on_delete=models.CASCADE, related_name="+"
    )
    audience = models.PositiveSmallIntegerField(_("audience"), choices=ContestAudience.choices)
    citation = models.ForeignKey(
        "incidents.Citation",
        verbose_name=_("citation"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    reason = models.CharField(_("reason"), max_length=16, choices=ContestReasonKind.choices)

    class Meta:
        verbose_name = _("figure contest reason")
        verbose_name_plural = _("figure contest reasons")
        constraints = [
            models.UniqueConstraint(
                fields=["figure", "audience", "citation"], name="figure_contest_unique"
            ),
        ]
        indexes = [
            # ``contested=true``: the contested figures of one audience, in key order.
            models.Index(fields=["audience", "figure"], name="figure_contest_audience_idx"),
        ]

    def __str__(self):
        return f"{self.figure_id} {self.get_audience_display()}: {self.reason}"
