"""Markup a publication can change: its own ``templates_path`` overrides Broadsheet's templates."""

from __future__ import annotations

import pytest
from sphinx.testing.util import SphinxTestApp

from conftest import read_html


@pytest.mark.sphinx("html", testroot="templates")
def test_a_publication_template_replaces_the_header(app: SphinxTestApp) -> None:
    app.build()
    assert app.warning.getvalue() == ""
    soup = read_html(app, "articles/story")
    assert soup.select(".broadsheet-header") == []
    header = soup.select_one("section > header.gazette-header")
    assert header.find_previous_sibling("h1").get_text().rstrip("¶") == "A Restyled Story"
    kicker = header.select(".gazette-kicker a")
    assert [(a.get_text(), a["href"]) for a in kicker] == [
        ("Maps", "../tags/maps.html"),
        ("Front Line", "../tags/front-line.html"),
    ]
    # Values reach the publication's template escaped: front matter text stays text.
    deck = header.select_one(".gazette-deck")
    assert deck.get_text() == "Markup <b>stays</b> text & so do ampersands"
    assert deck.find("b") is None
    byline = header.select_one(".gazette-byline")
    assert [s.get_text() for s in byline.select(".broadsheet-author")] == [
        "Ann Writer",
        "Bo <i>Editor</i>",
    ]
    assert byline.find("i") is None
    assert header.find("time")["datetime"] == "2024-05-01T00:00:00+00:00"


@pytest.mark.sphinx(
    "html", testroot="templates", srcdir="templates-default", confoverrides={"templates_path": []}
)
def test_without_an_override_the_header_is_broadsheets(app: SphinxTestApp) -> None:
    app.build()
    header = read_html(app, "articles/story").select_one("section > header.broadsheet-header")
    assert header.select_one(".broadsheet-deck").get_text().startswith("Markup <b>stays</b>")
    assert read_html(app, "articles/story").select(".gazette-header") == []
