"""Translate a resolved article doctree into the body of a Typst document.

:class:`TypstTranslator` is a :class:`sphinx.util.docutils.SphinxTranslator`: it finds the
visitor of a node along the node's class hierarchy (``literal_strong`` renders as ``strong``),
and the ``typst`` builder makes it through Sphinx's registry (``builder.create_translator``),
so an extension's ``app.add_node(node, typst=(visit, depart))`` and
``app.set_translator("typst", cls)`` are honoured in ``-b typst`` builds and in the PDFs of
``-b html`` builds alike. A node with no rendering falls back deliberately
(:meth:`TypstTranslator.unknown_visit`): its text is kept, with one located warning.

Every text taken from the document goes through :mod:`broadsheet.typst.escape`; the only
unescaped input is a ``raw`` block whose format is ``typst`` (the author's own markup, as raw
HTML is in the web edition) and math converted from LaTeX, which is checked first
(:mod:`broadsheet.typst.math`). Inline and simple block nodes are here; tables, figures,
footnotes, admonitions and Broadsheet's own nodes are in :mod:`broadsheet.typst.blocks`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
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
from broadsheet.typst.math import math_to_typst

if TYPE_CHECKING:
    from sphinx.builders import Builder

    from broadsheet.typst.assets import Assets

logger = logging.getLogger(__name__)

_SAFE_SCHEMES = frozenset({"http", "https", "mailto", "ftp", "tel"})
_ENUM_FORMATS = {
    "arabic": "1",
    "loweralpha": "a",
    "upperalpha": "A",
    "lowerroman": "i",
    "upperroman": "I",
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


class TypstTranslator(BlockVisitors, DescriptionVisitors, SphinxTranslator):
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
        self.anchored: set[escape.Label] = set()
        self.linked: set[escape.Label] = set()
        self.footnotes_done: set[str] = set()
        self.warned: set[str] = set()

    def astext(self) -> str:
        """The Typst body."""
        return "".join(self.body).strip() + "\n\n"

    # -- labels: every id of the document can be linked to ---------------------------------

    def _collect_labels(self, document: nodes.document) -> dict[str, escape.Label]:
        """Every id of the document, mapped to the label of the element carrying it."""
        labels: dict[str, escape.Label] = {}
        for node in document.findall(nodes.Element):
            if node["ids"]:
                target = escape.Label.of(self.prefix, node["ids"][0])
                for node_id in node["ids"]:
                    labels[node_id] = target
        return labels

    def label_of(self, node_id: str) -> str | None:
        """The label expression of ``node_id`` as a link target, or ``None`` if none has it."""
        label = self.labels.get(node_id)
        if label is None:
            return None
        self.linked.add(label)
        return label.ref()

    def mark(self, node: nodes.Element) -> str:
        """The markup label of ``node`` (`` <name>``), to attach to the element rendered for
        it, or "" when it has no id or its label is already placed."""
        label = self.labels.get(node["ids"][0]) if node["ids"] else None
        if label is None or label in self.anchored:
            return ""
        self.anchored.add(label)
        return " " + label.mark()

    def anchor(self, node: nodes.Element) -> None:
        """An invisible element carrying ``node``'s label, so links to any id land here."""
        mark = self.mark(node)
        if mark:
            self.body.append(f"#metadata(none){mark.strip()}")

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

    def end(self, start: int) -> str:
        """Remove and return the output written since :meth:`begin`."""
        text = "".join(self.body[start:])
        del self.body[start:]
        return text.strip()

    def render(self, node: nodes.Node) -> str:
        """Typst markup of ``node`` and its children, without adding it to the output."""
        start = self.begin()
        node.walkabout(self)
        return self.end(start)

    def render_children(self, node: nodes.Element) -> str:
        """Typst markup of ``node``'s children."""
        start = self.begin()
        for child in node.children:
            child.walkabout(self)
        return self.end(start)

    def split(self, node: nodes.Element, kind: type[nodes.Element]) -> tuple[str, list[str]]:
        """Markup of ``node``'s child of type ``kind`` (a title, an attribution), and of the
        rest of its children, each on its own."""
        special, rest = "", []
        for child in node.children:
            if isinstance(child, kind):
                special = self.render_children(child)
            else:
                rest.append(self.render(child))
        return special, rest

    def block(self, text: str) -> None:
        """Append a block-level element followed by a paragraph break."""
        self.body.append(text + "\n\n")

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
            self.body.append(f"#metadata(none){label.mark()}")
        self.anchored |= self.linked

    def visit_section(self, node: nodes.section) -> None:
        self.section_level += 1

    def depart_section(self, node: nodes.section) -> None:
        self.section_level -= 1

    def visit_title(self, node: nodes.title) -> None:
        parent = node.parent
        text = self.render_children(node)
        if isinstance(parent, nodes.section):
            level = max(1, min(self.section_level, 6))
            self.block(f"#heading(level: {level})[{text}]{self.mark(parent)}")
        else:
            self.block(f"#strong[{text}]")
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
        self.body.append(f"#{function}[{self.render_children(node)}]")
        raise nodes.SkipNode

    def visit_emphasis(self, node: nodes.emphasis) -> None:
        self._wrap(node, "emph")

    def visit_strong(self, node: nodes.strong) -> None:
        self._wrap(node, "strong")

    def visit_title_reference(self, node: nodes.title_reference) -> None:
        self._wrap(node, "emph")

    def visit_subscript(self, node: nodes.subscript) -> None:
        self._wrap(node, "sub")

    def visit_superscript(self, node: nodes.superscript) -> None:
        self._wrap(node, "super")

    def visit_literal(self, node: nodes.literal) -> None:
        self.body.append(f"#raw({escape.string(node.astext())})")
        raise nodes.SkipNode

    def visit_inline(self, node: nodes.Element) -> None:
        pass

    def depart_inline(self, node: nodes.Element) -> None:
        pass

    visit_abbreviation = visit_acronym = visit_generated = visit_inline
    depart_abbreviation = depart_acronym = depart_generated = depart_inline

    def visit_problematic(self, node: nodes.problematic) -> None:
        self.body.append(escape.markup(node.astext()))
        raise nodes.SkipNode

    def visit_reference(self, node: nodes.reference) -> None:
        text = self.render_children(node) or escape.markup(node.get("refuri", ""))
        target = self._link_target(node)
        self.body.append(f"#link({target})[{text}]" if target else text)
        raise nodes.SkipNode

    def visit_download_reference(self, node: addnodes.download_reference) -> None:
        """A file offered for download: linked where the web edition keeps it."""
        text = self.render_children(node)
        filename = node.get("filename", "")
        target = None
        if filename and self.page_url.startswith(("https://", "http://")):
            page = self.builder.get_target_uri(self.context.docname)
            address = urljoin(self.page_url, relative_uri(page, f"_downloads/{filename}"))
            target = escape.string(address)
        self.body.append(f"#link({target})[{text}]" if target else text)
        raise nodes.SkipNode

    def _link_target(self, node: nodes.reference) -> str | None:
        """The ``link`` destination for a reference, or ``None`` to keep just its text."""
        if node.get("refid"):
            return self.label_of(node["refid"])
        uri: str = node.get("refuri", "")
        if uri.startswith("#"):
            return self.label_of(uri[1:])
        scheme = urlsplit(uri).scheme.lower()
        if scheme:
            return escape.string(uri) if scheme in _SAFE_SCHEMES else None
        # A page of the web edition: link to it where the publication is published.
        absolute = urljoin(self.page_url, uri)
        return escape.string(absolute) if urlsplit(absolute).scheme in ("http", "https") else None

    def visit_target(self, node: nodes.target) -> None:
        raise nodes.SkipNode

    def visit_math(self, node: nodes.math) -> None:
        self.body.append(math_to_typst(node.astext(), display=False, warn=self._math_warning(node)))
        raise nodes.SkipNode

    def visit_math_block(self, node: nodes.math_block) -> None:
        self.block(math_to_typst(node.astext(), display=True, warn=self._math_warning(node)))
        raise nodes.SkipNode

    def _math_warning(self, node: nodes.Node) -> Any:
        return lambda message: self.warn_once(node, message, f"math:{message}")

    # -- lists -----------------------------------------------------------------------------

    def _items(self, node: nodes.Element) -> str:
        items = []
        for item in node.children:
            assert isinstance(item, nodes.Element)
            items.append(f"[{self.render_children(item)}]")
        return ",\n".join(items)

    def visit_bullet_list(self, node: nodes.bullet_list) -> None:
        self.block(f"#list(\n{self._items(node)},\n)")
        raise nodes.SkipNode

    def visit_enumerated_list(self, node: nodes.enumerated_list) -> None:
        pattern = node.get("prefix", "") + _ENUM_FORMATS.get(node.get("enumtype", ""), "1")
        pattern += node.get("suffix", ".")
        start = int(node.get("start", 1))
        self.block(
            f"#enum(start: {start}, numbering: {escape.string(pattern)},\n{self._items(node)},\n)"
        )
        raise nodes.SkipNode

    def visit_definition_list(self, node: nodes.definition_list) -> None:
        items = []
        for item in node.children:
            assert isinstance(item, nodes.Element)
            term = " ".join(
                self.render(c) for c in item.children if not isinstance(c, nodes.definition)
            )
            definition = "".join(
                self.render_children(c) for c in item.children if isinstance(c, nodes.definition)
            )
            items.append(f"terms.item([{term}], [{definition}])")
        self.block("#terms(\n" + ",\n".join(items) + ",\n)")
        raise nodes.SkipNode

    def visit_term(self, node: nodes.term) -> None:
        self.body.append(f"#strong[{self.render_children(node)}]")
        raise nodes.SkipNode

    def visit_classifier(self, node: nodes.classifier) -> None:
        self.body.append(f"#emph[{self.render_children(node)}]")
        raise nodes.SkipNode

    def visit_field_list(self, node: nodes.field_list) -> None:
        items = []
        for field in node.children:
            assert isinstance(field, nodes.Element)
            name, body = field.children[0], field.children[1]
            assert isinstance(name, nodes.Element)
            assert isinstance(body, nodes.Element)
            term, definition = self.render_children(name), self.render_children(body)
            items.append(f"terms.item([{term}], [{definition}])")
        self.block("#terms(\n" + ",\n".join(items) + ",\n)")
        raise nodes.SkipNode

    def visit_line_block(self, node: nodes.line_block) -> None:
        lines = []
        for child in node.children:
            if isinstance(child, nodes.line_block):
                lines.append("#h(1.5em)" + self.render(child).replace("\n\n", ""))
            else:
                assert isinstance(child, nodes.Element)
                lines.append(self.render_children(child))
        self.block(" #linebreak()\n".join(lines))
        raise nodes.SkipNode

    # -- simple blocks ---------------------------------------------------------------------

    def visit_block_quote(self, node: nodes.block_quote) -> None:
        attribution, body = self.split(node, nodes.attribution)
        credit = f"attribution: [{attribution}], " if attribution else ""
        self.block(f"#quote(block: true, {credit})[{chr(10).join(body)}]")
        raise nodes.SkipNode

    def visit_literal_block(self, node: nodes.Element) -> None:
        language = node.get("language", "") or self.config.highlight_language
        if language in ("default", "none", "text", "plain"):
            language = ""
        numbered = bool(node.get("linenos"))
        highlight_args: dict[str, Any] = node.get("highlight_args") or {}
        start = int(highlight_args.get("linenostart", 1))
        lang = escape.string(language) if language else "none"
        self.block(
            f"#bs-code(lang: {lang}, numbered: {str(numbered).lower()}, start: {start}, "
            f"{escape.string(node.astext())})"
        )
        raise nodes.SkipNode

    visit_doctest_block = visit_literal_block

    def visit_raw(self, node: nodes.raw) -> None:
        if "typst" in node.get("format", "").split():
            self.block(node.astext())
        raise nodes.SkipNode

    def visit_rubric(self, node: nodes.rubric) -> None:
        self.block(f"#bs-rubric[{self.render_children(node)}]")
        raise nodes.SkipNode

    def visit_transition(self, node: nodes.transition) -> None:
        # The rule above a list of footnotes: Typst sets footnotes at the foot of the page.
        if "footnotes" not in node["classes"]:
            self.block("#bs-transition()")
        raise nodes.SkipNode

    def visit_container(self, node: nodes.Element) -> None:
        pass

    def depart_container(self, node: nodes.Element) -> None:
        pass

    visit_compound = visit_container
    depart_compound = depart_container

    def visit_comment(self, node: nodes.Node) -> None:
        raise nodes.SkipNode

    visit_substitution_definition = visit_system_message = visit_comment
    visit_index = visit_toctree = visit_highlightlang = visit_meta = visit_comment
    visit_label = visit_comment

    def visit_pending_xref(self, node: nodes.Element) -> None:
        """An unresolved cross-reference (already reported by Sphinx) keeps its text."""

    def depart_pending_xref(self, node: nodes.Element) -> None:
        pass
