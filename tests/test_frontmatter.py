"""Front matter mistakes: each gives a located ``broadsheet`` warning and the page still builds."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from sphinx.testing.util import SphinxTestApp

from conftest import read_html
from helpers import toc_entries

# (file, line, words in the message)
EXPECTED = [
    ("bad-yaml", 3, "not valid YAML"),
    ("wrong-types", 3, "title: expected text, got a list"),
    ("wrong-types", 4, "subtitle: expected text, got a number"),
    ("wrong-types", 5, "authors: expected a string or a list of strings, got a mapping"),
    ("wrong-types", 6, "tags: expected a string or a list of strings, got a number"),
    ("wrong-types", 7, "draft: expected true or false, got str"),
    ("wrong-types", 8, "toc: expected true, false or a depth from 1 to 6, got 9"),
    ("wrong-types", 9, "replies: expected true, false or 'closed', got 'maybe'"),
    ("bad-dates", 2, "date: cannot read value: day is out of range for month"),
    ("bad-dates", 3, "updated: 'next tuesday' is not an ISO date"),
    ("unknown-key", 3, "unknown front matter key 'colour'"),
    ("no-date", 1, "'date' is required"),
    ("no-front-matter", 1, "article has no front matter"),
    ("backwards", 3, "'updated' is earlier than 'date'"),
]

WARNING = re.compile(
    r"^(?P<path>\S+?\.md):(?P<line>\d+): WARNING: (?P<message>.*) \[broadsheet\.front_matter\]$"
)


def broadsheet_warnings(app: SphinxTestApp) -> list[tuple[str, int, str]]:
    found = []
    for line in app.warning.getvalue().splitlines():
        match = WARNING.match(re.sub(r"\x1b\[[0-9;]*m", "", line))
        if match:
            name = match["path"].rsplit("/", 1)[-1].removesuffix(".md")
            found.append((name, int(match["line"]), match["message"]))
    return found


@pytest.mark.sphinx("html", testroot="frontmatter", srcdir="frontmatter-warnings")
def test_each_mistake_is_a_located_warning(app: SphinxTestApp) -> None:
    app.build()
    found = broadsheet_warnings(app)
    for name, line, words in EXPECTED:
        assert any(f == name and ln == line and words in message for f, ln, message in found), (
            f"no warning {words!r} at {name}.md:{line}; got {found}"
        )
    assert not [w for w in found if w[0] == "good"]
    assert len(found) == len(EXPECTED)


#: Articles whose date is missing or unreadable: never published by accident (fail closed).
UNDATED = ["bad-yaml", "bad-dates", "no-date", "no-front-matter"]


@pytest.mark.sphinx("html", testroot="frontmatter", srcdir="frontmatter-closed")
def test_an_article_without_a_valid_date_is_not_published(app: SphinxTestApp) -> None:
    app.build()
    outdir = Path(app.outdir)
    for name in UNDATED:
        assert not (outdir / "articles" / f"{name}.html").exists(), name
    assert (outdir / "articles" / "good.html").exists()
    # Each says why, at the line of its date (or the first line when there is none).
    output = re.sub(r"\x1b\[[0-9;]*m", "", app.warning.getvalue())
    for name, line in [("bad-yaml", 1), ("bad-dates", 2), ("no-date", 1), ("no-front-matter", 1)]:
        assert re.search(
            rf"{name}\.md:{line}: WARNING: not published: the article needs a valid 'date'.*"
            r"\[broadsheet\.unpublished\]",
            output,
        ), name


@pytest.mark.sphinx(
    "html",
    testroot="frontmatter",
    confoverrides={"broadsheet_show_drafts": True},
    srcdir="frontmatter-preview",
)
def test_pages_still_build_with_the_good_values(app: SphinxTestApp) -> None:
    """A preview build shows what the editor must fix, labelled as not published."""
    app.build()
    for name in ["bad-yaml", "wrong-types", "bad-dates", "unknown-key", "no-date", "good"]:
        soup = read_html(app, f"articles/{name}")
        assert [text for _l, text, _t in toc_entries(soup)] == ["One", "Two"]
        assert soup.select_one("section.broadsheet-replies") is not None
        label = soup.select_one(".broadsheet-draft")
        if name in UNDATED:
            assert label is not None
            assert label.get_text() == "Not published: no valid date"
        elif name == "wrong-types":
            # ``draft: "yes"`` is not a boolean: kept a draft until fixed (fail closed).
            assert label is not None
            assert label.get_text() == "Draft"
        else:
            assert label is None, name
    wrong = read_html(app, "articles/wrong-types")
    # Bad values are dropped; the good ones around them are kept.
    assert wrong.find("h1").get_text().rstrip("¶") == "Wrong Types"
    assert wrong.select(".broadsheet-tags, .broadsheet-byline") == []
    no_date = read_html(app, "articles/no-date")
    assert no_date.find("h1").get_text().rstrip("¶") == "No Date Here"
    assert no_date.select("time") == []


@pytest.mark.sphinx(
    "html",
    testroot="frontmatter",
    confoverrides={"suppress_warnings": ["broadsheet.front_matter"]},
    srcdir="frontmatter-quiet",
)
def test_warnings_can_be_suppressed_by_type(app: SphinxTestApp) -> None:
    app.build()
    assert broadsheet_warnings(app) == []


BODY = "Text.\n\n```{nosuchdirective}\n```\n\n![x](missing.png)\n"
HEAD = "---\ntitle: Laid Out\ndate: 2024-01-02\n---\n"
#: Articles in every layout of front matter and body; each warns while parsing (an unknown
#: directive) and after (a missing image), or, with no body, about its front matter.
LAYOUTS = {
    "tight": HEAD + "Lead.\n" + BODY,
    "one-blank": HEAD + "\n" + BODY,
    "blanks": HEAD + "\n\n\n" + BODY,
    "crlf": (HEAD + "Lead.\n" + BODY).replace("\n", "\r\n"),
    "h2-first": HEAD + "## Part\n" + BODY,
    "own-h1": HEAD.replace("title: Laid Out\n", "") + "# Laid Out\n" + BODY,
    "both-h1": HEAD + "# Laid Out\n" + BODY,
    "comment": HEAD.replace("date", "# a note\ndate") + BODY,
    "anchored": HEAD.replace("title: Laid Out", "title: &t Laid Out\nsummary: *t") + BODY,
    "flow": "---\n{title: Laid Out, date: 2024-01-02}\n---\n" + BODY,
    "folded-title": HEAD.replace("Laid Out", ">-\n  Laid\n  Out") + "## Part\n" + BODY,
    "separators": HEAD + "Lead.\u2028still.\n" + BODY.replace("Text.", "Text.\u2029more."),
    "separators-blank": HEAD + "\nLead.\u2028still.\n" + BODY,
    "no-body": HEAD.replace("date", "colour: red\ndate"),
}
MARKERS = {
    "{nosuchdirective}": "myst.directive_unknown",
    "missing.png": "image.not_readable",
    "colour": "broadsheet.front_matter",
}


def test_warnings_name_the_line_in_every_layout(tmp_path: Path) -> None:
    """The H1 a front matter title stands for shifts no line, whatever the layout."""
    srcdir = tmp_path / "src"
    (srcdir / "articles").mkdir(parents=True)
    (srcdir / "conf.py").write_text('extensions = ["broadsheet"]\nbroadsheet_pdf = False\n')
    (srcdir / "index.md").write_text("# Home\n")
    expected = set()
    for name, text in LAYOUTS.items():
        (srcdir / "articles" / f"{name}.md").write_bytes(text.encode())
        for marker, kind in MARKERS.items():
            if marker in text:
                expected.add((name, text[: text.index(marker)].count("\n") + 1, kind))
    app = SphinxTestApp("html", srcdir=srcdir)
    try:
        app.build()
        output = re.sub(r"\x1b\[[0-9;]*m", "", app.warning.getvalue())
        pattern = r"articles/([\w-]+)\.md:(\d+): WARNING: .* \[([\w.]+)\]$"
        found = {(n, int(ln), t) for n, ln, t in re.findall(pattern, output, re.M)}
        assert found == expected
        for name in LAYOUTS:
            headings = read_html(app, f"articles/{name}").select("h1")
            assert [h.get_text().rstrip("¶#") for h in headings] == ["Laid Out"], name
    finally:
        app.cleanup()
