"""PDF editions: one PDF per article and one of the whole publication, made with Typst.

Two ways in, one path through: during ``make html`` (``broadsheet_pdf``, on by default) the
PDFs are written to ``<html>/pdf/`` next to the pages that link to them; ``make pdf`` runs the
``typst`` builder, which writes only the PDFs. Either way each article is translated when its
doctree is resolved (in whichever process writes it) and compiled once all are written.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Set
from pathlib import Path
from typing import TYPE_CHECKING, Any

from docutils import nodes
from sphinx import addnodes
from sphinx.builders import Builder
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective
from sphinx.util.osutil import relative_uri

from broadsheet.articles import (
    get_domain,
    is_article,
    published,
)
from broadsheet.listings import article_list
from broadsheet.slugs import slugify
from broadsheet.translations import _
from broadsheet.typst.assets import Assets
from broadsheet.typst.compiler import PdfCompiler
from broadsheet.typst.document import (
    article_source,
    edition_source,
    label_prefix,
)
from broadsheet.typst.translator import TypstContext, TypstTranslator, create_typst_translator
from broadsheet.urls import PDF_DIR, canonical_url, url_path

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.config import Config
    from sphinx.environment import BuildEnvironment
    from sphinx.writers.html5 import HTML5Translator

logger = logging.getLogger(__name__)


def edition_file(config: Config) -> str:
    """The edition's file name."""
    return str(config.broadsheet_pdf_edition or f"{slugify(config.project)}.pdf")


def pdf_enabled(app: Sphinx) -> bool:
    """Whether this build writes PDFs."""
    return app.builder.format == "typst" or (
        app.builder.format == "html" and app.config.broadsheet_pdf
    )


def has_pdf(app: Sphinx, docname: str) -> bool:
    """Whether this build makes a PDF of ``docname``: an article, not retracted."""
    if not pdf_enabled(app) or not is_article(app.config, docname):
        return False
    article = get_domain(app.env).articles.get(docname)
    return article is None or article.retracted is None


def _work_dir(app: Sphinx) -> Path:
    return Path(app.doctreedir) / "broadsheet-typst"


def _body_path(app: Sphinx, docname: str) -> Path:
    return _work_dir(app) / "bodies" / f"{label_prefix(docname)}.typ"


def translate_article(app: Sphinx, doctree: nodes.document, docname: str) -> str:
    """The Typst body of the article ``docname``, its assets stored in the work folder."""
    root = _work_dir(app) / "root"
    Assets.prepare(root)
    context = TypstContext(
        docname=docname,
        prefix=label_prefix(docname),
        page_url=canonical_url(app.builder, docname),
        assets=Assets(root, Path(app.srcdir), docname),
    )
    translator = create_typst_translator(app, app.builder, doctree, context)
    doctree.walkabout(translator)
    return translator.astext()


def _target_dir(app: Sphinx) -> Path:
    outdir = Path(app.outdir)
    return outdir if app.builder.format == "typst" else outdir / PDF_DIR


def _compiler(app: Sphinx) -> PdfCompiler | None:
    compiler: PdfCompiler | None = getattr(app.builder, "_broadsheet_pdf", None)
    return compiler


def start_compiler(app: Sphinx) -> None:
    """Prepare the Typst root and the compiler threads before any page is written."""
    if not pdf_enabled(app):
        return
    root = _work_dir(app) / "root"
    Assets.prepare(root)
    workers = max(2, os.cpu_count() or 1)
    app.builder._broadsheet_pdf = PdfCompiler(root, _work_dir(app) / "sources", workers)  # type: ignore[attr-defined]


def capture_article(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """Translate each article as its page is written, and start its PDF when that can be.

    In a parallel build the page is written by a worker process, which only keeps the Typst
    body; the main process compiles it when the build finishes.
    """
    if not has_pdf(app, docname):
        return
    compiler = _compiler(app)
    if compiler is not None and docname in compiler.captured:
        return  # translated before the writing started (see translate_ahead)
    body = translate_article(app, doctree, docname)
    path = _body_path(app, docname)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(body, "utf-8")
    article = get_domain(app.env).articles.get(docname)
    if compiler is not None and compiler.owns_process() and article is not None:
        compiler.captured.add(docname)
        source = article_source(app.config, article, body)
        compiler.submit(source, _target_dir(app) / f"{docname}.pdf", docname)


def capture_when_read(app: Sphinx, doctree: nodes.document) -> None:
    """Translate an article as soon as it is read, when resolving would change nothing.

    Most articles link to nothing else in the publication: their doctree is already final
    when read, so their PDF can be made while Sphinx reads the rest, on the core it leaves
    idle. Articles with cross-references or listings wait for their resolved doctree.
    """
    docname = app.env.docname
    if not has_pdf(app, docname):
        return
    unresolved = (addnodes.pending_xref, article_list)
    if any(True for _node in doctree.findall(lambda n: isinstance(n, unresolved))):
        return
    capture_article(app, doctree, docname)


def note_reading(
    app: Sphinx, env: BuildEnvironment, added: Set[str], changed: Set[str], removed: Set[str]
) -> list[str]:
    """Remember which articles this build reads: their Typst bodies must be made again."""
    compiler = _compiler(app)
    if compiler is not None:
        compiler.reading = set(added) | set(changed)
    return []


def translate_ahead(app: Sphinx, builder: Builder) -> None:
    """Before the pages are written, translate the articles read in this build and start
    every PDF, the edition first, so Typst works all through the writing of the web edition.

    A page's doctree is resolved once more for this (a few milliseconds an article), which
    buys the edition -- the longest compilation -- the whole writing phase to run in.
    """
    compiler = _compiler(app)
    if compiler is None:
        return
    for article in sorted(get_domain(app.env).articles.values(), key=lambda a: a.docname):
        if article.docname in compiler.captured or article.retracted is not None:
            continue  # translated when read (capture_when_read)
        if article.docname in compiler.reading or not _body_path(app, article.docname).exists():
            # Resolving emits doctree-resolved, where capture_article translates the page.
            app.env.get_and_resolve_doctree(article.docname, builder, tags=builder.tags)
    _submit_all(app, compiler)


def _body(app: Sphinx, docname: str) -> str:
    path = _body_path(app, docname)
    if not path.exists():
        # Written by a build that made no PDFs: translate it now.
        doctree = app.env.get_and_resolve_doctree(docname, app.builder, tags=app.builder.tags)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(translate_article(app, doctree, docname), "utf-8")
    return path.read_text("utf-8")


def write_pdfs(app: Sphinx, exception: Exception | None) -> None:
    """Start the edition and the PDFs not started yet; wait for all of them.

    An article whose PDF could not be made is left out of the edition, which is made again
    without it if it failed too, and its page is written again without the link to its PDF
    (as is, on the build after, the page of one whose PDF can be made again).
    """
    compiler = _compiler(app)
    if compiler is None:
        return
    if exception is not None:
        compiler.finish()
        return
    _submit_all(app, compiler)
    written = compiler.finish(
        remake=lambda failed: _edition(app, failed), locate=lambda d, t: _formula_line(app, d, t)
    )
    logger.info("broadsheet: %d PDF(s) written to %s", written, _target_dir(app))
    record = _work_dir(app) / f"failed-{app.builder.format}.txt"
    before = set(record.read_text("utf-8").split("\n")) - {""} if record.exists() else set()
    record.write_text("\n".join(sorted(compiler.failed)), "utf-8")
    if app.builder.format == "html":
        _rewrite_pages(app, compiler.failed ^ before)


def failed_pdfs(builder: Builder) -> set[str]:
    """The articles whose PDF this build could not make (once the PDFs are made)."""
    compiler: PdfCompiler | None = getattr(builder, "_broadsheet_pdf", None)
    return compiler.failed if compiler is not None else set()


def _rewrite_pages(app: Sphinx, docnames: set[str]) -> None:
    """Write the pages of ``docnames`` again, so their links follow their PDFs."""
    builder = app.builder
    for docname in sorted(docnames & app.env.all_docs.keys()):
        doctree = app.env.get_and_resolve_doctree(docname, builder, tags=builder.tags)
        builder.write_doc_serialized(docname, doctree)
        builder.write_doc(docname, doctree)


def _formula_line(app: Sphinx, docname: str, latex: str) -> tuple[str, int] | str:
    """Where the formula ``latex`` is in ``docname``'s source: its first line, else the file."""
    first = next((line.strip() for line in latex.splitlines() if line.strip()), "")
    try:
        lines = Path(app.env.doc2path(docname)).read_text("utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return docname
    number = next((n for n, line in enumerate(lines, 1) if first and first in line), 0)
    return (docname, number) if number else docname


def _edition(app: Sphinx, failed: set[str]) -> tuple[str, Path]:
    """The edition's source without the articles in ``failed``, and its path."""
    config = app.config
    articles = get_domain(app.env).articles.values()
    edition = published(a for a in articles if a.retracted is None)
    if config.broadsheet_pdf_order == "oldest":
        edition.reverse()
    kept = [a for a in edition if a.docname not in failed]
    omitted = tuple(a.title for a in edition if a.docname in failed)
    source = edition_source(config, kept, [_body(app, a.docname) for a in kept], omitted)
    return source, _target_dir(app) / edition_file(config)


def _submit_all(app: Sphinx, compiler: PdfCompiler) -> None:
    """Start the edition, then every article PDF not started yet."""
    config = app.config
    target = _target_dir(app)
    articles = get_domain(app.env).articles.values()
    everything = sorted((a for a in articles if a.retracted is None), key=lambda a: a.docname)
    # The edition is the longest to make: start it first.
    compiler.submit(*_edition(app, set()), None)
    for article in everything:
        output = target / f"{article.docname}.pdf"
        if not compiler.submitted(output):
            source = article_source(config, article, _body(app, article.docname))
            compiler.submit(source, output, article.docname)


class TypstBuilder(Builder):
    """``-b typst``: only the PDF editions (``make pdf``)."""

    name = "typst"
    format = "typst"
    default_translator_class = TypstTranslator
    epilog = "The PDF editions are in %(outdir)s."
    allow_parallel = True

    def init(self) -> None:
        pass

    def get_outdated_docs(self) -> Iterator[str]:
        for docname in self.env.found_docs:
            if is_article(self.config, docname):
                yield docname

    def get_target_uri(self, docname: str, typ: str | None = None) -> str:
        # Links between documents point at the web edition, quoted as its builder quotes them.
        return url_path(docname) + (self.config.html_file_suffix or ".html")

    def prepare_writing(self, docnames: Set[str]) -> None:
        pass

    def write_doc(self, docname: str, doctree: nodes.document) -> None:
        pass  # capture_article, on doctree-resolved, does the work for every builder

    def finish(self) -> None:
        pass  # write_pdfs runs on build-finished


class edition_link(nodes.General, nodes.Element):  # noqa: N801 (docutils names node classes in lowercase)
    """Where the ``edition-pdf`` directive links to the edition."""


class EditionLinkDirective(SphinxDirective):
    """``edition-pdf``: a link to the PDF of the whole publication (web edition only)."""

    def run(self) -> list[nodes.Node]:
        node = edition_link()
        self.set_source_info(node)
        return [node]


def visit_edition_link_html(self: HTML5Translator, node: edition_link) -> None:
    config = self.builder.config
    if config.broadsheet_pdf:
        page = self.builder.get_target_uri(self.builder.current_docname)
        href = relative_uri(page, url_path(f"{PDF_DIR}/{edition_file(config)}"))
        text = self.encode(_("Download the whole publication (PDF)"))
        self.body.append(
            f'<p class="broadsheet-edition-pdf"><a href="{self.attval(href)}" '
            f'type="application/pdf" download>{text}</a></p>\n'
        )
    raise nodes.SkipNode


def skip(self: Any, node: nodes.Node) -> None:
    raise nodes.SkipNode


def setup_pdf(app: Sphinx) -> None:
    """Register the PDF configuration, builder, directive and hooks."""
    app.add_builder(TypstBuilder)
    app.add_directive("edition-pdf", EditionLinkDirective)
    app.add_node(
        edition_link,
        html=(visit_edition_link_html, None),
        latex=(skip, None),
        text=(skip, None),
        man=(skip, None),
        texinfo=(skip, None),
    )
    # After the listings are filled (priority 500), so a listing inside an article is complete.
    app.connect("doctree-resolved", capture_article, priority=600)
    app.connect("builder-inited", start_compiler)
    # After the environment collectors (500), which give images their paths.
    app.connect("doctree-read", capture_when_read, priority=900)
    app.connect("env-get-outdated", note_reading)
    app.connect("write-started", translate_ahead)
    app.connect("build-finished", write_pdfs)
