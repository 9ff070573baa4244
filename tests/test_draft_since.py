"""A figure's period start ("since July 16") lives in the draft only.

The preview shows it; corrections carry it along; saving leaves it out, because a
Figure has no field for it.
"""

import datetime

import pytest

from incidents.access import Principal
from incidents.admin.articles import _describe
from incidents.models import Figure
from incidents.writes import articles

TEXT = (
    "Police arrest hundreds in Bangladesh\n\n"
    "The Dhaka Rights League said on Monday that 2,229 people had been arrested "
    "since July 16, when the protests began.\n"
)


@pytest.fixture
def article():
    return articles.Article(
        title="Police arrest hundreds",
        text=TEXT,
        published=datetime.date(2024, 7, 24),
        url="https://news.example.org/dhaka",
        publisher="Example News",
        country="",
        language="en",
    )


def test_the_preview_shows_the_start_of_the_period(article):
    [figure] = articles.draft_of(article).figures
    assert (figure.since, figure.as_of) == ("2024-07-16", "2024-07-22")
    assert "since 2024-07-16" in _describe("figures", figure)


def test_corrections_keep_it_and_saving_leaves_it_out(db, article, django_user_model):
    curator = Principal(user=django_user_model.objects.create_superuser("c", "c@x.org", "pw"))
    draft = articles.draft_of(article)
    corrected = articles.correct(draft, {"figures": [{"value": 2230}]})
    assert corrected.figures[0].since == "2024-07-16"
    articles.save_article(article=article, draft=corrected, principal=curator)
    saved = Figure.objects.get()
    assert (saved.value, saved.as_of) == (2230, datetime.date(2024, 7, 22))
