"""What the logs hold: one line per event, named by its request, and nothing secret.

``settings.LOGGING`` sends every logger to one handler on standard error with:

- ``RequestIdFilter``: adds ``request_id``, the ``X-Request-ID`` of the request being
  answered (``incidents.api.request_id`` sets ``current_request_id`` for the length of
  the request); none outside a request (a worker, a command).
- ``RedactFilter``: the last line of defence. Whatever a caller logged, a partner's token
  keeps only its prefix (``irt_<prefix>_…``), credentials in ``Authorization`` or
  ``Cookie`` are cut, query strings (a search for a name is a query string) are cut from
  paths and URLs, and fields named like secrets (password, secret, token, passphrase,
  code, ...) are replaced.
- ``JsonFormatter`` (``LOG_FORMAT=json``) or ``TextFormatter`` (``LOG_FORMAT=text``).
  Both write a traceback's frames and the exception's type, never its message: a
  database error quotes the values it refused, and a record's values may be restricted.

Only names, ids, counts, paths and addresses belong in a log line; the filter catches
what slips through, it is not a licence to log more.
"""

import contextvars
import logging
import re
import traceback
from collections.abc import Mapping

from pythonjsonlogger.core import RESERVED_ATTRS
from pythonjsonlogger.json import JsonFormatter as BaseJsonFormatter

current_request_id: contextvars.ContextVar[str | None] = contextvars.ContextVar(
    "current_request_id", default=None
)

REDACTED = "[redacted]"
WITHHELD = "(message withheld: it may quote record values)"

# A partner's token, irt_<prefix>_<secret> (the secret is URL-safe base64).
TOKEN = re.compile(r"\b(irt_[0-9A-Za-z]+_)[0-9A-Za-z_\-]+")
# Credentials in a header as a message may quote it.
CREDENTIALS = re.compile(
    r"(?i)\b((?:authorization|proxy-authorization|cookie|set-cookie|x-api-key)\s*[:=]\s*)"
    r"[^\r\n]+"
)
BEARER = re.compile(r"(?i)\b(bearer|basic|token)\s+[0-9A-Za-z._~+/=\-]{8,}")
# A query string after a path or a URL ("GET /api/v1/incidents/?q=<a name> HTTP/1.1").
QUERY = re.compile(r"((?:https?://|/)[^\s?#\"'<>]*)\?[^\s#\"'<>]*")

# Field names whose value is a secret: any name with one of these words in it...
SECRET_WORDS = frozenset(
    {"password", "passwd", "secret", "passphrase", "authorization", "cookie", "cookies"}
    | {"credentials", "otp", "csrftoken", "sessionid"}
)
# ...or ending with one of these (access_token, recovery_codes, api_key; not token_prefix).
SECRET_ENDINGS = frozenset({"token", "tokens", "code", "codes", "key", "keys"})
# Names that end like a secret and are not one.
NOT_SECRET = frozenset({"status_code"})

# Attributes every LogRecord has, and Django's ``request`` (its repr holds the query string).
RECORD_ATTRS = frozenset(RESERVED_ATTRS) | {"request", "request_id", "message", "asctime"}


def redact_text(text: str) -> str:
    """``text`` without token secrets, credentials or query strings."""
    text = TOKEN.sub(r"\1…", text)
    text = CREDENTIALS.sub(rf"\1{REDACTED}", text)
    text = BEARER.sub(rf"\1 {REDACTED}", text)
    return QUERY.sub(r"\1?…", text)


def is_secret_name(name: str) -> bool:
    """Whether a field of this name holds a secret (``password``, ``api_token``, ...)."""
    name = str(name).lower().replace("-", "_")
    if name in NOT_SECRET:
        return False
    words = name.split("_")
    return bool(SECRET_WORDS.intersection(words)) or words[-1] in SECRET_ENDINGS


def redact_value(value, depth: int = 0):
    """A copy of ``value`` with secret-named fields replaced and strings redacted."""
    if depth > 5:
        return REDACTED
    if isinstance(value, str):
        return redact_text(value)
    if isinstance(value, bool | int | float) or value is None:
        return value
    if isinstance(value, Mapping):
        return {
            key: REDACTED if is_secret_name(key) else redact_value(item, depth + 1)
            for key, item in value.items()
        }
    if isinstance(value, list | tuple | set | frozenset):
        return [redact_value(item, depth + 1) for item in value]
    return redact_text(str(value))


class RequestIdFilter(logging.Filter):
    """Names each line's request: the one being answered, or none."""

    def filter(self, record: logging.LogRecord) -> bool:
        request_id = current_request_id.get()
        if request_id is None:
            # Django logs each 4xx answer once the middleware has finished (and the id has
            # been cleared), passing the request along.
            request_id = getattr(getattr(record, "request", None), "id", None)
        record.request_id = request_id
        return True


class RedactFilter(logging.Filter):
    """Cuts secrets out of a record's message and fields before any formatter sees them."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a caller's bad format string: keep the template, not the args
            message = str(record.msg)
        record.msg = redact_text(message)
        record.args = None
        for name in list(vars(record)):
            if name in RECORD_ATTRS:
                continue
            value = vars(record)[name]
            setattr(record, name, REDACTED if is_secret_name(name) else redact_value(value))
        return True


def safe_traceback(exc_info) -> str:
    """A traceback's frames and exception types, chained as Python prints them; no messages."""
    _, exception, _ = exc_info
    chain, seen = [], set()
    while exception is not None and id(exception) not in seen:
        seen.add(id(exception))
        chain.append(exception)
        if exception.__cause__ is not None:
            exception = exception.__cause__
        elif not exception.__suppress_context__:
            exception = exception.__context__
        else:
            exception = None
    lines = []
    for position, exception in enumerate(reversed(chain)):
        if position:
            lines.append("\nDuring the handling of the above exception, another occurred:\n\n")
        if exception.__traceback__ is not None:
            lines.append("Traceback (most recent call last):\n")
            frames = traceback.extract_tb(exception.__traceback__)
            lines.extend(frames.format())
        kind = type(exception)
        name = kind.__qualname__
        if kind.__module__ not in ("builtins", "__main__"):
            name = f"{kind.__module__}.{name}"
        lines.append(f"{name}: {WITHHELD}\n")
    return redact_text("".join(lines)).rstrip("\n")


class JsonFormatter(BaseJsonFormatter):
    """One JSON object per line: timestamp, level, logger, message, request_id, fields."""

    def __init__(self, **kwargs):
        kwargs.setdefault("fmt", ["levelname", "name", "message", "request_id"])
        kwargs.setdefault("rename_fields", {"levelname": "level", "name": "logger"})
        kwargs.setdefault("timestamp", True)
        kwargs.setdefault("reserved_attrs", sorted(RECORD_ATTRS))
        kwargs.setdefault("json_ensure_ascii", False)
        super().__init__(**kwargs)

    def formatException(self, ei) -> str:
        return safe_traceback(ei)

    def formatStack(self, stack_info) -> str:
        return redact_text(stack_info)

    def process_log_record(self, log_data):
        # The timestamp first, as a reader scans for it.
        timestamp = log_data.pop("timestamp", None)
        return {"timestamp": timestamp, **log_data}


class TextFormatter(logging.Formatter):
    """The same lines for human eyes: time, level, logger, [request id], message, fields."""

    def __init__(self, **kwargs):
        kwargs.setdefault("fmt", "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s")
        super().__init__(**kwargs)

    def format(self, record: logging.LogRecord) -> str:
        if not hasattr(record, "request_id"):
            record.request_id = None
        # Another formatter may have cached the traceback with its message: write our own.
        record.exc_text = None
        line = super().format(record)
        fields = [
            f"{name}={value!r}"
            for name, value in vars(record).items()
            if name not in RECORD_ATTRS and not name.startswith("_")
        ]
        if fields:
            head, newline, rest = line.partition("\n")
            line = f"{head} {' '.join(fields)}{newline}{rest}"
        return line

    def formatException(self, ei) -> str:
        return safe_traceback(ei)
