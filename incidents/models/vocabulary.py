"""Controlled vocabularies: violation types and methods, mapped to HURIDOCS ESF."""

from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from incidents.choices import Vocabulary
from incidents.models.base import Identified, audited


class TermManager(models.Manager):
    def get_by_natural_key(self, vocabulary, code):
        return self.get(vocabulary=vocabulary, code=code)


class Term(Identified):
    """One entry of a controlled vocabulary (a violation type or a method).

    ``code`` is what the API and filters accept (``method=electric_shock``);
    ``esf_code`` is the HURIDOCS Events Standard Formats micro-thesaurus code,
    where one exists, so partners on ESF-based systems can map records.
    Terms are seeded by a migration and editable in the admin.
    """

    vocabulary = models.CharField(_("vocabulary"), max_length=16, choices=Vocabulary.choices)
    code = models.SlugField(_("code"), max_length=64)
    label = models.CharField(_("label (English)"), max_length=200)
    label_es = models.CharField(_("label (Spanish)"), max_length=200, blank=True)
    description = models.TextField(_("scope note"), blank=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("broader term"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    esf_code = models.CharField(
        _("HURIDOCS ESF code"),
        max_length=12,
        blank=True,
        validators=[RegexValidator(r"^\d{12}$", _("An ESF code is twelve digits."))],
        help_text=_("Events Standard Formats micro-thesaurus code, e.g. 030000000000."),
    )

    objects = TermManager()

    constraint_fields = {
        "term_code_unique_per_vocabulary": "code",
        "term_code_not_empty": "code",
        "term_not_its_own_parent": "parent",
    }
    history = audited()

    class Meta:
        ordering = ["vocabulary", "label"]
        verbose_name = _("term")
        verbose_name_plural = _("terms")
        constraints = [
            models.UniqueConstraint(
                fields=["vocabulary", "code"],
                name="term_code_unique_per_vocabulary",
                violation_error_message=_("This vocabulary already has a term with this code."),
            ),
            models.CheckConstraint(condition=~Q(code=""), name="term_code_not_empty"),
            models.CheckConstraint(
                condition=~Q(parent=models.F("pk")), name="term_not_its_own_parent"
            ),
        ]

    def __str__(self):
        return self.localized_label()

    def localized_label(self) -> str:
        """The label in the active language: Spanish when asked for and given."""
        if self.label_es and (get_language() or "").startswith("es"):
            return self.label_es
        return self.label

    def natural_key(self):
        return (self.vocabulary, self.code)

    def clean(self):
        from django.core.exceptions import ValidationError

        if self.parent_id and self.parent.vocabulary != self.vocabulary:
            raise ValidationError({"parent": _("The broader term must be in the same vocabulary.")})
