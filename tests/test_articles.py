"""Article import as a service: extract, correct, save as drafts, publish."""

import datetime
from pathlib import Path

import pytest
from django.conf import settings

from incidents.access import Principal
from incidents.choices import ReviewStatus, Visibility
from incidents.models import Actor, Citation, DetaineeGroup, Figure, Incident, Source
from incidents.writes import articles, services

SEED = Path(settings.BASE_DIR) / "seeds" / "2024-12-venezuela-minors-released.txt"


@pytest.fixture
def article():
    return articles.Article(
        title="All minors released",
        text=SEED.read_bytes().decode("utf-8"),
        published=datetime.date(2024, 12, 25),
        url="https://news.example.org/minors",
        publisher="Example News",
        country="VE",
    )


@pytest.fixture
def curator(django_user_model):
    return Principal(user=django_user_model.objects.create_superuser("c", "c@example.org", "pw"))


def test_an_article_lands_as_restricted_unreviewed_drafts_with_history(db, article, curator):
    draft = articles.draft_of(article)
    saved = articles.save_article(article=article, draft=draft, principal=curator)

    assert saved.article.text == article.text and saved.article.issuer.name == "Example News"
    assert Figure.objects.count() == len(draft.figures) > 0
    assert DetaineeGroup.objects.count() == len(draft.groups)
    records = [
        *Source.objects.all(),
        *Incident.objects.all(),
        *Figure.objects.all(),
        *Citation.objects.all(),
        *Actor.objects.all(),
    ]
    assert {(r.visibility, r.review_status) for r in records} == {
        (Visibility.RESTRICTED, ReviewStatus.UNREVIEWED)
    }
    figure = Figure.objects.get(value=129)
    entry = figure.history.get()
    assert entry.history_user == curator.user and entry.history_change_reason == "article import"
    # Every figure is cited, in the article's own words.
    for figure in Figure.objects.all():
        quote = figure.citations.get(stance="asserts").quote
        assert quote in article.text


def test_the_same_text_twice_is_refused(db, article, curator):
    draft = articles.draft_of(article)
    saved = articles.save_article(article=article, draft=draft, principal=curator)
    with pytest.raises(articles.AlreadyImported) as refused:
        articles.save_article(article=article, draft=draft, principal=curator)
    assert refused.value.source == saved.article
    assert Source.objects.filter(kind="news_article").count() == 1


def test_corrections_rename_fix_and_leave_out(db, article, curator):
    draft = articles.draft_of(article)
    group = draft.groups[0]
    members = [f for f in draft.figures if f.group == group.label]
    corrections = {
        "groups": [{"label": "detained children"}] + [{} for _ in draft.groups[1:]],
        "figures": [None]
        + [{"value": 130} if i == 1 else {} for i in range(1, len(draft.figures))],
    }
    corrected = articles.correct(draft, corrections)

    assert len(corrected.figures) == len(draft.figures) - 1
    assert corrected.figures[0].value == 130
    assert {f.group for f in corrected.figures if f.key in {m.key for m in members}} <= {
        "detained children"
    }
    assert draft.groups[0].label == group.label  # the original is untouched
    articles.save_article(article=article, draft=corrected, principal=curator)
    assert DetaineeGroup.objects.filter(label="detained children").exists()
    assert Figure.objects.count() == len(draft.figures) - 1


def test_leaving_out_a_group_its_figures_count_is_an_error(db, article, curator):
    draft = articles.draft_of(article)
    label = draft.figures[0].group
    index = next(i for i, g in enumerate(draft.groups) if g.label == label)
    corrections = {"groups": [None if i == index else {} for i in range(len(draft.groups))]}
    with pytest.raises(articles.DraftInvalid) as invalid:
        articles.correct(draft, corrections)
    kinds = {kind for kind, _, _ in invalid.value.problems}
    assert "figures" in kinds
    assert any(label in message for _, _, message in invalid.value.problems)


def test_a_refused_record_writes_nothing(db, article, curator):
    draft = articles.draft_of(article)
    corrected = articles.correct(
        draft, {"figures": [{"value": -5}] + [{}] * (len(draft.figures) - 1)}
    )
    with pytest.raises(articles.DraftInvalid) as invalid:
        articles.save_article(article=article, draft=corrected, principal=curator)
    [(kind, index, message)] = invalid.value.problems
    assert (kind, index) == ("figures", 0) and message.startswith("Value:"), message
    assert not Source.objects.exists() and not Figure.objects.exists()


def test_publishing_the_article_publishes_what_was_drafted_from_it(db, article, curator, client):
    saved = articles.save_article(
        article=article, draft=articles.draft_of(article), principal=curator
    )
    assert client.get("/api/v1/figures/").json()["results"] == []
    records = articles.drafted_from(saved.article)
    assert len(records) == len(saved.created) + Citation.objects.count()
    for record in records:
        services.record_publish(record=record, principal=curator)

    listed = client.get("/api/v1/figures/").json()["results"]
    assert len(listed) == Figure.objects.count()
    assert all(f["review_status"] == "reviewed" and f["citations"] for f in listed)
    assert articles.drafted_from(saved.article) == []


def test_an_article_held_already_is_refused_however_it_arrived(seeded, article, curator):
    # The seed fixtures hold this very text, under ids of their own.
    seed = Source.objects.get(kind="news_article")
    with pytest.raises(articles.AlreadyImported) as refused:
        articles.save_article(article=article, draft=articles.draft_of(article), principal=curator)
    assert refused.value.source == seed


def test_a_stance_on_a_record_left_out_goes_with_it(db, article):
    draft = articles.draft_of(article)
    stance = next(s for s in draft.stances if s.target_kind == "figure")
    index = next(i for i, f in enumerate(draft.figures) if f.key == stance.target)
    corrections = {"figures": [None if i == index else {} for i in range(len(draft.figures))]}

    corrected = articles.correct(draft, corrections)
    assert stance.key not in {s.key for s in corrected.stances}
    assert len(corrected.stances) < len(draft.stances)
    # The rows the preview showed, for the stances still there.
    rows = articles.kept_rows(draft, corrections)["stances"]
    assert [draft.stances[i].key for i in rows] == [s.key for s in corrected.stances]


def test_an_article_without_a_country_is_refused_record_by_record_not_crashed(db, curator):
    """No country named, none chosen: the incident says why, and what refers to it says so."""
    text = (
        "Students held after campus march\n\nPolice detained 40 students on Monday after a "
        "march on the campus, the Student Union said.\n"
    )
    article = articles.Article(title="Campus", text=text, published=datetime.date(2025, 3, 4))
    draft = articles.draft_of(article)
    with pytest.raises(articles.DraftInvalid) as refused:
        articles.save_article(article=article, draft=draft, principal=curator)
    problems = refused.value.problems
    assert ("incidents", 0) in {(kind, index) for kind, index, _ in problems}
    assert any(
        kind == "figures" and "could not be saved" in message for kind, _, message in problems
    )
    assert not Figure.objects.exists() and not Source.objects.exists()
