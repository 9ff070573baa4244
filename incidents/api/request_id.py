"""Every answer carries ``X-Request-ID``: one request, named, from the client to the logs.

A partner reporting a problem quotes it; whoever reads the server's logs finds the
request by it. A client may send its own (its sync run's id, say) so that both sides
name the request alike; one that is not a short token of letters, digits, ``.``,
``_`` and ``-`` is replaced, so nothing a client sends can forge a line of a log.
"""

import re
import uuid

from incidents.logs import current_request_id

HEADER = "X-Request-ID"
ACCEPTED = re.compile(r"[A-Za-z0-9._-]{1,64}")


class RequestIdMiddleware:
    """Sets ``request.id`` (the client's, if well-formed, else a new one) and answers with it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        given = request.headers.get(HEADER, "")
        request.id = given if ACCEPTED.fullmatch(given) else uuid.uuid4().hex
        # Every line logged while answering names the request (incidents.logs).
        token = current_request_id.set(request.id)
        try:
            response = self.get_response(request)
        finally:
            current_request_id.reset(token)
        response[HEADER] = request.id
        return response
