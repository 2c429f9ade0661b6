"""Paginated listings: the archive, tag and author pages hold at most a page of articles each,
numbered from the oldest at addresses that do not move, and generated pages and feeds are
written only when what they show changed.

The ``pagination`` root has a front page, an archive and three articles a page; each test
writes the articles it needs into a copy of it.
"""

from __future__ import annotations

import datetime as dt
import os
import posixpath
import shutil
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterable
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from sphinx.errors import ConfigError
from sphinx.testing.util import SphinxTestApp

from conftest import ROOTS

BuildFn = Callable[..., SphinxTestApp]
SIZE = 3
EPOCH = "1732000000"
#: The files Broadsheet generates without a source, besides Sphinx's own.
GENERATED = ("tags/", "authors/", "archive/", "feeds/")


def write_article(
    srcdir: Path, number: int, tags: Iterable[str] = ("Alpha",), summary: str = ""
) -> None:
    """Article ``number``: the higher the number, the newer; by Ann, tagged ``tags``."""
    date = dt.date(2024, 1, 1) + dt.timedelta(days=number)
    text = (
        f"---\ntitle: Story {number:03d}\ndate: {date.isoformat()}\n"
        f"tags: [{', '.join(tags)}]\nauthors: [Ann]\n"
        f"summary: {summary or f'Summary of story {number}.'}\n---\n\nText {number}.\n"
    )
    path = srcdir / "articles" / f"a{number:03d}.md"
    path.parent.mkdir(exist_ok=True)
    path.write_text(text, "utf-8")


def project(tmp_path: Path, name: str, count: int) -> Path:
    srcdir = tmp_path / name
    shutil.copytree(ROOTS / "test-pagination", srcdir)
    for number in range(1, count + 1):
        write_article(srcdir, number)
    return srcdir


@pytest.fixture(autouse=True)
def fixed_now(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)


def soup_of(outdir: Path, pagename: str) -> BeautifulSoup:
    return BeautifulSoup((outdir / f"{pagename}.html").read_text("utf-8"), "html.parser")


def target(pagename: str, href: str) -> str:
    """The page name a link on ``pagename`` points to."""
    return posixpath.normpath(posixpath.join(posixpath.dirname(pagename), href)).removesuffix(
        ".html"
    )


def page_links(outdir: Path, pagename: str) -> dict[str, str]:
    """The page's Newer and Older links, its rel prev/next links, and its page number."""
    soup = soup_of(outdir, pagename)
    found = {}
    for kind, selector in (
        ("newer", "a.broadsheet-pager-newer"),
        ("older", "a.broadsheet-pager-older"),
        ("prev", 'link[rel="prev"]'),
        ("next", 'link[rel="next"]'),
    ):
        link = soup.select_one(selector)
        if link is not None:
            found[kind] = target(pagename, link["href"])
    number = soup.select_one(".broadsheet-pager-number")
    if number is not None:
        found["number"] = number.get_text()
    return found


def titles(outdir: Path, pagename: str) -> list[str]:
    soup = soup_of(outdir, pagename)
    return [a.get_text() for a in soup.select(".broadsheet-listing-title a")]


def walk(outdir: Path, front: str) -> list[tuple[str, list[str]]]:
    """(page, titles) from the listing's own page along its Older links to page 1, checking
    that each page's Newer link and rel links lead back the same way."""
    pages = [(front, titles(outdir, front))]
    links = page_links(outdir, front)
    assert "newer" not in links
    if "older" in links:
        # The theme's neighbours of a paginated listing are its pages, not the table of contents'.
        assert "prev" not in links
    while "older" in links:
        here = pages[-1][0]
        assert links["next"] == links["older"]
        following = links["older"]
        pages.append((following, titles(outdir, following)))
        links = page_links(outdir, following)
        assert links["newer"] == here
        assert links["prev"] == here
    assert "next" not in links
    return pages


@pytest.mark.parametrize("count", [0, 1, SIZE, SIZE + 1, 2 * SIZE + 1])
def test_boundaries(tmp_path: Path, build: BuildFn, count: int) -> None:
    app = build(project(tmp_path, "src", count))
    outdir = Path(app.outdir)
    everything = [f"Story {n:03d}" for n in range(count, 0, -1)]
    numbered = (count - 1) // SIZE if count else 0
    listings = ["archive", "tags/alpha", "authors/ann"] if count else ["archive"]
    for listing in listings:
        pages = walk(outdir, listing)
        # The listing itself holds the newest articles that do not fill a numbered page.
        expected = [(listing, everything[: count - numbered * SIZE])]
        expected += [
            (f"{listing}/page-{n}", everything[count - n * SIZE : count - (n - 1) * SIZE])
            for n in range(numbered, 0, -1)
        ]
        assert pages == expected
        files = sorted(p.name for p in (outdir / listing).glob("*.html"))
        assert files == [f"page-{n}.html" for n in range(1, numbered + 1)]
        numbers = [page_links(outdir, page).get("number") for page, _titles in pages]
        shown = [f"Page {n}" for n in range(numbered + 1, 0, -1)] if numbered else [None]
        assert numbers == shown
    if not count:
        assert "No articles yet." in soup_of(outdir, "archive").get_text()
        assert not (outdir / "tags" / "alpha.html").exists()
    # The archive keeps its month headings within each page; its introduction stays on the first.
    if count > SIZE:
        page = soup_of(outdir, f"archive/page-{numbered}")
        assert [h.get_text() for h in page.select("h2.broadsheet-listing-group")] == ["2024"]
        assert page.find("h1").get_text().rstrip("¶") == f"Archive, page {numbered}"
        assert "Every article" not in page.get_text()
    # The front page keeps its limit and no pager.
    assert titles(outdir, "index") == everything[:2]
    assert soup_of(outdir, "index").select(".broadsheet-pager") == []


def html_files(outdir: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(outdir)): p.read_bytes()
        for p in sorted(outdir.rglob("*"))
        if p.is_file() and p.suffix in (".html", ".xml")
    }


def clean_build(build: BuildFn, srcdir: Path, name: str, **kwargs: object) -> dict[str, bytes]:
    clean = srcdir.parent / name
    shutil.copytree(srcdir, clean, ignore=shutil.ignore_patterns("_build"))
    return html_files(Path(build(clean, **kwargs).outdir))


@pytest.mark.parametrize("parallel", [0, 2])
def test_older_pages_stay_as_they_are_and_incremental_equals_clean(
    tmp_path: Path, build: BuildFn, parallel: int
) -> None:
    srcdir = project(tmp_path, "src", 2 * SIZE + 1)
    outdir = Path(build(srcdir, parallel=parallel).outdir)
    older = [f"{listing}/page-{n}.html" for listing in ("archive", "tags/alpha") for n in (1, 2)]
    before = {name: (outdir / name).read_bytes() for name in older}

    def step(name: str, change: Callable[[], None]) -> dict[str, bytes]:
        change()
        incremental = html_files(Path(build(srcdir, parallel=parallel).outdir))
        assert incremental == clean_build(build, srcdir, f"clean-{name}"), name
        return incremental

    # Two more articles fill the listing's own page: the numbered pages do not change.
    for number in (8, 9):
        after = step(f"add-{number}", lambda n=number: write_article(srcdir, n))  # type: ignore[misc]
        assert {name: after[name] for name in older} == before
    # One more starts a page: page 3 holds stories 7 to 9, and only page 2's Newer link moves.
    after = step("add-10", lambda: write_article(srcdir, 10))
    assert titles(outdir, "archive") == ["Story 010"]
    assert titles(outdir, "archive/page-3") == ["Story 009", "Story 008", "Story 007"]
    assert after["archive/page-1.html"] == before["archive/page-1.html"]
    assert after["tags/alpha/page-1.html"] == before["tags/alpha/page-1.html"]
    # Shrinking: the pages a listing no longer has are gone, as after a clean build.
    for number in (10, 9, 8, 7):
        (srcdir / "articles" / f"a{number:03d}.md").unlink()
    after = step("remove", lambda: None)
    assert not (outdir / "archive" / "page-2.html").exists()
    assert not (outdir / "tags" / "alpha" / "page-3.html").exists()
    # A tag leaving its last article takes its pages and its folder with it.
    step("retag", lambda: [write_article(srcdir, n, ("Beta",)) for n in range(1, 7)])
    assert not (outdir / "tags" / "alpha.html").exists()
    assert not (outdir / "tags" / "alpha").exists()
    assert not (outdir / "feeds" / "tags" / "alpha.xml").exists()
    assert titles(outdir, "tags/beta/page-1") == ["Story 003", "Story 002", "Story 001"]


def generated(outdir: Path) -> list[Path]:
    return [
        p
        for p in sorted(outdir.rglob("*"))
        if p.is_file() and str(p.relative_to(outdir)).startswith(GENERATED)
    ]


def touched_since(outdir: Path, before: dict[Path, int]) -> list[str]:
    current = {p: p.stat().st_mtime_ns for p in generated(outdir)}
    return sorted(str(p.relative_to(outdir)) for p in current if current[p] != before.get(p))


def age(outdir: Path) -> dict[Path, int]:
    """Date every generated file a day back, so a rewrite shows whatever the clock does."""
    old = dt.datetime.now().timestamp() - 86400
    for path in generated(outdir):
        os.utime(path, (old, old))
    return {p: p.stat().st_mtime_ns for p in generated(outdir)}


def test_generated_pages_and_feeds_are_written_only_when_they_change(
    tmp_path: Path, build: BuildFn
) -> None:
    srcdir = project(tmp_path, "src", 2 * SIZE + 1)
    for number in range(2, 8, 2):
        write_article(srcdir, number, ("Alpha", "Beta"))
    write_article(srcdir, 7, ("Alpha", "Gamma"))
    outdir = Path(build(srcdir).outdir)
    names = [str(p.relative_to(outdir)) for p in generated(outdir)]
    assert "tags/gamma.html" in names
    assert "feeds/tags/gamma.xml" in names
    before = age(outdir)
    build(srcdir)
    assert touched_since(outdir, before) == []
    # Story 002 (Alpha and Beta, by Ann) is on page 1 of the archive, of Alpha and of Ann, on
    # Beta's only page, and in the feeds of the site, of Alpha and of Beta.
    write_article(srcdir, 2, ("Alpha", "Beta"), summary="A corrected summary.")
    build(srcdir)
    assert touched_since(outdir, before) == [
        "archive/page-1.html",
        "authors/ann/page-1.html",
        "feeds/atom.xml",
        "feeds/tags/alpha.xml",
        "feeds/tags/beta.xml",
        "tags/alpha/page-1.html",
        "tags/beta.html",
    ]
    assert "A corrected summary." in soup_of(outdir, "tags/alpha/page-1").get_text()
    # A change of configuration renders everything again, as a clean build would.
    before = age(outdir)
    build(srcdir, confoverrides={"broadsheet_date_format": "short"})
    assert touched_since(outdir, before) == sorted(str(p.relative_to(outdir)) for p in before)


def test_tag_feeds_are_limited_like_the_site_feed(tmp_path: Path, build: BuildFn) -> None:
    srcdir = project(tmp_path, "src", 2 * SIZE + 1)
    outdir = Path(build(srcdir, confoverrides={"broadsheet_feed_limit": 4}).outdir)
    atom = "{http://www.w3.org/2005/Atom}"
    for feed in ("feeds/atom.xml", "feeds/tags/alpha.xml"):
        entries = ET.parse(outdir / feed).getroot().findall(f"{atom}entry")
        assert [e.findtext(f"{atom}title") for e in entries] == [
            f"Story {n:03d}" for n in (7, 6, 5, 4)
        ]


def test_every_page_is_small_and_in_the_sitemap(tmp_path: Path, build: BuildFn) -> None:
    """Hundreds of tags and a long archive at the default page size, with furo; each article
    with a summary of 200 characters and three tags."""
    srcdir = project(tmp_path, "src", 0)
    summary = ("A summary as long as a real one, which says what the story is about. " * 3)[:200]
    count = 160
    for number in range(1, count + 1):
        tags = [f"Topic number {number * 2 + k}" for k in range(2)]
        write_article(srcdir, number, ["Alpha", *tags], summary=summary.strip())
    overrides = {"html_theme": "furo", "broadsheet_listing_page_size": 50}
    outdir = Path(build(srcdir, confoverrides=overrides).outdir)
    sizes = {str(p.relative_to(outdir)): p.stat().st_size for p in outdir.rglob("*.html")}
    assert max(sizes.values()) < 60_000, max(sizes.items(), key=lambda item: item[1])
    assert {"tags/index/page-2.html", "tags/index/page-3.html", "archive/page-3.html"} <= set(sizes)
    assert "tags/index/page-4.html" not in sizes
    assert len(titles(outdir, "tags/alpha/page-1")) == 50
    indexed = [
        a.get_text()
        for page in ("tags/index", "tags/index/page-2", "tags/index/page-3")
        for a in soup_of(outdir, page).select(".broadsheet-taxonomy a")
    ]
    assert len(indexed) == 2 * count + 1
    assert indexed == sorted(indexed, key=str.casefold)
    sitemap = ET.parse(outdir / "sitemap.xml").getroot()
    ns = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
    listed = {
        loc.text.removeprefix("https://paged.example.org/")
        for loc in sitemap.iter(f"{ns}loc")
        if loc.text
    }
    assert listed == set(sizes) - {"genindex.html", "search.html"}


@pytest.mark.parametrize("size", [0, -1, 10_001, True])
def test_page_size_is_checked(tmp_path: Path, build: BuildFn, size: object) -> None:
    with pytest.raises(ConfigError, match="broadsheet_listing_page_size"):
        build(project(tmp_path, "src", 1), confoverrides={"broadsheet_listing_page_size": size})


def test_a_page_of_the_sources_is_never_replaced_by_a_generated_one(
    tmp_path: Path, build: BuildFn
) -> None:
    """A source page at the address of a tag, author, index or numbered archive page is the
    editor's: it is kept, the generated page is not made, and the collision is a located
    warning; the record of generated files never deletes it, when the tag goes too."""
    srcdir = project(tmp_path, "collide", 4)  # tag Alpha, author Ann; archive page-1
    own = {
        "tags/alpha.md": "# Alpha, our way\n\nOwnword tag.\n",
        "tags/index.md": "# All our tags\n\nOwnword tags.\n",
        "authors/ann.md": "# Ann\n\nOwnword author.\n",
        "archive/page-1.md": "# Old archive\n\nOwnword archive.\n",
    }
    for name, text in own.items():
        (srcdir / name).parent.mkdir(exist_ok=True)
        (srcdir / name).write_text(text, "utf-8")
    app = build(srcdir)
    warnings = app.warning.getvalue()
    for name in own:
        page = name.replace(".md", ".html")
        assert (
            f"{name}:1: WARNING: this page has the address of a page Broadsheet makes ({page})"
            in (warnings)
        )
        assert "Ownword" in (Path(app.outdir) / page).read_text("utf-8"), page
    sitemap = (Path(app.outdir) / "sitemap.xml").read_text("utf-8")
    assert sitemap.count("<loc>https://paged.example.org/tags/alpha.html</loc>") == 1
    # Every article loses the tag, then the author: the generated pages would go, not these.
    for number in range(1, 5):
        write_article(srcdir, number, tags=("Beta",))
    app = build(srcdir)
    for name in own:
        page = name.replace(".md", ".html")
        assert "Ownword" in (Path(app.outdir) / page).read_text("utf-8"), page
