"""Renderers of the list exports: CSV, and CSV with a row of HXL hashtags.

They make the formats known to DRF's content negotiation (``?format=csv``,
``?format=hxl``, ``Accept: text/csv``) and to the schema. The rows themselves
are streamed by the view (``incidents.exports``), never rendered from a
``Response``: a response that is not the export, such as an error, is switched
back to JSON before rendering (``ExportMixin.finalize_response``).
"""

from rest_framework.renderers import BaseRenderer, JSONRenderer

CSV_MEDIA_TYPE = "text/csv"


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
