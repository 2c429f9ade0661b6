"""Atom feeds, social metadata and the sitemap, parsed with a real XML parser."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from bs4 import BeautifulSoup
from sphinx.testing.util import SphinxTestApp

from conftest import read_html

ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
BASE = "https://tagtimes.example.org/"


def absolute(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme in ("http", "https") and bool(parts.netloc)


def check_atom(path: Path, outdir: Path) -> ET.Element:
    """Parse a feed and check what RFC 4287 requires of a feed and its entries."""
    feed = ET.parse(path).getroot()
    assert feed.tag == f"{ATOM}feed"
    for name in ("id", "title", "updated"):
        assert len(feed.findall(f"{ATOM}{name}")) == 1, name
    assert feed.find(f"{ATOM}author/{ATOM}name") is not None
    links = feed.findall(f"{ATOM}link")
    # The feed's own address: where it was written, under the publication's address.
    assert [link.get("href") for link in links if link.get("rel") == "self"] == [
        BASE + path.relative_to(outdir).as_posix()
    ]
    for link in feed.iter(f"{ATOM}link"):
        assert absolute(link.get("href", "")), link.get("href")
    for entry in feed.findall(f"{ATOM}entry"):
        for name in ("id", "title", "updated"):
            assert len(entry.findall(f"{ATOM}{name}")) == 1, name
        assert absolute(entry.findtext(f"{ATOM}id", ""))
        assert entry.find(f"{ATOM}link") is not None
        assert entry.find(f"{ATOM}summary") is not None or entry.find(f"{ATOM}content") is not None
    return feed


def entries(feed: ET.Element) -> list[str]:
    return [e.findtext(f"{ATOM}title", "") for e in feed.findall(f"{ATOM}entry")]


@pytest.mark.sphinx("html", testroot="publication")
def test_publication_feed(app: SphinxTestApp) -> None:
    app.build()
    feed = check_atom(Path(app.outdir) / "feeds" / "atom.xml", Path(app.outdir))
    assert entries(feed) == ["Third Story", "Second Story", "First Story", "Fourth Story"]
    assert feed.findtext(f"{ATOM}updated") == "2024-04-01T00:00:00+00:00"
    third = feed.find(f"{ATOM}entry")
    assert third.findtext(f"{ATOM}id") == BASE + "articles/a3.html"
    assert third.findtext(f"{ATOM}updated") == "2024-04-01T00:00:00+00:00"
    assert third.findtext(f"{ATOM}published") == "2024-03-10T00:00:00+00:00"
    assert [c.get("term") for c in third.findall(f"{ATOM}category")] == ["Beta", "Gamma"]
    # Full content: the article's text, every link and image absolute.
    content = BeautifulSoup(third.findtext(f"{ATOM}content", ""), "html.parser")
    assert "Text of the third story" in content.get_text()
    urls = [a["href"] for a in content.find_all("a")] + [i["src"] for i in content.find_all("img")]
    assert urls
    assert all(absolute(url) for url in urls), urls
    assert BASE + "articles/a3.html#third-story" in urls
    # Images by the name Sphinx gave the copy it wrote.
    images = [i["src"] for i in content.find_all("img")]
    assert images
    for src in images:
        assert src.startswith(BASE + "_images/")
        assert (Path(app.outdir) / src.removeprefix(BASE)).is_file(), src
    assert "Leave a Reply" not in content.get_text()
    # Every page points readers to the feed.
    link = read_html(app, "index").find("link", type="application/atom+xml")
    assert (Path(app.outdir) / link["href"]).resolve() == (Path(app.outdir) / "feeds/atom.xml")


@pytest.mark.sphinx("html", testroot="publication")
def test_tag_feeds(app: SphinxTestApp) -> None:
    app.build()
    feeds = Path(app.outdir) / "feeds" / "tags"
    assert sorted(p.name for p in feeds.iterdir()) == ["alpha.xml", "beta.xml", "gamma.xml"]
    assert entries(check_atom(feeds / "alpha.xml", Path(app.outdir))) == [
        "Second Story",
        "First Story",
    ]
    assert entries(check_atom(feeds / "gamma.xml", Path(app.outdir))) == [
        "Third Story",
        "Fourth Story",
    ]


@pytest.mark.sphinx(
    "html",
    testroot="publication",
    srcdir="publication-summary",
    confoverrides={"broadsheet_feed_content": "summary", "broadsheet_feed_limit": 2},
)
def test_summary_feed_and_limit(app: SphinxTestApp) -> None:
    app.build()
    feed = check_atom(Path(app.outdir) / "feeds" / "atom.xml", Path(app.outdir))
    assert entries(feed) == ["Third Story", "Second Story"]
    assert feed.find(f"{ATOM}entry/{ATOM}content") is None
    assert feed.findtext(f"{ATOM}entry/{ATOM}summary") == "The third story."


@pytest.mark.sphinx("html", testroot="publication")
def test_one_canonical_url_everywhere(app: SphinxTestApp) -> None:
    app.build()
    url = BASE + "articles/a3.html"
    soup = read_html(app, "articles/a3")
    assert soup.find("link", rel="canonical")["href"] == url
    meta = {
        m.get("property") or m.get("name"): m["content"]
        for m in soup.find_all("meta")
        if m.get("content")
    }
    assert meta["og:url"] == url
    assert meta["og:title"] == "Third Story"
    assert meta["og:description"] == "The third story."
    assert meta["og:type"] == "article"
    assert meta["article:published_time"] == "2024-03-10T00:00:00+00:00"
    assert meta["article:modified_time"] == "2024-04-01T00:00:00+00:00"
    assert meta["twitter:card"] == "summary_large_image"
    assert [m["content"] for m in soup.find_all("meta", property="article:tag")] == [
        "Beta",
        "Gamma",
    ]
    image = meta["og:image"]
    assert image.startswith(BASE + "_images/broadsheet/")
    assert (Path(app.outdir) / image.removeprefix(BASE)).is_file()
    assert soup.find("input", attrs={"name": "article"})["value"] == url
    feed = ET.parse(Path(app.outdir) / "feeds" / "atom.xml").getroot()
    assert url in [e.findtext(f"{ATOM}id") for e in feed.findall(f"{ATOM}entry")]
    sitemap = ET.parse(Path(app.outdir) / "sitemap.xml").getroot()
    assert url in [u.findtext(f"{SITEMAP}loc") for u in sitemap.findall(f"{SITEMAP}url")]


@pytest.mark.sphinx("html", testroot="publication")
def test_sitemap(app: SphinxTestApp) -> None:
    app.build()
    sitemap = ET.parse(Path(app.outdir) / "sitemap.xml").getroot()
    pages = {
        u.findtext(f"{SITEMAP}loc"): u.findtext(f"{SITEMAP}lastmod")
        for u in sitemap.findall(f"{SITEMAP}url")
    }
    assert pages[BASE + "articles/a3.html"] == "2024-04-01T00:00:00+00:00"
    assert pages[BASE + "articles/a1.html"] == "2024-01-10T00:00:00+00:00"
    assert pages[BASE + "index.html"] is None
    assert BASE + "articles/draft.html" not in pages
    assert BASE + "articles/future.html" not in pages
    assert all(absolute(loc) for loc in pages)
    # PDFs are off in this publication: no Editions page is written, and none is listed.
    assert not (Path(app.outdir) / "editions.html").exists()
    assert BASE + "editions.html" not in pages


@pytest.mark.sphinx(
    "html", testroot="publication", srcdir="publication-nobase", confoverrides={"html_baseurl": ""}
)
def test_no_base_url_no_feeds_and_a_warning(app: SphinxTestApp) -> None:
    app.build()
    assert not (Path(app.outdir) / "feeds").exists()
    assert "no feeds written: set html_baseurl" in app.warning.getvalue()
    assert read_html(app, "articles/a3").find("meta", property="og:url") is None
