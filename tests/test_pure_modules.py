"""Unit tests of the modules with no Sphinx in them: slugs, addresses, Typst escaping, front matter.

They run in milliseconds and pin the rules every build relies on, one function at a time.
"""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace
from typing import Any

import pytest

from broadsheet.frontmatter import FrontMatter, parse_front_matter, split_front_matter
from broadsheet.slugs import docname_stem, page_slug, slugify
from broadsheet.typst import escape
from broadsheet.urls import (
    absolute_url,
    article_pdf,
    author_page,
    canonical_url,
    pdf_link,
    resolve,
    scheme_of,
    site_base,
    tag_feed,
    tag_page,
    with_subject,
)

# --- slugs -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "slug"),
    [
        ("Zoë's Plan!", "zoes-plan"),
        ("  Russia Diverts Troops to Kursk ", "russia-diverts-troops-to-kursk"),
        ("Кириллица", "article"),
        ("", "article"),
        ("a" * 100, "a" * 80),
        ("word " * 30, ("word-" * 16).rstrip("-")),
    ],
)
def test_slugify(title: str, slug: str) -> None:
    assert slugify(title) == slug


def test_page_slug_keeps_every_script_and_folds_case() -> None:
    assert page_slug("Kyiv") == page_slug("KYIV") == "kyiv"
    assert page_slug("Київ") == "київ"
    assert page_slug("Front line / maps") == "front-line-maps"
    assert page_slug("ﬁle") == "file"  # NFKC: the ligature is two letters


def test_page_slug_of_punctuation_is_a_stable_hash() -> None:
    assert page_slug("C++") == "c"
    assert page_slug("!!!") == page_slug("!!!") != page_slug("???")
    assert page_slug("!!!").startswith("x")
    assert len(page_slug("!!!")) == 9


def test_docname_stem_is_flat_and_unique() -> None:
    assert "/" not in docname_stem("articles/a b")
    assert docname_stem("articles/a-b") != docname_stem("articles/a_b/") != docname_stem("a/b")
    assert docname_stem("articles/x") == docname_stem("articles/x")


# --- urls --------------------------------------------------------------------------------------


def config(base: str = "", suffix: str = ".html") -> Any:
    return SimpleNamespace(html_baseurl=base, html_file_suffix=suffix)


class Builder:
    """What the address helpers ask of a builder."""

    def __init__(self, fmt: str, base: str = "") -> None:
        self.format = fmt
        self.config = config(base)

    def get_target_uri(self, docname: str, typ: str | None = None) -> str:
        return docname + "/"  # as the dirhtml builder names pages


def test_page_and_feed_paths() -> None:
    assert tag_page("Front Line") == "tags/front-line"
    assert author_page("Zoë Ñúñez") == "authors/zoë-ñúñez"
    assert tag_feed("Front Line") == "feeds/tags/front-line.xml"
    assert article_pdf("articles/a1") == "pdf/articles/a1.pdf"


def test_absolute_addresses_need_a_base() -> None:
    assert site_base(config()) == ""
    assert site_base(config("https://x.org/paper")) == "https://x.org/paper/"
    assert site_base(config("https://x.org/paper///")) == "https://x.org/paper/"
    assert absolute_url(config(), "feeds/atom.xml") == "feeds/atom.xml"
    assert absolute_url(config("https://x.org/p"), "feeds/atom.xml") == (
        "https://x.org/p/feeds/atom.xml"
    )
    # A page name with a colon is a path, not a scheme.
    assert absolute_url(config("https://x.org/"), "a:b.html") == "https://x.org/a:b.html"


def test_canonical_url_follows_the_builder() -> None:
    html = Builder("html", "https://x.org/")
    assert canonical_url(html, "articles/a1") == "https://x.org/articles/a1/"  # type: ignore[arg-type]
    latex = Builder("latex", "https://x.org/")
    assert canonical_url(latex, "articles/a1") == "https://x.org/articles/a1.html"  # type: ignore[arg-type]
    assert canonical_url(Builder("text"), "articles/a1") == "articles/a1.html"  # type: ignore[arg-type]
    assert pdf_link(Builder("html"), "articles/a1") == "../../pdf/articles/a1.pdf"  # type: ignore[arg-type]


def test_schemes_and_resolution() -> None:
    assert scheme_of("  JavaScript:alert(1)") == "javascript"
    assert scheme_of("../tags/a.html") == ""
    page = "https://x.org/articles/a1.html"
    assert resolve(page, "../tags/a.html") == "https://x.org/tags/a.html"
    assert resolve(page, "#intro") == "https://x.org/articles/a1.html#intro"
    assert resolve(page, "https://elsewhere.org/") == "https://elsewhere.org/"


def test_mailto_subject_is_encoded() -> None:
    assert with_subject("mailto:desk@x.org", "Reply to: A & B?") == (
        "mailto:desk@x.org?subject=Reply%20to%3A%20A%20%26%20B%3F"
    )
    assert with_subject("mailto:desk@x.org?cc=ed@x.org", "Hi") == (
        "mailto:desk@x.org?cc=ed@x.org&subject=Hi"
    )


# --- Typst escaping ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "escaped"),
    [
        ("plain words", "plain words"),
        ("#set page(fill: red)", r"\#set page\(fill\: red\)"),
        ("*bold* _em_ `raw` $x$", r"\*bold\* \_em\_ \`raw\` \$x\$"),
        ("a\n\n  b", "a b"),
        ("<label> @ref // comment", r"\<label\> \@ref \/\/ comment"),
        ("back\\slash", r"back\\slash"),
    ],
)
def test_markup_escapes_every_markup_character(text: str, escaped: str) -> None:
    assert escape.markup(text) == escaped


def test_string_literals() -> None:
    assert escape.string('say "hi"\\') == r'"say \"hi\"\\"'
    assert escape.string("a\nb\tc\x00") == r'"a\nb\tc\u{0}"'
    assert escape.strings(["a"]) == '("a", )'
    assert escape.strings([]) == "()"


def test_labels_keep_a_safe_alphabet() -> None:
    label = escape.Label.of("articles/a b", "intro>#")
    assert label.name == "articles-a-b-intro"
    assert label.mark() == "<articles-a-b-intro>"
    assert label.ref() == 'label("articles-a-b-intro")'
    assert escape.Label.of("", "###").name == "x"
    assert escape.label("a", "b") == 'label("a-b")'


# --- front matter ------------------------------------------------------------------------------


def parse(text: str) -> tuple[FrontMatter, list[tuple[int, str]]]:
    front, problems = parse_front_matter(text.splitlines())
    return front, [(p.line, p.message) for p in problems]


def test_front_matter_block_must_open_the_file() -> None:
    assert split_front_matter(["---", "a: 1", "---", "text"]) == ("a: 1", 2)
    assert split_front_matter(["---", "a: 1", "...", "text"]) == ("a: 1", 2)
    assert split_front_matter(["", "---", "a: 1", "---"]) is None
    assert split_front_matter(["---", "a: 1"]) is None


def test_good_front_matter_is_typed() -> None:
    front, problems = parse(
        "---\ntitle: T\nauthors: Ann\ntags: [A, B]\ndate: 2024-08-24\n"
        "updated: 2024-08-26T10:30:00+02:00\ntoc: false\nreplies: closed\n---\n"
    )
    assert problems == []
    assert (front.title, front.authors, front.tags) == ("T", ("Ann",), ("A", "B"))
    assert front.date == dt.date(2024, 8, 24)
    plus_two = dt.timezone(dt.timedelta(hours=2))
    assert front.updated == dt.datetime(2024, 8, 26, 10, 30, tzinfo=plus_two)
    assert (front.toc, front.replies, front.end) == (0, "closed", 8)
    assert front.lines["tags"] == 4


def test_a_bad_value_is_dropped_and_the_rest_kept_with_its_line() -> None:
    front, problems = parse("---\ntitle: [not, text]\ndate: 2024-08-24\ncolour: red\n---\n")
    assert front.title == ""
    assert front.date == dt.date(2024, 8, 24)
    assert [line for line, _message in problems] == [2, 4]
    assert problems[0][1].startswith("title: expected text")
    assert "unknown front matter key 'colour'" in problems[1][1]


def test_broken_yaml_and_a_missing_date_are_located() -> None:
    _front, problems = parse("---\ntitle: T\ntags: [a, b\n---\n")
    assert problems[0][0] == 3
    assert "not valid YAML" in problems[0][1]
    _front, problems = parse("---\ntitle: T\n---\n")
    assert problems == [(1, problems[0][1])]
    assert "'date' is required" in problems[0][1]
