"""Hostile articles in the untrusted mode (``tests/roots/test-hostile``), with extensions that
read files and run code loaded: each route is refused where it is written, with a located
``broadsheet`` warning; no secret reaches any output file; every other page and PDF is built.

Also here: bodies nested too deep to parse, front matter nested too deep to read in bounded
time, and sources that are symlinks to files outside the source folder (every mode).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
import uuid
from io import StringIO
from pathlib import Path
from types import SimpleNamespace

import pytest
from sphinx.testing.util import SphinxTestApp

from broadsheet.frontmatter import parse_front_matter
from conftest import pdf_text, read_html

ROOT = Path(__file__).parent / "roots" / "test-hostile"
#: How deep the generated bodies nest: Python's stack gives out near 100 levels.
DEEP = 300


def deep_directives(levels: int) -> str:
    """A body of ``levels`` notes, each inside the one before (fences of falling length)."""
    opening = "".join("`" * (levels + 3 - i) + "{note}\n" for i in range(levels))
    closing = "".join("`" * (levels + 3 - i) + "\n" for i in reversed(range(levels)))
    return f"{opening}Deepest.\n{closing}"


def write_deep_articles(srcdir: Path) -> None:
    """Articles nested too deep: in Markdown directives, in reStructuredText block quotes, and
    in front matter (30,000 levels in under 64 KiB, generated: too big to keep in the root)."""
    articles = srcdir / "articles"
    (articles / "deep-directives.md").write_text(
        "---\ntitle: Deep Directives\ndate: 2024-04-05\n---\n\nBefore.\n\n"
        + deep_directives(DEEP)
        + "\nAfter.\n",
        "utf-8",
    )
    quotes = "".join("  " * i + "Quote.\n\n" for i in range(DEEP))
    (articles / "deep-quotes.md").write_text(
        "---\ntitle: Deep Quotes\ndate: 2024-04-06\n---\n\n```{eval-rst}\n" + quotes + "```\n",
        "utf-8",
    )
    # Each footnote's text refers to the next: a PDF prints a footnote inside the last one.
    chain = "".join(f"Note {i}[^n{i}].\n\n[^n{i}]: " for i in range(DEEP)) + "Last note.\n"
    (articles / "deep-footnotes.md").write_text(
        "---\ntitle: Deep Footnotes\ndate: 2024-04-10\n---\n\n" + chain, "utf-8"
    )
    (articles / "deep-inline.md").write_text(
        "---\ntitle: Deep Inline\ndate: 2024-04-11\n---\n\n"
        + "**" * 1_500
        + "Innermost."
        + "**" * 1_500
        + "\n",
        "utf-8",
    )
    (articles / "deep-front-matter.md").write_text(
        "---\ntitle: Deep Front Matter\ndate: 2024-04-07\ntags: "
        + "[" * 30_000
        + "]" * 30_000
        + "\n---\n\nText.\n",
        "utf-8",
    )


# (file, line, words of the warning): every refusal, where it is written.
EXPECTED = [
    ("other-extensions", 8, "directive 'graphviz' dropped: not allowed in untrusted articles"),
    ("other-extensions", 11, "directive 'ifconfig' dropped"),
    ("other-extensions", 15, "directive 'automodule' dropped"),
    ("other-extensions", 19, "directive 'inheritance-diagram' dropped"),
    ("other-extensions", 22, "directive 'autosummary' dropped"),
    ("other-extensions", 26, "directive 'digraph' dropped"),
    ("other-extensions", 31, "directive 'graphviz' dropped"),
    ("other-extensions", 33, "directive 'ifconfig' dropped"),
    ("other-extensions", 37, "directive 'literalinclude' dropped"),
    ("other-extensions", 39, "role 'download' dropped: not allowed in untrusted articles"),
    ("other-extensions", 42, "directive 'toctree' dropped"),
    ("other-extensions", 46, "directive 'jupyter-execute' dropped"),
    ("other-extensions", 51, "directive 'role' dropped"),
    ("other-extensions", 57, "role 'download' dropped"),
    ("other-extensions", 57, "role 'unknown-role' dropped"),
    ("svg-images", 4, "lead image 'images/script.svg' refused: an SVG with a <script> element"),
    ("svg-images", 13, "image 'images/script.svg' refused: an SVG with a <script> element"),
    ("svg-images", 15, "image 'images/onload.svg' refused: an SVG with an event handler"),
    ("svg-images", 17, "image 'images/foreign.svg' refused: an SVG with a <foreignobject>"),
    ("svg-images", 19, "image 'images/external.svg' refused: an SVG that links outside"),
    ("svg-images", 21, "image 'images/js-link.svg' refused: an SVG that links outside"),
    ("svg-images", 23, "image 'images/animated-link.svg' refused: an SVG that animates a link"),
    ("svg-images", 25, "image 'images/entities.svg' refused: an SVG with a document type"),
    ("remote-images", 4, "lead image 'https://evil.example.org/lead.png' refused: remote"),
    ("remote-images", 9, "image 'https://evil.example.org/pixel.png' refused: remote images"),
    ("remote-images", 11, "image '//evil.example.org/relative.png' refused: remote images"),
    ("remote-images", 13, "image 'data:image/png;base64,"),
    ("remote-images", 15, "image 'https://evil.example.org/directive.png' refused: remote"),
    ("deep-directives", 0, "the text is nested too deep to read"),
    ("deep-quotes", 0, "the text is nested too deep to read"),
    ("deep-inline", 1, "the text is nested too deep to read"),
    ("deep-footnotes", 1, "deep-footnotes.pdf shows a notice instead of the text"),
    ("deep-front-matter", 4, "front matter is not read: its lists and mappings nest more than"),
    ("linked", 1, "source refused: it links to a file outside the source folder"),
    ("settings", 1, "source refused: it links to a file that is not a document"),
]
WARNING = re.compile(
    r"^(?P<path>\S+?)\.md:(?P<line>\d+): (?:WARNING|ERROR): "
    r"(?P<message>.*?)(?: \[(?P<type>[\w.]+)\])?$"
)


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> SimpleNamespace:
    """One build of the hostile articles in a process of its own, with a secret in its
    environment (so ``/proc/self/environ`` holds it) and in a file beside the sources."""
    tmp_path = tmp_path_factory.mktemp("hostile")
    srcdir, outdir = tmp_path / "src", tmp_path / "out"
    shutil.copytree(ROOT, srcdir)
    write_deep_articles(srcdir)
    outside, in_environment = f"outside-{uuid.uuid4().hex}", f"environ-{uuid.uuid4().hex}"
    (tmp_path / "outside-secret.txt").write_text(outside, "utf-8")
    (tmp_path / "outside.md").write_text(
        f"---\ntitle: Linked\ndate: 2024-04-08\n---\n\n{outside}\n", "utf-8"
    )
    (srcdir / "articles" / "linked.md").symlink_to(tmp_path / "outside.md")
    (srcdir / "articles" / "settings.md").symlink_to(srcdir / "conf.py")
    leak = tmp_path / "ifconfig-ran.txt"
    started = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-m", "sphinx", "-b", "html", str(srcdir), str(outdir)],
        capture_output=True,
        text=True,
        timeout=600,
        env={**os.environ, "BROADSHEET_SECRET": in_environment, "BROADSHEET_LEAK": str(leak)},
    )
    return SimpleNamespace(
        done=done,
        stderr=re.sub(r"\x1b\[[0-9;]*m", "", done.stderr),
        outdir=outdir,
        secrets=(outside, in_environment),
        leak=leak,
        seconds=time.monotonic() - started,
    )


def test_the_build_finishes_without_a_traceback(hostile: SimpleNamespace) -> None:
    assert hostile.done.returncode == 0, hostile.stderr
    assert "Traceback" not in hostile.stderr
    assert "RecursionError" not in hostile.stderr


def test_each_refusal_is_a_located_broadsheet_warning(hostile: SimpleNamespace) -> None:
    found = []
    for line in hostile.stderr.splitlines():
        match = WARNING.match(line)
        if match:
            name = match["path"].rsplit("/", 1)[-1]
            found.append((name, int(match["line"]), match["type"], match["message"]))
    for name, line, words in EXPECTED:
        assert any(
            f == name
            and (ln == line or not line)
            and t
            and t.startswith("broadsheet.")
            and words in message
            for f, ln, t, message in found
        ), f"missing {words!r} at {name}.md:{line}"


def test_no_secret_reaches_any_output_file(hostile: SimpleNamespace) -> None:
    checked = 0
    for path in hostile.outdir.rglob("*"):
        if not path.is_file():
            continue
        text = pdf_text(path) if path.suffix == ".pdf" else path.read_bytes().decode("latin-1")
        for secret in hostile.secrets:
            assert secret not in text, path
        checked += 1
    assert checked > 30
    for folder in ("_sources", "_images", "pdf"):
        assert (hostile.outdir / folder).is_dir(), folder
    assert not (hostile.outdir / "_downloads").exists()
    assert not (hostile.outdir / "articles" / "linked.html").exists()
    assert not (hostile.outdir / "articles" / "settings.html").exists()


def test_no_directive_of_another_extension_runs(hostile: SimpleNamespace) -> None:
    assert not hostile.leak.exists()  # ifconfig evaluated nothing
    soup = read_html(hostile, "articles/other-extensions")
    body = soup.select_one("section")
    assert body is not None
    text = body.get_text(" ")
    assert "Shown when" not in text
    assert body.select(".graphviz, .inheritance, dl.py, script, object, img") == []
    # What is allowed still renders, and a refused role keeps its text.
    assert soup.select_one("div.admonition.note sub").get_text() == "subscript"
    assert "Made role <script>alert(1)</script>." in text
    assert "Text after the markup." in text


def test_only_inert_local_images_are_published(hostile: SimpleNamespace) -> None:
    images = sorted(p.name for p in (hostile.outdir / "_images").rglob("*") if p.is_file())
    assert [name for name in images if name.endswith(".svg")] == ["clean.svg"]
    soup = read_html(hostile, "articles/svg-images")
    assert [img["src"] for img in soup.select("section img")] == ["../_images/clean.svg"]
    assert soup.find("meta", attrs={"property": "og:image"}) is None
    remote = read_html(hostile, "articles/remote-images")
    assert remote.select("section img") == []
    assert remote.find("meta", attrs={"property": "og:image"}) is None
    assert "evil.example.org" not in str(remote.select_one("section"))
    assert "Text after the pixels." in remote.get_text()


def test_lead_image_alt_text(hostile: SimpleNamespace) -> None:
    soup = read_html(hostile, "articles/described-image")
    for attribute, name in (("property", "og:image:alt"), ("name", "twitter:image:alt")):
        tag = soup.find("meta", attrs={attribute: name})
        assert tag is not None, name
        assert tag["content"] == "A black dot on a white ground.", name


def test_too_deep_costs_only_that_text(hostile: SimpleNamespace) -> None:
    for name in ("deep-directives", "deep-quotes"):
        soup = read_html(hostile, f"articles/{name}")
        assert soup.select_one("h1").get_text().rstrip("¶") in ("Deep Directives", "Deep Quotes")
        assert "Deepest." not in soup.get_text()
    # The front matter was refused whole, so the article has no date and is not published.
    assert not (hostile.outdir / "articles" / "deep-front-matter.html").exists()
    pdfs = hostile.outdir / "pdf" / "articles"
    for name in ("other-extensions", "svg-images", "remote-images", "deep-directives"):
        assert (pdfs / f"{name}.pdf").is_file(), name
    assert "Deepest." not in pdf_text(pdfs / "deep-directives.pdf")
    # Footnotes in footnotes: the page has them all, the PDF a notice.
    page = read_html(hostile, "articles/deep-footnotes").get_text()
    assert "Last note." in page
    assert "nested too deep to be typeset" in pdf_text(pdfs / "deep-footnotes.pdf")
    assert "Innermost." not in read_html(hostile, "articles/deep-inline").get_text()
    assert any((hostile.outdir / "pdf").glob("*.pdf"))  # the edition


def test_deep_front_matter_is_refused_at_once() -> None:
    for value in ("[" * 30_000 + "]" * 30_000, "\n" + "- " * 30_000 + "x", "[" * 999 + "]" * 999):
        lines = ["---", "title: Deep", "date: 2024-01-01", f"tags: {value}", "---"]
        started = time.monotonic()
        front, problems = parse_front_matter("\n".join(lines).split("\n"))
        assert time.monotonic() - started < 0.5
        assert [p.line for p in problems][:1] in ([4], [5]), problems
        assert "nest more than" in problems[0].message
        assert "tags" not in front.lines


def trusted_project(tmp_path: Path, settings: str) -> Path:
    """A publication in the default (trusted) mode with the front page of the root and
    ``settings`` added to its configuration."""
    srcdir = tmp_path / "src"
    srcdir.mkdir()
    shutil.copy(ROOT / "index.md", srcdir / "index.md")
    conf = 'project = "P"\nextensions = ["broadsheet"]\nhtml_theme = "basic"\n' + settings
    (srcdir / "conf.py").write_text(conf, "utf-8")
    return srcdir


def test_deep_bodies_and_linked_sources_in_a_trusted_publication(tmp_path: Path) -> None:
    """The recursion guard and the symlink check hold in every mode, in a parallel build."""
    srcdir = trusted_project(tmp_path, 'exclude_patterns = ["private/**"]\n')
    (srcdir / "articles").mkdir()
    write_deep_articles(srcdir)
    (srcdir / "articles" / "fine.md").write_text(
        "---\ntitle: Fine\ndate: 2024-04-09\n---\n\nFine text.\n", "utf-8"
    )
    (tmp_path / "outside.md").write_text("---\ntitle: Out\ndate: 2024-04-08\n---\n\nOut.\n")
    (srcdir / "articles" / "linked.md").symlink_to(tmp_path / "outside.md")
    # A draft and an excluded file, published under a second name by a link: not at all.
    (srcdir / "articles" / "draft.md").write_text(
        "---\ntitle: Draft\ndate: 2024-04-01\ndraft: true\n---\n\nDraftword.\n", "utf-8"
    )
    (srcdir / "private").mkdir()
    (srcdir / "private" / "notes.md").write_text("# Notes\n\nPrivateword.\n", "utf-8")
    (srcdir / "pages").mkdir()
    (srcdir / "pages" / "draft-copy.md").symlink_to(srcdir / "articles" / "draft.md")
    (srcdir / "pages" / "notes-copy.md").symlink_to(srcdir / "private" / "notes.md")
    # A linked folder: every source in it leads elsewhere (outside, or to the excluded one).
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "elsewhere" / "away.md").write_text("# Away\n\nAwayword.\n", "utf-8")
    (srcdir / "away").symlink_to(tmp_path / "elsewhere", target_is_directory=True)
    (srcdir / "notes").symlink_to(srcdir / "private", target_is_directory=True)
    app = SphinxTestApp("html", srcdir=srcdir, status=StringIO(), warning=StringIO(), parallel=2)
    try:
        app.build()
        warnings = app.warning.getvalue()
        assert re.search(r"deep-directives\.md:\d+: WARNING: the text is nested too deep", warnings)
        assert "linked.md:1: WARNING: source refused" in warnings
        assert "draft-copy.md:1: WARNING: source refused: it links to another document" in (
            warnings
        )
        assert "notes-copy.md:1: WARNING: source refused: it links to a file that is not" in (
            warnings
        )
        assert "away.md:1: WARNING: source refused: it links to a file outside" in warnings
        assert "notes.md:1: WARNING: source refused: it links to a file that is not" in warnings
        for path in Path(app.outdir).rglob("*"):
            if path.is_file():
                data = pdf_text(path) if path.suffix == ".pdf" else path.read_text("latin-1")
                assert "Draftword" not in data, path
                assert "Privateword" not in data, path
                assert "Awayword" not in data, path
        assert not (app.outdir / "articles" / "linked.html").exists()
        assert "Fine text." in (app.outdir / "articles" / "fine.html").read_text("utf-8")
        assert (app.outdir / "pdf" / "articles" / "fine.pdf").is_file()
        assert (app.outdir / "pdf" / "articles" / "deep-directives.pdf").is_file()
        assert (app.outdir / "pdf" / "articles" / "deep-footnotes.pdf").is_file()
    finally:
        app.cleanup()


def test_pages_that_are_not_articles_publish_only_image_files_of_the_sources(
    tmp_path: Path,
) -> None:
    """The image rule holds in every document of every mode, not only in articles: a page's
    ``![](...)`` of a file outside the sources, of one that is not an image, or of a link out,
    is refused where it is written, and nothing of it is copied."""
    srcdir = trusted_project(tmp_path, "broadsheet_pdf = False\n# Secretword\n")
    (srcdir / "about").mkdir()
    png = (ROOT / "articles" / "images" / "lead.png").read_bytes()
    (tmp_path / "outside.png").write_bytes(png)
    (srcdir / "about" / "logo.png").write_bytes(png)
    (srcdir / "about" / "link.png").symlink_to(tmp_path / "outside.png")
    (srcdir / "about" / "index.md").write_text(
        "# About\n\n![out](../../outside.png)\n\n![conf](../conf.py)\n\n"
        "![link](link.png)\n\n```{figure} ../../outside.png\nA figure.\n```\n\n"
        "![logo](logo.png)\n",
        "utf-8",
    )
    app = SphinxTestApp("html", srcdir=srcdir, status=StringIO(), warning=StringIO())
    try:
        app.build()
        warnings = app.warning.getvalue()
        page = "about/index.md"
        assert f"{page}:3: WARNING: image '../../outside.png' refused" in warnings
        assert f"{page}:5: WARNING: image '../conf.py' refused: it is not an image" in warnings
        assert f"{page}:7: WARNING: image 'link.png' refused: it is outside" in warnings
        assert f"{page}:9: WARNING: image '../../outside.png' refused" in warnings
        images = sorted(p.name for p in (app.outdir / "_images").iterdir())
        assert images == ["logo.png"]
        for path in app.outdir.rglob("*"):
            if path.is_file():
                assert "Secretword" not in path.read_text("latin-1"), path
    finally:
        app.cleanup()
