"""PDF editions: one PDF per article and one per period (:mod:`broadsheet.typst.editions`),
made with Typst.

Two ways in, one path through: ``make pdf`` runs the ``typst`` builder
(:mod:`broadsheet.typst.builder`), which writes only the PDFs; during ``make html``
(``broadsheet_pdf``, on by default) a typst builder works alongside the HTML one, writing to
``<html>/pdf/`` next to the pages that link there. It is given each article's doctree once,
as resolved for its page: after every post-transform and every other ``doctree-resolved``
handler (this one runs last, at priority 900), with ``only`` blocks decided for the PDF
(:mod:`broadsheet.typst.only`). The PDFs compile on worker threads while the pages are written;
once they are made, the Editions page is written with their sizes.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from docutils import nodes
from sphinx.util.docutils import SphinxDirective
from sphinx.util.osutil import relative_uri

from broadsheet.articles import get_domain, is_article
from broadsheet.renderings import PlainForm, plain_form_node, skip
from broadsheet.translations import _
from broadsheet.typst.assets import svg_linked_files
from broadsheet.typst.builder import TypstBuilder
from broadsheet.typst.editions import EDITIONS_PAGE, editions_of, write_editions_page
from broadsheet.typst.only import setup_only
from broadsheet.urls import PDF_DIR, url_path

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.builders import Builder
    from sphinx.environment import BuildEnvironment
    from sphinx.writers.html5 import HTML5Translator

#: The priority of the handler giving doctrees to the typst builder: after everything else
#: (listings are filled at 500), so the PDF shows the page as it is written.
TRANSLATE_PRIORITY = 900


class PdfEditions:
    """The PDFs of one Sphinx application's HTML build, made by a typst builder alongside.

    One per application (made in :func:`setup_pdf`), so the state of a build lives neither
    on Sphinx's builder nor in a global.
    """

    def __init__(self) -> None:
        self.builder: TypstBuilder | None = None

    def start(self, app: Sphinx) -> None:
        """Start the typst builder when the HTML build makes PDFs."""
        self.builder = None
        if app.builder.format == "html" and app.config.broadsheet_pdf:
            self.builder = TypstBuilder.alongside(app)

    def note_read(self, app: Sphinx, env: BuildEnvironment, docnames: list[str]) -> None:
        """Tell the typst builder which documents this build reads."""
        builder = self.typst_builder(app)
        if builder is not None:
            builder.note_read(set(docnames))

    def translate(self, app: Sphinx, doctree: nodes.document, docname: str) -> None:
        """Give an article's resolved doctree to the typst builder."""
        if self.builder is not None:
            self.builder.write_doc(docname, doctree)

    def finish(self, app: Sphinx, exception: Exception | None) -> None:
        """Start the PDFs not started yet and wait for all of them."""
        builder = self.builder
        if builder is None:
            return
        if exception is not None:
            builder.abandon()
        else:
            builder.finish()  # may still resolve articles no page was written for
        self.builder = None
        if exception is None:
            _rewrite_pages(app, builder.failures_changed)
            write_editions_page(app, builder.made, builder.outdir)

    def typst_builder(self, app: Sphinx) -> TypstBuilder | None:
        """The builder making the PDFs of this build: Sphinx's own or the one alongside."""
        if isinstance(app.builder, TypstBuilder):
            return app.builder
        return self.builder


def note_svg_links(app: Sphinx, doctree: nodes.document) -> None:
    """Make the files an article's SVG images link to dependencies of the article, as Sphinx
    makes the images themselves: the PDF inlines them (:func:`svg_linked_files`), so replacing
    one must read the article again and make its PDF and its edition's again."""
    docname = app.env.docname
    if not is_article(app.config, docname):
        return
    srcdir = Path(app.srcdir)
    for image in doctree.findall(nodes.image):
        # Sphinx's image collector (before this) made the paths relative to the sources.
        uris = {image.get("uri", ""), *image.get("candidates", {}).values()}
        for uri in sorted(uris):
            if uri.lower().endswith(".svg") and not urlsplit(uri).scheme:
                for linked in svg_linked_files(srcdir / uri, srcdir):
                    app.env.note_dependency(str(linked))


def _rewrite_pages(app: Sphinx, docnames: set[str]) -> None:
    """Write the pages of ``docnames`` again, so their links follow their PDFs: the one
    exception to "resolved once", for articles whose PDF could not be made, or now can."""
    builder = app.builder
    for docname in sorted(docnames & app.env.all_docs.keys()):
        doctree = app.env.get_and_resolve_doctree(docname, builder, tags=builder.tags)
        builder.write_doc_serialized(docname, doctree)
        builder.write_doc(docname, doctree)


@plain_form_node
class edition_link(PlainForm, nodes.General):  # noqa: N801 (docutils names node classes in lowercase)
    """Where the ``edition-pdf`` directive links to the latest edition and to the Editions
    page (web edition only)."""

    def plain_form(self, builder: Builder) -> list[nodes.Node]:
        """Nothing: the links lead to files of the web edition."""
        return []


class EditionLinkDirective(SphinxDirective):
    """``edition-pdf``: links to the latest edition's PDF and to the page of all editions (web
    edition only)."""

    def run(self) -> list[nodes.Node]:
        # Which edition is the latest follows every article change, as a listing does.
        get_domain(self.env).note_listing(self.env.docname)
        node = edition_link()
        self.set_source_info(node)
        return [node]


def visit_edition_link_html(self: HTML5Translator, node: edition_link) -> None:
    builder = self.builder
    config = builder.config
    editions = editions_of(config, get_domain(builder.env).articles.values())
    if config.broadsheet_pdf and editions:
        page = builder.get_target_uri(builder.current_docname)
        latest = editions[0]
        href = relative_uri(page, url_path(f"{PDF_DIR}/{latest.file}"))
        if config.broadsheet_pdf_edition_period == "all":
            text = _("Download the whole publication (PDF)")
        else:
            text = _("Download the latest edition, %s (PDF)") % latest.label
        index = relative_uri(page, builder.get_target_uri(EDITIONS_PAGE))
        every = _("All editions")  # outside the f-string, where pybabel finds it
        self.body.append(
            f'<p class="broadsheet-edition-pdf"><a href="{self.attval(href)}" '
            f'type="application/pdf" download>{self.encode(text)}</a> · '
            f'<a href="{self.attval(index)}">{self.encode(every)}</a></p>\n'
        )
    raise nodes.SkipNode


def setup_pdf(app: Sphinx) -> None:
    """Register the PDF builder, directive and hooks."""
    editions = PdfEditions()
    app.add_builder(TypstBuilder)
    app.add_directive("edition-pdf", EditionLinkDirective)
    app.add_node(
        edition_link,
        html=(visit_edition_link_html, None),
        typst=(skip, None),
        latex=(skip, None),
        text=(skip, None),
    )
    setup_only(app, editions.typst_builder, after=TRANSLATE_PRIORITY + 1)
    app.connect("builder-inited", editions.start)
    # After every handler that changes the list (publishing.select_live at env-get-outdated).
    app.connect("env-before-read-docs", editions.note_read, priority=900)
    # After Sphinx's image collector (at 500), which says where each image file is.
    app.connect("doctree-read", note_svg_links, priority=600)
    app.connect("doctree-resolved", editions.translate, priority=TRANSLATE_PRIORITY)
    app.connect("build-finished", editions.finish)
