"""The ``typst`` builder: each article's resolved doctree translated to Typst, then PDFs.

Sphinx runs it for ``make pdf`` (``-b typst``). During ``make html`` (``broadsheet_pdf``, on
by default) the HTML build drives one alongside it (:meth:`TypstBuilder.alongside`), feeding it
every article's doctree as resolved for the web page (:mod:`broadsheet.typst.pdf`), so the
PDFs compile on worker threads while the pages are written. Either way the translator is made
through Sphinx's registry (:meth:`~sphinx.builders.Builder.create_translator`), so an
extension's ``app.add_node(node, typst=...)`` and ``app.set_translator("typst", cls)`` apply.

An article's Typst body is kept under the doctree folder, so a rebuild compiles the edition
from the bodies of the articles it did not write again; a PDF is compiled again only when its
whole source changed.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Set
from pathlib import Path
from typing import TYPE_CHECKING

from docutils import nodes
from sphinx.builders import Builder
from sphinx.errors import ExtensionError
from sphinx.util import logging
from sphinx.util.tags import Tags

from broadsheet.articles import Article, get_domain, is_article, published
from broadsheet.slugs import docname_stem, slugify
from broadsheet.translations import __
from broadsheet.typst.assets import Assets
from broadsheet.typst.compiler import PdfCompiler, failed_articles, failed_record
from broadsheet.typst.document import article_source, edition_source
from broadsheet.typst.translator import TypstContext, TypstTranslator
from broadsheet.urls import PDF_DIR, canonical_url, url_path

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.config import Config

logger = logging.getLogger(__name__)


def edition_file(config: Config) -> str:
    """The edition's file name."""
    return str(config.broadsheet_pdf_edition or f"{slugify(config.project)}.pdf")


def builder_tags(builder_name: str, builder_format: str) -> set[str]:
    """The tags Sphinx sets for a builder (``Builder.__init__``), which ``only`` tests."""
    return {builder_format, builder_name, f"format_{builder_format}", f"builder_{builder_name}"}


class TypstBuilder(Builder):
    """``-b typst``: only the PDF editions (``make pdf``); also the PDFs of an HTML build."""

    name = "typst"
    format = "typst"
    default_translator_class = TypstTranslator
    epilog = __("The PDF editions are in %(outdir)s.")
    allow_parallel = True

    #: The builder of the web edition this one works alongside, if any.
    web: Builder | None = None

    @classmethod
    def alongside(cls, app: Sphinx) -> TypstBuilder:
        """A builder making the PDFs of the HTML build ``app`` runs, into ``<outdir>/pdf``."""
        web = app.builder
        shared = set(app.tags)
        builder = cls(app, app.env)
        # Builder.__init__ adds this builder's tags to the application's, which would let
        # ``{only} typst`` blocks into the web pages: they are this builder's alone.
        for tag in set(app.tags) - shared:
            app.tags.remove(tag)
        own = shared - builder_tags(web.name, web.format)
        builder.tags = Tags(sorted(own | builder_tags(cls.name, cls.format)))
        builder.web = web
        builder.outdir = web.outdir / PDF_DIR
        builder.init()
        return builder

    def init(self) -> None:
        self.work_dir = Path(self.doctreedir) / "broadsheet-typst"
        self.root = self.work_dir / "root"
        Assets.prepare(self.root)
        workers = max(2, os.cpu_count() or 1)
        self.compiler = PdfCompiler(self.root, self.work_dir / "sources", workers)
        #: Articles translated in this build.
        self.translated: set[str] = set()
        #: Articles whose PDF was made in the last build and not in this one, or the reverse:
        #: their pages' links to their PDFs must change (known once :meth:`finish` returns).
        self.failures_changed: set[str] = set()

    # -- what to write, and where links lead -----------------------------------------------

    def get_outdated_docs(self) -> Iterator[str]:
        for docname in self.env.found_docs:
            if is_article(self.config, docname):
                yield docname

    def get_target_uri(self, docname: str, typ: str | None = None) -> str:
        # Links between documents point at the web edition.
        if self.web is not None:
            return self.web.get_target_uri(docname, typ)
        # Quoted as the web edition's builder quotes them.
        return url_path(docname) + (self.config.html_file_suffix or ".html")

    def prepare_writing(self, docnames: Set[str]) -> None:
        pass

    def has_pdf(self, docname: str) -> bool:
        """Whether ``docname`` gets a PDF: an article, not retracted."""
        if not is_article(self.config, docname):
            return False
        article = get_domain(self.env).articles.get(docname)
        return article is None or article.retracted is None

    def body_path(self, docname: str) -> Path:
        """Where the Typst body of ``docname`` is kept between builds."""
        return self.work_dir / "bodies" / f"{docname_stem(docname)}.typ"

    # -- translating -------------------------------------------------------------------------

    def translate(self, docname: str, doctree: nodes.document) -> str:
        """The Typst body of the article ``docname``; its images stored in the Typst root."""
        context = TypstContext(
            docname=docname,
            prefix=docname_stem(docname),
            page_url=canonical_url(self.web or self, docname),
            assets=Assets(self.root, Path(self.srcdir), docname),
        )
        translator = self.create_translator(doctree, self, context)
        if not isinstance(translator, TypstTranslator):
            msg = __("the translator set for %r must be a subclass of %s, not %s")
            raise ExtensionError(msg % (self.name, TypstTranslator.__qualname__, type(translator)))
        doctree.walkabout(translator)
        return translator.astext()

    def write_doc(self, docname: str, doctree: nodes.document) -> None:
        """Translate an article, keep its body, and start its PDF (and the edition once every
        article is translated)."""
        if not self.has_pdf(docname):
            return
        body = self.translate(docname, doctree)
        path = self.body_path(docname)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(body, "utf-8")
        if not self.compiler.owns_process():
            return  # a worker process of a parallel build: finish() starts the PDF
        self.translated.add(docname)
        article = get_domain(self.env).articles.get(docname)
        if article is not None:
            source = article_source(self.config, article, body)
            self.compiler.submit(source, self.outdir / f"{docname}.pdf", docname)
        if {a.docname for a in self._articles()} <= self.translated:
            self._submit_all()  # the edition, the longest to make, starts now

    def finish(self) -> None:
        """Start the edition and the PDFs not started yet; wait for all of them.

        An article whose PDF could not be made is left out of the edition, which is made
        again without it if it failed too; the failures are recorded for the pages' links.
        """
        if self.web is not None:
            self._resolve_unwritten()
        self._submit_all()
        written = self.compiler.finish(remake=self._edition, locate=self._formula_line)
        logger.info(__("broadsheet: %d PDF(s) written to %s"), written, self.outdir)
        web_format = (self.web or self).format
        before = failed_articles(self.doctreedir, web_format)
        failed_record(self.doctreedir, web_format).write_text(
            "\n".join(sorted(self.compiler.failed)), "utf-8"
        )
        self.failures_changed = self.compiler.failed ^ before

    def abandon(self) -> None:
        """Wait for the compilations under way, start no other (the build failed)."""
        self.compiler.finish()

    def _resolve_unwritten(self) -> None:
        """Articles that have no body and whose pages the build did not write (a
        ``singlehtml`` build writes only the root document): resolved now, once, so that
        ``doctree-resolved`` gives them to this builder like the others."""
        web = self.web
        assert web is not None
        for article in self._articles():
            docname = article.docname
            if docname not in self.translated and not self.body_path(docname).exists():
                self.env.get_and_resolve_doctree(docname, web, tags=web.tags)

    def _articles(self) -> list[Article]:
        articles = get_domain(self.env).articles.values()
        return sorted((a for a in articles if a.retracted is None), key=lambda a: a.docname)

    def _edition(self, failed: set[str]) -> tuple[str, Path]:
        """The edition's source without the articles in ``failed``, and its path."""
        config = self.config
        edition = published(self._articles())
        if config.broadsheet_pdf_order == "oldest":
            edition.reverse()
        kept = [a for a in edition if a.docname not in failed]
        omitted = tuple(a.title for a in edition if a.docname in failed)
        bodies = [self._body(a.docname) for a in kept]
        source = edition_source(config, kept, bodies, omitted)
        return source, self.outdir / edition_file(config)

    def _formula_line(self, docname: str, latex: str) -> tuple[str, int] | str:
        """Where the formula ``latex`` is in ``docname``'s source: its first line, else the
        file."""
        first = next((line.strip() for line in latex.splitlines() if line.strip()), "")
        try:
            lines = Path(self.env.doc2path(docname)).read_text("utf-8").splitlines()
        except (OSError, UnicodeDecodeError):
            return docname
        number = next((n for n, line in enumerate(lines, 1) if first and first in line), 0)
        return (docname, number) if number else docname

    def _body(self, docname: str) -> str:
        # Every article has a body by now: translated in this build or an earlier one.
        return self.body_path(docname).read_text("utf-8")

    def _submit_all(self) -> None:
        """Start the edition, then every article PDF not started yet."""
        config = self.config
        source, output = self._edition(set())
        if not self.compiler.submitted(output):
            self.compiler.submit(source, output, None)
        for article in self._articles():
            output = self.outdir / f"{article.docname}.pdf"
            if not self.compiler.submitted(output):
                source = article_source(config, article, self._body(article.docname))
                self.compiler.submit(source, output, article.docname)
