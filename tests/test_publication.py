"""The publication around the articles: listings, tag and author pages, reading order, updates."""

from __future__ import annotations

from pathlib import Path

import pytest
from sphinx.testing.util import SphinxTestApp

from conftest import read_html


def titles(soup: object, selector: str = ".broadsheet-listing-title") -> list[str]:
    return [tag.get_text() for tag in soup.select(selector)]  # type: ignore[attr-defined]


@pytest.mark.sphinx("html", testroot="publication")
def test_front_page_newest_with_tags_no_drafts(app: SphinxTestApp) -> None:
    app.build()
    soup = read_html(app, "index")
    assert titles(soup) == ["Third Story", "Second Story", "First Story"]
    first = soup.select_one(".broadsheet-listing-item")
    assert [a.get_text() for a in first.select(".broadsheet-listing-tags a")] == ["Beta", "Gamma"]
    assert first.select_one(".broadsheet-listing-tags a")["href"] == "tags/beta.html"
    assert "By Ann and Bob" in first.get_text()


@pytest.mark.sphinx("html", testroot="publication")
def test_archive_by_year_and_month(app: SphinxTestApp) -> None:
    app.build()
    soup = read_html(app, "archive")
    headings = [(h.name, h.get_text()) for h in soup.select(".broadsheet-listing-group")]
    assert headings == [
        ("h2", "2024"),
        ("h3", "March 2024"),
        ("h3", "February 2024"),
        ("h3", "January 2024"),
        ("h2", "2023"),
        ("h3", "December 2023"),
    ]
    assert titles(soup) == ["Third Story", "Second Story", "First Story", "Fourth Story"]
    text = soup.get_text()
    assert "Draft Story" not in text
    assert "Future Story" not in text


@pytest.mark.sphinx("html", testroot="publication")
def test_listing_filters(app: SphinxTestApp) -> None:
    app.build()
    lists = read_html(app, "filtered").select("ul.broadsheet-listing")
    by_tag, by_author, by_year = (
        [li.find("a").get_text() for li in ul.find_all("li", recursive=False)] for ul in lists
    )
    assert by_tag == ["Second Story", "First Story"]
    assert by_author == ["Third Story", "First Story"]
    assert by_year == ["Third Story", "Second Story"]


@pytest.mark.sphinx("html", testroot="publication")
def test_tag_and_author_pages(app: SphinxTestApp) -> None:
    app.build()
    outdir = Path(app.outdir)
    alpha = read_html(app, "tags/alpha")
    assert alpha.find("h1").get_text().startswith("Articles tagged “Alpha”")
    assert titles(alpha) == ["Second Story", "First Story"]
    assert titles(read_html(app, "tags/gamma")) == ["Third Story", "Fourth Story"]
    assert titles(read_html(app, "authors/ann")) == ["Third Story", "First Story"]
    assert titles(read_html(app, "authors/cat")) == ["Fourth Story"]
    index = read_html(app, "tags/index")
    assert [" ".join(li.get_text().split()) for li in index.select(".broadsheet-taxonomy li")] == [
        "Alpha (2)",
        "Beta (2)",
        "Gamma (2)",
    ]
    for link in index.select(".broadsheet-taxonomy a"):
        assert (outdir / "tags" / link["href"]).is_file()
    header_tag = read_html(app, "articles/a3").select_one(".broadsheet-tags a")
    assert (outdir / "articles" / header_tag["href"]).resolve() == (outdir / "tags/beta.html")


@pytest.mark.sphinx("html", testroot="publication")
def test_reading_order_and_related(app: SphinxTestApp) -> None:
    app.build()

    def links(docname: str) -> tuple[str, str, list[str]]:
        nav = read_html(app, docname).select_one("nav.broadsheet-reading")
        previous = nav.select_one(".broadsheet-previous a")
        following = nav.select_one(".broadsheet-next a")
        return (
            previous.get_text() if previous else "",
            following.get_text() if following else "",
            [a.get_text() for a in nav.select(".broadsheet-related a")],
        )

    assert links("articles/a4") == ("", "First Story", ["Third Story"])
    assert links("articles/a2") == ("First Story", "Third Story", ["First Story"])
    # Two articles share a tag with the third: the nearer in date comes first.
    assert links("articles/a3") == ("Second Story", "", ["First Story", "Fourth Story"])
    nav = read_html(app, "articles/a2").select_one("nav.broadsheet-reading")
    assert nav.find_next_sibling("section")["class"] == ["broadsheet-replies"]


@pytest.mark.sphinx("html", testroot="publication")
def test_updates_are_shown(app: SphinxTestApp) -> None:
    app.build()
    notes = read_html(app, "articles/a2").select(".broadsheet-changes p")
    assert [" ".join(p.get_text().split()) for p in notes] == [
        "Update, February 12, 2024: Corrected the spelling of a name.",
        "Update: A later clarification without a date.",
    ]
    updated = read_html(app, "articles/a3").select_one(".broadsheet-updated")
    assert updated.get_text() == "Updated April 1, 2024"


@pytest.mark.sphinx(
    "html",
    testroot="publication",
    srcdir="publication-drafts",
    confoverrides={"broadsheet_show_drafts": True},
)
def test_show_drafts(app: SphinxTestApp) -> None:
    app.build()
    assert titles(read_html(app, "index"))[:2] == [
        "Scheduled for January 1, 2999, 12:00:00\u202fAM UTC Future Story",
        "Draft Draft Story",
    ]
    assert "Draft Draft Story" in titles(read_html(app, "tags/alpha"))
