"""The article header: deck, byline, dates, reading time and tags."""

from __future__ import annotations

from pathlib import Path

import pytest
from sphinx.testing.util import SphinxTestApp

from conftest import read_html


# A source folder of its own: a fresh build, so that every warning is seen.
@pytest.mark.sphinx("html", testroot="article", srcdir="article-header")
def test_header_fields(app: SphinxTestApp) -> None:
    app.build()
    assert app.warning.getvalue() == ""
    soup = read_html(app, "articles/full")
    header = soup.select_one("section > header.broadsheet-header")
    assert header.find_previous_sibling("h1").get_text().rstrip("¶") == "Full Article"
    # Front matter text is data: its markup is shown, not interpreted.
    deck = header.select_one(".broadsheet-deck")
    assert deck.get_text() == "A deck with <b>angle</b> brackets & ampersands"
    assert deck.find("b") is None
    assert [a.get_text() for a in header.select(".broadsheet-author")] == [
        "Ada Lovelace",
        "Zoë Ñúñez",
        "Grace Hopper",
    ]
    assert " ".join(header.select_one(".broadsheet-byline").get_text().split()) == (
        "By Ada Lovelace, Zoë Ñúñez and Grace Hopper"
    )
    published, updated = header.find_all("time")
    assert (published["datetime"], published.get_text()) == (
        "2024-08-24T00:00:00+00:00",
        "August 24, 2024",
    )
    assert (updated["datetime"], updated.get_text()) == (
        "2024-08-26T10:30:00+00:00",
        "August 26, 2024",
    )
    assert header.select_one(".broadsheet-updated").get_text().startswith("Updated")
    assert [t.get_text() for t in header.select(".broadsheet-tag")] == ["Russia", "Ukraine"]
    # Each tag links to its page, which exists.
    links = header.select(".broadsheet-tag > a")
    assert [(a["href"], a["rel"]) for a in links] == [
        ("../tags/russia.html", ["tag"]),
        ("../tags/ukraine.html", ["tag"]),
    ]
    for link in links:
        assert (Path(app.outdir) / "articles" / link["href"]).resolve().is_file()
    assert header.select_one(".broadsheet-tags")["aria-label"] == "Tags"
    assert soup.title.get_text().startswith("Full Article")


@pytest.mark.sphinx("html", testroot="article")
def test_reading_time_follows_words_per_minute(app: SphinxTestApp) -> None:
    app.build()
    text = read_html(app, "articles/few").select_one(".broadsheet-reading-time").get_text()
    assert text == "1 min read"


@pytest.mark.sphinx(
    "html",
    testroot="article",
    srcdir="slow-readers",
    confoverrides={"broadsheet_words_per_minute": 10, "broadsheet_date_format": "d MMM y"},
)
def test_words_per_minute_and_date_format(app: SphinxTestApp) -> None:
    app.build()
    soup = read_html(app, "articles/full")
    words = len(soup.select_one("section").get_text().split())
    minutes = int(soup.select_one(".broadsheet-reading-time").get_text().split()[0])
    # The count is of the article's source text, which the page's extra labels only pad.
    assert 0.5 * words / 10 <= minutes <= words / 10 + 1
    assert soup.select_one(".broadsheet-published time").get_text() == "24 Aug 2024"


@pytest.mark.sphinx("html", testroot="article")
def test_title_from_front_matter_without_h1(app: SphinxTestApp) -> None:
    app.build()
    soup = read_html(app, "articles/fmtitle")
    assert soup.find("h1").get_text().rstrip("¶") == "Title From Front Matter"
    assert soup.select_one(".broadsheet-byline").get_text() == "By Solo Writer"
    # The lead paragraph stays in the article, under the header.
    assert "Lead paragraph" in soup.select_one("section").get_text()


@pytest.mark.sphinx(
    "html",
    testroot="article",
    srcdir="article-preview",
    confoverrides={"broadsheet_show_drafts": True},
)
def test_draft_is_marked(app: SphinxTestApp) -> None:
    """A preview build labels drafts; a normal one never writes them (test_publishing.py)."""
    app.build()
    assert read_html(app, "articles/draft").select_one(".broadsheet-draft").get_text() == "Draft"
    assert read_html(app, "articles/full").select(".broadsheet-draft") == []
