"""PDF editions: per-article PDFs and the edition, read back with pypdf."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from pypdf import PdfReader
from sphinx.testing.util import SphinxTestApp

from conftest import pdf_outline, pdf_text, pdf_uris, read_html
from helpers import article_sections

BuildFn = Callable[..., SphinxTestApp]
TYPST_SOURCE = re.compile(r"#(bs-|heading|link\(|strong\[|emph\[|raw\(|footnote|figure|table)")


def pdf_dir(app: SphinxTestApp) -> Path:
    return Path(app.outdir) / "pdf"


@pytest.mark.sphinx("html", testroot="pdf")
def test_article_pdf_metadata_outline_and_links(app: SphinxTestApp) -> None:
    app.build()
    path = pdf_dir(app) / "articles" / "nodes.pdf"
    reader = PdfReader(path)
    assert len(reader.pages) > 0
    assert reader.metadata.title == "Every Node"
    assert reader.metadata.author == "Ada Lovelace, Grace Hopper"
    assert reader.metadata["/Keywords"] == "testing, pdf"
    assert reader.metadata.creation_date.date().isoformat() == "2024-03-01"
    catalog = reader.trailer["/Root"]
    assert catalog["/Lang"] == "en"
    # Tagged, and PDF/UA-1 as declared in the XMP metadata.
    assert catalog["/MarkInfo"]["/Marked"]
    assert "/StructTreeRoot" in catalog
    assert b"pdfuaid" in catalog["/Metadata"].get_object().get_data()

    sections = article_sections(read_html(app, "articles/nodes"), 6)
    assert pdf_outline(path) == [(0, "Every Node")] + [(d, t) for d, t, _id in sections]

    uris = pdf_uris(path)
    assert "https://example.org/page" in uris
    assert "https://gazette.example.org/articles/fmtitle.html" in uris
    assert "https://gazette.example.org/articles/nodes.html" in uris
    # The QR code of the article's address, on the last page.
    assert len(reader.pages[-1].images) == 1


@pytest.mark.sphinx("html", testroot="pdf")
def test_every_node_renders(app: SphinxTestApp) -> None:
    app.build()
    path = pdf_dir(app) / "articles" / "nodes.pdf"
    text = pdf_text(path)
    expected_in_order = [
        "Every Node",
        "A deck for the cover block",
        "By Ada Lovelace and Grace Hopper",
        "Table of Contents",
        "Opening paragraph with emphasis, strong, literal code",
        "Lists and quotes",
        "Bullet one",
        "Enumerated two",
        "Term alpha",
        "Definition of alpha.",
        "A quoted thought worth keeping.",
        "Quoted Author",
        "Code and tables",
        "def area(points):",
        "Left Centre Right",
        "Table title here",
        "Head A Head B",
        "Spanning both columns",
        "Figures and notes",
        "Figure caption text.",
        "A claim with a footnote",
        "CIT2002",
        "Citation body text.",
        "Line block first line",
        "Line block second line",
        "Note A note admonition body.",
        "Warning A warning admonition body.",
        "Custom title Generic admonition body.",
        "A rubric heading",
        "Mathematics and raw",
        "Raw Typst here",
        "Leave a Reply",
        "https://gazette.example.org/articles/nodes.html",
    ]
    position = 0
    for fragment in expected_in_order:
        found = text.find(fragment, position)
        assert found >= 0, f"{fragment!r} missing or out of order"
        position = found + len(fragment)
    assert "The footnote's own text." in text
    assert "Raw HTML is left out" not in text
    assert not TYPST_SOURCE.search(text)
    reader = PdfReader(path)
    fonts = {
        str(font.get_object()["/BaseFont"])
        for page in reader.pages
        for font in (page["/Resources"].get("/Font") or {}).values()
    }
    assert any("Math" in font for font in fonts), fonts  # the display formula is typeset
    assert sum(len(page.images) for page in reader.pages) >= 2  # the figure and the QR code


@pytest.mark.sphinx("html", testroot="pdf")
def test_injection_inputs_stay_text(app: SphinxTestApp) -> None:
    app.build()
    path = pdf_dir(app) / "articles" / "inject.pdf"
    text = pdf_text(path)
    title = 'Inject #read("/etc/passwd") $x$ *s* _u_ @lbl <tag> \\ ] ) [ ('
    assert PdfReader(path).metadata.title == title
    for fragment in [
        title,
        'Deck #eval("1+1") // not a comment',
        'By Eve #import "@preview/x:0.1.0"',
        "#sym.ast",
        "<b>tag</b>",
        'Text with #read("/etc/passwd") and $x$ and *star* and _under_ and @label and <tag>.',
        "Backslash \\ closing ] and ) and opening [ and ( and #raw = heading - list + enum",
        "Heading #set text(size: 40pt)",
    ]:
        assert fragment in text, fragment
    assert "root:" not in text


@pytest.mark.sphinx(
    "html",
    testroot="pdf",
    srcdir="pdf-all",
    confoverrides={"broadsheet_pdf_edition_period": "all"},
)
def test_edition_has_every_published_article(app: SphinxTestApp) -> None:
    app.build()
    path = pdf_dir(app) / "pdf-gazette.pdf"
    text = pdf_text(path)
    assert text.startswith("PDF Gazette Complete edition 4 articles")
    titles = [title for depth, title in pdf_outline(path) if depth == 0]
    assert titles == [
        "Every Node",
        'Inject #read("/etc/passwd") $x$ *s* _u_ @lbl <tag> \\ ] ) [ (',
        "Second Article",
        "Unknown Nodes",
    ]
    assert "Draft Piece" not in text
    assert "Draft text." not in text
    # A draft has no PDF of its own either: it is not published at all.
    assert not (pdf_dir(app) / "articles" / "draft.pdf").exists()


@pytest.mark.sphinx("html", testroot="pdf")
def test_pages_link_to_their_pdfs(app: SphinxTestApp) -> None:
    app.build()
    outdir = Path(app.outdir)
    for docname in ["articles/nodes", "articles/fmtitle"]:
        link = read_html(app, docname).select_one(".broadsheet-pdf a")
        assert link.get_text() == "Download PDF"
        assert (outdir / "articles" / link["href"]).resolve().is_file()
    # The front page links the latest edition (March 2024), which the edition's name copies.
    edition = read_html(app, "index").select_one(".broadsheet-edition-pdf a")
    latest = pdf_dir(app) / "editions" / "2024-03.pdf"
    assert (outdir / edition["href"]).resolve() == latest.resolve()
    assert (pdf_dir(app) / "pdf-gazette.pdf").read_bytes() == latest.read_bytes()


@pytest.mark.sphinx("html", testroot="pdf", srcdir="pdf-unknown")
def test_version_notes_render(app: SphinxTestApp) -> None:
    # Once unknown to the PDF writer; an unknown node is tested in test_typst_extensions.py.
    app.build()
    output = re.sub(r"\x1b\[[0-9;]*m", "", app.warning.getvalue())
    assert [line for line in output.splitlines() if "[broadsheet.typst]" in line] == []
    text = pdf_text(pdf_dir(app) / "articles" / "unknown.pdf")
    assert "Added in version 1.0: First unknown node text." in text
    assert "First unknown node text." in text
    assert "Second unknown node text." in text


@pytest.mark.sphinx(
    "html", testroot="pdf", srcdir="pdf-off", confoverrides={"broadsheet_pdf": False}
)
def test_pdfs_can_be_turned_off(app: SphinxTestApp) -> None:
    app.build()
    assert not pdf_dir(app).exists()
    assert read_html(app, "articles/nodes").select(".broadsheet-pdf") == []
    assert read_html(app, "index").select(".broadsheet-edition-pdf") == []


@pytest.mark.sphinx("typst", testroot="pdf", srcdir="pdf-only")
def test_typst_builder_writes_only_pdfs(app: SphinxTestApp) -> None:
    app.build()
    outdir = Path(app.outdir)
    assert (outdir / "articles" / "nodes.pdf").is_file()
    assert (outdir / "pdf-gazette.pdf").is_file()
    assert not list(outdir.rglob("*.html"))


def pdf_bytes(app: SphinxTestApp) -> dict[str, bytes]:
    root = pdf_dir(app)
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*.pdf"))}


def test_builds_are_reproducible(
    copy_root: Callable[..., Path], build: BuildFn, monkeypatch: pytest.MonkeyPatch
) -> None:
    # After every article's date: an article dated later is not published at all.
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1732000000")
    first = pdf_bytes(build(copy_root("pdf", "first")))
    second = pdf_bytes(build(copy_root("pdf", "second")))
    parallel = pdf_bytes(build(copy_root("pdf", "parallel"), parallel=2))
    # Four articles, the editions of their four months and the copy of the latest; the
    # draft has none.
    assert len(first) == 9
    assert first == second
    assert first == parallel
    # An edition names its period, not the day of the build (SOURCE_DATE_EPOCH or not).
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    third = Path(build(copy_root("pdf", "third")).outdir) / "pdf" / "editions" / "2024-03.pdf"
    assert pdf_text(third).startswith("PDF Gazette March 2024 1 article · March 1, 2024 ")
    assert third.read_bytes() == first["editions/2024-03.pdf"]


def test_rebuilds_compile_only_what_changed(copy_root: Callable[..., Path], build: BuildFn) -> None:
    srcdir = copy_root("pdf")
    app = build(srcdir)
    root = pdf_dir(app)
    before = {p: p.stat().st_mtime_ns for p in root.rglob("*.pdf")}
    build(srcdir)
    assert {p: p.stat().st_mtime_ns for p in root.rglob("*.pdf")} == before

    article = srcdir / "articles" / "fmtitle.md"
    article.write_text(article.read_text("utf-8").replace("More text.", "Edited text."), "utf-8")
    build(srcdir)
    changed = sorted(str(p.relative_to(root)) for p in before if p.stat().st_mtime_ns != before[p])
    assert changed == ["articles/fmtitle.pdf", "editions/2024-01.pdf"]  # dated January 2024
    assert "Edited text." in pdf_text(root / "articles" / "fmtitle.pdf")
