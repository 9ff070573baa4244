"""The management commands, run as a user runs them."""

import io
import json
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

ARTICLE = Path(settings.SEEDS_DIR) / "2024-12-venezuela-minors-released.txt"


def run(*args) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_extract_article_prints_the_draft_as_json():
    draft = json.loads(run("extract_article", str(ARTICLE)))
    assert draft["reference_date"] == "2024-12-25"  # from the .meta.json beside the article
    figure_keys = {"value", "value_low", "value_high", "qualifier", "measure", "group", "as_of"}
    figure_keys |= {"as_of_precision", "reported_by", "quote"}
    assert draft["figures"] and all(figure_keys <= set(f) for f in draft["figures"])
    allegation_keys = {"violation_type", "methods", "status", "reported_by", "quote"}
    assert draft["allegations"] and all(allegation_keys <= set(a) for a in draft["allegations"])
    assert {"actors", "sources", "stances", "incidents", "groups"} <= set(draft)
    mid_november = [f for f in draft["figures"] if f["value"] == 69]
    assert mid_november[0]["as_of"] == "2024-11-15"
    assert mid_november[0]["reported_by"] == "Foro Penal"


def test_extract_article_resolves_dates_against_the_given_reference_date(tmp_path):
    article = tmp_path / "article.txt"
    article.write_text("Rights group Voces Libres said on Monday that 12 students remain detained.")
    draft = json.loads(run("extract_article", str(article), "--reference-date", "2025-03-06"))
    [figure] = draft["figures"]
    assert (figure["value"], figure["measure"]) == (12, "still_detained")
    assert (figure["as_of"], figure["as_of_precision"]) == ("2025-03-03", "exact")


def test_extract_article_detects_the_language_or_takes_the_one_given(tmp_path):
    article = tmp_path / "articulo.txt"
    article.write_text(
        "La ONG Voces Libres informó el lunes que 12 estudiantes siguen detenidos.",
        encoding="utf-8",
    )
    draft = json.loads(run("extract_article", str(article), "--reference-date", "2025-03-06"))
    assert draft["language"] == "es"
    forced = ("extract_article", str(article), "--reference-date", "2025-03-06", "--language")
    assert json.loads(run(*forced, "en"))["language"] == "en"
    assert json.loads(run("extract_article", str(ARTICLE)))["language"] == "en"


def test_extract_article_rejects_a_bad_date_and_a_missing_file(tmp_path):
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        run("extract_article", str(ARTICLE), "--reference-date", "25/12/2024")
    with pytest.raises(CommandError, match="No such file"):
        run("extract_article", str(tmp_path / "missing.txt"))


PORTUGUESE = (
    "A organização de direitos humanos denunciou nesta terça-feira que pelo menos 120 pessoas "
    "continuam detidas após os protestos do mês passado, e que as suas famílias não sabem onde "
    "se encontram."
)


def test_extract_article_refuses_what_it_cannot_read(tmp_path):
    with pytest.raises(CommandError, match="invalid choice: 'pt'"):
        run("extract_article", str(ARTICLE), "--language", "pt")
    article = tmp_path / "artigo.txt"
    article.write_text(PORTUGUESE, encoding="utf-8")
    with pytest.raises(CommandError, match=r"Portuguese \(pt\).*--language es"):
        run("extract_article", str(article), "--reference-date", "2025-03-06")
    with pytest.raises(CommandError, match="alpha-2"):
        run("extract_article", str(ARTICLE), "--country", "Venezuela")


def test_build_seed_fixtures_check_fails_on_a_stale_fixture(tmp_path):
    run("build_seed_fixtures", "--output", str(tmp_path))
    assert run("build_seed_fixtures", "--output", str(tmp_path), "--check")
    written = next(tmp_path.glob("*.json"))
    written.write_text(written.read_text().replace("Foro Penal", "Foro  Penal"))
    with pytest.raises(CommandError, match="make fixtures"):
        run("build_seed_fixtures", "--output", str(tmp_path), "--check")


def test_build_seed_fixtures_explains_a_broken_seed(tmp_path):
    (tmp_path / "article.txt").write_text("Police detained 12 students on Monday.")
    with pytest.raises(CommandError, match="no metadata file"):
        run("build_seed_fixtures", "--seeds", str(tmp_path), "--output", str(tmp_path / "out"))
    (tmp_path / "article.meta.json").write_text('{"reference_date": "2025-13-01",')
    with pytest.raises(CommandError, match="not valid JSON"):
        run("build_seed_fixtures", "--seeds", str(tmp_path), "--output", str(tmp_path / "out"))
    meta = {"reference_date": "2025-13-01", "language": "en", "title": "Arrests"}
    (tmp_path / "article.meta.json").write_text(json.dumps(meta))
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        run("build_seed_fixtures", "--seeds", str(tmp_path), "--output", str(tmp_path / "out"))
    assert not (tmp_path / "out").exists()


@pytest.mark.django_db
def test_ensure_local_admin_creates_an_account_once_and_prints_how_to_log_in(tmp_path):
    password_file = tmp_path / "admin-password.txt"
    first = run("ensure_local_admin", "--password-file", str(password_file))
    password = password_file.read_text().strip()
    assert len(password) >= 16 and password in first
    assert oct(password_file.stat().st_mode & 0o777) == "0o600"
    second = run("ensure_local_admin", "--password-file", str(password_file))
    assert "Created" not in second and password in second
    admin = get_user_model().objects.get(username="admin")
    assert admin.is_superuser and admin.check_password(password)


@pytest.mark.django_db
def test_ensure_local_admin_never_prints_a_password_that_no_longer_works(tmp_path):
    password_file = tmp_path / "admin-password.txt"
    run("ensure_local_admin", "--password-file", str(password_file))
    admin = get_user_model().objects.get(username="admin")
    admin.set_password("changed-by-the-user")
    admin.save()
    out = run("ensure_local_admin", "--password-file", str(password_file))
    assert password_file.read_text().strip() not in out
    assert "changepassword" in out
