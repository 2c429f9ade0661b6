"""PDF editions: per-article PDFs and the edition, read back with pypdf."""

from __future__ import annotations

import re
import shutil
import struct
import zlib
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


def png(rgb: tuple[int, int, int]) -> bytes:
    """A 2x2 PNG of one colour."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    rows = (b"\x00" + bytes(rgb) * 2) * 2
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", 2, 2, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


def test_replacing_a_file_an_svg_links_remakes_its_pdfs(
    copy_root: Callable[..., Path], build: BuildFn, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1732000000")
    srcdir = copy_root("pdf", "incremental")
    images = srcdir / "images"
    (images / "parts").mkdir()
    # nodes.md (March 2024) shows square.svg: a link into a subfolder, kept and dropped links.
    (images / "square.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
        'width="20" height="20"><defs><rect id="r" width="4" height="4"/></defs>'
        '<image href="parts/dot.png" width="10" height="10"/>'
        '<image xlink:href="../../outside.png" x="10" width="10" height="10"/>'
        "<image href='missing.png' y='10' width='10' height='10'/>"
        '<image href="data:image/png;base64,AAAA" width="1" height="1"/>'
        '<use href="#r" x="10" y="10"/></svg>',
        "utf-8",
    )
    (images / "parts" / "dot.png").write_bytes(png((200, 30, 30)))
    (srcdir.parent / "outside.png").write_bytes(png((30, 30, 200)))
    # fmtitle.md (January 2024) shows a second SVG, linking back up with xlink:href.
    (images / "parts" / "ring.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
        'width="20" height="20"><image xlink:href="../tone.png" width="20" height="20"/></svg>',
        "utf-8",
    )
    (images / "tone.png").write_bytes(png((30, 200, 30)))
    article = srcdir / "articles" / "fmtitle.md"
    text = article.read_text("utf-8").replace(
        "More text.", "More text.\n\n![A ring](../images/parts/ring.svg)"
    )
    article.write_text(text, "utf-8")

    app = build(srcdir)
    linked = {
        docname: {
            path.relative_to(srcdir.resolve()).as_posix()
            for path in (Path(srcdir, d).resolve() for d in app.env.dependencies[docname])
            if path.suffix == ".png"
        }
        for docname in ("articles/nodes", "articles/fmtitle")
    }
    # Neither the file outside the sources nor the missing one (which would make the article
    # outdated in every build); the figure's dot.png is Sphinx's own.
    assert linked == {
        "articles/nodes": {"images/parts/dot.png", "images/dot.png"},
        "articles/fmtitle": {"images/tone.png"},
    }
    # Typst fails a whole PDF on a link it cannot load: the links not inlined are dropped.
    assert "could not be made" not in app.warning.getvalue()
    first = pdf_bytes(app)
    assert len(first) == 9

    (images / "parts" / "dot.png").write_bytes(png((250, 250, 0)))
    (srcdir.parent / "outside.png").write_bytes(png((0, 0, 0)))  # never in the PDF
    second = pdf_bytes(build(srcdir))
    changed = sorted(name for name in first if first[name] != second[name])
    assert changed == ["articles/nodes.pdf", "editions/2024-03.pdf", "pdf-gazette.pdf"]

    (images / "tone.png").write_bytes(png((0, 250, 250)))
    third = pdf_bytes(build(srcdir))
    changed = sorted(name for name in first if second[name] != third[name])
    assert changed == ["articles/fmtitle.pdf", "editions/2024-01.pdf"]

    clean = srcdir.parent / "clean"
    shutil.copytree(srcdir, clean, ignore=shutil.ignore_patterns("_build"))
    assert pdf_bytes(build(clean)) == third
