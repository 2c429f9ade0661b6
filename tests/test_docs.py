"""The sample publication in ``docs/`` builds strictly and reads like a real publication."""

from __future__ import annotations

import os
import re
import subprocess
from collections import Counter
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from conftest import DOCS, DOCS_EPOCH, DocsBuild, sphinx_build_docs
from helpers import article_sections, text_of, toc_entries

FLAGSHIP = "articles/russia-diverts-troops-to-kursk"


@pytest.fixture(scope="module")
def site(docs_build: DocsBuild) -> Path:
    """The web edition of ``docs/``: the session's one strict build."""
    assert docs_build.stderr == "", "the strict build of docs/ must be warning-free"
    return docs_build.html


def page(site: Path, docname: str) -> BeautifulSoup:
    return BeautifulSoup((site / f"{docname}.html").read_text("utf-8"), "html.parser")


def test_flagship_outline(site: Path) -> None:
    soup = page(site, FLAGSHIP)
    assert [(level, text) for level, text, _id in article_sections(soup, 2)] == [
        (1, "Introduction"),
        (1, "Background: the Kursk offensive"),
        (2, "Strategic importance of Kursk"),
        (2, "The Ukrainian offensive"),
        (1, "The troop diversion: Russia’s calculus"),
        (2, "Reasons for the diversion"),
        (2, "Impact in Ukraine"),
        (1, "The wider context"),
        (2, "International reactions and aid"),
        (2, "Non-state actors"),
        (2, "Long-term implications"),
        (1, "Conclusion"),
    ]
    assert toc_entries(soup) == article_sections(soup, 2)
    body = soup.select_one("section").get_text()
    assert "several thousand" in body
    assert "US officials" in body
    # Bullet lists with bold lead-ins, as the original had.
    assert len(soup.select("section li > p:first-child > strong:first-child")) >= 9


def test_no_scraping_debris(site: Path) -> None:
    for path in sorted((site / "articles").glob("*.html")):
        soup = BeautifulSoup(path.read_text("utf-8"), "html.parser")
        article = soup.select_one("section")
        paragraphs = [text_of(p) for p in article.find_all("p")]
        # No paragraph standing on its own as a bare domain, and no repeated paragraph.
        assert not [p for p in paragraphs if re.fullmatch(r"[\w.-]+\.(com|net|org|info|ru)", p)]
        repeated = [p for p, n in Counter(paragraphs).items() if n > 1 and len(p) > 20]
        assert repeated == [], f"{path.name}: {repeated}"
        # No empty heading and no hand-made "Table of Contents" section.
        for heading in article.find_all(re.compile("^h[1-6]$")):
            assert text_of(heading), f"{path.name}: empty heading"
        titles = [text_of(h) for h in article.find_all(re.compile("^h[1-6]$"))]
        assert titles.count("Table of Contents") == 1, path.name
        # A sentence glued onto many paragraphs would end most of them the same way.
        endings = Counter(p.split(".")[-2].strip() for p in paragraphs if p.count(".") >= 2)
        assert not [e for e, n in endings.items() if n > 2], f"{path.name}: {endings}"


def test_front_page_and_archive(site: Path) -> None:
    front = page(site, "index")
    items = front.select(".broadsheet-listing-item")
    assert 3 <= len(items) <= 5
    assert all(
        item.find("time") and item.select_one(".broadsheet-listing-summary") for item in items
    )
    archive = page(site, "all-articles")
    assert len(archive.select(".broadsheet-listing-item")) == len(
        list((DOCS / "articles").glob("*.md"))
    )


def test_navigation_does_not_list_articles(site: Path) -> None:
    for docname in ["index", FLAGSHIP]:
        sidebar = page(site, docname).select_one(".sidebar-tree")
        links = [a["href"] for a in sidebar.find_all("a")]
        assert not [href for href in links if "articles/" in href], links


def test_no_third_party_requests(site: Path) -> None:
    for docname in ["index", FLAGSHIP, "all-articles", "about/configuration"]:
        soup = page(site, docname)
        for tag in soup.find_all(["script", "link", "img", "iframe", "form"]):
            for attr in ("src", "href", "action"):
                url = tag.get(attr, "")
                if tag.name == "link" and tag.get("rel") == ["canonical"]:
                    continue
                assert not re.match(r"^(https?:)?//", url), f"{docname}: {tag}"


def test_configuration_reference_is_complete(site: Path) -> None:
    from broadsheet.config import CONFIG_VALUES

    text = page(site, "about/configuration").get_text()
    missing = [name for name, *_rest in CONFIG_VALUES if name not in text]
    assert missing == []


def test_latex_build_of_the_publication(docs_build: DocsBuild, tmp_path: Path) -> None:
    """Sphinx's own LaTeX path keeps working: one document per article, with its TOC.

    It starts from a copy of the shared build's doctrees: Sphinx reads nothing again.
    """
    out = docs_build.copy(tmp_path / "build")
    result = sphinx_build_docs(out, builder="latex")
    assert result.returncode == 0, result.stderr
    tex = (out / "latex" / f"{FLAGSHIP.replace('/', '-')}.tex").read_text("utf-8")
    assert "Table of Contents" in tex
    assert "Leave a Reply" in tex
    assert r"\sphinxstylestrong{Defending a logistics hub.}" in tex


def test_make_check(docs_build: DocsBuild, tmp_path: Path) -> None:
    """``make check``: the lint, the strict build and the link check pass on the publication.

    ``BUILDDIR`` holds a copy of the shared build (same options), so the HTML step has
    nothing to read again and the link check runs on the same doctrees.
    """
    root = Path(__file__).parent.parent
    out = docs_build.copy(tmp_path / "build")
    result = subprocess.run(
        ["make", "-s", "-C", str(root), "check", f"BUILDDIR={out}"],
        capture_output=True,
        text=True,
        check=False,
        env=dict(os.environ, SOURCE_DATE_EPOCH=DOCS_EPOCH),
    )
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    report = (out / "linkcheck" / "output.json").read_text("utf-8")
    assert '"status": "broken"' not in report
    assert (out / "html" / "index.html").is_file()
