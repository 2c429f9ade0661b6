"""The Typst writer is made through Sphinx's registry: extensions' renderings and translators."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest
from pypdf import PdfReader
from sphinx.testing.util import SphinxTestApp

from broadsheet.slugs import docname_stem
from conftest import pdf_text, read_html

BuildFn = Callable[..., SphinxTestApp]
ARTICLE = "articles/stamped"
PREFIX = docname_stem(ARTICLE)


def typst_body(app: SphinxTestApp, docname: str = ARTICLE) -> str:
    """The Typst body the writer made for ``docname``."""
    path = Path(app.doctreedir) / "broadsheet-typst" / "bodies" / f"{docname_stem(docname)}.typ"
    return path.read_text("utf-8")


def article_pdf(app: SphinxTestApp) -> Path:
    folder = Path(app.outdir) if app.builder.name == "typst" else Path(app.outdir) / "pdf"
    return folder / f"{ARTICLE}.pdf"


def typst_warnings(app: SphinxTestApp) -> list[str]:
    output = re.sub(r"\x1b\[[0-9;]*m", "", app.warning.getvalue())
    return [line for line in output.splitlines() if "[broadsheet.typst]" in line]


def internal_links(path: Path) -> int:
    """How many link annotations of the PDF jump within it."""
    count = 0
    for page in PdfReader(path).pages:
        for annotation in page.get("/Annots") or []:
            annotation = annotation.get_object()
            action = annotation.get("/A")
            if "/Dest" in annotation or (action is not None and action.get("/S") == "/GoTo"):
                count += 1
    return count


@pytest.mark.parametrize("buildername", ["html", "typst"])
def test_add_node_typst_visitor_is_used(
    buildername: str, copy_root: Callable[..., Path], build: BuildFn
) -> None:
    app = build(copy_root("typst-extensions"), buildername)
    text = pdf_text(article_pdf(app))
    # The extension's own rendering (red, with its prefix), not the node's bare text.
    assert "STAMPED: Approved for print" in text
    assert '#text(fill: red)["STAMPED: Approved for print"]' in typst_body(app)
    # A node with no Typst rendering keeps its text, with one located warning.
    assert "Mystery text stays." in text
    warnings = typst_warnings(app)
    assert len(warnings) == 1
    assert "stamped.md:15" in warnings[0]
    assert "'mystery'" in warnings[0]
    # The default translator: emphasis as emphasis, no capitals.
    assert "emphasised words" in text
    assert "EMPHASISED WORDS" not in text


def test_set_translator_typst_is_used_in_html_builds(
    copy_root: Callable[..., Path], build: BuildFn
) -> None:
    for buildername in ("html", "typst"):
        app = build(
            copy_root("typst-extensions", buildername),
            buildername,
            confoverrides={"extensions": ["broadsheet", "stamps", "shouting"]},
        )
        body = typst_body(app)
        assert "#upper[emphasised words] /* shouted */" in body
        assert "EMPHASISED WORDS" in pdf_text(article_pdf(app))
        # Node renderings registered with add_node still reach the replaced translator.
        assert '#text(fill: red)["STAMPED: Approved for print"]' in body


@pytest.mark.sphinx("html", testroot="typst-extensions", srcdir="typst-nodes")
def test_sphinx_nodes_dispatch_along_their_classes(app: SphinxTestApp) -> None:
    app.build()
    body = typst_body(app)
    # literal_strong renders as strong, literal_emphasis as emphasis, download_reference as a
    # link to the file in the web edition.
    assert r"#strong[rm \-rf]" in body
    assert r"#emph[text\/plain]" in body
    assert re.search(r'#link\("https://ext\.example\.org/_downloads/[0-9a-f]+/dot\.png"\)', body)


@pytest.mark.sphinx("html", testroot="typst-extensions", srcdir="typst-links")
def test_every_id_is_a_link_target(app: SphinxTestApp) -> None:
    app.build()
    body = typst_body(app)
    for name in ("my-target", "fig-dot", "equation-eq-one", "tab-small"):
        label = f"{PREFIX}-{name}"
        # The target is placed once, and the references to it link to it.
        assert body.count(f"<{label}>") == 1, name
        assert f'#link(label("{label}"))' in body, name
    # The references in the PDF jump within it: paragraph, figure (twice), equation, table.
    assert internal_links(article_pdf(app)) >= 5


@pytest.mark.parametrize("buildername", ["html", "typst"])
def test_pdf_translated_from_the_one_resolved_doctree(
    buildername: str, copy_root: Callable[..., Path], make_app: Callable[..., SphinxTestApp]
) -> None:
    app = make_app(buildername, srcdir=copy_root("typst-extensions", f"once-{buildername}"))
    resolved: Counter[str] = Counter()

    def count(_app: object, _doctree: object, docname: str) -> None:
        resolved[docname] += 1

    app.connect("doctree-resolved", count)
    app.build()
    # Every doctree-resolved handler runs once per document: the PDF uses the page's doctree.
    assert resolved[ARTICLE] == 1
    assert set(resolved.values()) == {1}
    # Resolved for the PDF: after the post-transforms, the only blocks decided for Typst.
    text = pdf_text(article_pdf(app))
    assert "Only for the PDF edition." in text
    assert "For both editions." in text
    assert "Only for the web edition." not in text
    assert "Only for the LaTeX edition." not in text
    if buildername == "html":
        page = read_html(app, ARTICLE).get_text()
        assert "Only for the web edition." in page
        assert "For both editions." in page
        assert "Only for the PDF edition." not in page
        assert "Only for the LaTeX edition." not in page
        assert "edition_only" not in (Path(app.outdir) / f"{ARTICLE}.html").read_text("utf-8")


def test_articles_without_a_body_are_written(
    copy_root: Callable[..., Path], build: BuildFn
) -> None:
    # A build with PDFs off translates nothing; the next one with PDFs on must make every PDF
    # even though no page is outdated.
    srcdir = copy_root("typst-extensions")
    build(srcdir, confoverrides={"broadsheet_pdf": False})
    app = build(srcdir)
    assert "Approved for print" in pdf_text(article_pdf(app))
    assert (Path(app.outdir) / "pdf" / "extension-gazette.pdf").is_file()


def test_articles_without_a_page_are_translated(
    copy_root: Callable[..., Path], make_app: Callable[..., SphinxTestApp]
) -> None:
    # singlehtml writes only the root document: each article is resolved once, for its PDF.
    app = make_app("singlehtml", srcdir=copy_root("typst-extensions"))
    resolved: Counter[str] = Counter()
    app.connect("doctree-resolved", lambda _app, _doctree, docname: resolved.update([docname]))
    app.build()
    assert resolved[ARTICLE] == 1
    assert "Approved for print" in pdf_text(article_pdf(app))
