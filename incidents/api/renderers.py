"""Renderers of the formats besides JSON: the list exports and the timeline chart.

- Exports: CSV, and CSV with a row of HXL hashtags. They make the formats known
  to DRF's content negotiation (``?format=csv``, ``?format=hxl``,
  ``Accept: text/csv``) and to the schema. The rows themselves are streamed by
  the view (``incidents.integration.exports``), never rendered from a ``Response``: a
  response that is not the export, such as an error, is switched back to JSON
  before rendering (``ExportMixin.finalize_response``).
- The chart: SVG (the default) and PNG (``?format=png``, ``Accept: image/png``).
  The view draws the image (``incidents.reads.charts``) and these pass its bytes on;
  an error is switched back to JSON in the same way
  (``IncidentViewSet.finalize_response``).
"""

from django.utils.translation import gettext as _
from rest_framework.exceptions import NotAcceptable
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.renderers import BaseRenderer, JSONRenderer

CSV_MEDIA_TYPE = "text/csv"
SVG_MEDIA_TYPE = "image/svg+xml"
PNG_MEDIA_TYPE = "image/png"


class ExportRenderer(BaseRenderer):
    """A CSV format of the lists. Both variants are text/csv; ``format`` tells them apart."""

    media_type = CSV_MEDIA_TYPE
    charset = "utf-8"
    hxl = False

    def render(self, data, accepted_media_type=None, renderer_context=None):
        # Not reached: exports are streamed and other responses switched to JSON.
        # Should a response slip through, it still reads as JSON rather than failing.
        return JSONRenderer().render(data, renderer_context=renderer_context)


class CSVRenderer(ExportRenderer):
    """Plain CSV: one header row of column names. ``Accept: text/csv`` selects it."""

    format = "csv"


class HXLRenderer(ExportRenderer):
    """CSV with a second header row of HXL hashtags (https://hxlstandard.org). ``?format=hxl``."""

    format = "hxl"
    hxl = True


class ChartRenderer(BaseRenderer):
    """An image of the timeline chart, drawn by the view; ``format`` names the chart format."""

    charset = None
    render_style = "binary"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if isinstance(data, bytes):
            return data
        # Not reached: errors are switched to JSON before rendering. Should one slip
        # through, it still reads as JSON rather than as a broken image.
        return JSONRenderer().render(data, renderer_context=renderer_context)


class SVGRenderer(ChartRenderer):
    """SVG, the default: text stays text, so names can be searched and selected."""

    media_type = SVG_MEDIA_TYPE
    format = "svg"


class PNGRenderer(ChartRenderer):
    media_type = PNG_MEDIA_TYPE
    format = "png"


CHART_RENDERERS = (SVGRenderer, PNGRenderer)
# format -> media type, for the chart's other door (the admin's chart view).
CHART_MEDIA_TYPES = {renderer.format: renderer.media_type for renderer in CHART_RENDERERS}


class StrictFormatNegotiation(DefaultContentNegotiation):
    """A ``?format=`` the endpoint cannot produce is a 406 (DRF's own answer is a 404).

    A 404 would say the incident does not exist; the client asked for something
    the endpoint does not make, which is what 406 Not Acceptable means.
    """

    def filter_renderers(self, renderers, format):
        matching = [renderer for renderer in renderers if renderer.format == format]
        if not matching:
            formats = ", ".join(renderer.format for renderer in renderers)
            raise NotAcceptable(
                _("Unknown format %(format)r; use one of: %(formats)s.")
                % {"format": format, "formats": formats},
                available_renderers=renderers,
            )
        return matching
