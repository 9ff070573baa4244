"""The Django admin, shaped for NGO documentation staff.

Every record shows its citations inline, so whoever edits a figure or an
allegation sees who said so and in what words. A figure is saved only with
exactly one citation that asserts it: the source that reported the number.

Every change is in the record's history (the History button). Deleting is soft
and can be undone with the "Restore" action; a form saved over someone else's
newer change is refused. Staff without the "read restricted records"
permission do not see restricted records here either.
"""

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import models
from django.db.models import Prefetch
from django.forms.models import BaseInlineFormSet
from django.http import Http404, HttpResponse
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import timezone
from django.utils.html import format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, pgettext_lazy
from django_countries.filters import CountryFilter
from simple_history.admin import SimpleHistoryAdmin

from incidents import access_log
from incidents.access import principal_of
from incidents.addresses import parse_networks
from incidents.admin import oversight, shown
from incidents.admin.articles import (
    ArticleImportMixin,
    may_publish,
    publish_articles,
    publish_records,
)
from incidents.admin.purge import PurgeAdminMixin
from incidents.api.renderers import CHART_MEDIA_TYPES
from incidents.choices import ReviewStatus, Stance, Visibility
from incidents.integration import changes, webhooks
from incidents.models import (
    Actor,
    Allegation,
    ApiToken,
    Citation,
    DetaineeGroup,
    Figure,
    Incident,
    Partner,
    Source,
    Term,
)
from incidents.reads import queries
from incidents.security import has_recent_second_factor, log_event, second_factor_confirmation
from incidents.writes import services

RECORD_READONLY = ("uuid", "owner", "version", "deleted_at", "created_at", "updated_at")


class NationalityFilter(CountryFilter):
    """Lists only the nationalities that occur, not all 250 countries."""

    title = _("nationality")


RECORD_FIELDSET = (
    _("Record"),
    {"fields": ("visibility", "review_status", "seen_version", *RECORD_READONLY)},
)


class StateFilter(admin.SimpleListFilter):
    """Live records by default; deleted ones on request, to restore them."""

    title = _("state")
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return [
            ("deleted", pgettext_lazy("records", "Deleted")),
            ("all", pgettext_lazy("records", "All")),
        ]

    def choices(self, changelist):
        yield {
            "selected": self.value() is None,
            "query_string": changelist.get_query_string(remove=[self.parameter_name]),
            "display": pgettext_lazy("records", "Live"),
        }
        yield from super().choices(changelist)

    def queryset(self, request, queryset):
        if self.value() == "deleted":
            return queryset.filter(deleted_at__isnull=False)
        if self.value() == "all":
            return queryset
        return queryset.filter(deleted_at__isnull=True)


class PublishingCheckedForm(forms.ModelForm):
    """Only a reviewer makes a record readable beyond staff, as in the API (``services``).

    ``publisher`` is set for the staff member who opened the form (``for_user``).
    For others a new record starts restricted and unreviewed, and a visibility
    wider than the stored one is refused with the services' own message.
    """

    publisher = False

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields.get("visibility")
        if field is not None and not self.publisher and not self.instance.pk:
            field.initial = Visibility.RESTRICTED

    def clean(self):
        cleaned = super().clean()
        if self.publisher:
            return cleaned
        # The instance still holds the stored values: the form applies its own after clean().
        before = self.instance.visibility if self.instance.pk else None
        refusal = services.publishing_refusal(before, cleaned.get("visibility") or before)
        if refusal and "visibility" in self.fields:
            self.add_error("visibility", refusal)
        if not self.instance.pk:
            self.instance.review_status = ReviewStatus.UNREVIEWED
        return cleaned


def for_user(form: type[forms.ModelForm], request) -> type[forms.ModelForm]:
    """``form`` as the staff member behind ``request`` may use it (``PublishingCheckedForm``)."""
    return type(form.__name__, (form,), {"publisher": may_publish(request.user)})


class VersionCheckedForm(PublishingCheckedForm):
    """Refuses to save over a change someone else saved after this form was opened."""

    seen_version = forms.IntegerField(
        label=_("Seen version"), widget=forms.HiddenInput, required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["seen_version"].initial = self.instance.version

    def clean(self):
        cleaned = super().clean()
        seen = cleaned.get("seen_version")
        if self.instance.pk and seen is not None:
            current = (
                type(self.instance)
                .objects.filter(pk=self.instance.pk)
                .values_list("version", flat=True)
                .first()
            )
            if current is not None and current != seen:
                raise ValidationError(
                    _(
                        "Someone else saved this record (now version %(current)d) after you "
                        "opened it (version %(seen)d). Copy your changes, reload the page and "
                        "apply them again."
                    ),
                    params={"current": current, "seen": seen},
                    code="stale",
                )
        return cleaned


@admin.action(description=_("Restore the selected deleted records"))
def restore_records(modeladmin, request, queryset):
    restored = 0
    for record in queryset.filter(deleted_at__isnull=False):
        try:
            services.record_restore(record=record)
        except (ValidationError, services.Conflict) as error:
            reason = " ".join(getattr(error, "messages", [str(error)]))
            modeladmin.message_user(request, f"{record}: {reason}", level=messages.ERROR)
        else:
            restored += 1
    modeladmin.message_user(request, _("Restored %(n)d records.") % {"n": restored})


class RecordAdmin(PurgeAdminMixin, SimpleHistoryAdmin):
    """What every record's admin shares: visibility, owner, version, history, soft delete."""

    form = VersionCheckedForm
    readonly_fields = RECORD_READONLY
    list_per_page = 50
    show_facets = admin.ShowFacets.NEVER  # counts per filter cost a query each on big tables
    # Sources are cited from the web; a bare "example.org" means https, not http.
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    actions = [restore_records, publish_records]

    def get_list_filter(self, request):
        return (StateFilter, "review_status", *super().get_list_filter(request))

    def has_publish_permission(self, request):
        return may_publish(request.user)

    def get_form(self, request, obj=None, **kwargs):
        return for_user(super().get_form(request, obj, **kwargs), request)

    def get_readonly_fields(self, request, obj=None):
        readonly = super().get_readonly_fields(request, obj)
        # Marking a record reviewed is a reviewer's call, as publishing is.
        if not may_publish(request.user):
            readonly = (*readonly, "review_status")
        return readonly

    def changeform_view(self, request, *args, **kwargs):
        # A save here, inlines included, reaches the change feed (and webhooks) as one
        # write at its end, in commit order like the API's writes.
        with changes.collecting():
            return super().changeform_view(request, *args, **kwargs)

    # --- the access log: what each page shows of restricted records (``access_log``) ---------

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None and obj.pk is not None:
            # The record, the records its links name (a figure's incident, in its field),
            # and those its inlines show (citations, groups, figures).
            inlines = context.get("inline_admin_formsets") or ()
            access_log.note(
                request,
                [
                    obj,
                    *page_links(obj, request),
                    *(form.instance for inline in inlines for form in inline.formset.forms),
                ],
            )
            if oversight.may_read_log(request):
                context["access_log_url"] = oversight.log_url(obj)  # "who read this record"
        return super().render_change_form(request, context, add, change, form_url, obj)

    def changelist_view(self, request, extra_context=None):
        response = super().changelist_view(request, extra_context)
        changelist = getattr(response, "context_data", {}).get("cl")
        if changelist is not None:
            # The page's rows (evaluated once here; the template reads the same list).
            rows = list(changelist.result_list)
            access_log.note(
                request, [*rows, *(linked for row in rows for linked in self.row_links(row))]
            )
        return response

    def row_links(self, row) -> list:
        """Records a changelist row shows besides itself: links fetched with the row."""
        return shown_links(row)

    # --- what this staff member may read: the API's rule at every door (``shown``) -----------

    def get_queryset(self, request):
        return shown.scoped(super().get_queryset(request), request)

    def get_list_display(self, request):
        return shown.list_display(self.model, super().get_list_display(request), request)

    def get_search_results(self, request, queryset, search_term):
        queryset, duplicates = shown.search(self, request, queryset, search_term)
        match = request.resolver_match
        if match is not None and match.url_name == "autocomplete":
            queryset = queryset.filter(deleted_at__isnull=True)  # nothing links to a deleted one
        return queryset, duplicates

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is not None and not self.has_change_permission(request, obj):
            shown.hide_unreadable(obj, request)  # a read-only page: never saved
        return obj

    def _get_obj_does_not_exist_redirect(self, request, opts, object_id):
        # A record this staff member may not read is as absent as in the API: a 404,
        # not Django's redirect with a message that it "may have been deleted".
        raise Http404

    def _readable_or_404(self, request, object_id) -> None:
        if not self.get_queryset(request).filter(pk=unquote(object_id)).exists():
            raise Http404

    def history_view(self, request, object_id, extra_context=None):
        self._readable_or_404(request, object_id)
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        self._readable_or_404(request, object_id)
        return super().history_form_view(request, object_id, version_id, extra_context)

    def render_history_view(self, request, template, context, **kwargs):
        # Old values of the record itself are shown (the staff member may read it now);
        # links to records they may not read are not, in the list or on an entry's page.
        if context.get("original") is not None:
            shown.hide_unreadable(context["original"], request)
        # The record's old values are the record: the list (``object``) and one entry's page.
        access_log.note(request, [context.get("original") or context.get("object")])
        seen: dict = {}
        for entry in context.get("page_obj") or ():
            entry.history_object = shown.hide_unreadable(entry.history_object, request, seen)
        return super().render_history_view(request, template, context, **kwargs)

    def get_historical_record_context_helper(self, request, historical_record):
        return shown.ShownHistoryHelper(self.model, historical_record, request=request)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        return shown.limit_choices(
            super().formfield_for_foreignkey(db_field, request, **kwargs), db_field, request
        )

    # Deleting is soft: the record leaves the API, keeps its history, and can be restored.
    def delete_model(self, request, obj):
        services.record_delete(record=obj)

    def delete_queryset(self, request, queryset):
        refused = []
        for record in queryset:
            try:
                services.record_delete(record=record)
            except ValidationError as error:
                refused.append(f"{record}: {' '.join(error.messages)}")
        for message in refused:
            self.message_user(request, message, level=messages.ERROR)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and services.delete_refusal(obj):
            return False
        return super().has_delete_permission(request, obj)

    def get_deleted_objects(self, objs, request):
        # Nothing cascades and nothing protected is destroyed: only these records are marked.
        to_delete = [str(obj) for obj in objs]
        return to_delete, {}, set(), []


def page_links(record, request) -> list:
    """The linked records a record's page names (in its link fields), those readable.

    A query for each link not fetched with the record: a few on one page, never one a row.
    """
    linked = []
    for field in shown.record_links(type(record)):
        try:
            other = getattr(record, field.name)
        except ObjectDoesNotExist:
            continue
        if shown.may_see(other, request):
            linked.append(other)
    return linked


def shown_links(record) -> list:
    """The linked records already fetched with ``record`` (a figure's incident, say).

    Those not fetched are not shown by name on its row or page either, and
    fetching them only to log them would cost a query each.
    """
    return [
        field.get_cached_value(record)
        for field in shown.record_links(type(record))
        if field.is_cached(record)
    ]


# --- Citations: inline on whatever they support ------------------------------------------


class SoftDeleteInlineFormSet(BaseInlineFormSet):
    """Inline rows marked for deletion are soft-deleted, like every other delete."""

    def delete_existing(self, obj, commit=True):
        if commit:
            # The formset has checked what the record keeps (a figure's one asserting
            # citation), so the services' own guard is not needed here.
            services.record_delete(record=obj, guard=False)


class LiveInlineMixin:
    """Inlines list live records only; deleted ones are restored from their own page.

    Their rows are records too: only a reviewer widens who may read them.
    """

    form = PublishingCheckedForm

    def get_queryset(self, request):
        return shown.scoped(super().get_queryset(request), request, live=True)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        return shown.limit_choices(
            super().formfield_for_foreignkey(db_field, request, **kwargs), db_field, request
        )

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        formset.form = for_user(formset.form, request)
        return formset


class CitationInline(LiveInlineMixin, admin.StackedInline):
    """Citations supporting the record being edited (its provenance)."""

    model = Citation
    formset = SoftDeleteInlineFormSet
    extra = 0
    autocomplete_fields = ("source",)
    fields = ("source", "stance", "quote", "note", "visibility")
    verbose_name = _("citation")
    verbose_name_plural = _("citations: who says so, in their own words")


class FigureCitationFormSet(SoftDeleteInlineFormSet):
    """A figure needs exactly one citation that asserts it: the reporting source."""

    def clean(self):
        super().clean()
        asserting = [
            form
            for form in self.forms
            if form.cleaned_data
            and not form.cleaned_data.get("DELETE")
            and form.cleaned_data.get("stance") == Stance.ASSERTS
        ]
        if len(asserting) != 1:
            raise ValidationError(
                _(
                    "A figure needs exactly one citation with stance 'Asserts' (the source that "
                    "reported the number); found %(count)d. Other sources corroborate, deny or "
                    "dispute it."
                ),
                params={"count": len(asserting)},
            )


class FigureCitationInline(CitationInline):
    formset = FigureCitationFormSet
    extra = 1
    min_num = 1


# --- Vocabulary ---------------------------------------------------------------------------


@admin.register(Term)
class TermAdmin(SimpleHistoryAdmin):
    list_display = ("label", "label_es", "code", "vocabulary", "esf_code", "parent")
    list_filter = ("vocabulary",)
    search_fields = ("code", "label", "label_es", "esf_code")
    autocomplete_fields = ("parent",)
    readonly_fields = ("uuid", "created_at", "updated_at")
    ordering = ("vocabulary", "label")


# --- Provenance ---------------------------------------------------------------------------


@admin.register(Actor)
class ActorAdmin(RecordAdmin):
    list_display = ("name", "kind", "role", "parent", "country", "visibility")
    list_filter = ("kind", ("country", CountryFilter), "visibility")
    list_select_related = ("parent",)
    search_fields = ("name", "role", "description")
    autocomplete_fields = ("parent",)
    fieldsets = (
        (None, {"fields": ("name", "kind", "country", "parent", "role", "description")}),
        RECORD_FIELDSET,
    )


@admin.register(Source)
class SourceAdmin(ArticleImportMixin, RecordAdmin):
    """Sources; news articles can be imported here, drafting their records for review."""

    actions = [*RecordAdmin.actions, publish_articles]
    list_display = ("title", "kind", "issuer", "date", "date_precision", "reported_in", "language")
    list_filter = ("kind", "date_precision", "language", "visibility")
    list_select_related = ("issuer", "reported_in")
    search_fields = ("title", "issuer__name", "url")
    autocomplete_fields = ("issuer", "reported_in")
    date_hierarchy = "date"
    fieldsets = (
        (None, {"fields": ("kind", "title", "issuer", "reported_in")}),
        (_("When and where"), {"fields": (("date", "date_precision"), "url", "language")}),
        (_("Full text"), {"fields": ("text",), "classes": ("collapse",)}),
        RECORD_FIELDSET,
    )


@admin.register(Citation)
class CitationAdmin(RecordAdmin):
    list_display = ("short_quote", "stance", "source", "supports", "visibility")
    list_filter = ("stance", "source__kind", "visibility")
    list_select_related = ("source", "incident", "group", "figure", "allegation")
    search_fields = ("quote", "note", "source__title")
    autocomplete_fields = ("source", "incident", "group", "figure", "allegation")
    fieldsets = (
        (None, {"fields": ("source", "stance", "quote", "note")}),
        (
            _("Supports exactly one of"),
            {"fields": ("incident", "group", "figure", "allegation")},
        ),
        RECORD_FIELDSET,
    )

    @admin.display(description=_("quote"))
    def short_quote(self, obj):
        return obj.quote if len(obj.quote) <= 90 else obj.quote[:87] + "..."

    @admin.display(description=_("supports"))
    def supports(self, obj):
        return obj.target


# --- Records ------------------------------------------------------------------------------


class ChildIncidentInline(LiveInlineMixin, admin.TabularInline):
    """Incidents nested in this one."""

    model = Incident
    fk_name = "parent"
    formset = SoftDeleteInlineFormSet
    extra = 0
    fields = ("title", "kind", "country", "start_date", "end_date", "visibility")
    show_change_link = True
    verbose_name = _("nested incident")
    verbose_name_plural = _("nested incidents")


class GroupInline(LiveInlineMixin, admin.TabularInline):
    """The detained groups of an incident, edited on their own page."""

    model = DetaineeGroup
    formset = SoftDeleteInlineFormSet
    extra = 0
    fields = ("label", "age_min", "age_max", "citizenship", "affiliation", "visibility")
    show_change_link = True


@admin.register(Incident)
class IncidentAdmin(RecordAdmin):
    list_display = ("title", "kind", "country", "start_date", "end_date", "parent", "visibility")
    list_filter = ("kind", ("country", CountryFilter), "start_precision", "visibility")
    list_select_related = ("parent",)
    search_fields = ("title", "summary", "location")
    autocomplete_fields = ("parent",)
    date_hierarchy = "start_date"
    inlines = (ChildIncidentInline, GroupInline, CitationInline)
    fieldsets = (
        (None, {"fields": ("title", "kind", "parent", "summary")}),
        (_("Where"), {"fields": ("country", "location")}),
        (_("When"), {"fields": (("start_date", "start_precision"), ("end_date", "end_precision"))}),
        RECORD_FIELDSET,
    )
    # The change page shows the timeline chart under the inlines
    # (templates/admin/incidents/incident/change_form.html), from ``chart_view``.

    def get_urls(self):
        chart = path(
            "<path:object_id>/chart.<str:fmt>",
            self.admin_site.admin_view(self.chart_view),
            name=f"{self.opts.app_label}_{self.opts.model_name}_chart",
        )
        return [chart, *super().get_urls()]

    def chart_view(self, request, object_id, fmt):
        """The incident's figures over time, as the signed-in staff member may read them.

        The incident is the one this admin shows them (``get_queryset``); its
        figures come through the API's own scoping (``queries.figures``) with
        their staff principal, so the chart holds what the API's chart would.
        """
        incident = self.get_object(request, unquote(object_id))
        if (
            fmt not in CHART_MEDIA_TYPES
            or incident is None
            or not self.has_view_or_change_permission(request, incident)
        ):
            raise Http404
        from incidents.reads import charts  # matplotlib: loaded on the first chart only

        timeline = queries.timeline(incident, queries.figures(request), request)
        access_log.note(request, queries.timeline_records(timeline))
        response = HttpResponse(
            charts.render(timeline, principal_of(request), fmt),
            content_type=CHART_MEDIA_TYPES[fmt],
        )
        response["Content-Disposition"] = charts.disposition(incident, fmt)
        return response


class GroupFigureInline(LiveInlineMixin, admin.TabularInline):
    """The figures counting this group, read-only here.

    A figure is added on its own page, where its reporting citation is added
    with it; a figure without provenance is never saved.
    """

    model = Figure
    fk_name = "group"
    extra = 0
    max_num = 0
    can_delete = False
    fields = ("measure", "display_value", "qualifier", "as_of", "as_of_precision", "visibility")
    readonly_fields = fields
    show_change_link = True
    ordering = ("measure", "as_of")
    verbose_name_plural = _("figures (add them from the Figures page, with their citation)")

    @admin.display(description=_("value"))
    def display_value(self, obj):
        return obj.display_value


@admin.register(DetaineeGroup)
class DetaineeGroupAdmin(RecordAdmin):
    list_display = (
        "label",
        "incident",
        "age_min",
        "age_max",
        "sex",
        "citizenship",
        "nationality",
        "affiliation",
        "visibility",
    )
    list_filter = (
        "citizenship",
        "affiliation",
        "sex",
        ("nationality", NationalityFilter),
        "visibility",
    )
    list_select_related = ("incident",)
    search_fields = ("label", "charges", "description", "incident__title")
    autocomplete_fields = ("incident",)
    inlines = (GroupFigureInline, CitationInline)
    fieldsets = (
        (None, {"fields": ("incident", "label", "description")}),
        (
            _("Who"),
            {
                "fields": (
                    ("age_min", "age_max"),
                    "sex",
                    ("citizenship", "nationality"),
                    "affiliation",
                    "charges",
                )
            },
        ),
        RECORD_FIELDSET,
    )


@admin.register(Figure)
class FigureAdmin(RecordAdmin):
    list_display = (
        "__str__",
        "measure",
        "as_of",
        "as_of_precision",
        "reported_by",
        "incident",
        "visibility",
    )
    list_filter = (
        "measure",
        "qualifier",
        "as_of_precision",
        "visibility",
        ("incident__country", CountryFilter),
    )
    list_select_related = ("incident", "group")
    search_fields = ("group__label", "incident__title", "note", "citations__quote")
    autocomplete_fields = ("incident", "group")
    date_hierarchy = "as_of"
    inlines = (FigureCitationInline,)
    fieldsets = (
        (None, {"fields": ("incident", "group", "measure")}),
        (
            _("The number, as the source put it"),
            {
                "fields": (
                    ("value", "qualifier"),
                    ("value_low", "value_high"),
                    ("as_of", "as_of_precision"),
                    "note",
                )
            },
        ),
        RECORD_FIELDSET,
    )

    def get_queryset(self, request):
        asserting = shown.scoped(
            Citation.objects.filter(stance=Stance.ASSERTS).select_related("source"),
            request,
            live=True,
        )
        return (
            super()
            .get_queryset(request)
            .prefetch_related(Prefetch("citations", queryset=asserting, to_attr="asserting"))
        )

    def row_links(self, row) -> list:
        # The "reported by" column names each asserting citation's source.
        return [*super().row_links(row), *(c.source for c in row.asserting)]

    @admin.display(description=_("reported by"))
    def reported_by(self, obj):
        # ``asserting`` is prefetched by get_queryset: no query per row.
        return ", ".join(str(c.source) for c in obj.asserting) or "-"


@admin.register(Allegation)
class AllegationAdmin(RecordAdmin):
    list_display = (
        "__str__",
        "violation_type",
        "method_list",
        "victim_group",
        "perpetrator",
        "status",
        "incident",
        "visibility",
    )
    list_filter = ("status", "violation_type", "methods", "visibility")
    list_select_related = ("violation_type", "victim_group", "perpetrator", "incident")
    search_fields = ("summary", "violation_type__label", "citations__quote")
    autocomplete_fields = ("incident", "victim_group", "violation_type", "methods", "perpetrator")
    inlines = (CitationInline,)
    fieldsets = (
        (None, {"fields": ("incident", "victim_group", "violation_type", "methods")}),
        (_("Claim"), {"fields": ("perpetrator", "status", "summary")}),
        RECORD_FIELDSET,
    )

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("methods")

    @admin.display(description=_("methods"))
    def method_list(self, obj):
        return format_html_join(", ", "{}", ((m.label,) for m in obj.methods.all())) or "-"


# --- Partners and their API tokens -------------------------------------------------------


@admin.display(description=_("allowed networks"))
def token_networks(token):
    """A token's networks in a list or an inline, or "any" where it is not limited."""
    if token.allowed_networks:
        return ", ".join(token.allowed_networks)
    return pgettext_lazy("networks", "any")


class TokenInline(admin.TabularInline):
    """A partner's tokens, read-only: tokens are issued from the API tokens page."""

    model = ApiToken
    extra = 0
    max_num = 0
    can_delete = False
    fields = (
        "prefix",
        "name",
        "scope",
        "created_at",
        "expires_at",
        token_networks,
        "revoked_at",
        "last_used_at",
    )
    readonly_fields = fields
    show_change_link = True


@admin.register(Partner)
class PartnerAdmin(SimpleHistoryAdmin):
    """Partners, their tokens, and whether what they write is published without review."""

    list_display = ("name", "is_active", "trusted_publisher", "created_at")
    list_filter = ("is_active", "trusted_publisher")
    search_fields = ("name", "description")
    readonly_fields = ("uuid", "created_at", "updated_at")
    inlines = (TokenInline,)


@admin.action(description=_("Revoke the selected tokens"))
def revoke_tokens(modeladmin, request, queryset):
    # Through the service: the subscriptions each token made are paused with it.
    count = 0
    for token in queryset.filter(revoked_at__isnull=True).select_related("partner"):
        if webhooks.revoke_token(token):
            count += 1
            log_event(
                "token.revoked", request, partner=token.partner.name, token_prefix=token.prefix
            )
    modeladmin.message_user(request, _("Revoked %(n)d tokens.") % {"n": count})


class NetworksField(forms.CharField):
    """A token's networks as staff write them: one per line (or separated by commas)."""

    widget = forms.Textarea(attrs={"rows": 3, "cols": 40})

    def prepare_value(self, value):
        return "\n".join(value) if isinstance(value, list) else value

    def to_python(self, value):
        return parse_networks(super().to_python(value))


class ApiTokenForm(forms.ModelForm):
    """Issuing a token: it expires after the default unless told otherwise, and may be
    limited to networks."""

    allowed_networks = NetworksField(
        label=_("allowed networks"),
        required=False,
        help_text=ApiToken._meta.get_field("allowed_networks").help_text,
    )
    no_expiry = forms.BooleanField(label=_("Never expires"), required=False)

    class Meta:
        model = ApiToken
        fields = ("partner", "name", "scope", "expires_at", "allowed_networks")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        expires = self.fields.get("expires_at")
        if expires is not None and not self.instance.pk:
            days = settings.TOKEN_DEFAULT_TTL_DAYS
            expires.help_text = (
                ngettext(
                    "Empty: it expires %(days)d day from now, unless it never expires.",
                    "Empty: it expires %(days)d days from now, unless it never expires.",
                    days,
                )
                % {"days": days}
                if days
                else _("Empty: the token never expires.")
            )

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk:
            return cleaned
        expires_at = cleaned.get("expires_at")
        if cleaned.get("no_expiry"):
            if expires_at is not None:
                self.add_error("no_expiry", _("Give an expiry or tick 'Never expires', not both."))
            return cleaned
        if expires_at is None:
            cleaned["expires_at"] = ApiToken.default_expiry()
        elif expires_at <= timezone.now():
            self.add_error("expires_at", _("The expiry must be in the future."))
        return cleaned


@admin.register(ApiToken)
class ApiTokenAdmin(SimpleHistoryAdmin):
    """Tokens are shown once, on the page that follows their creation; only a hash is kept.

    Issuing, changing, revoking or deleting a token asks for a second factor confirmed
    recently (``incidents.security``), and each is logged as a security event. A token
    is revoked with the action (which also pauses its webhook subscriptions), never by
    editing a date, and a revoked token is never brought back: issue a new one.
    """

    form = ApiTokenForm
    list_display = (
        "prefix",
        "partner",
        "name",
        "scope",
        "created_at",
        "expires_at",
        "revoked_at",
        "last_used_at",
        token_networks,
    )
    list_filter = ("scope", ("revoked_at", admin.EmptyFieldListFilter), "partner")
    search_fields = ("prefix", "name", "partner__name")
    autocomplete_fields = ("partner",)
    actions = [revoke_tokens]

    def get_fields(self, request, obj=None):
        if obj is None:
            return ("partner", "name", "scope", "expires_at", "no_expiry", "allowed_networks")
        return (
            "partner",
            "prefix",
            "name",
            "scope",
            "created_by",
            "created_at",
            "expires_at",
            "allowed_networks",
            "revoked_at",
            "last_used_at",
        )

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return ()
        return (
            "partner",
            "prefix",
            "scope",
            "created_by",
            "created_at",
            "revoked_at",
            "last_used_at",
        )

    def _needs_second_factor(self, request, object_id=None) -> bool:
        """Whether this request issues, changes or removes a token without a recent factor.

        Someone without the permission gets the admin's own refusal instead.
        """
        if has_recent_second_factor(request):
            return False
        if object_id is None:
            return self.has_add_permission(request)
        return request.method == "POST" and self.has_change_permission(request)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        # The add page is sent to the confirmation before the form is filled in, not after.
        if self._needs_second_factor(request, object_id):
            return second_factor_confirmation(request)
        return super().changeform_view(request, object_id, form_url, extra_context)

    def changelist_view(self, request, extra_context=None):
        # Actions (revoke, delete) are sent from the list.
        if (
            request.method == "POST"
            and "action" in request.POST
            and not has_recent_second_factor(request)
        ):
            return second_factor_confirmation(request)
        return super().changelist_view(request, extra_context)

    def delete_view(self, request, object_id, extra_context=None):
        if (
            request.method == "POST"
            and not has_recent_second_factor(request)
            and self.has_delete_permission(request)
        ):
            return second_factor_confirmation(request)
        return super().delete_view(request, object_id, extra_context)

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
            request._token_secret = obj.set_new_secret()
        super().save_model(request, obj, form, change)
        fields = {"partner": obj.partner.name, "token_prefix": obj.prefix}
        if not change:
            log_event(
                "token.issued",
                request,
                scope=obj.scope,
                expires_at=obj.expires_at.isoformat() if obj.expires_at else "never",
                networks=len(obj.allowed_networks),
                **fields,
            )
        elif form.changed_data:
            log_event("token.changed", request, changed=sorted(form.changed_data), **fields)

    def delete_model(self, request, obj):
        log_event("token.deleted", request, partner=obj.partner.name, token_prefix=obj.prefix)
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for token in queryset.select_related("partner"):
            log_event(
                "token.deleted", request, partner=token.partner.name, token_prefix=token.prefix
            )
        super().delete_queryset(request, queryset)

    def response_add(self, request, obj, post_url_continue=None):
        # The secret exists only in this response: it is not stored, logged or put in a message.
        return TemplateResponse(
            request,
            "admin/incidents/apitoken/created.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.opts,
                "token": obj,
                "secret": request._token_secret,
                "title": _("Token created"),
            },
        )
