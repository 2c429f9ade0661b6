"""Typst visitors for blocks: quotes, code, tables, images and figures, notes, admonitions.

A mixin of :class:`broadsheet.typst.translator.TypstTranslator`, which provides the output
helpers declared at the top of :class:`BlockVisitors`. Everything is assembled with
:mod:`broadsheet.typst.escape`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from docutils import nodes
from sphinx import addnodes
from sphinx.locale import admonitionlabels

from broadsheet.typst import escape
from broadsheet.typst.escape import Code, Label, Markup

if TYPE_CHECKING:
    from sphinx.config import Config

    from broadsheet.typst.assets import Assets

_ALIGN = {"text-left": "left", "text-center": "center", "text-right": "right"}
_ADMONITIONS = (
    "attention",
    "caution",
    "danger",
    "error",
    "hint",
    "important",
    "note",
    "tip",
    "warning",
    "seealso",
)
_NEWLINE = Markup("\n")
_SPACE = Markup(" ")


class BlockVisitors:
    """Visitors for structured blocks; mixed into the translator."""

    body: list[str]
    config: Config
    prefix: str
    page_url: str
    assets: Assets
    document: nodes.document
    footnotes_done: set[str]

    def render(self, node: nodes.Node) -> Markup:
        raise NotImplementedError

    def render_children(self, node: nodes.Element) -> Markup:
        raise NotImplementedError

    def block(self, markup: Markup) -> None:
        raise NotImplementedError

    def split(
        self, node: nodes.Element, kind: type[nodes.Element]
    ) -> tuple[Markup | None, list[Markup]]:
        raise NotImplementedError

    def label_of(self, node_id: str) -> Label | None:
        raise NotImplementedError

    def mark(self, node: nodes.Element) -> Markup:
        raise NotImplementedError

    # -- simple blocks ---------------------------------------------------------------------

    def visit_block_quote(self, node: nodes.block_quote) -> None:
        attribution, body = self.split(node, nodes.attribution)
        content = escape.join(body, _NEWLINE)
        self.block(escape.call("quote", block=True, attribution=attribution, body=content))
        raise nodes.SkipNode

    def visit_literal_block(self, node: nodes.Element) -> None:
        language = node.get("language", "") or self.config.highlight_language
        if language in ("default", "none", "text", "plain"):
            language = ""
        highlight_args: dict[str, Any] = node.get("highlight_args") or {}
        self.block(
            escape.call(
                "bs-code",
                node.astext(),
                lang=language or None,
                numbered=bool(node.get("linenos")),
                start=int(highlight_args.get("linenostart", 1)),
            )
        )
        raise nodes.SkipNode

    visit_doctest_block = visit_literal_block

    def visit_productionlist(self, node: addnodes.productionlist) -> None:
        """A grammar: its productions as a code block, as Sphinx's other writers set it."""
        self.block(escape.call("bs-code", "\n".join(p.astext() for p in node.children)))
        raise nodes.SkipNode

    visit_production = visit_productionlist

    def visit_raw(self, node: nodes.raw) -> None:
        if "typst" in node.get("format", "").split():
            self.block(escape.trusted(node.astext()))
        raise nodes.SkipNode

    def visit_rubric(self, node: nodes.rubric) -> None:
        self.block(escape.call("bs-rubric", body=self.render_children(node)))
        raise nodes.SkipNode

    def visit_centered(self, node: addnodes.centered) -> None:
        centered = escape.call("strong", body=self.render_children(node))
        self.block(escape.call("align", escape.name("center"), body=centered))
        raise nodes.SkipNode

    def visit_transition(self, node: nodes.transition) -> None:
        # The rule above a list of footnotes: Typst sets footnotes at the foot of the page.
        if "footnotes" not in node["classes"]:
            self.block(escape.call("bs-transition"))
        raise nodes.SkipNode

    # -- tables ----------------------------------------------------------------------------

    def visit_table(self, node: nodes.table) -> None:
        caption: Markup | None = None
        table = Markup("")
        for child in node.children:
            if isinstance(child, nodes.title):
                caption = self.render_children(child)
            elif isinstance(child, nodes.tgroup):
                table = self._tgroup(child)
        if caption is not None:
            top = escape.expression("figure.caption", position=escape.name("top"), body=caption)
            self.block(escape.call("figure", kind=escape.name("table"), caption=top, body=table))
        else:
            self.block(table)
        raise nodes.SkipNode

    def _tgroup(self, tgroup: nodes.tgroup) -> Markup:
        widths = [float(c.get("colwidth", 1)) for c in tgroup.findall(nodes.colspec)]
        given = "colwidths-given" in tgroup.parent.get("classes", [])
        columns: escape.Value = int(tgroup["cols"])
        if given and widths:
            columns = tuple(escape.length(w, "fr") for w in widths)
        cells: list[escape.Value] = []
        for part in tgroup.children:
            if isinstance(part, nodes.thead):
                cells.append(escape.expression("table.header", *self._cells(part)))
            elif isinstance(part, nodes.tbody):
                cells.extend(self._cells(part))
        return escape.call("table", *cells, columns=columns)

    def _cells(self, part: nodes.Element) -> list[escape.Value]:
        cells: list[escape.Value] = []
        for row in part.children:
            assert isinstance(row, nodes.Element)
            for entry in row.children:
                assert isinstance(entry, nodes.Element)
                content = self.render_children(entry)
                align = next((_ALIGN[c] for c in _entry_classes(entry) if c in _ALIGN), None)
                spans: dict[str, escape.Value] = {
                    "colspan": int(entry["morecols"]) + 1 if entry.get("morecols") else None,
                    "rowspan": int(entry["morerows"]) + 1 if entry.get("morerows") else None,
                    "align": escape.name(align) if align else None,
                }
                if any(v is not None for v in spans.values()):
                    cells.append(escape.expression("table.cell", body=content, **spans))
                else:
                    cells.append(content)
        return cells

    # -- images and figures ----------------------------------------------------------------

    def _image(self, node: nodes.image) -> Code:
        alt = node.get("alt", "") or node["uri"].rsplit("/", 1)[-1]
        path = self.assets.image(node["uri"], node)
        if path is None:
            return escape.expression("emph", body=escape.markup(alt))
        width: Code | None = None
        given = str(node.get("width", ""))
        if given.endswith("%"):
            width = escape.length(float(given[:-1]), "%")
        elif given.endswith("px"):
            width = escape.length(float(given[:-2]) * 0.75, "pt")
        return escape.expression("std.image", path, alt=alt, width=width)

    def visit_image(self, node: nodes.image) -> None:
        if isinstance(node.parent, nodes.TextElement):
            height = escape.length(1.2, "em")
            self.body.append(escape.call("box", self._image(node), height=height))
        else:
            self.block(escape.call("align", escape.name("center"), self._image(node)))
        raise nodes.SkipNode

    def visit_figure(self, node: nodes.figure) -> None:
        content: list[Markup] = []
        caption: Markup | None = None
        legend: Markup | None = None
        for child in node.children:
            if isinstance(child, nodes.caption):
                caption = self.render_children(child)
            elif isinstance(child, nodes.legend):
                legend = self.render_children(child)
            elif isinstance(child, nodes.image):
                content.append(escape.embed(self._image(child)))
            else:
                content.append(self.render(child))
        self.block(escape.call("figure", escape.join(content, _SPACE), caption=caption))
        if legend is not None:
            self.block(escape.call("text", size=escape.length(9, "pt"), body=legend))
        raise nodes.SkipNode

    def visit_caption(self, node: nodes.caption) -> None:
        self.block(escape.call("emph", body=self.render_children(node)))
        raise nodes.SkipNode

    # -- footnotes and citations -----------------------------------------------------------

    def visit_footnote_reference(self, node: nodes.footnote_reference) -> None:
        refid = node.get("refid", "")
        label = Label.of(self.prefix, "fn", refid)
        footnote = next(
            (f for f in self.document.findall(nodes.footnote) if refid in f["ids"]), None
        )
        if refid in self.footnotes_done:
            self.body.append(escape.call("footnote", label))
        elif footnote is not None:
            self.footnotes_done.add(refid)
            text = escape.join(
                (self.render(c) for c in footnote.children if not isinstance(c, nodes.label)),
                _SPACE,
            )
            note = escape.call("footnote", body=text)
            self.body.append(escape.join([note, _SPACE, label.mark()]))
        raise nodes.SkipNode

    def visit_footnote(self, node: nodes.footnote) -> None:
        raise nodes.SkipNode

    def visit_citation_reference(self, node: nodes.citation_reference) -> None:
        target = self.label_of(node.get("refid", ""))
        text = escape.markup(f"[{node.astext()}]")
        self.body.append(escape.call("link", target, body=text) if target else text)
        raise nodes.SkipNode

    def visit_citation(self, node: nodes.citation) -> None:
        label = next((c.astext() for c in node.children if isinstance(c, nodes.label)), "")
        text = escape.join(
            (self.render(c) for c in node.children if not isinstance(c, nodes.label)), _SPACE
        )
        lead = escape.call("strong", body=escape.markup(f"[{label}]"))
        gap = escape.call("h", escape.length(0.6, "em"))
        content = escape.join([lead, gap, text], _SPACE)
        self.block(escape.join([escape.call("block", body=content), self.mark(node)]))
        raise nodes.SkipNode

    # -- admonitions, topics, sidebars -----------------------------------------------------

    def visit_admonition(self, node: nodes.Element) -> None:
        kind = node.tagname if node.tagname in _ADMONITIONS else "admonition"
        title, body = self.split(node, nodes.title)
        if not title:
            title = escape.markup(str(admonitionlabels.get(kind, kind.title())))
        content = escape.join(body, _NEWLINE)
        self.block(escape.call("bs-admonition", title=title, kind=kind, body=content))
        raise nodes.SkipNode

    visit_topic = visit_sidebar = visit_admonition
    visit_attention = visit_caution = visit_danger = visit_error = visit_hint = visit_admonition
    visit_important = visit_note = visit_tip = visit_warning = visit_seealso = visit_admonition


def _entry_classes(entry: nodes.Element) -> list[str]:
    classes: list[str] = list(entry.get("classes", []))
    for child in entry.children:
        if isinstance(child, nodes.Element):
            classes.extend(child.get("classes", []))
    return classes
