"""Translate a resolved article doctree into the body of a Typst document.

:class:`TypstTranslator` is a :class:`sphinx.util.docutils.SphinxTranslator`: it finds the
visitor of a node along the node's class hierarchy (``literal_strong`` renders as ``strong``),
and the ``typst`` builder makes it through Sphinx's registry (``builder.create_translator``),
so an extension's ``app.add_node(node, typst=(visit, depart))`` and
``app.set_translator("typst", cls)`` are honoured in ``-b typst`` builds and in the PDFs of
``-b html`` builds alike. A node with no rendering falls back deliberately
(:meth:`TypstTranslator.unknown_visit`): its text is kept, with one located warning. The nodes
that are drawn by their parent's visitor are listed in :data:`RENDERED_BY_PARENT`.

Output is assembled with :mod:`broadsheet.typst.escape` only: text becomes markup or string
literals there, calls and labels are typed values, and the only source taken as it is comes
from a ``raw`` block whose format is ``typst`` (the author's own markup, as raw HTML is in the
web edition) and math converted from LaTeX, which is checked first
(:mod:`broadsheet.typst.math`). Lists are in :mod:`broadsheet.typst.lists`; quotes, code,
tables, figures, footnotes and admonitions in :mod:`broadsheet.typst.blocks`; object descriptions in
:mod:`broadsheet.typst.descriptions`; Broadsheet's own nodes in their feature modules.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import urljoin, urlsplit

from docutils import nodes
from sphinx import addnodes
from sphinx.util import logging
from sphinx.util.docutils import SphinxTranslator
from sphinx.util.osutil import relative_uri

from broadsheet.translations import __
from broadsheet.typst import escape
from broadsheet.typst.blocks import BlockVisitors
from broadsheet.typst.descriptions import DescriptionVisitors
from broadsheet.typst.escape import Label, Markup
from broadsheet.typst.lists import ListVisitors
from broadsheet.typst.math import math_to_typst

if TYPE_CHECKING:
    from sphinx.builders import Builder

    from broadsheet.typst.assets import Assets

logger = logging.getLogger(__name__)

_SAFE_SCHEMES = frozenset({"http", "https", "mailto", "ftp", "tel"})

#: Nodes drawn by the visitor of the node that holds them, which skips its children: they
#: never reach :meth:`TypstTranslator.dispatch_visit` on their own.
RENDERED_BY_PARENT: dict[type[nodes.Node], str] = {
    nodes.attribution: "block_quote",
    nodes.colspec: "table",
    nodes.tgroup: "table",
    nodes.thead: "table",
    nodes.tbody: "table",
    nodes.row: "table",
    nodes.entry: "table",
    nodes.legend: "figure",
    nodes.definition: "definition_list",
    nodes.definition_list_item: "definition_list",
    nodes.field: "field_list, docinfo",
    nodes.field_name: "field_list",
    nodes.field_body: "field_list",
    nodes.list_item: "bullet_list, enumerated_list",
    nodes.line: "line_block",
    nodes.option_list_item: "option_list",
    nodes.option_group: "option_list",
    nodes.option: "option_list",
    nodes.option_string: "option_list",
    nodes.option_argument: "option_list",
    nodes.description: "option_list",
    nodes.address: "docinfo",
    nodes.author: "docinfo",
    nodes.authors: "docinfo",
    nodes.contact: "docinfo",
    nodes.copyright: "docinfo",
    nodes.date: "docinfo",
    nodes.organization: "docinfo",
    nodes.revision: "docinfo",
    nodes.status: "docinfo",
    nodes.version: "docinfo",
    addnodes.hlistcol: "hlist",
    addnodes.desc_parameter: "desc_parameterlist",
    addnodes.desc_type_parameter: "desc_type_parameter_list",
}


@dataclass(frozen=True)
class TypstContext:
    """What the translator of one article needs besides the doctree and the builder."""

    #: The article's document name.
    docname: str
    #: Prefix of every label of the article, unique within an edition.
    prefix: str
    #: The article's address on the web, against which links to other pages are resolved.
    page_url: str
    #: Where images and QR codes are stored for Typst.
    assets: Assets


class TypstTranslator(BlockVisitors, ListVisitors, DescriptionVisitors, SphinxTranslator):
    """Writes Typst markup for one article into :attr:`body`, a list of strings."""

    #: Nodes whose own visitor attaches their label (headings, citations); every other
    #: element with ids gets an invisible anchor in front of it (:meth:`anchor`).
    labelled_by_visitor: tuple[type[nodes.Element], ...] = (nodes.section, nodes.citation)

    def __init__(self, document: nodes.document, builder: Builder, context: TypstContext) -> None:
        super().__init__(document, builder)
        self.context = context
        self.prefix = context.prefix
        self.page_url = context.page_url
        self.assets = context.assets
        self.body: list[str] = []
        self.section_level = 0
        self.labels = self._collect_labels(document)
        self.anchored: set[Label] = set()
        self.linked: set[Label] = set()
        self.footnotes_done: set[str] = set()
        self.warned: set[str] = set()

    def astext(self) -> str:
        """The Typst body."""
        return "".join(self.body).strip() + "\n\n"

    # -- labels: every id of the document can be linked to ---------------------------------

    def _collect_labels(self, document: nodes.document) -> dict[str, Label]:
        """Every id of the document, mapped to the label of the element carrying it."""
        labels: dict[str, Label] = {}
        for node in document.findall(nodes.Element):
            if node["ids"]:
                target = Label.of(self.prefix, node["ids"][0])
                for node_id in node["ids"]:
                    labels[node_id] = target
        return labels

    def label_of(self, node_id: str) -> Label | None:
        """The label of ``node_id`` as a link target, or ``None`` if no element has it."""
        label = self.labels.get(node_id)
        if label is not None:
            self.linked.add(label)
        return label

    def mark(self, node: nodes.Element) -> Markup:
        """The label of ``node`` in markup (`` <name>``), to attach to the element rendered
        for it; empty when it has no id or its label is already placed."""
        label = self.labels.get(node["ids"][0]) if node["ids"] else None
        if label is None or label in self.anchored:
            return Markup("")
        self.anchored.add(label)
        return Markup(" " + label.mark())

    def anchor(self, node: nodes.Element) -> None:
        """An invisible element carrying ``node``'s label, so links to any id land here."""
        mark = self.mark(node)
        if mark:
            self.body.append(escape.call("metadata", None) + mark.strip())

    def dispatch_visit(self, node: nodes.Node) -> None:
        if (
            isinstance(node, nodes.Element)
            and node["ids"]
            and not isinstance(node, self.labelled_by_visitor)
        ):
            self.anchor(node)
        super().dispatch_visit(node)

    # -- helpers ---------------------------------------------------------------------------

    def begin(self) -> int:
        """Start capturing output; pass the result to :meth:`end`."""
        return len(self.body)

    def end(self, start: int) -> Markup:
        """Remove and return the output written since :meth:`begin`."""
        text = "".join(self.body[start:])
        del self.body[start:]
        return Markup(text.strip())

    def render(self, node: nodes.Node) -> Markup:
        """Typst markup of ``node`` and its children, without adding it to the output."""
        start = self.begin()
        node.walkabout(self)
        return self.end(start)

    def render_children(self, node: nodes.Element) -> Markup:
        """Typst markup of ``node``'s children."""
        start = self.begin()
        for child in node.children:
            child.walkabout(self)
        return self.end(start)

    def split(
        self, node: nodes.Element, kind: type[nodes.Element]
    ) -> tuple[Markup | None, list[Markup]]:
        """Markup of ``node``'s child of type ``kind`` (a title, an attribution), and of the
        rest of its children, each on its own."""
        special: Markup | None = None
        rest = []
        for child in node.children:
            if isinstance(child, kind):
                special = self.render_children(child)
            else:
                rest.append(self.render(child))
        return special, rest

    def block(self, markup: Markup) -> None:
        """Append a block-level element followed by a paragraph break."""
        self.body.append(markup + "\n\n")

    def warn_once(self, node: nodes.Node, message: str, key: str) -> None:
        if key in self.warned:
            return
        self.warned.add(key)
        logger.warning(message, type="broadsheet", subtype="typst", location=node)

    # -- unknown nodes: one warning, and the text still appears ----------------------------

    def unknown_visit(self, node: nodes.Node) -> None:
        """The deliberate fallback for a node with no Typst rendering (an extension's node
        registered without ``typst=``): its children are rendered, so its text is kept, and
        the first one of its kind in an article is reported where it is, as Sphinx's Texinfo
        writer does in ``unimplemented_visit``."""
        name = node.__class__.__name__
        message = __("the PDF writer does not know the node %r; only its text is kept")
        self.warn_once(node, message % name, name)

    def unknown_departure(self, node: nodes.Node) -> None:
        pass

    # -- structure -------------------------------------------------------------------------

    def visit_document(self, node: nodes.document) -> None:
        pass

    def depart_document(self, node: nodes.document) -> None:
        # A link to an element that is not printed (inside a skipped node) still needs its
        # label to exist, or Typst refuses the document: it leads to the article's end.
        for label in sorted(self.linked - self.anchored, key=lambda lb: lb.name):
            self.body.append(escape.call("metadata", None) + label.mark())
        self.anchored |= self.linked

    def visit_section(self, node: nodes.section) -> None:
        self.section_level += 1

    def depart_section(self, node: nodes.section) -> None:
        self.section_level -= 1

    def visit_title(self, node: nodes.title) -> None:
        text = self.render_children(node)
        if isinstance(node.parent, nodes.section):
            level = max(1, min(self.section_level, 6))
            heading = escape.call("heading", level=level, body=text)
            self.block(escape.join([heading, self.mark(node.parent)]))
        else:
            self.block(escape.call("strong", body=text))
        raise nodes.SkipNode

    def visit_subtitle(self, node: nodes.subtitle) -> None:
        self.block(escape.call("emph", body=self.render_children(node)))
        raise nodes.SkipNode

    def visit_paragraph(self, node: nodes.paragraph) -> None:
        pass

    def depart_paragraph(self, node: nodes.paragraph) -> None:
        self.body.append("\n\n")

    def visit_Text(self, node: nodes.Text) -> None:  # noqa: N802 (docutils visitor name)
        self.body.append(escape.markup(node.astext()))

    def depart_Text(self, node: nodes.Text) -> None:  # noqa: N802 (docutils visitor name)
        pass

    # -- inline ----------------------------------------------------------------------------

    def _wrap(self, node: nodes.Element, function: str) -> None:
        self.body.append(escape.call(function, body=self.render_children(node)))
        raise nodes.SkipNode

    def visit_emphasis(self, node: nodes.emphasis) -> None:
        self._wrap(node, "emph")

    def visit_strong(self, node: nodes.strong) -> None:
        self._wrap(node, "strong")

    def visit_title_reference(self, node: nodes.title_reference) -> None:
        self._wrap(node, "emph")

    def visit_manpage(self, node: addnodes.manpage) -> None:
        self._wrap(node, "emph")

    def visit_subscript(self, node: nodes.subscript) -> None:
        self._wrap(node, "sub")

    def visit_superscript(self, node: nodes.superscript) -> None:
        self._wrap(node, "super")

    def visit_literal(self, node: nodes.literal) -> None:
        self.body.append(escape.call("raw", node.astext()))
        raise nodes.SkipNode

    def visit_inline(self, node: nodes.Element) -> None:
        pass

    def depart_inline(self, node: nodes.Element) -> None:
        pass

    # Inline nodes whose text is all there is to show.
    visit_abbreviation = visit_acronym = visit_generated = visit_inline
    depart_abbreviation = depart_acronym = depart_generated = depart_inline
    visit_substitution_reference = visit_desc_inline = visit_inline
    depart_substitution_reference = depart_desc_inline = depart_inline

    def visit_problematic(self, node: nodes.problematic) -> None:
        self.body.append(escape.markup(node.astext()))
        raise nodes.SkipNode

    def _link(self, node: nodes.Element, target: escape.Value | None, text: Markup) -> None:
        self.body.append(escape.call("link", target, body=text) if target else text)
        raise nodes.SkipNode

    def visit_reference(self, node: nodes.reference) -> None:
        text = self.render_children(node) or escape.markup(node.get("refuri", ""))
        self._link(node, self._link_target(node), text)

    def visit_download_reference(self, node: addnodes.download_reference) -> None:
        """A file offered for download: linked where the web edition keeps it."""
        filename = node.get("filename", "")
        target = None
        if filename and self.page_url.startswith(("https://", "http://")):
            page = self.builder.get_target_uri(self.context.docname)
            target = urljoin(self.page_url, relative_uri(page, f"_downloads/{filename}"))
        self._link(node, target, self.render_children(node))

    def _link_target(self, node: nodes.reference) -> Label | str | None:
        """The ``link`` destination of a reference (a label, or an address as a string), or
        ``None`` to keep just its text."""
        if node.get("refid"):
            return self.label_of(node["refid"])
        uri: str = node.get("refuri", "")
        if uri.startswith("#"):
            return self.label_of(uri[1:])
        scheme = urlsplit(uri).scheme.lower()
        if scheme:
            return uri if scheme in _SAFE_SCHEMES else None
        # A page of the web edition: link to it where the publication is published.
        absolute = urljoin(self.page_url, uri)
        return absolute if urlsplit(absolute).scheme in ("http", "https") else None

    def visit_target(self, node: nodes.target) -> None:
        raise nodes.SkipNode

    def visit_math(self, node: nodes.math) -> None:
        self.body.append(math_to_typst(node.astext(), display=False, warn=self._math_warning(node)))
        raise nodes.SkipNode

    def visit_math_block(self, node: nodes.math_block) -> None:
        self.block(math_to_typst(node.astext(), display=True, warn=self._math_warning(node)))
        raise nodes.SkipNode

    def _math_warning(self, node: nodes.Node) -> Callable[[str], None]:
        return lambda message: self.warn_once(node, message, f"math:{message}")

    # -- grouping and leaving out -----------------------------------------------------------

    def visit_container(self, node: nodes.Element) -> None:
        pass

    def depart_container(self, node: nodes.Element) -> None:
        pass

    # Containers that only group what they hold.
    visit_compound = visit_glossary = visit_acks = visit_start_of_file = visit_container
    depart_compound = depart_glossary = depart_acks = depart_start_of_file = depart_container
    visit_only = visit_container  # decided before translation; kept if an expression failed
    depart_only = depart_container

    def visit_comment(self, node: nodes.Node) -> None:
        raise nodes.SkipNode

    # Nodes that mean nothing in a PDF: no output, deliberately.
    visit_substitution_definition = visit_system_message = visit_pending = visit_comment
    visit_index = visit_toctree = visit_highlightlang = visit_meta = visit_comment
    visit_label = visit_tabular_col_spec = visit_pending_xref_condition = visit_comment
    visit_decoration = visit_header = visit_footer = visit_comment

    def visit_pending_xref(self, node: nodes.Element) -> None:
        """An unresolved cross-reference (already reported by Sphinx) keeps its text."""

    def depart_pending_xref(self, node: nodes.Element) -> None:
        pass
