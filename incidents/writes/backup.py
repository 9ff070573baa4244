"""Encrypted backups that restore: every row the database holds, in one age-encrypted file.

``write_backup`` streams every model's rows (of every installed app, minus ``EXCLUDED``)
through gzip into an age file encrypted with a passphrase (``agefile``); ``restore_backup``
reads it back into an empty database of either kind, SQLite or PostgreSQL, so the same
pair is how an installation moves from one to the other.

Inside the encryption, the archive is gzip-compressed JSON lines::

    {"format": "incident-records-backup", "format_version": 1, "migrations": {...}, ...}
    {"table": "incidents.actor", "fields": ["id", "uuid", ...]}
    [1, "4f0c...", ...]                      one line per row, every column, keys kept
    {"end": "incidents.actor", "rows": 2, "sha256": "..."}   sha256 of the row lines
    ...
    {"manifest": {"counts": {...}, "sha256": {...}}}

Models are taken from the app registry, not listed, so a model added later is backed up
without anyone remembering to; ``EXCLUDED`` names the few left out, each with its reason.

Restoring never writes before it knows it can finish: the whole file is decrypted and
checked first (age authenticates every 64 KiB chunk and its end, so a wrong passphrase,
a cut or an altered byte is found here); then the database's migrations must match the
backup's and it must hold no data but what migrations write themselves; then every row
goes in, in one transaction, with its original primary key. The plaintext never touches
the disk: the file is decrypted twice, once to check it and once to load it.
"""

import base64
import datetime
import gzip
import hashlib
import json
import os
import tempfile
import uuid
import zlib
from collections.abc import Iterator
from contextlib import closing
from dataclasses import dataclass, field
from decimal import Decimal
from importlib import metadata
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.contrib.auth.password_validation import CommonPasswordValidator
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.management.color import no_style
from django.db import DatabaseError, connections, models, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone
from django.utils.duration import duration_iso_string

from incidents.security import log_event
from incidents.writes import agefile

FORMAT = "incident-records-backup"
FORMAT_VERSION = 1
MIN_PASSPHRASE_LENGTH = 12
# Rows read, and written, per query: bounds the memory a table of any size takes.
BATCH = 1000
# The environment variable a passphrase is read from when no file is named.
PASSPHRASE_VARIABLE = "BACKUP_PASSPHRASE"

# What a backup leaves out, and why (docs/deployment.md, "Backups", says the same).
# Models that are proxies (no table of their own) or unmanaged (no table the app owns)
# are left out as well; everything else is in.
EXCLUDED = {
    "sessions.session": (
        "signed-in browsers: a restored session would sign someone in again on the new "
        "server; staff sign in afresh instead"
    ),
}

# Rows that migrations write into a new database themselves: content types, permissions,
# the role groups and their permissions (post_migrate), and the controlled vocabulary
# (migration 0002). A database holding these and nothing else is empty; restoring replaces
# them with the backup's own, so keys that point at them stay right.
SEEDED = {
    "contenttypes.contenttype",
    "auth.permission",
    "auth.group",
    "auth.group_permissions",
    "incidents.term",
}


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says why and what to do."""


def model_label(model) -> str:
    return model._meta.label_lower


def is_backed_up(model) -> bool:
    """Whether ``model``'s rows are in a backup: every table the app owns but ``EXCLUDED``."""
    opts = model._meta
    return not (opts.proxy or not opts.managed or opts.swapped or model_label(model) in EXCLUDED)


def _dependencies(model) -> set:
    return {
        field.related_model
        for field in model._meta.local_concrete_fields
        if field.is_relation and field.related_model is not model
    }


def backed_up_models() -> list:
    """Every model a backup holds, each after the models its foreign keys point to.

    Foreign keys are checked at commit (Django creates them deferrable, on SQLite and
    PostgreSQL), so a cycle or a row pointing at a later row of its own table still
    loads; the order just keeps most checks trivially true.
    """
    remaining = sorted(
        (model for model in apps.get_models(include_auto_created=True) if is_backed_up(model)),
        key=model_label,
    )
    ordered, placed = [], set()
    while remaining:
        ready = [model for model in remaining if _dependencies(model) <= placed | {None}]
        # A cycle between tables: take the first one and go on (constraints are deferred).
        for model in ready or remaining[:1]:
            ordered.append(model)
            placed.add(model)
            remaining.remove(model)
    return ordered


def columns(model) -> list:
    """The fields stored in ``model``'s own table, in table order (generated ones are not)."""
    return [
        field
        for field in model._meta.local_concrete_fields
        if not getattr(field, "generated", False)
    ]


# Passphrases.


def read_passphrase(passphrase_file: str | None) -> str:
    """The passphrase from ``passphrase_file`` (its first line) or ``BACKUP_PASSPHRASE``."""
    if passphrase_file:
        try:
            text = Path(passphrase_file).read_bytes().decode("utf-8")
        except OSError as error:
            raise BackupError(
                f"Cannot read the passphrase file {passphrase_file}: {error.strerror}."
            ) from None
        except UnicodeDecodeError:
            raise BackupError(f"The passphrase file {passphrase_file} is not UTF-8 text.") from None
        # The line end a text editor adds is not part of the passphrase; anything else is.
        passphrase = text.split("\n", 1)[0].removesuffix("\r")
        if not passphrase:
            raise BackupError(f"The passphrase file {passphrase_file} is empty.")
        return passphrase
    passphrase = os.environ.get(PASSPHRASE_VARIABLE, "")
    if not passphrase:
        raise BackupError(
            f"No passphrase: set {PASSPHRASE_VARIABLE}, or name a file holding it with "
            "--passphrase-file PATH."
        )
    return passphrase


def check_passphrase(passphrase: str) -> None:
    """Refuse a passphrase too weak to protect a backup stored off-site.

    The rule: at least ``MIN_PASSPHRASE_LENGTH`` characters, and not one of the 20,000
    most common passwords (Django's list). Anyone holding the file can try passphrases
    offline for as long as they like; scrypt slows each try, length does the rest.
    """
    if len(passphrase) < MIN_PASSPHRASE_LENGTH:
        raise BackupError(
            f"The passphrase is too short to be safe: it has {len(passphrase)} characters, "
            f"at least {MIN_PASSPHRASE_LENGTH} are needed (four or five random words make "
            "a good one)."
        )
    if passphrase.lower().strip() in CommonPasswordValidator().passwords:
        raise BackupError("The passphrase is one of the most common passwords; choose another.")


# Values: JSON for every column type the models use, decoded by the field itself.


def encode(value):
    """A column's value (as the database driver returned it) as a JSON value."""
    if value is None or isinstance(value, bool | int | float | str | dict | list):
        return value
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()  # full precision: Django's JSON encoder drops microseconds
    if isinstance(value, Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, datetime.timedelta):
        return duration_iso_string(value)
    if isinstance(value, bytes | bytearray | memoryview):
        return base64.b64encode(bytes(value)).decode("ascii")
    raise BackupError(f"A value of type {type(value).__name__} cannot be stored in a backup.")


def decode(field, value):
    """The Python value of a column from its JSON value (``Field.to_python`` parses it)."""
    if value is None or isinstance(field, models.JSONField):
        return value
    return field.to_python(value)


# Writing.


@dataclass
class Summary:
    """What a backup holds, or what a restore wrote: rows per model."""

    path: Path
    counts: dict = field(default_factory=dict)

    @property
    def rows(self) -> int:
        return sum(self.counts.values())


def _line(data) -> bytes:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode() + b"\n"


def applied_migrations(alias: str = "default") -> dict[str, list[str]]:
    """The migrations applied to the database, by app."""
    applied: dict[str, list[str]] = {}
    for app, name in MigrationRecorder(connections[alias]).applied_migrations():
        applied.setdefault(app, []).append(name)
    return {app: sorted(names) for app, names in sorted(applied.items())}


def app_version() -> str:
    try:
        return metadata.version("incident-records")
    except metadata.PackageNotFoundError:
        return "unknown"


class _Snapshot:
    """One consistent view of the whole database while the backup reads it, writers going on.

    PostgreSQL: a read-only REPEATABLE READ transaction. SQLite: a deferred (read)
    transaction, which in WAL mode sees one snapshot and blocks no writer; the settings'
    BEGIN IMMEDIATE would take the write lock for the whole backup instead.
    """

    def __init__(self, alias: str):
        self.connection = connections[alias]
        self.atomic = None
        self.began = False

    def __enter__(self):
        connection = self.connection
        if connection.in_atomic_block:
            return self  # already inside a transaction (a test): its view is the snapshot
        if connection.vendor == "sqlite":
            connection.ensure_connection()
            connection.cursor().execute("BEGIN DEFERRED")
            self.began = True
        else:
            self.atomic = transaction.atomic(using=connection.alias)
            self.atomic.__enter__()
            if connection.vendor == "postgresql":
                connection.cursor().execute(
                    "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY"
                )
        return self

    def __exit__(self, *exc):
        if self.began:
            self.connection.cursor().execute("ROLLBACK")
        if self.atomic is not None:
            self.atomic.__exit__(*exc)


def _rows(model, alias: str) -> Iterator[list]:
    names = [field.attname for field in columns(model)]
    rows = (
        model._base_manager.using(alias)
        .order_by("pk")
        .values_list(*names)
        .iterator(chunk_size=BATCH)
    )
    for row in rows:
        yield [encode(value) for value in row]


def _write_archive(stream, alias: str) -> dict:
    models = backed_up_models()
    stream.write(
        _line(
            {
                "format": FORMAT,
                "format_version": FORMAT_VERSION,
                "app_version": app_version(),
                "created_at": timezone.now().isoformat(),
                "database": connections[alias].vendor,
                "migrations": applied_migrations(alias),
                "models": [model_label(model) for model in models],
            }
        )
    )
    counts, checksums = {}, {}
    for model in models:
        label = model_label(model)
        stream.write(_line({"table": label, "fields": [f.attname for f in columns(model)]}))
        digest, count = hashlib.sha256(), 0
        for row in _rows(model, alias):
            line = _line(row)
            digest.update(line)
            stream.write(line)
            count += 1
        counts[label], checksums[label] = count, digest.hexdigest()
        stream.write(_line({"end": label, "rows": count, "sha256": checksums[label]}))
    stream.write(_line({"manifest": {"counts": counts, "sha256": checksums}}))
    return counts


def _publish(partial: str, output: Path) -> None:
    """Give the complete file its name, never replacing a file that took it meanwhile."""
    try:
        os.link(partial, output)
    except FileExistsError:
        raise BackupError(
            f"{output} appeared while the backup was written and was left as it was; "
            "run the backup again with a new name."
        ) from None
    except OSError:
        # A file system without hard links (some network mounts): rename instead.
        os.replace(partial, output)


def write_backup(output, passphrase: str, *, alias: str = "default") -> Summary:
    """Write every backed-up row to a new age-encrypted file at ``output``.

    The file is written beside ``output`` under a temporary name, readable by its owner
    only (0600), and renamed when complete: a backup cut short leaves no file that looks
    whole. An existing file is never replaced.
    """
    check_passphrase(passphrase)
    output = Path(output)
    if output.exists():
        raise BackupError(
            f"{output} exists; a backup never replaces a file. Name a new one (with the date)."
        )
    if not output.parent.is_dir():
        raise BackupError(f"The folder {output.parent} does not exist.")
    try:
        descriptor, partial = tempfile.mkstemp(
            dir=output.parent, prefix=f".{output.name}.", suffix=".partial"
        )
    except OSError as error:
        raise BackupError(f"Cannot write in {output.parent}: {error.strerror}.") from None
    try:
        with os.fdopen(descriptor, "wb") as sink:
            encrypted = agefile.Writer(sink, passphrase, settings.BACKUP_SCRYPT_WORK_FACTOR)
            # mtime=0: the archive's bytes depend on the data only (the header has the date).
            with (
                gzip.GzipFile(fileobj=encrypted, mode="wb", mtime=0) as compressed,
                _Snapshot(alias),
            ):
                counts = _write_archive(compressed, alias)
            encrypted.close()
            sink.flush()
            os.fsync(sink.fileno())
        _publish(partial, output)
    finally:
        Path(partial).unlink(missing_ok=True)
    summary = Summary(output, counts)
    log_event(
        "backup.written",
        archive=str(output),
        rows=summary.rows,
        tables=len(counts),
    )
    return summary


# Reading.


@dataclass
class _Archive:
    """What the check of a whole archive found: its header and its counts."""

    header: dict
    counts: dict


def _open(path: Path, passphrase: str):
    """(the file, its plaintext stream): decrypted and decompressed as it is read."""
    source = path.open("rb")
    try:
        decrypted = agefile.Reader(source, passphrase)
    except agefile.WrongPassphrase:
        source.close()
        raise BackupError(
            f"The passphrase does not open {path}: it is not the one the backup was made with."
        ) from None
    except agefile.AgeError as error:
        source.close()
        raise BackupError(f"{path}: {error}") from None
    return source, gzip.GzipFile(fileobj=decrypted, mode="rb")


def _lines(path: Path, passphrase: str) -> Iterator[tuple[bytes, object]]:
    """(raw line, parsed JSON) for each line of the archive; errors name what is wrong."""
    source, stream = _open(path, passphrase)
    with source, stream:
        try:
            for raw in stream:
                try:
                    yield raw, json.loads(raw)
                except ValueError:
                    raise BackupError(f"{path} is not a backup of this application.") from None
        except agefile.AgeError as error:
            raise BackupError(f"{path}: {error}") from None
        except gzip.BadGzipFile:
            # It opened with the passphrase, so it is whole: it just holds something else.
            raise BackupError(f"{path} is not a backup of this application.") from None
        except (OSError, EOFError, zlib.error):
            raise BackupError(f"{path} is damaged: its contents do not decompress.") from None


def _fail(path: Path, what: str) -> BackupError:
    return BackupError(f"{path} is not a complete backup of this application: {what}.")


def check_archive(path, passphrase: str) -> _Archive:
    """Read the whole archive and check it, writing nothing: passphrase, integrity, layout.

    Checks the header's format, that each table's columns are this code's, that every
    table's row count and checksum match what its end line and the manifest say, and that
    the manifest is the last line. Returns the header and the counts.
    """
    path = Path(path)
    if not path.is_file():
        raise BackupError(f"{path} does not exist or is not a file.")
    with closing(_lines(path, passphrase)) as lines:
        return _check_lines(path, lines)


def _check_lines(path: Path, lines) -> _Archive:
    header = next((data for _, data in lines), None)
    if not isinstance(header, dict) or header.get("format") != FORMAT:
        raise BackupError(f"{path} is not a backup of this application.")
    if header.get("format_version") != FORMAT_VERSION:
        raise BackupError(
            f"{path} is a backup of format version {header.get('format_version')}; "
            f"this version of the application reads version {FORMAT_VERSION}."
        )
    expected = {model_label(model): model for model in backed_up_models()}
    counts, checksums, manifest = {}, {}, None
    table = digest = None
    rows = width = 0
    for raw, data in lines:
        if manifest is not None:
            raise _fail(path, "there is more after its manifest")
        if isinstance(data, list):
            if table is None or len(data) != width:
                raise _fail(path, "a row is out of place or has the wrong number of columns")
            digest.update(raw)
            rows += 1
        elif isinstance(data, dict) and "table" in data:
            table = data["table"]
            if table not in expected or table in counts:
                raise _fail(path, f"it holds a table this version does not know ({table})")
            if data.get("fields") != [f.attname for f in columns(expected[table])]:
                raise _fail(path, f"the columns of {table} differ from this version's")
            digest, rows, width = hashlib.sha256(), 0, len(data["fields"])
        elif isinstance(data, dict) and "end" in data:
            if data["end"] != table or data.get("rows") != rows:
                raise _fail(path, f"the row count of {table} does not match")
            if data.get("sha256") != digest.hexdigest():
                raise _fail(path, f"the checksum of {table} does not match")
            counts[table], checksums[table] = rows, digest.hexdigest()
            table = None
        elif isinstance(data, dict) and "manifest" in data:
            manifest = data["manifest"]
        else:
            raise _fail(path, "it holds a line of an unknown kind")
    if manifest is None or table is not None:
        raise _fail(path, "it ends before its manifest")
    if manifest.get("counts") != counts or manifest.get("sha256") != checksums:
        raise _fail(path, "its manifest does not match its tables")
    if set(counts) != set(expected):
        missing = ", ".join(sorted(set(expected) - set(counts)))
        raise _fail(path, f"it lacks tables this version has ({missing})")
    return _Archive(header, counts)


def check_target(archive: _Archive, alias: str = "default") -> None:
    """Refuse a database whose migrations differ from the backup's, or that holds data."""
    theirs = archive.header.get("migrations") or {}
    ours = applied_migrations(alias)
    if theirs != ours:
        mine = {(app, name) for app, names in ours.items() for name in names}
        wanted = {(app, name) for app, names in theirs.items() for name in names}
        missing = sorted(f"{app}.{name}" for app, name in wanted - mine)
        extra = sorted(f"{app}.{name}" for app, name in mine - wanted)
        detail = "; ".join(
            part
            for part in (
                f"not applied here: {', '.join(missing[:5])}" if missing else "",
                f"applied here, not in the backup: {', '.join(extra[:5])}" if extra else "",
            )
            if part
        )
        hint = (
            "Run `manage.py migrate` on this database first"
            if missing and not extra
            else "Restore with the version of the application that made the backup "
            f"({archive.header.get('app_version')}), into a database migrated by it"
        )
        raise BackupError(f"The database's migrations differ from the backup's ({detail}). {hint}.")
    holding = [
        model_label(model)
        for model in backed_up_models()
        if model_label(model) not in SEEDED and model._base_manager.using(alias).exists()
    ]
    if holding:
        raise BackupError(
            "The database is not empty: it holds rows of "
            f"{', '.join(holding[:5])}{' ...' if len(holding) > 5 else ''}. "
            "Restore into a new database that only `manage.py migrate` has run on."
        )


def _insert(model, fields, objects, alias: str) -> None:
    # ``raw=True`` is what loaddata's save does: values go in as they are, so auto_now
    # columns (updated_at) keep the backup's time instead of the restore's. _insert is
    # the queryset method save() and bulk_create() both end in.
    connection = connections[alias]
    size = max(1, min(BATCH, connection.ops.bulk_batch_size(fields, objects)))
    for start in range(0, len(objects), size):
        model._base_manager.using(alias)._insert(
            objects[start : start + size], fields=fields, using=alias, raw=True
        )


def _load(path: Path, passphrase: str, alias: str) -> dict:
    """Insert every row of the archive, a batch at a time; return the rows per table."""
    models = {model_label(model): model for model in backed_up_models()}
    counts, batch = {}, []
    model = fields = None
    with closing(_lines(path, passphrase)) as lines:
        for _, data in lines:
            if isinstance(data, list):
                try:
                    pairs = zip(fields, data, strict=True)
                    values = {f.attname: decode(f, value) for f, value in pairs}
                except ValidationError as error:
                    label = model_label(model)
                    raise BackupError(f"A row of {label} is invalid: {error}.") from None
                batch.append(model(**values))
                if len(batch) >= BATCH:
                    _insert(model, fields, batch, alias)
                    batch = []
            elif "table" in data:
                model = models[data["table"]]
                fields = columns(model)
            elif "end" in data:
                if batch:
                    _insert(model, fields, batch, alias)
                    batch = []
                counts[data["end"]] = data["rows"]
    return counts


def restore_backup(path, passphrase: str, *, alias: str = "default") -> Summary:
    """Restore the backup at ``path`` into this (empty, migrated) database, all or nothing."""
    path = Path(path)
    archive = check_archive(path, passphrase)
    connection = connections[alias]
    try:
        with transaction.atomic(using=alias):
            # Checked in the transaction that writes: nothing can write in between.
            check_target(archive, alias)
            # What migrations wrote is replaced by the backup's own rows, keys and all.
            with connection.cursor() as cursor:
                for label in sorted(SEEDED):
                    table = apps.get_model(label)._meta.db_table
                    cursor.execute(f"DELETE FROM {connection.ops.quote_name(table)}")
            counts = _load(path, passphrase, alias)
            if counts != archive.counts:
                raise BackupError(f"{path} changed while it was restored; nothing was written.")
            # Deferred foreign keys are checked now, to name a broken one before commit.
            connection.check_constraints()
            with connection.cursor() as cursor:
                models = [apps.get_model(label) for label in counts]
                for statement in connection.ops.sequence_reset_sql(no_style(), models):
                    cursor.execute(statement)
    except DatabaseError as error:
        raise BackupError(
            f"The backup could not be written to this database ({error}); nothing was written."
        ) from None
    finally:
        # Content types were replaced: drop what this process remembered of the old ones.
        ContentType.objects.clear_cache()
    summary = Summary(path, counts)
    log_event(
        "backup.restored",
        archive=str(path),
        rows=summary.rows,
        tables=len(counts),
        database=connection.vendor,
    )
    return summary
