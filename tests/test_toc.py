"""The per-article table of contents, checked against the headings of the built pages."""

from __future__ import annotations

import pytest
from sphinx.testing.util import SphinxTestApp

from conftest import read_html
from helpers import article_sections, toc_entries


@pytest.mark.sphinx("html", testroot="article")
@pytest.mark.parametrize(
    ("docname", "depth", "deepest"),
    [
        ("articles/full", 2, 2),
        ("articles/depth1", 1, 1),
        ("articles/depth3", 3, 3),
        ("articles/fmtitle", 2, 1),
    ],
)
def test_entries_equal_headings(app: SphinxTestApp, docname: str, depth: int, deepest: int) -> None:
    app.build()
    soup = read_html(app, docname)
    entries = toc_entries(soup)
    assert entries == article_sections(soup, depth)
    ids = {tag["id"] for tag in soup.find_all(id=True)}
    assert all(target in ids for _level, _text, target in entries)
    assert max(level for level, _text, _target in entries) == deepest


@pytest.mark.sphinx("html", testroot="article")
def test_markup_non_ascii_and_duplicates(app: SphinxTestApp) -> None:
    app.build()
    soup = read_html(app, "articles/full")
    entries = toc_entries(soup)
    assert [text for _level, text, _target in entries] == [
        "Introduction with emphasis and code",
        "Détails à l’Est",  # Sphinx's smart quotes apply to both
        "Background",
        "Background",
        "Background",
        "Conclusion with a link",
    ]
    targets = [target for _level, _text, target in entries]
    assert len(set(targets)) == len(targets), "duplicate headings must link to their own section"
    nav = soup.select_one("nav.broadsheet-toc")
    first = nav.find("a")
    assert first.find("em").get_text() == "emphasis"
    assert first.find("code") is not None
    # The heading's own link is not nested inside the entry's link.
    assert all(len(a.find_all("a")) == 0 for a in nav.find_all("a"))


@pytest.mark.sphinx("html", testroot="article")
def test_toc_is_an_accessible_nav_under_the_header(app: SphinxTestApp) -> None:
    app.build()
    soup = read_html(app, "articles/full")
    nav = soup.select_one("nav.broadsheet-toc")
    label = soup.find(id=nav["aria-labelledby"])
    assert label is not None
    assert label.get_text() == "Table of Contents"
    assert nav.find_previous_sibling() is soup.select_one("header.broadsheet-header")
    # Copy buttons are attached by sphinx-copybutton to highlighted code only.
    assert nav.select("div.highlight, pre") == []
    assert len(soup.select("nav.broadsheet-toc")) == 1


@pytest.mark.sphinx("html", testroot="article")
@pytest.mark.parametrize("docname", ["articles/notoc", "articles/few", "index"])
def test_no_toc(app: SphinxTestApp, docname: str) -> None:
    app.build()
    assert read_html(app, docname).select("nav.broadsheet-toc") == []


@pytest.mark.sphinx(
    "html",
    testroot="article",
    srcdir="toc-config",
    confoverrides={
        "broadsheet_toc_depth": 1,
        "broadsheet_toc_min_sections": 1,
        "broadsheet_toc_title": "In this article",
    },
)
def test_configured_depth_title_and_minimum(app: SphinxTestApp) -> None:
    app.build()
    full = read_html(app, "articles/full")
    assert {level for level, _text, _target in toc_entries(full)} == {1}
    assert full.select_one(".broadsheet-toc-title").get_text() == "In this article"
    few = toc_entries(read_html(app, "articles/few"))
    assert [text for _level, text, _target in few] == ["Only Section"]
    # The front matter depth still wins over the configured one.
    assert max(level for level, _t, _i in toc_entries(read_html(app, "articles/depth3"))) == 3
