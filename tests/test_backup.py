"""Encrypted backups that restore: ``manage.py backup`` and ``manage.py restore``.

The format is age's (``incidents.writes.agefile``), checked against a second
implementation (pyrage); the archive is every row of every model but the excluded ones
(``incidents.writes.backup``). A restore either writes everything or nothing: each way
it can be refused is tried here, and the database checked after. The last tests move a
database from SQLite to PostgreSQL and back in separate processes, and compare every
answer the API gives from each.
"""

import gzip
import io
import json
import logging
import os
import secrets
import shutil
import stat
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pyrage
import pytest
from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder

from incidents.models import Incident, Partner
from incidents.writes import agefile, backup
from tests.factories import IncidentFactory
from tests.helpers import bearer

PASSPHRASE = "correct horse battery staple"
BASE = Path(settings.BASE_DIR)


def plaintext(path: Path, passphrase: str = PASSPHRASE) -> list[bytes]:
    """The archive's lines, opened by pyrage (not by the code under test)."""
    return gzip.decompress(pyrage.passphrase.decrypt(path.read_bytes(), passphrase)).splitlines()


def rows(path: Path) -> list:
    """Every line of an archive but its header (which says when and where it was made).

    Parsed, so that two archives compare equal when they hold the same values: PostgreSQL
    keeps a JSON column's object keys in an order of its own (jsonb), SQLite as written,
    and so the checksums of a table with a JSON column differ between the two.
    """
    lines = [json.loads(line) for line in plaintext(path)[1:]]
    for line in lines:
        if isinstance(line, dict):
            line.pop("sha256", None)
            line.get("manifest", {}).pop("sha256", None)
    return lines


# The age format.


@pytest.mark.parametrize(
    "size", [0, 1, agefile.CHUNK - 1, agefile.CHUNK, agefile.CHUNK + 1, 200_000]
)
def test_pyrage_opens_what_the_writer_writes(size):
    data = secrets.token_bytes(size)
    sink = io.BytesIO()
    writer = agefile.Writer(sink, PASSPHRASE, work_factor=10)
    writer.write(data[:1000])
    writer.write(data[1000:])
    writer.close()
    assert pyrage.passphrase.decrypt(sink.getvalue(), PASSPHRASE) == data
    assert agefile.Reader(io.BytesIO(sink.getvalue()), PASSPHRASE).read() == data


def test_the_reader_opens_what_pyrage_writes():
    # Once: pyrage picks its own scrypt work factor (about a second of work, or more).
    data = secrets.token_bytes(3 * agefile.CHUNK + 5)
    theirs = pyrage.passphrase.encrypt(data, PASSPHRASE)
    assert agefile.Reader(io.BytesIO(theirs), PASSPHRASE).read() == data


def sealed(data: bytes) -> bytes:
    sink = io.BytesIO()
    writer = agefile.Writer(sink, PASSPHRASE, work_factor=10)
    writer.write(data)
    writer.close()
    return sink.getvalue()


def read_back(blob: bytes, passphrase: str = PASSPHRASE) -> bytes:
    return agefile.Reader(io.BytesIO(blob), passphrase).read()


def test_an_age_file_cut_at_a_chunk_boundary_does_not_open():
    blob = sealed(secrets.token_bytes(3 * agefile.CHUNK))
    # The last chunk (a full 64 KiB and its tag) gone: what is left is all whole chunks.
    with pytest.raises(agefile.AgeError, match="cut short"):
        read_back(blob[: -(agefile.CHUNK + agefile.TAG)])


def test_an_age_file_cut_inside_a_chunk_does_not_open():
    blob = sealed(secrets.token_bytes(100_000))
    with pytest.raises(agefile.AgeError, match="cut short"):
        read_back(blob[:-10])


def test_an_age_file_with_one_byte_changed_does_not_open():
    blob = bytearray(sealed(secrets.token_bytes(200_000)))
    blob[len(blob) // 3] ^= 1
    with pytest.raises(agefile.AgeError, match="altered"):
        read_back(bytes(blob))


def test_an_age_file_with_its_header_changed_does_not_open():
    blob = sealed(b"records")
    header, _, rest = blob.partition(b"\n---")
    # Another work factor in the stanza: the key derived differs, so the passphrase fails.
    forged = header.replace(b" 10\n", b" 11\n") + b"\n---" + rest
    with pytest.raises(agefile.AgeError):
        read_back(forged)


def test_an_age_file_refuses_another_passphrase():
    with pytest.raises(agefile.WrongPassphrase):
        read_back(sealed(b"records"), "another passphrase entirely")


def test_an_age_file_asking_for_an_enormous_work_factor_is_refused_before_scrypt_runs():
    blob = sealed(b"records").replace(b" 10\n", b" 40\n", 1)
    with pytest.raises(agefile.AgeError, match="at most 22"):
        read_back(blob)


def age_cli_decrypt(source: Path, target: Path, passphrase: str) -> int:
    """Run ``age -d`` as an operator would: it reads the passphrase from a terminal."""
    import pty

    pid, terminal = pty.fork()
    if pid == 0:  # the child: age, on the pseudo-terminal
        os.execvp("age", ["age", "-d", "-o", str(target), str(source)])
    said = b""
    while b"passphrase" not in said.lower():
        said += os.read(terminal, 1024)
    os.write(terminal, passphrase.encode() + b"\n")
    try:
        while os.read(terminal, 1024):
            pass
    except OSError:  # the terminal closes when age exits
        pass
    return os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1])


@pytest.mark.skipif(shutil.which("age") is None, reason="the age command is not installed")
def test_the_age_command_opens_a_backup(populated, passphrase, tmp_path):
    path = tmp_path / "incidents.age"
    call_command("backup", output=str(path), verbosity=0)
    opened = tmp_path / "incidents.jsonl.gz"
    assert age_cli_decrypt(path, opened, PASSPHRASE) == 0
    assert gzip.decompress(opened.read_bytes()).splitlines() == plaintext(path)


# What a backup holds.


def test_every_model_is_backed_up_or_excluded_for_a_stated_reason():
    backed_up = set(backup.backed_up_models())
    for model in apps.get_models(include_auto_created=True):
        opts = model._meta
        if opts.proxy or not opts.managed:
            continue  # no table of its own
        assert (model in backed_up) != (opts.label_lower in backup.EXCLUDED), opts.label_lower
    assert all(apps.get_model(label) for label in [*backup.EXCLUDED, *backup.SEEDED])
    assert all(reason.strip() for reason in backup.EXCLUDED.values())


def test_the_deployment_guide_names_what_a_backup_leaves_out():
    text = (BASE / "docs" / "deployment.md").read_text()
    section = text.split("## Backups", 1)[1].split("\n## ", 1)[0]
    for label in backup.EXCLUDED:
        assert f"`{label}`" in section, label


def test_what_matters_is_in_a_backup():
    labels = {model._meta.label_lower for model in backup.backed_up_models()}
    assert {
        "incidents.incident",
        "incidents.historicalincident",
        "incidents.figure",
        "incidents.allegation_methods",
        "incidents.term",
        "incidents.partner",
        "incidents.apitoken",
        "incidents.change",
        "auth.user",
        "auth.user_groups",
        "auth.group",
        "contenttypes.contenttype",
    } <= labels
    for app in ("otp_totp", "otp_static", "django_otp_webauthn"):
        if apps.is_installed(app) or any(a.label == app for a in apps.get_app_configs()):
            assert any(label.startswith(f"{app}.") for label in labels), app


def test_the_tables_come_after_the_tables_they_point_to():
    order = {model: index for index, model in enumerate(backup.backed_up_models())}
    for model, index in order.items():
        for field in model._meta.local_concrete_fields:
            target = field.related_model if field.is_relation else None
            if target is not None and target is not model and target in order:
                assert order[target] < index, (model, target)


# Backing up and restoring in this process (the suite's database).


@pytest.fixture
def passphrase(monkeypatch):
    monkeypatch.setenv(backup.PASSPHRASE_VARIABLE, PASSPHRASE)
    return PASSPHRASE


@pytest.fixture
def populated(db, tmp_path):
    """The scenario of the cross-database test, in the suite's database."""
    from tests import backup_scenario

    backup_scenario.populate(tmp_path)
    return (tmp_path / "token").read_text()


def counts() -> dict:
    return {
        model._meta.label_lower: model._base_manager.count() for model in backup.backed_up_models()
    }


def empty_database() -> None:
    """What a new, migrated database holds: rows migrations write, and nothing else."""
    with connection.cursor() as cursor:
        for model in backup.backed_up_models():
            if model._meta.label_lower not in backup.SEEDED:
                table = connection.ops.quote_name(model._meta.db_table)
                cursor.execute(f"DELETE FROM {table}")


def is_empty() -> bool:
    return all(
        model._base_manager.count() == 0
        for model in backup.backed_up_models()
        if model._meta.label_lower not in backup.SEEDED
    )


@pytest.fixture
def archive(populated, passphrase, tmp_path):
    """A backup of the scenario, and the database emptied as a new one would be."""
    path = tmp_path / "incidents.age"
    call_command("backup", output=str(path), verbosity=0)
    empty_database()
    return path


def test_a_backup_is_readable_by_its_owner_only_and_leaves_nothing_else(
    populated, passphrase, tmp_path
):
    path = tmp_path / "out" / "incidents.age"
    path.parent.mkdir()
    call_command("backup", output=str(path), verbosity=0)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert sorted(p.name for p in path.parent.iterdir()) == ["incidents.age"]


def test_a_backup_holds_a_manifest_of_every_table(populated, passphrase, tmp_path):
    path = tmp_path / "incidents.age"
    call_command("backup", output=str(path), verbosity=0)
    lines = plaintext(path)
    header, manifest = json.loads(lines[0]), json.loads(lines[-1])["manifest"]
    assert header["format"] == backup.FORMAT
    assert header["format_version"] == backup.FORMAT_VERSION
    assert header["migrations"]["incidents"] == sorted(
        name
        for app, name in MigrationRecorder(connection).applied_migrations()
        if app == "incidents"
    )
    assert manifest["counts"] == counts()
    assert set(manifest["sha256"]) == set(manifest["counts"])
    assert manifest["counts"]["incidents.incident"] == Incident.objects.count() > 0


def test_a_restore_gives_back_every_row_as_it_was(archive, passphrase, tmp_path, client):
    assert is_empty()
    call_command("restore", str(archive), verbosity=0)
    again = tmp_path / "again.age"
    call_command("backup", output=str(again), verbosity=0)
    # Every row of every table, keys, timestamps and history included, byte for byte.
    assert rows(again) == rows(archive)


def test_after_a_restore_the_partners_token_opens_its_restricted_records(
    archive, populated, passphrase, client
):
    call_command("restore", str(archive), verbosity=0)
    response = client.get("/api/v1/incidents/", **bearer(populated))
    assert response.status_code == 200
    assert "Detentions at the border post (updated)" in response.content.decode()
    assert "border post" not in client.get("/api/v1/incidents/").content.decode()


def test_after_a_restore_new_records_get_new_keys(archive, passphrase):
    call_command("restore", str(archive), verbosity=0)
    highest = Incident.objects.order_by("-pk").first().pk
    assert IncidentFactory().pk > highest
    assert Partner.objects.create(name="New partner").pk


def test_a_restore_replaces_what_migrations_wrote(archive, passphrase):
    from django.contrib.auth.models import Group

    Group.objects.filter(name="viewer").update(name="renamed by a migration")
    call_command("restore", str(archive), verbosity=0)
    assert Group.objects.filter(name="viewer").exists()
    assert not Group.objects.filter(name="renamed by a migration").exists()


def test_backup_and_restore_are_security_events_that_never_name_the_passphrase(
    populated, passphrase, tmp_path, caplog
):
    path = tmp_path / "incidents.age"
    with caplog.at_level(logging.INFO, logger="incidents.security"):
        call_command("backup", output=str(path), verbosity=0)
        empty_database()
        call_command("restore", str(path), verbosity=0)
    events = {record.event: record for record in caplog.records if hasattr(record, "event")}
    assert {"backup.written", "backup.restored"} <= set(events)
    assert events["backup.written"].archive == str(path)
    assert events["backup.restored"].rows == sum(counts().values())
    assert PASSPHRASE not in caplog.text


def refused(path, message, **options):
    with pytest.raises(CommandError, match=message):
        call_command("restore", str(path), verbosity=0, **options)
    assert is_empty()


def test_a_wrong_passphrase_is_refused_and_writes_nothing(archive, monkeypatch):
    monkeypatch.setenv(backup.PASSPHRASE_VARIABLE, "not the passphrase it was made with")
    refused(archive, "passphrase does not open")


def test_a_truncated_backup_is_refused_and_writes_nothing(archive, passphrase):
    archive.write_bytes(archive.read_bytes()[:-40])
    refused(archive, "cut short")


def test_a_backup_with_one_byte_altered_is_refused_and_writes_nothing(archive, passphrase):
    data = bytearray(archive.read_bytes())
    data[len(data) // 2] ^= 0x20
    archive.write_bytes(bytes(data))
    refused(archive, "altered")


def test_a_file_that_is_not_a_backup_is_refused(passphrase, tmp_path, db):
    path = tmp_path / "notes.txt"
    path.write_text("not encrypted at all\n")
    refused(path, "not an age-encrypted backup")
    path.write_bytes(sealed(gzip.compress(b'{"format": "something else"}\n')))
    refused(path, "not a backup of this application")
    path.write_bytes(sealed(b"an age file of something else"))
    refused(path, "not a backup of this application")
    refused(tmp_path / "missing.age", "does not exist")


def test_a_restore_into_a_database_with_data_is_refused_and_changes_nothing(
    populated, passphrase, tmp_path
):
    path = tmp_path / "incidents.age"
    call_command("backup", output=str(path), verbosity=0)
    IncidentFactory(title="Written after the backup")
    before = counts()
    with pytest.raises(CommandError, match="not empty"):
        call_command("restore", str(path), verbosity=0)
    assert counts() == before


def test_a_restore_into_a_database_not_migrated_as_the_backup_was_is_refused(archive, passphrase):
    latest = MigrationRecorder.Migration.objects.filter(app="incidents").order_by("-name").first()
    latest.delete()
    refused(archive, rf"migrations differ .*incidents\.{latest.name}.*Run `manage.py migrate`")


def test_a_passphrase_too_short_to_be_safe_is_refused(populated, monkeypatch, tmp_path):
    path = tmp_path / "incidents.age"
    monkeypatch.setenv(backup.PASSPHRASE_VARIABLE, "short-pass")
    with pytest.raises(CommandError, match=r"too short to be safe.*at least 12"):
        call_command("backup", output=str(path), verbosity=0)
    monkeypatch.setenv(backup.PASSPHRASE_VARIABLE, "temppassword")
    with pytest.raises(CommandError, match="most common passwords"):
        call_command("backup", output=str(path), verbosity=0)
    assert list(tmp_path.iterdir()) == [tmp_path / "token"]


def test_no_passphrase_at_all_is_refused(db, monkeypatch, tmp_path):
    monkeypatch.delenv(backup.PASSPHRASE_VARIABLE, raising=False)
    with pytest.raises(CommandError, match=r"set BACKUP_PASSPHRASE.*--passphrase-file"):
        call_command("backup", output=str(tmp_path / "incidents.age"), verbosity=0)
    assert list(tmp_path.iterdir()) == []


def test_the_passphrase_may_come_from_a_file(populated, monkeypatch, tmp_path):
    monkeypatch.delenv(backup.PASSPHRASE_VARIABLE, raising=False)
    secret = tmp_path / "passphrase"
    secret.write_text(PASSPHRASE + "\n")
    path = tmp_path / "incidents.age"
    call_command("backup", output=str(path), passphrase_file=str(secret), verbosity=0)
    assert plaintext(path)  # the line end is not part of the passphrase
    empty_database()
    call_command("restore", str(path), passphrase_file=str(secret), verbosity=0)
    assert not is_empty()
    with pytest.raises(CommandError, match="Cannot read the passphrase file"):
        call_command("restore", str(path), passphrase_file=str(tmp_path / "nope"), verbosity=0)


def test_a_backup_never_replaces_a_file(populated, passphrase, tmp_path):
    path = tmp_path / "incidents.age"
    path.write_text("yesterday's")
    with pytest.raises(CommandError, match="exists"):
        call_command("backup", output=str(path), verbosity=0)
    assert path.read_text() == "yesterday's"


def test_the_commands_report_what_they_did(populated, passphrase, tmp_path):
    path = tmp_path / "incidents.age"
    out = io.StringIO()
    call_command("backup", output=str(path), stdout=out)
    total = sum(counts().values())
    assert out.getvalue().startswith(f"Wrote {total} rows of ")
    empty_database()
    out = io.StringIO()
    call_command("restore", str(path), stdout=out)
    assert out.getvalue().startswith(f"Restored {total} rows of ")


# From SQLite to PostgreSQL and back, in processes of their own.

POSTGRES = "postgres://postgres@127.0.0.1:5432"


def manage(url: str, *arguments: str, check: bool = True) -> subprocess.CompletedProcess:
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.test_settings",
        "DATABASE_URL": url,
        backup.PASSPHRASE_VARIABLE: PASSPHRASE,
    }
    completed = subprocess.run(
        [sys.executable, *arguments],
        cwd=BASE,
        env=environment,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    if check:
        assert completed.returncode == 0, f"{arguments}\n{completed.stdout}\n{completed.stderr}"
    return completed


def scenario(url: str, call: str) -> None:
    manage(url, "-c", f"import django; django.setup(); from tests import backup_scenario; {call}")


def migrated(url: str) -> None:
    manage(url, "manage.py", "migrate", "--noinput", "-v0")
    manage(url, "manage.py", "createcachetable")


@pytest.fixture
def postgres_database():
    """A PostgreSQL database of this test's own (a unique name: CI runs two suites at once)."""
    import psycopg

    name = f"backup_test_{os.getpid()}_{secrets.token_hex(4)}"
    try:
        admin = psycopg.connect(f"{POSTGRES}/postgres", autocommit=True, connect_timeout=5)
    except psycopg.OperationalError as error:
        if os.environ.get("CI"):
            raise
        pytest.skip(f"no PostgreSQL at {POSTGRES}: {error}")
    with admin:
        admin.execute(f'CREATE DATABASE "{name}"')
        try:
            yield f"{POSTGRES}/{name}"
        finally:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


# It makes databases of both kinds itself, whichever the suite runs on: once is enough, and
# CI runs the suite on both at the same time.
@pytest.mark.skipif(
    connection.vendor == "postgresql",
    reason="runs in the SQLite suite: it makes its own SQLite and PostgreSQL databases",
)
def test_a_sqlite_backup_restored_into_postgresql_answers_every_request_alike(
    tmp_path, postgres_database
):
    sqlite, back = f"sqlite:///{tmp_path}/source.sqlite3", f"sqlite:///{tmp_path}/back.sqlite3"
    with ThreadPoolExecutor(2) as pool:
        list(pool.map(migrated, [sqlite, postgres_database]))
    # A second new SQLite database, for the way back: a copy of the first, just migrated.
    shutil.copy(tmp_path / "source.sqlite3", tmp_path / "back.sqlite3")
    scenario(sqlite, f"backup_scenario.populate({str(tmp_path)!r})")
    from_sqlite, from_postgres = tmp_path / "sqlite.age", tmp_path / "postgres.age"
    manage(sqlite, "manage.py", "backup", "--output", str(from_sqlite))
    manage(postgres_database, "manage.py", "restore", str(from_sqlite))
    manage(postgres_database, "manage.py", "backup", "--output", str(from_postgres))

    answers = {"sqlite": tmp_path / "sqlite.json", "postgres": tmp_path / "postgres.json"}
    with ThreadPoolExecutor(3) as pool:
        probes = [
            pool.submit(scenario, url, f"backup_scenario.probe({str(tmp_path)!r}, {str(out)!r})")
            for url, out in ((sqlite, answers["sqlite"]), (postgres_database, answers["postgres"]))
        ]
        # And back: PostgreSQL's backup into a new SQLite database.
        restored_back = pool.submit(manage, back, "manage.py", "restore", str(from_postgres))
        for future in [*probes, restored_back]:
            future.result()

    # PostgreSQL holds exactly the rows SQLite held: keys, times, history, tokens' hashes.
    assert rows(from_postgres) == rows(from_sqlite)
    on_sqlite = json.loads(answers["sqlite"].read_text())
    on_postgres = json.loads(answers["postgres"].read_text())
    assert len(on_sqlite) > 500
    # Not a comparison of empty pages: the partner and staff see the restricted incident.
    for caller in ("partner", "staff"):
        assert any(
            key.startswith(f"{caller} /api/v1/incidents/?") and "border post" in answer[3]
            for key, answer in on_sqlite.items()
        )
    assert sorted(on_postgres) == sorted(on_sqlite)
    different = [key for key in on_sqlite if on_sqlite[key] != on_postgres[key]]
    assert different == []

    final = tmp_path / "back.age"
    manage(back, "manage.py", "backup", "--output", str(final))
    assert rows(final) == rows(from_sqlite)


def test_a_restore_into_a_database_that_was_never_migrated_says_to_migrate(
    populated, passphrase, tmp_path
):
    path = tmp_path / "incidents.age"
    call_command("backup", output=str(path), verbosity=0)
    completed = manage(
        f"sqlite:///{tmp_path}/new.sqlite3", "manage.py", "restore", str(path), check=False
    )
    assert completed.returncode == 1
    assert "Run `manage.py migrate` on this database first" in completed.stderr
    assert "Traceback" not in completed.stderr
