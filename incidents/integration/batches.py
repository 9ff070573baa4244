"""Reading an import's batch as a stream: a row at a time, within bounds.

A batch is read from a file-like object (the request itself, an uploaded
file, a job's stored copy) in chunks, and its rows are built one at a time:
nothing here holds the whole body, or every row, in memory. What would make
one request take memory out of proportion to what it may send is refused as
it is met, before the rest is read:

- more than ``max_bytes`` bytes (``IMPORT_MAX_BYTES``) or ``max_rows`` rows
  (``IMPORT_MAX_ROWS``): ``TooLarge``, a 413;
- JSON nested more than ``limits.MAX_JSON_DEPTH`` levels, or a JSON record
  of more than ``MAX_ROW_VALUES`` values (a record has a few dozen): a 400;
- a CSV record longer than ``MAX_CSV_RECORD`` characters, or a header of
  more than ``MAX_CSV_COLUMNS`` columns: a 400;
- bytes that are not UTF-8, or a NUL: a 400.

JSON arrays and NDJSON lines are parsed by ijson (yajl, in C) into events,
from which each row is built here, so that depth and size are checked while
a row is read rather than after it has been built; CSV by ``csv.reader``
over a text wrapper of the stream, fed a line at a time.

``read`` reads a whole batch once, in the request: it checks every row,
counts them, keeps them when there are few (a batch run within the request),
and keeps a copy of what it read (in memory up to ``SPOOL_MEMORY``, then on
disk) for a background job to read again with ``rows``.
"""

import codecs
import csv
import io
import re
import tempfile
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import IO

import ijson
from django.conf import settings
from django.utils.translation import gettext as _
from rest_framework import serializers

from incidents import limits

FORMATS = ("json", "ndjson", "csv")
MEDIA_TYPES = {
    "application/json": "json",
    "application/x-ndjson": "ndjson",
    "application/ndjson": "ndjson",
    "text/csv": "csv",
}
READ_CHUNK = 64 * 1024
# A copy of the batch stays in memory up to this size, then goes to a temporary file.
SPOOL_MEMORY = 1024 * 1024
# JSON values one record may hold (itself, its fields, each citation and each of their
# fields, each method code): a figure with 100 citations has about 600.
MAX_ROW_VALUES = 1000
# Characters of one CSV record (a cell holds at most csv.field_size_limit(), 131,072).
MAX_CSV_RECORD = 1024 * 1024
MAX_CSV_COLUMNS = MAX_ROW_VALUES
MAX_SHOWN = 200  # characters of a client's column name repeated in an error
LIST_SEPARATOR = ";"


class BatchError(Exception):
    """The batch as a whole cannot be read (HTTP 400): by parameter or "body", the messages."""

    def __init__(self, detail: dict[str, list[str]]):
        super().__init__(detail)
        self.detail = detail


class TooLarge(BatchError):
    """The batch is larger than an import may be, in bytes or in rows (HTTP 413)."""

    def __init__(self, message: str):
        super().__init__({"body": [message]})
        self.message = message


def _error(message: str) -> BatchError:
    return BatchError({"body": [message]})


def shown(text, limit: int = MAX_SHOWN) -> str:
    """Client text fit to repeat in a report: printable (PostgreSQL's jsonb refuses NUL), short."""
    text = str(text)
    if text.isprintable():  # nearly always: nothing to leave out
        return text[:limit]
    return "".join(ch for ch in text if ch.isprintable())[:limit]


@dataclass
class Row:
    """One record of a batch: its number, its data, and where CSV put its nested items.

    ``positions`` maps a nested list (``citations``) to the CSV index of each of
    its items, so that an error about the first citation given is reported
    under the column the client wrote (``citations.2.quote``) even when the
    row left ``citations.0`` and ``citations.1`` empty.
    """

    number: int
    data: dict
    positions: dict[str, list[int]] = field(default_factory=dict)
    problems: list[dict] = field(default_factory=list)  # found while reading (CSV)


# --- The bytes ---------------------------------------------------------------------------------

# A backslash escape of JSON: ``\\uXXXX`` (group 1: its code), or a backslash and one character.
ESCAPE = re.compile(rb"\\(?:u([0-9a-fA-F]{4})|[^u])")
LONGEST_ESCAPE = len(b"\\uD800")


class _Surrogates:
    """Finds ``\\u`` escapes of half a character (a lone UTF-16 surrogate) in JSON as it passes.

    yajl turns a lone surrogate into "?", and joins a high one to whatever
    escape follows it, silently: such a body is refused instead (json.loads
    kept the surrogate, which the serializers refused). A pair (``\\ud83d\\ude00``,
    as ``json.dumps`` writes an emoji) is one character and passes. Escapes are
    matched from the start, so ``\\\\`` (an escaped backslash) is never taken
    for the start of one; an escape cut by a chunk's end waits for the next.
    """

    def __init__(self):
        self.carry = b""  # the start of an escape cut by the last chunk's end
        self.base = 0  # where ``carry`` starts in the body
        self.high = None  # where a high surrogate's escape ended, until its partner is seen

    def feed(self, chunk: bytes, final: bool) -> int | None:
        """The offset (in what was fed) of a lone surrogate's escape, if there is one."""
        data, base = self.carry + chunk, self.base
        if self.high is not None and self.high >= base:  # what follows a high one, at last
            following = data[self.high - base : self.high - base + 2]
            if following != b"\\u" and (final or len(following) == 2):
                return self.high - LONGEST_ESCAPE
        end = 0
        for match in ESCAPE.finditer(data):
            start, end = base + match.start(), match.end()
            code = int(match.group(1), 16) if match.group(1) else None
            low = code is not None and 0xDC00 <= code <= 0xDFFF
            if self.high is not None:
                if start != self.high or not low:
                    return self.high - LONGEST_ESCAPE
                self.high = None
            elif low:
                return start
            elif code is not None and 0xD800 <= code <= 0xDBFF:
                self.high = base + end
                following = data[end : end + 2]
                if following != b"\\u" and (final or len(following) == 2):
                    return start
        if final:
            return None if self.high is None else self.high - LONGEST_ESCAPE
        # Only a backslash near the end can start an escape the next chunk completes; one
        # further back starts no valid escape, and yajl refuses the body.
        rest = data.find(b"\\", max(end, len(data) - LONGEST_ESCAPE))
        rest = len(data) if rest == -1 else rest
        self.carry, self.base = data[rest:], base + rest
        return None


class Body(io.RawIOBase):
    """The bytes of a batch as they are read from ``source``, checked on the way.

    At most ``limit`` bytes (``TooLarge`` as soon as one more arrives, so a
    body that declared no length, or a false one, is not read to its end),
    UTF-8 (checked by an incremental decoder: the error names the byte), no
    NUL (PostgreSQL's text refuses it), and a leading byte order mark, as
    spreadsheets write, dropped. What passes is also written to ``copy``.

    Closing it leaves ``source`` and ``copy`` open: they belong to the caller.
    """

    def __init__(
        self,
        source,
        *,
        limit: int | None = None,
        copy: IO[bytes] | None = None,
        json: bool = False,
    ):
        super().__init__()
        self.source = source
        self.surrogates = _Surrogates() if json else None
        self.limit = limit
        self.copy = copy
        self.size = 0  # bytes read from source
        self.decoder = codecs.getincrementaldecoder("utf-8")()
        self.pending = b""  # read, not yet handed on (the first bytes, while a BOM is looked for)
        self.started = False
        self.skipped = 0  # the byte order mark's length, if there was one
        self.ended = False

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        if not self.pending and not self.ended:
            self.pending = self._next_chunk(len(buffer))
        chunk, self.pending = self.pending[: len(buffer)], self.pending[len(buffer) :]
        buffer[: len(chunk)] = chunk
        return len(chunk)

    def _read(self, size: int) -> bytes:
        if self.limit is not None:
            # One byte past the limit is enough to know the body is too large.
            size = min(size, self.limit + 1 - self.size)
        chunk = self.source.read(size) if size > 0 else b""
        self.size += len(chunk)
        if self.limit is not None and self.size > self.limit:
            raise TooLarge(_("An import may be at most %(limit)d bytes.") % {"limit": self.limit})
        return chunk

    def _next_chunk(self, size: int) -> bytes:
        size = max(size, len(codecs.BOM_UTF8))
        chunk = self._read(size)
        if not self.started:
            # The byte order mark may come in pieces: read until it can be told apart.
            while chunk and len(chunk) < len(codecs.BOM_UTF8) and (more := self._read(size)):
                chunk += more
            self.started = True
            if chunk.startswith(codecs.BOM_UTF8):
                chunk, self.skipped = chunk[len(codecs.BOM_UTF8) :], len(codecs.BOM_UTF8)
                if not chunk:
                    chunk = self._read(size)
        self._check(chunk)
        if not chunk:
            self.ended = True
        elif self.copy is not None:
            self.copy.write(chunk)
        return chunk

    def _check(self, chunk: bytes) -> None:
        # Bytes of a character cut by the chunk's end wait in the decoder for the next chunk.
        waiting = len(self.decoder.getstate()[0])
        start = self.size - len(chunk) - waiting
        try:
            self.decoder.decode(chunk, final=not chunk)
        except UnicodeDecodeError as error:
            raise _error(
                _("The body is not UTF-8 text (byte %(byte)d cannot be read).")
                % {"byte": start + error.start}
            ) from None
        if b"\x00" in chunk:
            raise _error(_("The body contains a NUL character."))
        if self.surrogates is not None:
            lone = self.surrogates.feed(chunk, final=not chunk)
            if lone is not None:
                raise _error(
                    _(
                        "The \\u escape at byte %(byte)d is half of a character (a lone "
                        "surrogate); write the character itself, or both halves."
                    )
                    % {"byte": lone + self.skipped}
                )

    def close(self) -> None:
        # The source (a request) and the copy are the caller's to close.
        self.source = self.copy = None
        super().close()


def open_body(source, fmt: str, *, limit: int | None = None, copy: IO[bytes] | None = None):
    """``source`` as a buffered binary stream of a batch in ``fmt``, checked as ``Body`` says."""
    body = Body(source, limit=limit, copy=copy, json=fmt in ("json", "ndjson"))
    return io.BufferedReader(body, READ_CHUNK)


def detect_format(source, filename: str = "") -> str:
    """The format of a batch from its file name, else from its first character.

    Reads the start of a seekable ``source`` and goes back to where it was.
    """
    suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    if suffix in FORMATS:
        return suffix
    if suffix == "jsonl":
        return "ndjson"
    position = source.tell()
    start = b""
    while chunk := source.read(4096):
        start = chunk.lstrip().removeprefix(codecs.BOM_UTF8).lstrip()[:1]
        if start:
            break
    source.seek(position)
    return {b"[": "json", b"{": "ndjson"}.get(start, "csv")


# --- Reading a batch -----------------------------------------------------------------------


@dataclass
class Batch:
    """A batch read through once and found readable.

    ``rows`` holds its rows when there were at most the number asked to keep
    (a batch run within the request); otherwise it is None, and a job reads
    them again from ``body``, the copy of what was read. ``stored`` names a
    copy already in the import storage (a preview's, taken by its
    confirmation) when there is no ``body``.
    """

    fmt: str
    total_rows: int
    rows: list[Row] | None
    body: IO[bytes] | None = None
    stored: str = ""

    def close(self) -> None:
        if self.body is not None:
            self.body.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.close()


def read(source, fmt: str, serializer, *, keep: int, max_rows: int, max_bytes: int | None) -> Batch:
    """Read a batch through once: check every row, count them, and keep a copy.

    The rows are kept when there are at most ``keep``. More than ``max_rows``
    rows, or ``max_bytes`` bytes, is ``TooLarge`` as soon as the first one too
    many is read; nothing after it is.
    """
    # Closed by the Batch that holds it, or below when reading fails.
    copy = tempfile.SpooledTemporaryFile(SPOOL_MEMORY, dir=settings.FILE_UPLOAD_TEMP_DIR)  # noqa: SIM115
    try:
        kept: list[Row] | None = []
        count = 0
        for row in rows(open_body(source, fmt, limit=max_bytes, copy=copy), fmt, serializer):
            count += 1
            if count > max_rows:
                raise TooLarge(
                    _(
                        "An import may have at most %(limit)d records; send the others in "
                        "another batch."
                    )
                    % {"limit": max_rows}
                )
            if kept is not None:
                kept.append(row)
                if len(kept) > keep:
                    kept = None  # a job's: it reads them again from the copy
        if not count:
            raise _error(_("The batch has no records."))
    except BaseException:
        copy.close()
        raise
    copy.seek(0)
    return Batch(fmt=fmt, total_rows=count, rows=kept, body=copy)


def rows(body, fmt: str, serializer) -> Iterator[Row]:
    """The rows of a batch, read from ``body`` (see ``open_body``) as they are needed.

    ``serializer`` is the resource's write serializer: CSV columns are its fields.
    """
    if fmt == "json":
        return _json_rows(body)
    if fmt == "ndjson":
        return _ndjson_rows(body)
    if fmt == "csv":
        return _csv_rows(body, serializer)
    raise ValueError(f"Unknown import format {fmt!r}.")  # the callers choose; a programming error


# --- JSON ----------------------------------------------------------------------------------


class _TooManyValues(Exception):
    """A JSON record of more than ``MAX_ROW_VALUES`` values."""


class _Values:
    """Builds JSON values from ijson's events, refusing what nests too deep or holds too much.

    Containers are counted in levels as ``limits.check_depth`` counts them (the
    outermost is level 1), so a batch is refused exactly where a request body
    would be; recursion is bounded by that depth.
    """

    def __init__(self, events):
        self.events = events
        self.count = 0

    def build(self, event: str, value, depth: int):
        """The value whose first event is ``event``, at ``depth``; ``count`` counts its values."""
        self.count += 1
        if self.count > MAX_ROW_VALUES:
            raise _TooManyValues
        if event == "start_map":
            if depth > limits.MAX_JSON_DEPTH:
                raise limits.TooDeep
            result = {}
            for event, value in self.events:
                if event == "end_map":
                    return result
                result[value] = self.build(*next(self.events), depth + 1)  # after its map_key
        elif event == "start_array":
            if depth > limits.MAX_JSON_DEPTH:
                raise limits.TooDeep
            items = []
            for event, value in self.events:
                if event == "end_array":
                    return items
                items.append(self.build(event, value, depth + 1))
        return value


def _events(body):
    # Numbers as json.loads reads them: int, or float when not whole (not Decimal).
    return ijson.basic_parse(body, use_float=True, buf_size=READ_CHUNK)


def _json_message(error: Exception) -> str:
    """yajl's first line ("parse error: premature EOF"), without the body it quotes."""
    text = error.args[0] if error.args else ""
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    return str(text).strip().splitlines()[0].rstrip(".") if str(text).strip() else "?"


def _json_rows(body) -> Iterator[Row]:
    events = _events(body)
    done = 0  # records read whole
    try:
        first, _value = next(events)
        if first != "start_array":
            raise _error(_("Send a JSON array of records (or NDJSON, one record a line)."))
        for event, value in events:
            if event == "end_array":
                break
            number = done + 1
            if event != "start_map":
                raise _error(
                    _("Record %(number)d of the array is not a JSON object.") % {"number": number}
                )
            try:
                # The array is level 1, its records level 2.
                data = _Values(events).build(event, value, 2)
            except _TooManyValues:
                raise _error(
                    _(
                        "Record %(number)d of the array holds more than %(limit)d values; "
                        "no record does."
                    )
                    % {"number": number, "limit": MAX_ROW_VALUES}
                ) from None
            yield Row(number, data)
            done = number
        for _event in events:  # only white space may follow the array: yajl checks
            pass
    except limits.TooDeep as error:
        raise _error(str(error)) from None
    except (ijson.JSONError, UnicodeDecodeError) as error:  # yajl's own, or its UTF-8
        if done:
            message = _("The body is not valid JSON after record %(number)d: %(error)s.") % {
                "number": done,
                "error": _json_message(error),
            }
        else:
            message = _("The body is not valid JSON: %(error)s.") % {"error": _json_message(error)}
        raise _error(message) from None


def _ndjson_rows(body) -> Iterator[Row]:
    number = 0
    for line_number, line in enumerate(body, start=1):
        if not line.strip():
            continue
        number += 1
        events = _events(io.BytesIO(line))
        try:
            event, value = next(events)
            if event != "start_map":
                raise _error(_("Line %(line)d is not a JSON object.") % {"line": line_number})
            data = _Values(events).build(event, value, 1)
            for _event in events:  # nothing but white space after the object
                pass
        except limits.TooDeep as error:
            raise _error(
                _("Line %(line)d: %(error)s") % {"line": line_number, "error": error}
            ) from None
        except _TooManyValues:
            raise _error(
                _("Line %(line)d holds more than %(limit)d values; no record does.")
                % {"line": line_number, "limit": MAX_ROW_VALUES}
            ) from None
        except (ijson.JSONError, UnicodeDecodeError) as error:  # yajl's own, or its UTF-8
            raise _error(
                _("Line %(line)d is not valid JSON: %(error)s.")
                % {"line": line_number, "error": _json_message(error)}
            ) from None
        yield Row(number, data)


# --- CSV ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Column:
    name: str  # the field, or the nested list (citations)
    kind: str  # "plain", "list" (separated codes) or "nested"
    index: int = 0
    subfield: str = ""


def writable(serializer) -> dict:
    """The fields of a write serializer that a batch may give."""
    return {name: f for name, f in serializer.fields.items() if not f.read_only}


def _column(serializer, header: str) -> _Column | None:
    """What a CSV column fills in, or None if the resource has no such field."""
    name, *rest = header.split(".")
    target = writable(serializer).get(name)
    if target is None:
        return None
    if isinstance(target, serializers.ListSerializer):
        nested = len(rest) == 2 and rest[0].isascii() and rest[0].isdigit()
        if nested and rest[1] in writable(target.child):
            return _Column(name, "nested", int(rest[0]), rest[1])
        return None
    if rest:
        return None
    if isinstance(target, serializers.ListField):
        return _Column(name, "list")
    return _Column(name, "plain")


def _columns_example(serializer) -> str:
    names = []
    for name, target in writable(serializer).items():
        if isinstance(target, serializers.ListSerializer):
            names.extend(f"{name}.0.{sub}" for sub in writable(target.child))
        else:
            names.append(name)
    return ", ".join(names)


class _Lines:
    """The lines of a text stream for ``csv.reader``, at most ``MAX_CSV_RECORD`` per record.

    ``csv.reader`` asks for lines until it has a record (a quoted cell may span
    lines) and reads none ahead; ``record_read`` starts the count again.
    Each line is read with a bound, so one endless line is not read whole.
    """

    def __init__(self, text):
        self.text = text
        self.used = 0
        self.rows: int | None = None  # data records read so far, once the header is

    def __iter__(self):
        return self

    def __next__(self) -> str:
        line = self.text.readline(MAX_CSV_RECORD + 1 - self.used)
        if not line:
            raise StopIteration
        self.used += len(line)
        if self.used > MAX_CSV_RECORD:
            if self.rows is not None:
                message = _(
                    "Row %(number)d of the CSV is longer than %(limit)d characters; no record is."
                ) % {"number": self.rows + 1, "limit": MAX_CSV_RECORD}
            else:
                message = _("The CSV header is longer than %(limit)d characters; no header is.") % {
                    "limit": MAX_CSV_RECORD
                }
            raise _error(message)
        return line

    def record_read(self) -> None:
        self.used = 0


def _csv_rows(body, serializer) -> Iterator[Row]:
    lines = _Lines(io.TextIOWrapper(body, encoding="utf-8", newline=""))
    records = csv.reader(lines)
    columns = None
    number = 0
    try:
        for record in records:
            lines.record_read()
            if not record:
                continue  # a blank line
            if columns is None:
                columns = _csv_columns(record, serializer)
                lines.rows = 0
                continue
            number += 1
            lines.rows = number
            yield _csv_row(number, record, columns)
    except csv.Error as error:
        raise _error(_("The CSV cannot be read: %(error)s.") % {"error": error}) from None


def _csv_columns(header: list[str], serializer) -> list[_Column | None]:
    """What each column of the header fills in; BatchError naming every column that is wrong."""
    if len(header) > MAX_CSV_COLUMNS:
        raise _error(
            _("The CSV header names %(count)d columns; a record has at most %(limit)d.")
            % {"count": len(header), "limit": MAX_CSV_COLUMNS}
        )
    columns = [_column(serializer, name.strip()) for name in header]
    if not any(columns):
        raise _error(
            _("The first line of a CSV import must be a header row of column names: %(columns)s.")
            % {"columns": _columns_example(serializer)}
        )
    errors: dict[str, list[str]] = {}
    for position, (name, column) in enumerate(zip(header, columns, strict=True), start=1):
        name = name.strip()
        if not name:
            errors.setdefault("body", []).append(
                _("Column %(position)d of the header has no name.") % {"position": position}
            )
        elif column is None:
            errors[shown(name)] = [
                _("Unknown CSV column; this resource takes %(columns)s.")
                % {"columns": _columns_example(serializer)}
            ]
    seen = Counter(column for column in columns if column is not None)
    for column, count in seen.items():
        if count > 1:
            label = (
                column.name
                if column.kind != "nested"
                else (f"{column.name}.{column.index}.{column.subfield}")
            )
            errors.setdefault(label, []).append(_("This column appears more than once."))
    if not any(c is not None and c.name == "external_id" for c in columns):
        errors.setdefault("external_id", []).append(
            _("The header has no external_id column: every row of an import needs one.")
        )
    if errors:
        raise BatchError(errors)
    return columns


def _csv_row(number: int, cells: list[str], columns: list[_Column | None]) -> Row:
    data: dict = {}
    nested: dict[str, dict[int, dict]] = {}
    problems = []
    if len(cells) > len(columns) and any(cell.strip() for cell in cells[len(columns) :]):
        problems.append(
            {
                "field": None,
                "message": _("This row has %(cells)d cells; the header names %(columns)d.")
                % {"cells": len(cells), "columns": len(columns)},
            }
        )
    for column, cell in zip(columns, cells, strict=False):
        if not cell.strip():
            continue  # an empty cell: not given
        if column.kind == "plain":
            data[column.name] = cell
        elif column.kind == "list":
            codes = [code.strip() for code in cell.split(LIST_SEPARATOR)]
            data[column.name] = [code for code in codes if code]
        else:
            nested.setdefault(column.name, {}).setdefault(column.index, {})[column.subfield] = cell
    positions = {}
    for name, items in nested.items():
        positions[name] = sorted(items)
        data[name] = [items[index] for index in positions[name]]
    return Row(number, data, positions, problems)
