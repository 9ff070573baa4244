"""Import a news article in the admin: paste it, correct the extractor's draft, confirm.

Three pages, on the source admin (the article becomes a source):

- **Import an article** (``source/import-article/``): the text (pasted or a
  UTF-8 file), its title, date, publisher, URL and country;
- **the preview** (the same URL, after "Extract"): the article with every
  quote highlighted, and one editable row per drafted record (actors,
  statements, incidents, groups, figures, allegations, stances), each with a
  "keep" box and a link to its quote. Nothing is written; the draft travels
  in a signed field, so what is confirmed is what was shown;
- **the article's drafts** (``source/<id>/drafts/``), after "Save as drafts":
  what was written, restricted and unreviewed, with links to each record, and
  for reviewers a button that publishes them all.

The work is done by ``incidents.writes.articles``; this module is forms and pages.
"""

from __future__ import annotations

import dataclasses
import datetime
import logging
from collections import defaultdict
from itertools import pairwise

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.widgets import AdminDateWidget
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseNotAllowed, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext_lazy, ngettext, to_locale
from django.utils.translation import gettext as _
from django_countries import countries

from incidents import access_log
from incidents.access import Principal
from incidents.admin import shown
from incidents.choices import (
    ActorKind,
    AllegationStatus,
    DatePrecision,
    IncidentKind,
    Measure,
    Qualifier,
    Sex,
    SourceKind,
    Stance,
    Vocabulary,
)
from incidents.extraction import Draft, UnsupportedLanguage
from incidents.extraction.draft import REPORTER_UNKNOWN
from incidents.extraction.language import language_name
from incidents.integration import changes
from incidents.models import Term
from incidents.roles import RECORDS
from incidents.writes import articles, services

logger = logging.getLogger(__name__)

# The signed preview is good for a working day: long enough to review an article.
PREVIEW_MAX_AGE = 60 * 60 * 12
SIGNING_SALT = "incidents.article-preview"
# An article, not a book: the largest seen in the seeds is about 5 kB.
MAX_ARTICLE_BYTES = 200_000


def may_import_articles(user) -> bool:
    """Importing writes every kind of record: it needs the editor's add permissions."""
    return user.has_perms([f"incidents.add_{name}" for name in RECORDS])


def may_publish(user) -> bool:
    return user.has_perm("incidents.publish_records")


class ArticleForm(forms.Form):
    """The article and what is known of where it appeared."""

    title = forms.CharField(label=gettext_lazy("Title"), max_length=300)
    published = forms.DateField(
        label=gettext_lazy("Date"),
        widget=AdminDateWidget,
        help_text=gettext_lazy(
            "When the article was published: it resolves “on Tuesday”, “this week”, “mid-November”."
        ),
    )
    publisher = forms.CharField(
        label=gettext_lazy("Publisher"),
        max_length=200,
        required=False,
        help_text=gettext_lazy("A media outlet; found among the actors by name, or added."),
    )
    url = forms.URLField(label=gettext_lazy("URL"), required=False, assume_scheme="https")
    country = forms.ChoiceField(
        label=gettext_lazy("Country"),
        required=False,
        choices=[("", gettext_lazy("The one the article mentions most")), *countries],
    )
    language = forms.ChoiceField(
        label=gettext_lazy("Language of the article"),
        required=False,
        choices=[
            ("", gettext_lazy("Detect from the text")),
            ("en", gettext_lazy("English")),
            ("es", gettext_lazy("Spanish")),
        ],
        help_text=gettext_lazy(
            "The extractor reads English and Spanish articles, and tells them apart by "
            "their words. Choose one only if it guesses wrong."
        ),
    )
    text = forms.CharField(
        label=gettext_lazy("Text"),
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 16, "cols": 100, "class": "vLargeTextField"}),
        help_text=gettext_lazy("Paste the article's words exactly as published."),
    )
    file = forms.FileField(
        label=gettext_lazy("Or upload it"),
        required=False,
        help_text=gettext_lazy("A plain-text file (.txt, UTF-8)."),
    )

    def clean(self):
        cleaned = super().clean()
        upload, pasted = cleaned.get("file"), cleaned.get("text") or ""
        if bool(upload) == bool(pasted.strip()):
            raise forms.ValidationError(_("Paste the article or upload it (one of the two)."))
        if upload is not None:
            if upload.size > MAX_ARTICLE_BYTES:
                raise forms.ValidationError(
                    _("The file is larger than %(limit)d bytes.") % {"limit": MAX_ARTICLE_BYTES}
                )
            try:
                pasted = upload.read().decode("utf-8-sig")
            except UnicodeDecodeError:
                raise forms.ValidationError(
                    _("The file is not UTF-8 text. Save it as plain text (UTF-8) and try again.")
                ) from None
        if len(pasted.encode("utf-8")) > MAX_ARTICLE_BYTES:
            raise forms.ValidationError(
                _("The article is longer than %(limit)d bytes.") % {"limit": MAX_ARTICLE_BYTES}
            )
        if "\x00" in pasted:
            raise forms.ValidationError(_("The text holds NUL characters: it is not plain text."))
        # Browsers send line breaks as CR LF; the stored text and its quotes use LF.
        cleaned["text"] = pasted.replace("\r\n", "\n").replace("\r", "\n")
        return cleaned

    def article(self) -> articles.Article:
        data = self.cleaned_data
        return articles.Article(
            title=data["title"],
            text=data["text"],
            published=data["published"],
            url=data["url"],
            publisher=data["publisher"].strip(),
            language=data["language"],
            country=data["country"],
        )


# --- the preview: one small form per drafted record ----------------------------------------


class DraftRowForm(forms.Form):
    """A drafted record: keep it or not, and the values staff may correct."""

    keep = forms.BooleanField(label=gettext_lazy("Keep"), required=False, initial=True)
    # Fields whose form value is a date but whose draft value is an ISO string.
    DATES: tuple[str, ...] = ()
    # Fields whose empty value is None in the draft ("no group").
    NULLABLE: tuple[str, ...] = ()

    def corrections(self) -> dict | None:
        if not self.cleaned_data.get("keep"):
            return None
        values = {}
        for name, value in self.cleaned_data.items():
            if name == "keep":
                continue
            if name in self.DATES:
                value = value.isoformat() if value else None
            elif value == "" and name in self.NULLABLE:
                value = None
            values[name] = value
        return values


def _date(label):
    # The browser's own date field: a row of the preview stays one line high.
    widget = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    return forms.DateField(label=label, required=False, widget=widget)


def _count(label):
    return forms.IntegerField(label=label, required=False, min_value=0)


class ActorRow(DraftRowForm):
    name = forms.CharField(label=gettext_lazy("name"), max_length=200)
    kind = forms.ChoiceField(label=gettext_lazy("kind"), choices=ActorKind.choices)
    role = forms.CharField(label=gettext_lazy("role"), max_length=200, required=False)
    NULLABLE = ("role",)


class SourceRow(DraftRowForm):
    title = forms.CharField(label=gettext_lazy("title"), max_length=300)
    kind = forms.ChoiceField(label=gettext_lazy("kind"), choices=SourceKind.choices)
    date = _date(gettext_lazy("date"))
    DATES = ("date",)


class IncidentRow(DraftRowForm):
    title = forms.CharField(label=gettext_lazy("title"), max_length=300)
    kind = forms.ChoiceField(label=gettext_lazy("kind"), choices=IncidentKind.choices)
    start_date = _date(gettext_lazy("start date"))
    end_date = _date(gettext_lazy("end date"))
    DATES = ("start_date", "end_date")


class GroupRow(DraftRowForm):
    label = forms.CharField(label=gettext_lazy("label"), max_length=200)
    age_min = _count(gettext_lazy("minimum age"))
    age_max = _count(gettext_lazy("maximum age"))
    sex = forms.ChoiceField(label=gettext_lazy("sex"), choices=Sex.choices)


class FigureRow(DraftRowForm):
    measure = forms.ChoiceField(label=gettext_lazy("measure"), choices=Measure.choices)
    qualifier = forms.ChoiceField(label=gettext_lazy("qualifier"), choices=Qualifier.choices)
    value = _count(gettext_lazy("value"))
    value_low = _count(gettext_lazy("low"))
    value_high = _count(gettext_lazy("high"))
    as_of = _date(gettext_lazy("as of"))
    as_of_precision = forms.ChoiceField(
        label=gettext_lazy("precision"), choices=DatePrecision.choices, required=False
    )
    group = forms.ChoiceField(label=gettext_lazy("group"), required=False)
    DATES = ("as_of",)
    NULLABLE = ("group", "as_of_precision")

    def __init__(self, *args, groups=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"].choices = [("", _("(the incident as a whole)")), *groups]


class AllegationRow(DraftRowForm):
    violation_type = forms.ChoiceField(label=gettext_lazy("violation"))
    status = forms.ChoiceField(label=gettext_lazy("status"), choices=AllegationStatus.choices)
    summary = forms.CharField(
        label=gettext_lazy("summary"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "cols": 40}),
    )

    def __init__(self, *args, violations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["violation_type"].choices = violations


class StanceRow(DraftRowForm):
    stance = forms.ChoiceField(
        label=gettext_lazy("stance"),
        choices=[c for c in Stance.choices if c[0] != Stance.ASSERTS],
    )
    note = forms.CharField(label=gettext_lazy("note"), required=False, max_length=500)


# kind (the draft's list) -> (heading, row form)
SECTIONS = {
    "actors": (gettext_lazy("Actors"), ActorRow),
    "sources": (gettext_lazy("Statements the article reports"), SourceRow),
    "incidents": (gettext_lazy("Incidents"), IncidentRow),
    "groups": (gettext_lazy("Groups of detained people"), GroupRow),
    "figures": (gettext_lazy("Figures"), FigureRow),
    "allegations": (gettext_lazy("Allegations"), AllegationRow),
    "stances": (gettext_lazy("Stances (denials, corroborations …)"), StanceRow),
}


class Preview:
    """The preview's forms: one formset per kind of drafted record, bound or not."""

    def __init__(self, draft: Draft, data=None):
        self.draft = draft
        groups = [(g.label, g.label) for g in draft.groups]
        violations = [
            (term.code, term.localized_label())
            for term in Term.objects.filter(vocabulary=Vocabulary.VIOLATION)
        ]
        extra = {"figures": {"groups": groups}, "allegations": {"violations": violations}}
        self.formsets = {}
        for kind, (_heading, row) in SECTIONS.items():
            records = getattr(draft, kind)
            # Exactly one form per drafted record: a form more or less is refused.
            count = len(records)
            formset = forms.formset_factory(
                row,
                extra=0,
                min_num=count,
                max_num=count,
                absolute_max=count,
                validate_min=True,
                validate_max=True,
            )
            initial = [self._initial(row, record) for record in records]
            self.formsets[kind] = formset(
                data,
                prefix=kind,
                initial=initial,
                form_kwargs=extra.get(kind, {}),
            )

    @staticmethod
    def _initial(row: type[DraftRowForm], record) -> dict:
        values = {"keep": True}
        for name in row.base_fields:
            if name == "keep":
                continue
            value = getattr(record, name, None)
            if name in row.DATES and value:
                value = datetime.date.fromisoformat(value)
            values[name] = value
        return values

    @property
    def media(self) -> forms.Media:
        """Every formset's scripts once (the date fields' calendar would be set up twice)."""
        media = forms.Media()
        for formset in self.formsets.values():
            media += formset.media
        return media

    def is_valid(self) -> bool:
        # Every formset, so each shows its own errors.
        return all([formset.is_valid() for formset in self.formsets.values()])

    def corrections(self) -> dict[str, list[dict | None]]:
        return {
            kind: [form.corrections() for form in formset.forms]
            for kind, formset in self.formsets.items()
        }

    def add_problems(self, problems) -> list[str]:
        """Show each problem beside its row; return those that belong to no row."""
        general = []
        for kind, index, message in problems:
            formset = self.formsets.get(kind)
            if formset is None or index is None or index >= len(formset.forms):
                general.append(message)
            else:
                formset.forms[index].add_error(None, message)
        return general

    def sections(self, anchors: dict[tuple[str, int], str]):
        for kind, (heading, _row) in SECTIONS.items():
            formset = self.formsets[kind]
            records = getattr(self.draft, kind)
            rows = [
                {
                    "form": form,
                    "quote": record.quote,
                    "anchor": anchors.get((kind, index), ""),
                    "what": _describe(kind, record),
                    "warnings": _warnings(record),
                }
                # Not strict: a tampered form count is refused, and shown as far as it goes.
                for index, (form, record) in enumerate(zip(formset.forms, records, strict=False))
            ]
            yield {"kind": kind, "heading": heading, "formset": formset, "rows": rows}


# What a draft's warning codes tell the reviewer (incidents.extraction.draft.WARNINGS).
WARNING_MESSAGES = {
    REPORTER_UNKNOWN: gettext_lazy("No reporter found in the text: check who says this"),
}


def _warnings(record) -> list[dict]:
    """The record's warnings as (code, message in the staff member's language)."""
    return [
        {"code": code, "message": WARNING_MESSAGES.get(code, code)}
        for code in getattr(record, "warnings", None) or ()
    ]


def _describe(kind: str, record) -> str:
    """A line that tells a reviewer which record a row is, whatever they change in it."""
    if kind == "figures":
        who = f" — {record.reported_by}" if record.reported_by else ""
        # The period's start is not saved (a Figure has no place for it): shown here only.
        since = ""
        if getattr(record, "since", None):
            since = " (" + _("since %(date)s") % {"date": record.since} + ")"
        return f"{record.value if record.value is not None else '?'} {record.measure}{since}{who}"
    if kind == "allegations":
        return f"{record.violation_type} ({record.victim_group or record.incident})"
    if kind == "stances":
        return f"{record.actor or '?'} {record.stance} {record.target_kind} {record.target}"
    if kind == "sources":
        return record.issuer or record.title
    return getattr(record, "name", None) or getattr(record, "label", None) or record.title


def highlight(text: str, quotes: list[tuple[str, str, str]]) -> str:
    """The article as HTML with every quote marked, each quote's first piece anchored.

    ``quotes`` are (anchor, kind, quote). Quotes overlap (a figure and its
    group often share a sentence), so the text is cut at every quote's start
    and end, and each piece is marked with every record that covers it; the
    first piece of a quote carries its anchor.
    """
    spans = []
    for anchor, kind, quote in quotes:
        start = text.find(quote)
        if start >= 0 and quote:
            spans.append((start, start + len(quote), anchor, kind))
    cuts = sorted({0, len(text), *(s for s, *_ in spans), *(e for _, e, *_ in spans)})
    starts = defaultdict(list)
    for start, _end, anchor, _kind in spans:
        starts[start].append(anchor)
    html = []
    for begin, end in pairwise(cuts):
        piece = escape(text[begin:end])
        covering = [(a, k) for s, e, a, k in spans if s <= begin and end <= e]
        if not covering:
            html.append(piece)
            continue
        ids = "".join(f'<span id="{a}" class="quote-anchor"></span>' for a in starts[begin])
        kinds = " ".join(sorted({f"q-{k}" for _, k in covering}))
        records = " ".join(a for a, _ in covering)
        html.append(f'{ids}<mark class="{kinds}" data-records="{records}">{piece}</mark>')
    return mark_safe("".join(html))  # every piece of the text is escaped above


def _anchors(draft: Draft) -> tuple[list[tuple[str, str, str]], dict[tuple[str, int], str]]:
    quotes, anchors = [], {}
    for kind in SECTIONS:
        for index, record in enumerate(getattr(draft, kind)):
            anchor = f"q-{kind}-{index}"
            anchors[(kind, index)] = anchor
            quotes.append((anchor, kind, record.quote))
    return quotes, anchors


def _language(code: str) -> str:
    """A language's name in the staff member's language, with its code: "portugués (pt)"."""
    return f"{language_name(code, to_locale(get_language() or 'en'))} ({code})"


def _keep_text(form: ArticleForm) -> None:
    """Show an uploaded article's text in the text box, so a second try needs no upload.

    Browsers never fill a file field again; what was pasted is shown as it was.
    """
    if form.files.get("file") and form.cleaned_data.get("text"):
        form.data = form.data.copy()
        form.data["text"] = form.cleaned_data["text"]


def _sign(article: articles.Article, draft: Draft) -> str:
    payload = {
        "article": {
            "title": article.title,
            "text": article.text,
            "published": article.published.isoformat(),
            "url": article.url,
            "publisher": article.publisher,
            "language": article.language,
            "country": article.country,
        },
        "draft": draft.to_dict(),
    }
    return signing.dumps(payload, salt=SIGNING_SALT, compress=True)


def _unsign(token: str) -> tuple[articles.Article, Draft]:
    payload = signing.loads(token, salt=SIGNING_SALT, max_age=PREVIEW_MAX_AGE)
    fields = dict(payload["article"])
    fields["published"] = datetime.date.fromisoformat(fields["published"])
    return articles.Article(**fields), Draft.from_dict(payload["draft"])


class ArticleImportMixin:
    """The source admin's article import and drafts pages, and its publish action."""

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path(
                "import-article/",
                view(self.import_article_view),
                name="incidents_source_import_article",
            ),
            path(
                "<int:object_id>/drafts/",
                view(self.drafts_view),
                name="incidents_source_drafts",
            ),
            *super().get_urls(),
        ]

    def changelist_view(self, request, extra_context=None):
        extra = {"may_import_articles": may_import_articles(request.user)}
        return super().changelist_view(request, {**extra, **(extra_context or {})})

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra = {"drafts_url": reverse("admin:incidents_source_drafts", args=[object_id])}
        return super().change_view(request, object_id, form_url, {**extra, **(extra_context or {})})

    def _context(self, request, title: str, **context) -> dict:
        return {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": title,
            **context,
        }

    def import_article_view(self, request):
        if not may_import_articles(request.user):
            raise PermissionDenied
        if request.method == "POST" and "preview" in request.POST:
            return self._confirm(request)
        form = ArticleForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            article = form.article()
            try:
                draft = articles.draft_of(article)
            except UnsupportedLanguage as error:
                _keep_text(form)
                form.add_error(
                    "language",
                    _(
                        "This text appears to be in %(language)s. The extractor reads English "
                        "and Spanish articles: if it is one of them, choose it here; otherwise "
                        "enter its records by hand."
                    )
                    % {"language": _language(error.language)},
                )
            except Exception:
                # The extractor is rule-based and reads text nobody checked: a failure
                # here is a bug to fix, but the person importing gets a message, not a 500.
                logger.exception("the extractor failed on an article")
                _keep_text(form)
                form.add_error(
                    None,
                    _(
                        "The extractor could not read this text. Check it is the article's "
                        "text in English or Spanish, or enter its records by hand."
                    ),
                )
            else:
                # The language the draft was read in, detected or chosen, is the article's.
                article = dataclasses.replace(article, language=draft.language)
                return self._preview(request, article, draft, Preview(draft))
        return TemplateResponse(
            request,
            "admin/incidents/source/import_article.html",
            self._context(request, _("Import an article"), form=form),
        )

    def _preview(self, request, article, draft, preview, errors=(), status=200):
        quotes, anchors = _anchors(draft)
        text = highlight(article.text, quotes)
        context = self._context(
            request,
            _("Check the records drafted from “%(title)s”") % {"title": article.title},
            article=article,
            language=_language(article.language),
            text=text,
            token=_sign(article, draft),
            sections=list(preview.sections(anchors)),
            media=preview.media,
            errors=errors,
            invalid=status >= 400,
            total=sum(len(getattr(draft, kind)) for kind in SECTIONS),
        )
        return TemplateResponse(
            request, "admin/incidents/source/import_preview.html", context, status=status
        )

    def _confirm(self, request):
        try:
            article, draft = _unsign(request.POST.get("preview", ""))
        except (signing.BadSignature, ValueError, KeyError, TypeError):
            messages.error(
                request,
                _("This preview has expired or was changed. Paste the article again, please."),
            )
            return HttpResponseRedirect(reverse("admin:incidents_source_import_article"))
        preview = Preview(draft, request.POST)
        if not preview.is_valid():
            return self._preview(request, article, draft, preview, status=400)
        principal = Principal(user=request.user)
        corrections = preview.corrections()
        try:
            corrected = articles.correct(draft, corrections)
        except articles.DraftInvalid as invalid:
            general = preview.add_problems(invalid.problems)  # rows of the preview already
            return self._preview(request, article, draft, preview, general, status=400)
        try:
            saved = articles.save_article(article=article, draft=corrected, principal=principal)
        except articles.DraftInvalid as invalid:
            # Places in the corrected draft, which left some rows out: back to the rows.
            rows = articles.kept_rows(draft, corrections)
            general = preview.add_problems(
                (kind, None if index is None else rows[kind][index], message)
                for kind, index, message in invalid.problems
            )
            return self._preview(request, article, draft, preview, general, status=400)
        except articles.AlreadyImported as already:
            url = reverse("admin:incidents_source_drafts", args=[already.source.pk])
            messages.error(
                request,
                format_html(
                    _('This article was imported before: <a href="{}">see its records</a>.'),
                    url,
                ),
            )
            return self._preview(request, article, draft, preview, status=409)
        count = len(saved.created)
        messages.success(
            request,
            ngettext(
                "Saved %(count)d record as an unreviewed, restricted draft.",
                "Saved %(count)d records as unreviewed, restricted drafts.",
                count,
            )
            % {"count": count},
        )
        return HttpResponseRedirect(
            reverse("admin:incidents_source_drafts", args=[saved.article.pk])
        )

    def drafts_view(self, request, object_id):
        article = get_object_or_404(self.get_queryset(request), pk=object_id)
        if request.method == "POST":
            if not may_publish(request.user):
                raise PermissionDenied
            _published(request, publish(request, articles.drafted_from(article)))
            return HttpResponseRedirect(request.path)
        if request.method != "GET":
            return HttpResponseNotAllowed(["GET", "POST"])
        # Those the staff member may read: a published article's drafts may not be.
        drafts = shown.readable_records(articles.drafted_from(article), request)
        access_log.note(request, [article, *drafts])
        by_kind = defaultdict(list)
        for record in drafts:
            meta = record._meta
            url = reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[record.pk])
            by_kind[meta.verbose_name_plural].append({"record": record, "url": url})
        context = self._context(
            request,
            _("Unreviewed records drafted from “%(title)s”") % {"title": article.title},
            article=article,
            article_url=reverse("admin:incidents_source_change", args=[article.pk]),
            groups=sorted(by_kind.items()),
            count=len(drafts),
            may_publish=may_publish(request.user),
        )
        return TemplateResponse(request, "admin/incidents/source/drafts.html", context)


def publish(request, records) -> int | None:
    """Publish records as the reviewer behind ``request``: all of them, or none.

    How many changed; None (with a message saying why) when one was refused,
    and then nothing is published.
    """
    principal = Principal(user=request.user)
    try:
        with changes.collecting():
            return sum(
                services.record_publish(record=record, principal=principal) for record in records
            )
    except (ValidationError, services.Conflict) as error:
        reason = " ".join(getattr(error, "messages", [str(error)]))
        messages.error(request, _("Nothing was published: %(reason)s") % {"reason": reason})
        return None


def _published(request, count: int | None) -> None:
    if count is not None:
        messages.success(
            request,
            ngettext("Published %(count)d record.", "Published %(count)d records.", count)
            % {"count": count},
        )


@admin.action(
    description=gettext_lazy("Publish the selected records (public, reviewed)"),
    permissions=["publish"],
)
def publish_records(modeladmin, request, queryset):
    _published(request, publish(request, queryset.filter(deleted_at__isnull=True)))


@admin.action(
    description=gettext_lazy("Publish the selected articles and every record drafted from them"),
    permissions=["publish"],
)
def publish_articles(modeladmin, request, queryset):
    records = []
    for article in queryset.filter(deleted_at__isnull=True):
        records += [article, *articles.drafted_from(article)]
    _published(request, publish(request, records))
