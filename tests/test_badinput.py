"""The corpus of bad and hostile inputs in ``tests/roots/test-badinput``, and what each gives.

Every file either gives a located ``broadsheet`` warning or renders safely; none stops the
build, and every other page is still written (HTML and PDF). Front matter mistakes of every
kind are in ``tests/roots/test-frontmatter`` (``test_frontmatter.py``).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import uuid
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from io import StringIO
from pathlib import Path
from types import SimpleNamespace
from typing import Any
from urllib.parse import unquote, urlsplit

import pytest
from pypdf import PdfReader
from sphinx.errors import ConfigError
from sphinx.testing.util import SphinxTestApp

from conftest import pdf_text, read_html
from helpers import article_sections, toc_entries

ROOT = Path(__file__).parent / "roots" / "test-badinput"
ARTICLES = sorted([*(p.stem for p in (ROOT / "articles").glob("*.md")), "huge-front-matter"])


def write_huge_front_matter(srcdir: Path) -> None:
    """An article whose front matter is over the size limit (too big to keep in the root)."""
    summary = "word " * 14_000
    (srcdir / "articles" / "huge-front-matter.md").write_text(
        f"---\ntitle: Huge\ndate: 2024-02-04\nsummary: {summary}\n---\n\nText.\n", "utf-8"
    )


# (file, line, warning type.subtype, words of the message): the located warnings expected.
EXPECTED = [
    ("malformed-yaml", 3, "broadsheet.front_matter", "front matter is not valid YAML"),
    ("malformed-yaml", 1, "broadsheet.unpublished", "not published: the article needs a valid"),
    ("impossible-date", 2, "broadsheet.front_matter", "day is out of range for month"),
    ("impossible-date", 2, "broadsheet.unpublished", "not published: the article needs a valid"),
    ("empty-title", 2, "broadsheet.front_matter", "the title is empty"),
    ("markup-title", 5, "broadsheet.front_matter", "title has no text"),
    ("slug-one", 4, "broadsheet.slug", "share the page tags/c.html"),
    ("missing-image", 3, "broadsheet.image", "lead image 'nowhere/lead.png' not found"),
    ("missing-image", 8, "image.not_readable", "image file not readable"),
    ("empty", 1, "broadsheet.front_matter", "article has no title"),
    ("not-utf8", 7, "broadsheet.encoding", "not published: the source is not valid UTF-8"),
    ("js-links", 8, "broadsheet.unsafe_link", "'javascript:alert(1)' refused"),
    ("js-links", 8, "broadsheet.unsafe_link", "'data:text/html,hello' refused"),
    ("js-links", 8, "broadsheet.unsafe_link", "'vbscript:msgbox(1)' refused"),
    ("yaml-bomb", 4, "broadsheet.front_matter", "dropped: expands to more than 20000 values"),
    ("yaml-bomb", 5, "broadsheet.front_matter", "dropped: refers to a value that was dropped"),
    ("deep-nesting", 4, "broadsheet.front_matter", "dropped: nested more than 16 levels deep"),
    ("huge-front-matter", 1, "broadsheet.front_matter", "longer than 65536 characters"),
    ("huge-front-matter", 1, "broadsheet.unpublished", "not published: the article needs a valid"),
    ("control-characters", 2, "broadsheet.control_character", "control characters dropped"),
    ("control-characters", 4, "broadsheet.front_matter", "summary: control characters dropped"),
    ("control-characters", 5, "broadsheet.front_matter", "tags: control characters dropped"),
    ("control-characters", 8, "broadsheet.control_character", "control characters dropped"),
    ("control-characters", 10, "broadsheet.control_character", "control characters dropped"),
    ("latex-math", 13, "broadsheet.pdf", "math shown as LaTeX source in the PDF: Typst cannot"),
    # Typst's message is about the Typst source, which has no line in the article's.
    ("typst-failure", 0, "broadsheet.pdf", "typst-failure.pdf could not be made: unclosed"),
]
# myst-parser's own report of YAML it cannot load; Broadsheet's warning gives the line.
FOREIGN = {("malformed-yaml", "myst.topmatter"), ("impossible-date", "myst.topmatter")}
#: Articles whose date cannot be read, or whose source is not UTF-8: never published by
#: accident (fail closed).
UNDATED = ("malformed-yaml", "impossible-date", "huge-front-matter", "not-utf8")
#: Characters no XML document may hold.
CONTROLS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")
#: The hostile articles (``articles/hostile``) are built in the untrusted mode only: a trusted
#: publication lets its authors include files.
TRUSTED_EXCLUDES = ["_build", "articles/hostile/**"]
WARNING = re.compile(
    r"^(?P<path>\S+?)\.md:(?:(?P<line>\d+):)? WARNING: (?P<message>.*) \[(?P<type>[\w.]+)\]$"
)


def warnings(app: SphinxTestApp) -> list[tuple[str, int, str, str]]:
    found = []
    for line in re.sub(r"\x1b\[[0-9;]*m", "", app.warning.getvalue()).splitlines():
        if line.startswith("WARNING: while setting up extension"):
            continue  # Sphinx noting that another test app in this process registered it first
        match = WARNING.match(line)
        assert match, f"unlocated or unexpected output: {line!r}"
        name = match["path"].rsplit("/", 1)[-1]
        found.append((name, int(match["line"] or 0), match["type"], match["message"]))
    return found


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SphinxTestApp]:
    """One build of the whole corpus, shared by the tests that read it."""
    srcdir = tmp_path_factory.mktemp("badinput") / "src"
    shutil.copytree(ROOT, srcdir)
    write_huge_front_matter(srcdir)
    app = SphinxTestApp(
        "html",
        srcdir=srcdir,
        status=StringIO(),
        warning=StringIO(),
        confoverrides={"exclude_patterns": TRUSTED_EXCLUDES},
    )
    try:
        app.build()  # no exception: nothing stops the build
        yield app
    finally:
        app.cleanup()


def test_each_bad_input_gives_its_located_warning(corpus: SphinxTestApp) -> None:
    found = warnings(corpus)
    for name, line, kind, words in EXPECTED:
        assert any(
            (f, ln, t) == (name, line, kind) and words in message for f, ln, t, message in found
        ), f"missing {kind} {words!r} at {name}.md:{line}"
    unexpected = [
        w
        for w in found
        if not any((w[0], w[1], w[2]) == (n, ln, k) for n, ln, k, _w in EXPECTED)
        and (w[0], w[2]) not in FOREIGN
    ]
    assert unexpected == []


def test_every_page_and_pdf_is_written(corpus: SphinxTestApp) -> None:
    outdir = Path(corpus.outdir)
    for name in UNDATED:
        assert not (outdir / "articles" / f"{name}.html").exists(), name
        assert not (outdir / "pdf" / "articles" / f"{name}.pdf").exists(), name
    for name in (a for a in ARTICLES if a not in UNDATED):
        assert (outdir / "articles" / f"{name}.html").is_file(), name
        if name != "typst-failure":
            assert (outdir / "pdf" / "articles" / f"{name}.pdf").stat().st_size > 1000, name
    assert (outdir / "pdf" / "bad-input-gazette.pdf").is_file()


def test_one_bad_pdf_costs_only_itself(corpus: SphinxTestApp) -> None:
    outdir = Path(corpus.outdir)
    assert not (outdir / "pdf" / "articles" / "typst-failure.pdf").exists()
    # Its page does not link to the PDF that is not there; the others do.
    assert read_html(corpus, "articles/typst-failure").select(".broadsheet-pdf a") == []
    assert read_html(corpus, "articles/svg-sibling").select(".broadsheet-pdf a") != []
    edition = pdf_text(outdir / "pdf" / "bad-input-gazette.pdf")
    assert "Not in this edition, because its PDF could not be made: A Typst Failure" in edition
    assert "Text after the math." in edition
    assert "Text after the diagram." in edition
    # Common LaTeX typesets; what Typst refuses is shown as its source, the rest still set.
    math = pdf_text(outdir / "pdf" / "articles" / "latex-math.pdf")
    assert "if 𝑥 > 0" in math
    assert "𝐸 = 𝑚𝑐2 (1)" in math
    assert r"\text{C:\\}" in math
    assert "label" not in math
    assert "Text after the math." in math
    svg = PdfReader(outdir / "pdf" / "articles" / "svg-sibling.pdf")
    assert "Text after the diagram." in pdf_text(outdir / "pdf" / "articles" / "svg-sibling.pdf")
    assert len(svg.pages[0].images) >= 1  # the linked PNG, inlined into the SVG


def test_front_matter_html_is_text(corpus: SphinxTestApp) -> None:
    soup = read_html(corpus, "articles/html-front-matter")
    article = soup.select_one("section")
    assert article.find("h1").get_text().rstrip("¶") == "<script>alert(“title”)</script>"
    assert article.select_one(".broadsheet-deck").get_text() == "<img src=x onerror=alert(1)>"
    assert article.select_one(".broadsheet-author").get_text() == "<b>Bold</b> Author"
    assert article.select_one(".broadsheet-tag").get_text() == "<i>tag</i>"
    assert article.find_all(["script", "img", "b", "i"]) == []
    assert not [t for t in soup.find_all(True) if any(a.startswith("on") for a in t.attrs)]
    feed = ET.parse(Path(corpus.outdir) / "feeds" / "atom.xml").getroot()
    titles = [e.text for e in feed.iter("{http://www.w3.org/2005/Atom}title")]
    assert "<script>alert(“title”)</script>" in titles
    summary = 'Summary with <a href="javascript:alert(1)">a link</a> & an ampersand'
    assert summary in [e.text for e in feed.iter("{http://www.w3.org/2005/Atom}summary")]


def test_authors_raw_html_is_theirs(corpus: SphinxTestApp) -> None:
    # Raw HTML in an article's body is the author's own markup, as MyST allows.
    assert read_html(corpus, "articles/script-body").select_one("section script") is not None


def test_typst_and_latex_stay_text(corpus: SphinxTestApp) -> None:
    text = pdf_text(Path(corpus.outdir) / "pdf" / "articles" / "typst-latex.pdf")
    for fragment in [
        r"#set page(width: 1cm) \documentclass{article}",
        r"Text with #read(“/etc/passwd”), #set text(red), \begin{document}, \input{/etc/passwd}",
        r"#heading[Injected] \section{Injected}",
    ]:
        assert fragment in text
    assert "root:" not in text


def test_unsafe_links_keep_their_text_only(corpus: SphinxTestApp) -> None:
    section = read_html(corpus, "articles/js-links").select_one("section")
    hrefs = [a.get("href", "") for a in section.find_all("a")]
    assert not [h for h in hrefs if h.split(":")[0] in ("javascript", "data", "vbscript")]
    assert "https://example.org/" in hrefs
    assert "script link" in section.get_text()


def test_unicode_edge_cases(corpus: SphinxTestApp) -> None:
    soup = read_html(corpus, "articles/unicode")
    assert toc_entries(soup) == article_sections(soup, 2)
    assert (
        soup.find("h1").get_text().rstrip("¶")
        == "Unicode: עברית العربية e\u0301 👩‍💻 zero\u200bwidth"
    )
    outdir = Path(corpus.outdir)
    links = [a["href"] for a in soup.select(".broadsheet-tags a")]
    assert len(links) == 3
    assert all((outdir / "articles" / unquote(href)).is_file() for href in links)
    # pypdf reads right-to-left text in visual order, so look for the words.
    text = pdf_text(outdir / "pdf" / "articles" / "unicode.pdf")
    assert "שלום" in text
    assert "עולם" in text
    assert "Café" in text


def test_odd_articles_render(corpus: SphinxTestApp) -> None:
    enormous = read_html(corpus, "articles/enormous")
    assert toc_entries(enormous) == article_sections(enormous, 2)
    # In print, the head of its pages holds one line: the title cut at a word, with an ellipsis.
    pdf = PdfReader(Path(corpus.outdir) / "pdf" / "articles" / "enormous.pdf")
    page = " ".join((pdf.pages[1].extract_text() or "").split())
    assert page.startswith("Bad Input Gazette" + " An enormous title" * 4 + " An… enormous"), page
    assert read_html(corpus, "articles/markup-title").find("h1").get_text().rstrip("¶") == (
        "markup-title"
    )
    assert read_html(corpus, "articles/empty").find("h1").get_text().rstrip("¶") == "empty"
    # Never half-published: a source that is not UTF-8 stays out until it is saved as UTF-8.
    assert not (Path(corpus.outdir) / "articles" / "not-utf8.html").exists()
    assert "Not UTF-8" not in (Path(corpus.outdir) / "index.html").read_text("utf-8")
    # An article no listing shows is still published: on its tag page and in the feed.
    assert "Unlisted Article" not in read_html(corpus, "index").get_text()
    assert "Unlisted Article" in read_html(corpus, "tags/elsewhere").get_text()


@pytest.mark.sphinx(
    "html",
    testroot="badinput",
    srcdir="badinput-untrusted",
    confoverrides={
        "broadsheet_raw_html": False,
        "broadsheet_pdf": False,
        "exclude_patterns": TRUSTED_EXCLUDES,
    },
)
def test_untrusted_publication_drops_raw_html(app: SphinxTestApp) -> None:
    app.build()
    assert read_html(app, "articles/script-body").select_one("section script") is None
    found = [w for w in warnings(app) if w[2] == "broadsheet.raw_html"]
    assert [(f, ln) for f, ln, _t, _m in found] == [("script-body", 7)]


def test_front_matter_over_a_limit_loses_only_that_value(corpus: SphinxTestApp) -> None:
    deep = read_html(corpus, "articles/deep-nesting")
    assert deep.find("h1").get_text().rstrip("¶") == "Deep Nesting"
    assert deep.select_one(".broadsheet-author").get_text() == "Still Read"
    assert deep.select(".broadsheet-tag") == []
    bomb = read_html(corpus, "articles/yaml-bomb")
    assert bomb.find("h1").get_text().rstrip("¶") == "A Billion Laughs"
    assert "387 million" in bomb.select_one("section").get_text()
    assert bomb.find("meta", attrs={"name": "description"}) is None
    size = sum(f.stat().st_size for f in Path(corpus.outdir).rglob("*") if f.is_file())
    assert size < 20_000_000  # nothing expanded the aliases into the output


def test_control_characters_are_dropped_and_feeds_stay_xml(corpus: SphinxTestApp) -> None:
    soup = read_html(corpus, "articles/control-characters")
    assert soup.find("h1").get_text().rstrip("¶") == "Control Characters"
    assert soup.find("h2").get_text().rstrip("¶") == "A heading with escape"
    assert soup.select_one(".broadsheet-tag").get_text() == "control"
    outdir = Path(corpus.outdir)
    feeds = sorted((outdir / "feeds").rglob("*.xml"))
    assert len(feeds) > 3
    for feed in [*feeds, outdir / "sitemap.xml"]:
        ET.parse(feed)  # well-formed
    atom = "{http://www.w3.org/2005/Atom}"
    entries = {
        e.findtext(f"{atom}title"): e for e in ET.parse(feeds[0]).getroot().iter(f"{atom}entry")
    }
    entry = entries["Control Characters"]
    assert entry.findtext(f"{atom}summary") == "A bell rings"
    assert "Body text with a backspace and aform feed." in entry.findtext(f"{atom}content")
    for path in outdir.rglob("*"):
        # _sources holds copies of the source files as they are, for "show source".
        if path.suffix in (".html", ".xml", ".js") and "_sources" not in path.parts:
            assert not CONTROLS.search(path.read_text("utf-8")), path


# Builds the front matter bombs in a process of its own whose address space is limited: a
# front matter reader that expanded the aliases would fail there, not exhaust the machine.
MEMORY_LIMITED_BUILD = """
import resource, sys
limit = int(sys.argv[3]) * 2**20
resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
from sphinx.cmd.build import build_main
sys.exit(build_main(["-q", "-b", "html", sys.argv[1], sys.argv[2]]))
"""


def test_front_matter_bombs_build_in_bounded_memory(tmp_path: Path) -> None:
    srcdir = tmp_path / "src"
    (srcdir / "articles").mkdir(parents=True)
    for name in ("conf.py", "index.md"):
        shutil.copy(ROOT / name, srcdir / name)
    for name in ("yaml-bomb", "deep-nesting"):
        shutil.copy(ROOT / "articles" / f"{name}.md", srcdir / "articles")
    done = subprocess.run(
        [sys.executable, "-c", MEMORY_LIMITED_BUILD, srcdir, tmp_path / "out", "1024"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    assert "expands to more than 20000 values" in done.stderr
    assert "nested more than 16 levels deep" in done.stderr
    assert (tmp_path / "out" / "pdf" / "articles" / "yaml-bomb.pdf").is_file()


# (file, line, words of the warning): every route to a file or to markup the reader's browser
# runs, each refused where it is written.
UNTRUSTED_EXPECTED = [
    ("file-routes", 4, "lead image '../../../outside-secret.png' refused: it is outside"),
    ("file-routes", 9, "directive 'include' dropped: not allowed in untrusted articles"),
    ("file-routes", 12, "directive 'include' dropped"),
    ("file-routes", 16, "directive 'literalinclude' dropped"),
    ("file-routes", 19, "directive 'literalinclude' dropped"),
    ("file-routes", 22, "File and URL access deactivated"),
    ("file-routes", 26, "File and URL access deactivated"),
    ("file-routes", 30, "directive 'raw' dropped"),
    ("file-routes", 34, "directive 'raw' dropped"),
    ("file-routes", 38, "directive 'raw' dropped"),
    ("file-routes", 43, "directive 'include' dropped"),
    ("file-routes", 47, "role 'download' dropped: not allowed in untrusted articles"),
    ("file-routes", 49, "image 'secret-link.png' refused: it is outside the source folder"),
    ("file-routes", 51, "image '../../../outside-secret.png' refused: it is outside"),
    ("markup-routes", 4, "lead image '../../conf.py' refused: it is not an image file"),
    ("markup-routes", 5, "front matter key 'html_meta' dropped"),
    ("markup-routes", 7, "front matter key 'myst' dropped"),
    ("markup-routes", 9, "front matter key 'substitutions' dropped"),
    ("markup-routes", 13, "raw html dropped: not allowed in untrusted articles"),
    ("markup-routes", 15, "directive 'raw' dropped"),
    ("markup-routes", 19, "directive 'raw' dropped"),
    ("markup-routes", 24, "directive 'meta' dropped"),
]


def test_untrusted_mode_publishes_nothing_outside_the_sources(tmp_path: Path) -> None:
    """A secret in the environment and a file beside the sources, pushed through every route
    an article has to a file, appear in no output file."""
    srcdir, outdir = tmp_path / "src", tmp_path / "out"
    shutil.copytree(ROOT, srcdir)
    outside, in_environment = f"outside-{uuid.uuid4().hex}", f"environ-{uuid.uuid4().hex}"
    for name in ("outside-secret.txt", "outside-secret.png"):
        (tmp_path / name).write_text(outside, "utf-8")
    (srcdir / "articles" / "hostile" / "secret-link.png").symlink_to(
        tmp_path / "outside-secret.txt"
    )
    # A process of its own, so that /proc/self/environ holds the secret from the start.
    command = [sys.executable, "-m", "sphinx", "-b", "html", "-D", "broadsheet_untrusted=1"]
    done = subprocess.run(
        [*command, str(srcdir), str(outdir)],
        capture_output=True,
        text=True,
        timeout=600,
        env={**os.environ, "BROADSHEET_SECRET": in_environment},
    )
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    output = re.sub(r"\x1b\[[0-9;]*m", "", done.stderr)
    for name, line, words in UNTRUSTED_EXPECTED:
        at = str(line) if line else r"\d+"
        assert re.search(
            rf"hostile/{name}\.md:{at}: (WARNING|ERROR): [^\n]*{re.escape(words)}", output
        ), f"missing {words!r} at {name}.md:{line}"
    checked = 0
    for path in outdir.rglob("*"):
        if not path.is_file():
            continue
        if path.suffix == ".pdf":
            text = pdf_text(path)
        else:
            text = path.read_bytes().decode("utf-8", "replace")
        assert outside not in text, path
        assert in_environment not in text, path
        checked += 1
    assert checked > 50
    assert (outdir / "pdf" / "articles" / "hostile" / "file-routes.pdf").is_file()
    assert not (outdir / "_downloads").exists()
    for name in ("file-routes", "markup-routes"):
        soup = read_html(SimpleNamespace(outdir=outdir), f"articles/hostile/{name}")
        assert soup.find("meta", attrs={"http-equiv": True}) is None, name
        assert soup.select("section img") == [], name
        assert soup.find("meta", attrs={"property": "og:image"}) is None, name
    text = pdf_text(outdir / "pdf" / "articles" / "hostile" / "markup-routes.pdf")
    assert "Text after the markup." in text
    assert "root:" not in text


@pytest.mark.sphinx(
    "html",
    testroot="badinput",
    srcdir="badinput-substitution",
    confoverrides={"broadsheet_untrusted": True, "myst_enable_extensions": ["substitution"]},
)
def test_untrusted_mode_refuses_jinja_substitutions(make_app: Any, app_params: Any) -> None:
    args, kwargs = app_params
    with pytest.raises(ConfigError, match="substitution"):
        make_app(*args, **kwargs)


def test_a_pdf_made_again_is_linked_again(tmp_path: Path, make_app: Any) -> None:
    srcdir = tmp_path / "src"
    (srcdir / "articles").mkdir(parents=True)
    for name in ("conf.py", "index.md", "articles/typst-failure.md", "articles/svg-sibling.md"):
        shutil.copy(ROOT / name, srcdir / name)
    shutil.copytree(ROOT / "articles" / "images", srcdir / "articles" / "images")
    app = make_app("html", srcdir=srcdir)
    app.build()
    assert read_html(app, "articles/typst-failure").select(".broadsheet-pdf a") == []
    source = srcdir / "articles" / "typst-failure.md"
    source.write_text(source.read_text("utf-8").replace("#let broken = (", "#let fixed = ()"))
    app = make_app("html", srcdir=srcdir)
    app.build()
    assert read_html(app, "articles/typst-failure").select(".broadsheet-pdf a") != []
    outdir = Path(app.outdir)
    assert (outdir / "pdf" / "articles" / "typst-failure.pdf").is_file()
    assert "A Typst Failure" in pdf_text(outdir / "pdf" / "bad-input-gazette.pdf")


def test_edition_counts_in_the_catalogs_plural_forms(tmp_path: Path, make_app: Any) -> None:
    srcdir = tmp_path / "src"
    (srcdir / "articles").mkdir(parents=True)
    for name in ("conf.py", "index.md", "articles/svg-sibling.md"):
        shutil.copy(ROOT / name, srcdir / name)
    shutil.copytree(ROOT / "articles" / "images", srcdir / "articles" / "images")
    app = make_app("html", srcdir=srcdir)
    app.build()
    cover = pdf_text(Path(app.outdir) / "pdf" / "bad-input-gazette.pdf")
    assert "1 article · February 5, 2024" in cover
    assert "1 articles" not in cover


def test_replacing_a_lead_image_rewrites_its_page(tmp_path: Path, make_app: Any) -> None:
    srcdir = tmp_path / "src"
    (srcdir / "articles").mkdir(parents=True)
    for name in ("conf.py", "index.md", "articles/why?.md"):
        shutil.copy(ROOT / name, srcdir / name)
    shutil.copytree(ROOT / "articles" / "images", srcdir / "articles" / "images")

    def og_image() -> str:
        app = make_app("html", srcdir=srcdir, confoverrides={"broadsheet_pdf": False})
        app.build()
        meta = read_html(app, "articles/why?").find("meta", attrs={"property": "og:image"})
        return str(meta["content"])

    before = og_image()
    (srcdir / "articles" / "images" / "dot.png").write_bytes(
        (ROOT / "articles" / "images" / "dot.png").read_bytes() + b"\0"
    )
    after = og_image()
    assert before != after
    copied = urlsplit(after).path.lstrip("/")
    assert (srcdir / "_build" / "html" / copied).is_file()


def test_generated_urls_are_encoded(corpus: SphinxTestApp) -> None:
    outdir = Path(corpus.outdir)
    for name, encoded in (("c#-tips", "c%23-tips"), ("why?", "why%3F")):
        page = read_html(corpus, f"articles/{name}")
        href = page.select_one(".broadsheet-pdf a")["href"]
        assert href == f"../pdf/articles/{encoded}.pdf"
        assert (outdir / "articles" / unquote(href)).resolve().is_file()
        url = f"https://bad.example.org/articles/{encoded}.html"
        assert page.find("meta", attrs={"property": "og:url"})["content"] == url
        assert url in (outdir / "sitemap.xml").read_text("utf-8")
        assert url in (outdir / "feeds" / "atom.xml").read_text("utf-8")
    # A tag and an author named "Index" get pages of their own, beside the folders' indexes.
    for folder, title in (("tags", "Tags"), ("authors", "Authors")):
        index = read_html(corpus, f"{folder}/index")
        assert index.find("h1").get_text().rstrip("¶") == title
        link = next(a for a in index.select("a") if a.get_text() == "Index")
        own = read_html(SimpleNamespace(outdir=outdir / folder), unquote(link["href"])[:-5])
        assert "Index" in own.find("h1").get_text()
        assert "C# Tips" in own.get_text()
    tip = read_html(corpus, "articles/c#-tips")
    assert tip.select_one(".broadsheet-tag a")["href"].startswith("../tags/index-")


def test_feeds_sitemap_and_social_tags_meet_the_standards(corpus: SphinxTestApp) -> None:
    outdir = Path(corpus.outdir)
    atom = "{http://www.w3.org/2005/Atom}"
    base = "https://bad.example.org/"
    entries = ET.parse(outdir / "feeds" / "atom.xml").getroot().iter(f"{atom}entry")
    contents = {e.findtext(f"{atom}title"): e.findtext(f"{atom}content") for e in entries}
    for title, content in contents.items():
        # No "¶" heading links, no bare "#" links a reader resolves against the feed, no <h1>.
        assert "¶" not in content, title
        assert 'href="#' not in content, title
        assert "<h1" not in content, title
    content = contents["Feed Content"]
    assert "<h2>First section</h2>" in content
    assert f'href="{base}articles/feed-content.html#second-section"' in content
    assert f'href="{base}articles/feed-content.html#note"' in content
    # The sitemap lists the pages that have no source: tags, authors and their indexes.
    sitemap = (outdir / "sitemap.xml").read_text("utf-8")
    for page in ("tags/index", "authors/index", "tags/feeds", "authors/still-read", "index"):
        assert f"<loc>{base}{page}.html</loc>" in sitemap, page
    # A tag's feed and its page point at each other.
    feed = ET.parse(outdir / "feeds" / "tags" / "feeds.xml").getroot()
    alternate = next(e for e in feed.iter(f"{atom}link") if e.get("rel") == "alternate")
    assert alternate.get("href") == f"{base}tags/feeds.html"
    head = read_html(corpus, "tags/feeds").find_all("link", rel="alternate")
    assert [link["href"] for link in head] == ["../feeds/atom.xml", "../feeds/tags/feeds.xml"]
    # A lead image is described.
    page = read_html(corpus, "articles/feed-content")
    assert page.find("meta", attrs={"property": "og:image"})["content"].startswith(base)
    assert page.find("meta", attrs={"property": "og:image:alt"})["content"] == "Feed Content"
