"""PDF editions: one PDF per article and one of the whole publication, made with Typst.

Two ways in, one path through: ``make pdf`` runs the ``typst`` builder
(:mod:`broadsheet.typst.builder`), which writes only the PDFs; during ``make html``
(``broadsheet_pdf``, on by default) a typst builder works alongside the HTML one, writing to
``<html>/pdf/`` next to the pages that link there. It is given each article's doctree once,
as resolved for its page: after every post-transform and every other ``doctree-resolved``
handler (this one runs last, at priority 900), with ``only`` blocks decided for the PDF
(:mod:`broadsheet.typst.only`). The PDFs compile on worker threads while the pages are written.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from docutils import nodes
from sphinx.util.docutils import SphinxDirective
from sphinx.util.osutil import relative_uri

from broadsheet.renderings import PlainForm, plain_form_node, skip
from broadsheet.translations import _
from broadsheet.typst.builder import TypstBuilder, edition_file
from broadsheet.typst.only import setup_only
from broadsheet.urls import PDF_DIR, url_path

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.builders import Builder
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

    def typst_builder(self, app: Sphinx) -> TypstBuilder | None:
        """The builder making the PDFs of this build: Sphinx's own or the one alongside."""
        if isinstance(app.builder, TypstBuilder):
            return app.builder
        return self.builder


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
    """Where the ``edition-pdf`` directive links to the edition (web edition only)."""

    def plain_form(self, builder: Builder) -> list[nodes.Node]:
        """Nothing: the link leads to a file of the web edition."""
        return []


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
    app.connect("doctree-resolved", editions.translate, priority=TRANSLATE_PRIORITY)
    app.connect("build-finished", editions.finish)
