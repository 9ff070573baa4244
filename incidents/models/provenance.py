"""Who says so: actors, the sources they issue, and citations that tie a quote to a record."""

import operator
from functools import reduce

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from incidents.choices import ActorKind, SourceKind, Stance
from incidents.models.base import (
    SHARED_AND_LIVE,
    Record,
    audited,
    external_id_unique,
    precision_field,
)

# The records a citation can support; it supports exactly one of them.
CITATION_TARGETS = ("incident", "group", "figure", "allegation")


def exactly_one_of(fields: tuple[str, ...]) -> Q:
    """A condition true when exactly one of these nullable fields is set."""
    return reduce(
        operator.or_,
        (Q(**{f"{name}__isnull": name != chosen for name in fields}) for chosen in fields),
    )


class Actor(Record):
    """An organisation, person, state body or group that reports, perpetrates or responds.

    ``parent`` places a person or a unit inside an organisation (Alfredo Romero
    in Foro Penal, Luis Almagro in the OAS); ``role`` is their position there.
    """

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=32, choices=ActorKind.choices)
    country = CountryField(_("country"), blank=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("part of"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="members",
    )
    role = models.CharField(_("role"), max_length=200, blank=True)
    description = models.TextField(_("description"), blank=True)

    constraint_fields = {
        "actor_name_unique_ci": "name",
        "actor_name_not_empty": "name",
        "actor_not_its_own_parent": "parent",
    }
    history = audited()

    class Meta:
        ordering = ["name"]
        verbose_name = _("actor")
        verbose_name_plural = _("actors")
        constraints = [
            external_id_unique("actor"),
            models.UniqueConstraint(
                Lower("name"),
                condition=SHARED_AND_LIVE,
                name="actor_name_unique_ci",
                violation_error_message=_("An actor with this name already exists."),
            ),
            models.CheckConstraint(condition=~Q(name=""), name="actor_name_not_empty"),
            models.CheckConstraint(condition=~Q(parent=F("pk")), name="actor_not_its_own_parent"),
        ]
        indexes = [models.Index(fields=["kind"], name="actor_kind_idx")]

    def __str__(self):
        # Never the parent's name: wherever an actor is named (lists, links, history),
        # its organisation may be a record the reader may not see.
        return f"{self.name} ({self.role})" if self.role else self.name


class Source(Record):
    """A document or statement that information comes from.

    A statement we know only through a news report points to that report with
    ``reported_in``; its quotes are then checked against the report's text.
    ``url`` is optional and never invented.
    """

    kind = models.CharField(_("kind"), max_length=32, choices=SourceKind.choices)
    title = models.CharField(_("title"), max_length=500)
    issuer = models.ForeignKey(
        Actor,
        verbose_name=_("issuer"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="sources",
    )
    reported_in = models.ForeignKey(
        "self",
        verbose_name=_("reported in"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reported_statements",
        help_text=_("The document through which this statement reached us."),
    )
    date = models.DateField(_("date"), null=True, blank=True)
    date_precision = precision_field(_("date precision"))
    url = models.URLField(_("URL"), max_length=1000, blank=True)
    language = models.CharField(_("language"), max_length=16, default="en")
    text = models.TextField(
        _("full text"), blank=True, help_text=_("The full text, when we hold the document.")
    )

    constraint_fields = {
        "source_title_not_empty": "title",
        "source_url_unique": "url",
        "source_not_reported_in_itself": "reported_in",
    }
    history = audited()

    class Meta:
        ordering = ["-date", "title"]
        verbose_name = _("source")
        verbose_name_plural = _("sources")
        constraints = [
            external_id_unique("source"),
            models.CheckConstraint(condition=~Q(title=""), name="source_title_not_empty"),
            models.CheckConstraint(
                condition=~Q(reported_in=F("pk")), name="source_not_reported_in_itself"
            ),
            models.UniqueConstraint(
                fields=["url"],
                condition=~Q(url="") & SHARED_AND_LIVE,
                name="source_url_unique",
                violation_error_message=_("A source with this URL already exists."),
            ),
        ]
        indexes = [
            models.Index(fields=["kind"], name="source_kind_idx"),
            models.Index(fields=["date"], name="source_date_idx"),
        ]

    def __str__(self):
        return self.title


class Citation(Record):
    """The provenance of one assertion: a source, its verbatim words, and its stance.

    A citation supports exactly one incident, detainee group, figure or
    allegation (a database constraint). The quote must occur verbatim in the
    text of its source, or of the document it was reported in, whenever that
    text is held (checked in ``clean`` through ``incidents.writes.quotes``).
    """

    source = models.ForeignKey(
        Source, verbose_name=_("source"), on_delete=models.PROTECT, related_name="citations"
    )
    quote = models.TextField(_("verbatim quote"))
    stance = models.CharField(
        _("stance"), max_length=16, choices=Stance.choices, default=Stance.ASSERTS
    )
    note = models.TextField(_("note"), blank=True)
    incident = models.ForeignKey(
        "incidents.Incident",
        verbose_name=_("incident"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="citations",
    )
    group = models.ForeignKey(
        "incidents.DetaineeGroup",
        verbose_name=_("detainee group"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="citations",
    )
    figure = models.ForeignKey(
        "incidents.Figure",
        verbose_name=_("figure"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="citations",
    )
    allegation = models.ForeignKey(
        "incidents.Allegation",
        verbose_name=_("allegation"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="citations",
    )

    TARGET_FIELDS = CITATION_TARGETS

    constraint_fields = {
        "citation_quote_not_empty": "quote",
        "figure_has_one_asserting_citation": "stance",
    }
    history = audited()

    class Meta:
        ordering = ["pk"]
        verbose_name = _("citation")
        verbose_name_plural = _("citations")
        constraints = [
            external_id_unique("citation"),
            models.CheckConstraint(
                condition=exactly_one_of(CITATION_TARGETS),
                name="citation_has_exactly_one_target",
                violation_error_message=_(
                    "A citation supports exactly one incident, detainee group, figure or "
                    "allegation."
                ),
            ),
            models.CheckConstraint(
                condition=~Q(quote=""),
                name="citation_quote_not_empty",
                violation_error_message=_("A citation needs the source's verbatim words."),
            ),
            # One figure, one reporting source: the citation that asserts it.
            models.UniqueConstraint(
                fields=["figure"],
                # A soft-deleted citation no longer reports the figure.
                condition=Q(stance=Stance.ASSERTS, deleted_at__isnull=True),
                name="figure_has_one_asserting_citation",
                violation_error_message=_(
                    "This figure already has its asserting citation; other sources "
                    "corroborate or dispute it."
                ),
            ),
        ]
        indexes = [models.Index(fields=["stance"], name="citation_stance_idx")]

    def __str__(self):
        quote = self.quote if len(self.quote) <= 60 else self.quote[:57] + "..."
        return f"{self.get_stance_display()}: “{quote}” ({self.source})"

    @property
    def target(self):
        """The one record this citation supports."""
        for name in self.TARGET_FIELDS:
            if getattr(self, f"{name}_id"):
                return getattr(self, name)
        return None

    def clean(self):
        from incidents.writes.quotes import quote_errors

        if self.source_id and self.quote:
            # Set by the services for API writes: the documents the writer may read.
            problem = quote_errors(self.source, self.quote, getattr(self, "may_read", None))
            if problem:
                raise ValidationError({"quote": problem})
