"""The JSON parser of the API: DRF's, refusing bodies nested deeper than any record.

``[`` repeated a hundred thousand times exhausts the parser's recursion; DRF lets
that ``RecursionError`` through as a 500. Here it, and any nesting deeper than
``limits.MAX_JSON_DEPTH``, is a 400 in the API's error shape.
"""

from rest_framework import parsers
from rest_framework.exceptions import ParseError

from incidents import limits


class JSONParser(parsers.JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        try:
            data = super().parse(stream, media_type, parser_context)
            limits.check_depth(data)
        except RecursionError:
            raise ParseError(str(limits.TooDeep())) from None
        except limits.TooDeep as error:
            raise ParseError(str(error)) from None
        return data
