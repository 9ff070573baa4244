"""A partner system's side of the integration, end to end, over HTTP alone.

It pushes records under its own ids (twice, to show nothing is duplicated),
bulk-imports a batch, keeps a mirror from the change feed and checks it
against the API, exports HXL, and receives a signed webhook and verifies it.

    IRT_URL=http://127.0.0.1:8000 IRT_TOKEN=irt_... python docs/examples/partner_sync.py

IRT_TOKEN is a write token (``python manage.py create_partner_token --partner
"Example NGO" --scope write``). The webhook step needs the worker running
(``make run`` starts it) and a server that may call back to this machine
(``WEBHOOK_ALLOWED_NETWORKS=127.0.0.0/8``, which ``make run`` sets). Needs ``requests`` and
``standardwebhooks``. Exits non-zero at the first thing that is not as expected.
"""

import csv
import io
import json
import os
import queue
import sys
import threading
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

import requests
from standardwebhooks import Webhook, WebhookVerificationError

BASE = os.environ.get("IRT_URL", "http://127.0.0.1:8000").rstrip("/")
TOKEN = os.environ["IRT_TOKEN"]
RUN = uuid.uuid4().hex[:8]  # so that the example can run again against the same server

session = requests.Session()
session.headers["Authorization"] = f"Bearer {TOKEN}"


def api(method: str, path: str, expect: tuple[int, ...] = (200, 201, 202, 204), **kwargs):
    response = session.request(method, BASE + path, timeout=60, **kwargs)
    if response.status_code not in expect:
        sys.exit(f"{method} {path} -> {response.status_code}: {response.text[:2000]}")
    return response


def check(condition: bool, message: str) -> None:
    if not condition:
        sys.exit(f"FAILED: {message}")
    print(f"ok  {message}")


# --- 1. Push records under our own ids -----------------------------------------------------

SOURCE_TEXT = (
    "Our monitors documented 12 detentions in Valencia on 3 August, "
    "and 4 more in Maracay the next day."
)
source_body = {
    "kind": "ngo_report",
    "title": f"Monitoring report {RUN}",
    "date": "2024-08-05",
    "text": SOURCE_TEXT,
    "visibility": "partners",
}
incident_body = {
    "title": f"Detentions in Carabobo ({RUN})",
    "kind": "mass_detention",
    "country": "VE",
    "start_date": "2024-08-03",
    "visibility": "partners",
}

source = api("PUT", f"/api/v1/sources/by-external-id/src-{RUN}/", json=source_body).json()
incident = api("PUT", f"/api/v1/incidents/by-external-id/inc-{RUN}/", json=incident_body).json()


def figure_body(value: int, quote: str, as_of: str) -> dict:
    return {
        "incident": incident["id"],
        "measure": "detained",
        "value": value,
        "as_of": as_of,
        "visibility": "partners",
        "citations": [{"source": source["id"], "quote": quote}],
    }


path = f"/api/v1/figures/by-external-id/fig-{RUN}-valencia/"
first = api("PUT", path, json=figure_body(12, "documented 12 detentions", "2024-08-03"))
again = api("PUT", path, json=figure_body(12, "documented 12 detentions", "2024-08-03"))
check(first.status_code == 201, "the first push creates the figure")
check(
    again.status_code == 200 and again.headers["X-Upsert-Outcome"] == "unchanged",
    "pushing the same figure again changes nothing",
)
check(again.json()["version"] == 1, "and leaves it at version 1")

# --- 2. Bulk import: a dry run, then the batch, then the same batch again ------------------

rows = [
    {"external_id": f"fig-{RUN}-maracay", **figure_body(4, "4 more in Maracay", "2024-08-04")},
    {"external_id": f"fig-{RUN}-valencia", **figure_body(12, "12 detentions", "2024-08-03")},
]
dry = api("POST", "/api/v1/import/?resource=figures&dry_run=true", json=rows).json()
check(dry["created"] == 1 and dry["updated"] == 1, "a dry run says what an import would do")
done = api("POST", "/api/v1/import/?resource=figures", json=rows).json()
check(done["created"] == 1 and done["updated"] == 1, "the import creates one and updates one")
repeat = api("POST", "/api/v1/import/?resource=figures", json=rows).json()
check(repeat["unchanged"] == 2, "importing the same batch again changes nothing")

# --- 3. Keep a mirror with the change feed ------------------------------------------------

RESOURCES = (
    "actors",
    "sources",
    "incidents",
    "detainee-groups",
    "figures",
    "allegations",
    "citations",
)
mirror: dict[tuple[str, str], int] = {}


def pull(cursor: str) -> str:
    """Apply every change after ``cursor`` to the mirror; return the cursor to keep."""
    while True:
        page = api("GET", "/api/v1/changes/", params={"since": cursor, "page_size": 500}).json()
        for change in page["results"]:
            key = (change["resource"], change["id"])
            if change["action"] == "deleted":
                mirror.pop(key, None)
            else:
                # A real mirror fetches /api/v1/<resource>/<id>/ here and stores it.
                mirror[key] = change["version"]
        cursor = page["next_cursor"]
        if not page["has_more"]:
            return cursor


def everything_shown() -> dict[tuple[str, str], int]:
    """Every record the API lists for us, with its version."""
    shown = {}
    for resource in RESOURCES:
        url = f"/api/v1/{resource}/?page_size=500"
        while url:
            body = api("GET", url).json()
            shown.update({(resource, r["id"]): r["version"] for r in body["results"]})
            url = body["next"] and urlsplit(body["next"])._replace(scheme="", netloc="").geturl()
    return shown


cursor = pull("0")
api("DELETE", f"/api/v1/figures/by-external-id/fig-{RUN}-maracay/")
api("PUT", path, json=figure_body(13, "Our monitors documented 12 detentions", "2024-08-03"))
cursor = pull(cursor)
check(mirror == everything_shown(), f"the mirror holds exactly what the API shows ({len(mirror)})")

# --- 4. Export what we see, as HXL --------------------------------------------------------

export = api("GET", "/api/v1/figures/", params={"format": "hxl", "incident": incident["id"]})
table = list(csv.reader(io.StringIO(export.text)))
check(table[1][0].startswith("#"), "the second row of the HXL export holds hashtags")
check(len(table) == 3, "one row per figure of the incident (Valencia; Maracay is deleted)")

# --- 5. Receive a signed webhook -----------------------------------------------------------

received: queue.Queue = queue.Queue()


class Receiver(BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        received.put((body, dict(self.headers)))
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args):
        pass


server = ThreadingHTTPServer(("127.0.0.1", 0), Receiver)
threading.Thread(target=server.serve_forever, daemon=True).start()
subscription = api(
    "POST",
    "/api/v1/webhooks/",
    json={
        "url": f"http://127.0.0.1:{server.server_port}/hook",
        "events": ["figure.created", "figure.updated"],
        "description": f"example {RUN}",
    },
).json()
secret = subscription["secret"]  # shown once: keep it with the receiver
api("PUT", path, json=figure_body(14, "Our monitors documented 12 detentions", "2024-08-03"))
try:
    body, headers = received.get(timeout=60)
except queue.Empty:
    sys.exit("FAILED: no webhook within 60 s (is the worker running?)")
try:
    event = Webhook(secret).verify(body, headers)
except WebhookVerificationError as error:
    sys.exit(f"FAILED: webhook signature: {error}")
check(event["type"] == "figure.updated", "a signed figure.updated webhook arrived and verified")
forged = body.replace(b"figure.updated", b"figure.deleted")
try:
    Webhook(secret).verify(forged, headers)
    sys.exit("FAILED: a forged body verified")
except WebhookVerificationError:
    check(True, "a forged body fails verification")
api("DELETE", f"/api/v1/webhooks/{subscription['id']}/")
server.shutdown()
print(json.dumps({"mirror": len(mirror), "cursor": cursor}))
