"""Property-based tests: generated articles build, and all their text stays text.

Hypothesis writes an article's front matter and Markdown from words full of characters that
mean something in HTML, XML, Markdown, YAML or Typst. Each example is built in-process (web
edition, feed and PDF) and must: raise nothing and warn nothing; give a table of contents equal
to its headings; show every text of the source as literal text in the page, the feed and the
PDF. The default profile keeps the run short; ``HYPOTHESIS_PROFILE=long`` runs many more.
"""

from __future__ import annotations

import json
import os
import re
import xml.etree.ElementTree as ET
from io import StringIO
from pathlib import Path

from bs4 import BeautifulSoup
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from sphinx.testing.util import SphinxTestApp

from conftest import pdf_text
from helpers import article_sections, toc_entries

# Each example is a whole Sphinx build (a fraction of a second): the default run stays short,
# does not shrink (a failure prints its full example) and draws the same examples every time,
# so CI is repeatable; the long profile explores fresh examples and shrinks.
settings.register_profile(
    "default",
    max_examples=10,
    deadline=None,
    derandomize=True,
    phases=[Phase.explicit, Phase.reuse, Phase.generate],
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
settings.register_profile(
    "long",
    parent=settings.get_profile("default"),
    max_examples=300,
    derandomize=False,
    phases=list(Phase),
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))

# Markup characters of every language involved, letters of several scripts, an emoji and a
# zero-width space.
SPECIALS = "#$*_<>&\"'[](){}\\@=+-/:;!?%~^|`.,"
LETTERS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789éüçñøЖжλΩ"
ALPHABET = LETTERS + SPECIALS + "中ع🎉\u200b"
# What the PDF's fonts can show (Typst's embedded fonts have no CJK, Arabic or emoji glyphs).
PDF_CHARS = set(LETTERS + SPECIALS) - {"-"}

ATOM = "{http://www.w3.org/2005/Atom}"
RTL = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff]")
CONF = """
project = "Property Press"
extensions = ["broadsheet"]
html_theme = "basic"
html_baseurl = "https://property.example.org/"
smartquotes = False
broadsheet_feed_content = "full"
"""

word = st.text(alphabet=ALPHABET, min_size=1, max_size=8).filter(lambda w: w.strip("\u200b"))
phrase = st.lists(word, min_size=1, max_size=6).map(" ".join)


def markdown(text: str) -> str:
    """``text`` as MyST that shows it literally: every ASCII punctuation mark escaped."""
    return re.sub(r"([!-/:-@\[-`{-~])", r"\\\1", text)


def fold(text: str) -> str:
    return " ".join(text.split())


@st.composite
def articles(draw: st.DrawFn) -> dict[str, object]:
    return {
        "title": draw(phrase),
        "subtitle": draw(phrase),
        "summary": draw(phrase),
        "tags": draw(st.lists(phrase, max_size=3, unique_by=lambda t: t.casefold())),
        "authors": draw(st.lists(phrase, min_size=1, max_size=2, unique=True)),
        "sections": draw(st.lists(st.tuples(phrase, phrase), min_size=2, max_size=4)),
        "lead": draw(phrase),
    }


def source(article: dict[str, object]) -> str:
    front = {k: article[k] for k in ("title", "subtitle", "summary", "tags", "authors")}
    lines = ["---"] + [f"{key}: {json.dumps(value)}" for key, value in front.items()]
    lines += ["date: 2024-05-01", "---", "", markdown(str(article["lead"])), ""]
    for heading, text in article["sections"]:  # type: ignore[attr-defined]
        lines += [f"## {markdown(heading)}", "", markdown(text), ""]
    return "\n".join(lines)


def pdf_visible(text: str) -> str:
    return "".join(c for c in text if c in PDF_CHARS)


@given(article=articles())
def test_generated_articles_keep_their_text(
    tmp_path_factory: object, article: dict[str, object]
) -> None:
    srcdir = tmp_path_factory.mktemp("property")  # type: ignore[attr-defined]
    (srcdir / "conf.py").write_text(CONF, "utf-8")
    (srcdir / "index.md").write_text("# Front\n\n```{article-list}\n```\n", "utf-8")
    (srcdir / "articles").mkdir()
    (srcdir / "articles" / "generated.md").write_text(source(article), "utf-8")
    app = SphinxTestApp("html", srcdir=srcdir, status=StringIO(), warning=StringIO())
    try:
        app.build()
        warnings = [
            line
            for line in app.warning.getvalue().splitlines()
            if not line.startswith(
                ("WARNING: while setting up extension", "\x1b[91mWARNING: while")
            )
        ]
        assert warnings == []
        outdir = Path(app.outdir)
        soup = BeautifulSoup(
            (outdir / "articles" / "generated.html").read_text("utf-8"), "html.parser"
        )
        section = soup.select_one("section")
        headings = [text for _level, text, _id in article_sections(soup, 2)]
        assert headings == [fold(h) for h, _t in article["sections"]]  # type: ignore[attr-defined]
        assert toc_entries(soup) == article_sections(soup, 2)

        texts = [article["title"], article["subtitle"], article["lead"]]
        texts += [t for pair in article["sections"] for t in pair]  # type: ignore[attr-defined]
        texts += article["tags"] + article["authors"]  # type: ignore[operator]
        page = fold(section.get_text(" "))
        for text in texts:
            assert fold(str(text)) in page, text

        feed = ET.parse(outdir / "feeds" / "atom.xml").getroot()
        entry = feed.find(f"{ATOM}entry")
        assert entry.findtext(f"{ATOM}title") == fold(str(article["title"]))
        assert entry.findtext(f"{ATOM}summary") == fold(str(article["summary"]))
        assert [c.get("term") for c in entry.findall(f"{ATOM}category")] == [
            fold(t) for t in article["tags"]
        ]  # type: ignore[attr-defined]
        content = fold(
            BeautifulSoup(entry.findtext(f"{ATOM}content", ""), "html.parser").get_text(" ")
        )
        for _heading, text in article["sections"]:  # type: ignore[attr-defined]
            assert fold(text) in content

        pdf = pdf_visible(pdf_text(outdir / "pdf" / "articles" / "generated.pdf"))
        position = 0
        # Right-to-left letters reorder the punctuation around them (Unicode's bidirectional
        # algorithm), so the PDF's reading order of such a text is not its source order.
        left_to_right = [
            t
            for t in (article["title"], article["subtitle"], article["lead"])
            if not RTL.search(str(t))
        ]
        for text in left_to_right:
            expected = pdf_visible(str(text))
            found = pdf.find(expected, position)
            assert found >= 0, (text, pdf)
            position = found + len(expected)
    finally:
        app.cleanup()
