"""The ``typst`` builder: each article's resolved doctree translated to Typst, then PDFs.

Sphinx runs it for ``make pdf`` (``-b typst``). During ``make html`` (``broadsheet_pdf``, on
by default) the HTML build drives one alongside it (:meth:`TypstBuilder.alongside`), feeding it
every article's doctree as resolved for the web page (:mod:`broadsheet.typst.pdf`), so the
PDFs compile on worker threads while the pages are written. Either way the translator is made
through Sphinx's registry (:meth:`~sphinx.builders.Builder.create_translator`), so an
extension's ``app.add_node(node, typst=...)`` and ``app.set_translator("typst", cls)`` apply.

An article's Typst body is kept under the doctree folder, so a rebuild compiles the editions
from the bodies of the articles it did not write again; a PDF is compiled again only when its
whole source changed. Editions are periodic (:mod:`broadsheet.typst.editions`): an edit
recompiles the article's PDF and its period's edition, nothing else; the edition starts as soon
as the edited article is translated (:meth:`TypstBuilder._ready`), and a rebuild does not even
compose the sources of the PDFs whose articles it neither read nor translated
(:meth:`TypstBuilder._unchanged`).
"""

from __future__ import annotations

import functools
import hashlib
import importlib.metadata
import json
import os
from collections.abc import Iterator, Set
from pathlib import Path
from typing import TYPE_CHECKING

from docutils import nodes
from sphinx.builders import Builder
from sphinx.errors import ExtensionError
from sphinx.util import logging
from sphinx.util.tags import Tags

from broadsheet.articles import Article, get_domain, is_article
from broadsheet.parsing import too_deep_notice
from broadsheet.slugs import docname_stem
from broadsheet.translations import __
from broadsheet.typst import compiler, document, escape, math
from broadsheet.typst.assets import TEMPLATE, Assets
from broadsheet.typst.compiler import PdfCompiler, failed_articles, failed_record
from broadsheet.typst.document import article_source, edition_source
from broadsheet.typst.editions import Edition, edition_file, editions_of, remove_stale
from broadsheet.typst.translator import TypstContext, TypstTranslator
from broadsheet.urls import PDF_DIR, canonical_url, url_path

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.config import Config

logger = logging.getLogger(__name__)


def _same_text(path: Path, text: str) -> bool:
    """Whether the file ``path`` holds ``text``."""
    try:
        return path.read_text("utf-8") == text
    except (OSError, UnicodeDecodeError):
        return False


#: The settings that shape a PDF; some of them do not make Sphinx read or write any page.
PDF_SETTINGS = (
    "project",
    "language",
    "html_baseurl",
    "broadsheet_pdf_paper",
    "broadsheet_pdf_order",
    "broadsheet_pdf_edition_period",
    "broadsheet_timezone",
    "broadsheet_date_format",
)


def _maker(config: Config) -> str:
    """What decides a PDF besides its source: the settings that shape it, the template, the
    modules that compose and compile the sources, and Typst's version."""
    digest = hashlib.sha256()
    for path in (TEMPLATE, *(Path(m.__file__ or "") for m in (document, escape, compiler, math))):
        digest.update(path.read_bytes())
    settings = {name: getattr(config, name, None) for name in PDF_SETTINGS}
    digest.update(repr(sorted(settings.items())).encode("utf-8"))
    return f"typst {importlib.metadata.version('typst')} {digest.hexdigest()}"


def _read_members(record: Path) -> dict[str, list[str]]:
    """The articles of each edition file, from the record of the last build."""
    try:
        members = json.loads(record.read_text("utf-8"))
    except (OSError, ValueError):
        return {}
    return members if isinstance(members, dict) else {}


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
        stamps = self.work_dir / "sources"
        self.compiler = PdfCompiler(self.root, stamps, workers, _maker(self.config))
        #: The articles of each edition file of this output folder as the last build made it.
        folder = hashlib.sha1(str(Path(self.outdir).resolve()).encode("utf-8")).hexdigest()
        self._members_record = stamps / f"editions-{folder[:16]}.json"
        self._members_before = _read_members(self._members_record)
        #: Articles translated in this build.
        self.translated: set[str] = set()
        #: Documents read in this build (:meth:`note_read`).
        self.docs_read: set[str] = set()
        #: The inputs each edition was started with (see :meth:`_submit_edition`).
        self._started: dict[Path, str] = {}
        #: Articles whose PDF was made in the last build and not in this one, or the reverse:
        #: their pages' links to their PDFs must change (known once :meth:`finish` returns).
        self.failures_changed: set[str] = set()
        #: The editions whose PDF was made, newest first, with the number of articles each
        #: holds (known once :meth:`finish` returns).
        self.made: list[tuple[Edition, int]] = []
        self._editions: list[Edition] | None = None
        self._by_docname: dict[str, Edition] | None = None
        self._identities: dict[str, str] = {}
        self._bodies: dict[str, Path] = {}

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

    def note_read(self, docnames: Set[str]) -> None:
        """The documents this build reads: an article not among them keeps the body it was
        given last time, unless its page is written again."""
        self.docs_read = set(docnames)

    def has_pdf(self, docname: str) -> bool:
        """Whether ``docname`` gets a PDF: an article, not retracted."""
        if not is_article(self.config, docname):
            return False
        article = get_domain(self.env).articles.get(docname)
        return article is None or article.retracted is None

    def body_path(self, docname: str) -> Path:
        """Where the Typst body of ``docname`` is kept between builds."""
        path = self._bodies.get(docname)
        if path is None:
            path = self._bodies[docname] = self.work_dir / "bodies" / f"{docname_stem(docname)}.typ"
        return path

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
        """Translate an article, keep its body, and start its PDF (and its edition once every
        article of it is translated)."""
        if not self.has_pdf(docname):
            return
        try:
            body = self.translate(docname, doctree)
        except RecursionError:
            logger.warning(
                __("%s.pdf shows a notice instead of the text: it is nested too deep"),
                docname,
                type="broadsheet",
                subtype="pdf",
                location=(docname, 1),
            )
            body = self.translate(docname, too_deep_notice(doctree))
        path = self.body_path(docname)
        if not _same_text(path, body):
            # Kept as it was when nothing changed: its identity then says "unchanged".
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(body, "utf-8")
        self._identities.pop(docname, None)
        if not self.compiler.owns_process():
            return  # a worker process of a parallel build: finish() starts the PDF
        self.translated.add(docname)
        article = get_domain(self.env).articles.get(docname)
        if article is not None:
            source = article_source(self.config, article, body)
            inputs = article_source(self.config, article, self._identity(docname))
            self.compiler.submit(source, self.outdir / f"{docname}.pdf", docname, inputs)
        edition = self._edition_of().get(docname)
        if (
            edition is not None
            and not self.compiler.submitted(self.outdir / edition.file)
            and self._ready(edition)
        ):
            # The longest to make: it starts now; finish() makes it again if a body it was
            # started with changes later in this build.
            self._submit_edition(edition)

    def finish(self) -> None:
        """Start the editions and the PDFs not started yet; wait for all of them.

        An article whose PDF could not be made is left out of its edition, which is made
        again without it if it failed too; the failures are recorded for the pages' links.
        Edition files of periods that have no article any more are deleted, and the copy of
        the latest edition is brought up to date.
        """
        if self.web is not None:
            self._resolve_unwritten()
        self._submit_all()
        written = self.compiler.finish(remake=self._remake, locate=self._formula_line)
        logger.info(__("broadsheet: %d PDF(s) written to %s"), written, self.outdir)
        web_format = (self.web or self).format
        before = failed_articles(self.doctreedir, web_format)
        failed_record(self.doctreedir, web_format).write_text(
            "\n".join(sorted(self.compiler.failed)), "utf-8"
        )
        self.failures_changed = self.compiler.failed ^ before
        editions = self.editions()
        for path in remove_stale(self.outdir, editions):
            self.compiler.forget(path)
        failed = self.compiler.failed
        self.made = [
            (e, len(e.docnames - failed)) for e in editions if (self.outdir / e.file).is_file()
        ]
        members = {e.file: [a.docname for a in e.articles] for e, _count in self.made}
        if members != self._members_before:
            self._members_record.write_text(json.dumps(members, indent=0), "utf-8")
        self._copy_latest()

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

    def editions(self) -> list[Edition]:
        """The editions of this build, newest first (once every document is read)."""
        if self._editions is None:
            self._editions = editions_of(self.config, self._articles())
        return self._editions

    def _edition_of(self) -> dict[str, Edition]:
        """The edition of each article in one."""
        if self._by_docname is None:
            self._by_docname = {d: e for e in self.editions() for d in e.docnames}
        return self._by_docname

    def _edition_source(self, edition: Edition, failed: Set[str]) -> str:
        """The source of ``edition`` without the articles in ``failed``."""
        kept = [a for a in edition.articles if a.docname not in failed]
        omitted = tuple(a.title for a in edition.articles if a.docname in failed)
        bodies = [self._body(a.docname) for a in kept]
        return edition_source(self.config, edition.label, kept, bodies, omitted)

    def _remake(self, failed: set[str]) -> list[tuple[str, Path]]:
        """The source and path of each edition holding an article of ``failed``, without
        them."""
        return [
            (self._edition_source(e, failed), self.outdir / e.file)
            for e in self.editions()
            if e.docnames & failed
        ]

    def _ready(self, edition: Edition) -> bool:
        """Whether ``edition`` can start: each of its articles translated in this build, or
        not read in this build and translated in an earlier one (an edit starts its edition as
        soon as the edited article is translated, not after every page is written)."""
        return all(
            docname in self.translated
            or (docname not in self.docs_read and self.body_path(docname).is_file())
            for docname in edition.docnames
        )

    def _submit_edition(self, edition: Edition) -> None:
        """Start ``edition``; again if an article's body changed since it was started (its
        page was written after the edition started: see :meth:`_ready`)."""
        output = self.outdir / edition.file
        articles = list(edition.articles)
        identities = [self._identity(a.docname) for a in articles]
        inputs = edition_source(self.config, edition.label, articles, identities)
        again = self._started.get(output, inputs) != inputs
        if self.compiler.submitted(output) and not again:
            return
        self._started[output] = inputs
        source = functools.partial(self._edition_source, edition, frozenset())
        self.compiler.submit(source, output, None, inputs, again=again)

    def _copy_latest(self) -> None:
        """Keep the latest edition also at the single edition's name (Read the Docs offers one
        PDF, and a reader's bookmark keeps giving the newest paper); nothing there when there
        is no edition. Written only when it changed."""
        copy = Path(self.outdir, edition_file(self.config))
        if not self.made:
            copy.unlink(missing_ok=True)
            self.compiler.forget(copy)
            return
        if self.config.broadsheet_pdf_edition_period == "all":
            return  # the single edition is made at that name
        self.compiler.forget(copy)  # not made from a source of its own
        data = Path(self.outdir, self.made[0][0].file).read_bytes()
        if copy.is_file() and copy.read_bytes() == data:
            return
        partial = copy.with_name(f".{copy.name}.partial")
        partial.write_bytes(data)
        partial.replace(copy)

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

    def _identity(self, docname: str) -> str:
        """What tells the body of ``docname`` from any other version of it, without reading
        it: its file's name, modification time and size (it is written each time the article
        is translated, before this is first asked; the article's PDF and its edition ask)."""
        identity = self._identities.get(docname)
        if identity is None:
            path = self.body_path(docname)
            stat = path.stat()
            identity = f"{path.name}:{stat.st_mtime_ns}:{stat.st_size}\n"
            self._identities[docname] = identity
        return identity

    def _submit_all(self) -> None:
        """Start every edition, then every article PDF not started yet, but those this build
        left as they were (:meth:`_unchanged`)."""
        config = self.config
        # The worker processes of a parallel build write bodies this process has not seen.
        self._identities.clear()
        for edition in self.editions():
            members = [a.docname for a in edition.articles]
            if self._members_before.get(edition.file) != members or not self._unchanged(
                self.outdir / edition.file, members
            ):
                self._submit_edition(edition)
        for article in self._articles():
            docname = article.docname
            output = self.outdir / f"{docname}.pdf"
            if not self.compiler.submitted(output) and not self._unchanged(output, [docname]):
                source = functools.partial(self._article_source, article)
                inputs = article_source(config, article, self._identity(docname))
                self.compiler.submit(source, output, docname, inputs)

    def _unchanged(self, output: Path, docnames: list[str]) -> bool:
        """Whether ``output``, made from the articles ``docnames``, is as this build would make
        it, known without composing its source: no article of it read or translated in this
        build (the metadata it was made from are theirs), and the inputs it was last made with
        name the body file of each as it is now (a build stopped between writing a body and
        compiling it, or an edition started before a body changed, leaves another). A change
        of configuration that shapes PDFs, of the template, of the composing code or of Typst
        remakes every PDF (:func:`_maker`)."""
        if any(d in self.docs_read or d in self.translated for d in docnames):
            return False
        recorded = self.compiler.made_from(output)
        if recorded is None:
            return False
        try:
            return all(self._identity(d) in recorded for d in docnames)
        except FileNotFoundError:
            return False

    def _article_source(self, article: Article) -> str:
        return article_source(self.config, article, self._body(article.docname))
