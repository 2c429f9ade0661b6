"""The ``article-list`` directive: newest first, limits, grouping, drafts, and rebuilds."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from sphinx.testing.util import SphinxTestApp

from conftest import read_html

BuildFn = Callable[..., SphinxTestApp]


def listed(app: SphinxTestApp, docname: str) -> list[str]:
    soup = read_html(app, docname)
    return [a.get_text() for a in soup.select(".broadsheet-listing-title a")]


@pytest.mark.sphinx("html", testroot="article")
def test_front_page_lists_newest_first_without_drafts(app: SphinxTestApp) -> None:
    app.build()
    assert listed(app, "index") == ["Full Article", "No Table of Contents", "Few Sections"]
    soup = read_html(app, "index")
    first = soup.select_one(".broadsheet-listing-item")
    assert first.find("a")["href"] == "articles/full.html"
    assert first.find("time")["datetime"] == "2024-08-24T00:00:00+00:00"
    assert "By Ada Lovelace, Zoë Ñúñez and Grace Hopper" in first.get_text()
    assert first.select_one(".broadsheet-listing-summary").get_text() == (
        "The full article’s summary."
    )


@pytest.mark.sphinx("html", testroot="article")
def test_archive_groups_by_year(app: SphinxTestApp) -> None:
    app.build()
    soup = read_html(app, "archive")
    assert [h.get_text() for h in soup.select("h2.broadsheet-listing-group")] == [
        "2024",
        "2023",
        "2022",
    ]
    assert listed(app, "archive") == [
        "Full Article",
        "No Table of Contents",
        "Few Sections",
        "Depth Three",
        "Depth One",
        "Title From Front Matter",
    ]
    assert "A Draft Piece" not in soup.get_text()


def test_listings_follow_added_edited_and_removed_articles(
    copy_root: Callable[..., Path], build: BuildFn
) -> None:
    srcdir = copy_root("article")
    build(srcdir)
    (srcdir / "articles" / "new.md").write_text(
        "---\ndate: 2026-01-01\n---\n\n# Brand New\n\nText.\n", "utf-8"
    )
    app = build(srcdir)
    assert listed(app, "index")[0] == "Brand New"
    assert "Brand New" in listed(app, "archive")

    draft = srcdir / "articles" / "draft.md"
    draft.write_text(draft.read_text("utf-8").replace("draft: true", "draft: false"), "utf-8")
    (srcdir / "articles" / "new.md").unlink()
    app = build(srcdir)
    assert listed(app, "index")[0] == "A Draft Piece"
    assert "Brand New" not in listed(app, "archive")
    assert len(listed(app, "archive")) == 7
