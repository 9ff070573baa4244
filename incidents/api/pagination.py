"""Page-number pagination: ``{count, next, previous, results}``, ``page_size`` capped at 500."""

from rest_framework import pagination
from rest_framework.exceptions import ValidationError

MAX_PAGE_SIZE = 500


class PageNumberPagination(pagination.PageNumberPagination):
    """DRF's page-number pagination with a strict ``page_size``.

    DRF silently falls back to the default page size for a value it cannot read;
    here a malformed or non-positive ``page_size`` is a 400 naming the parameter,
    so a client never mistakes a default page for the size it asked for. Sizes
    above the cap are served at the cap, as the contract documents.
    """

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE
    page_size_query_description = f"Results per page (1 to {MAX_PAGE_SIZE}; default 50)."

    def get_page_size(self, request):
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None or raw == "":
            return self.page_size
        try:
            size = int(raw)
        except ValueError:
            size = 0
        if size < 1:
            raise ValidationError(
                {self.page_size_query_param: [f"Enter a whole number from 1 to {MAX_PAGE_SIZE}."]}
            )
        return min(size, self.max_page_size)

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_query_param:
                parameter["schema"]["minimum"] = 1
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"].update({"minimum": 1})
        return parameters
