"""Typst visitors for tables, images and figures, notes and admonitions.

A mixin of :class:`broadsheet.typst.translator.TypstTranslator`, which provides the output
helpers declared at the top of :class:`BlockVisitors`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from docutils import nodes
from sphinx.locale import admonitionlabels

from broadsheet.typst import escape

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


class BlockVisitors:
    """Visitors for structured blocks; mixed into the translator."""

    body: list[str]
    config: Config
    prefix: str
    page_url: str
    assets: Assets
    document: nodes.document
    footnotes_done: set[str]

    def render(self, node: nodes.Node) -> str:
        raise NotImplementedError

    def render_children(self, node: nodes.Element) -> str:
        raise NotImplementedError

    def block(self, text: str) -> None:
        raise NotImplementedError

    def split(self, node: nodes.Element, kind: type[nodes.Element]) -> tuple[str, list[str]]:
        raise NotImplementedError

    def label_of(self, node_id: str) -> str | None:
        raise NotImplementedError

    def mark(self, node: nodes.Element) -> str:
        raise NotImplementedError

    # -- tables ----------------------------------------------------------------------------

    def visit_table(self, node: nodes.table) -> None:
        caption = ""
        table = ""
        for child in node.children:
            if isinstance(child, nodes.title):
                caption = self.render_children(child)
            elif isinstance(child, nodes.tgroup):
                table = self._tgroup(child)
        if caption:
            caption = f"figure.caption(position: top)[{caption}]"
            self.block(f"#figure(kind: table, caption: {caption})[{table}]")
        else:
            self.block(table)
        raise nodes.SkipNode

    def _tgroup(self, tgroup: nodes.tgroup) -> str:
        columns = int(tgroup["cols"])
        widths = [c.get("colwidth", 1) for c in tgroup.findall(nodes.colspec)]
        given = "colwidths-given" in tgroup.parent.get("classes", [])
        spec = f"({', '.join(f'{w}fr' for w in widths)})" if given and widths else str(columns)
        parts = [f"#table(columns: {spec},"]
        for part in tgroup.children:
            if isinstance(part, nodes.thead):
                parts.append(f"table.header({self._rows(part)}),")
            elif isinstance(part, nodes.tbody):
                parts.append(self._rows(part) + ",")
        parts.append(")")
        return "\n".join(parts)

    def _rows(self, part: nodes.Element) -> str:
        cells = []
        for row in part.children:
            assert isinstance(row, nodes.Element)
            for entry in row.children:
                assert isinstance(entry, nodes.Element)
                args = []
                if entry.get("morecols"):
                    args.append(f"colspan: {int(entry['morecols']) + 1}")
                if entry.get("morerows"):
                    args.append(f"rowspan: {int(entry['morerows']) + 1}")
                align = next((_ALIGN[c] for c in _entry_classes(entry) if c in _ALIGN), None)
                if align:
                    args.append(f"align: {align}")
                content = f"[{self.render_children(entry)}]"
                cells.append(f"table.cell({', '.join(args)}){content}" if args else content)
        return ",\n".join(cells)

    # -- images and figures ----------------------------------------------------------------

    def _image(self, node: nodes.image) -> str:
        alt = node.get("alt", "") or node["uri"].rsplit("/", 1)[-1]
        path = self.assets.image(node["uri"], node)
        if path is None:
            return f"#emph[{escape.markup(alt)}]"
        size = ""
        width = str(node.get("width", ""))
        if width.endswith("%"):
            size = f", width: {float(width[:-1]):g}%"
        elif width.endswith("px"):
            size = f", width: {float(width[:-2]) * 0.75:g}pt"
        return f"#std.image({escape.string(path)}, alt: {escape.string(alt)}{size})"

    def visit_image(self, node: nodes.image) -> None:
        if isinstance(node.parent, nodes.TextElement):
            self.body.append(f"#box({self._image(node)[1:]}, height: 1.2em)")
        else:
            self.block(f"#align(center, {self._image(node)[1:]})")
        raise nodes.SkipNode

    def visit_figure(self, node: nodes.figure) -> None:
        content, caption, legend = [], "", ""
        for child in node.children:
            if isinstance(child, nodes.caption):
                caption = self.render_children(child)
            elif isinstance(child, nodes.legend):
                legend = self.render_children(child)
            elif isinstance(child, nodes.image):
                content.append(self._image(child))
            else:
                content.append(self.render(child))
        caption_arg = f", caption: [{caption}]" if caption else ""
        self.block(f"#figure([{' '.join(content)}]{caption_arg})")
        if legend:
            self.block(f"#text(size: 9pt)[{legend}]")
        raise nodes.SkipNode

    def visit_caption(self, node: nodes.caption) -> None:
        self.block(f"#emph[{self.render_children(node)}]")
        raise nodes.SkipNode

    # -- footnotes and citations -----------------------------------------------------------

    def visit_footnote_reference(self, node: nodes.footnote_reference) -> None:
        refid = node.get("refid", "")
        name = f"{self.prefix}-fn-{refid}"
        footnote = next(
            (f for f in self.document.findall(nodes.footnote) if refid in f["ids"]), None
        )
        if refid in self.footnotes_done:
            self.body.append(f"#footnote(<{name}>)")
        elif footnote is not None:
            self.footnotes_done.add(refid)
            text = " ".join(
                self.render(c) for c in footnote.children if not isinstance(c, nodes.label)
            )
            self.body.append(f"#footnote[{text}] <{name}>")
        raise nodes.SkipNode

    def visit_footnote(self, node: nodes.footnote) -> None:
        raise nodes.SkipNode

    def visit_citation_reference(self, node: nodes.citation_reference) -> None:
        target = self.label_of(node.get("refid", ""))
        text = escape.markup(f"[{node.astext()}]")
        self.body.append(f"#link({target})[{text}]" if target else text)
        raise nodes.SkipNode

    def visit_citation(self, node: nodes.citation) -> None:
        label = next((c.astext() for c in node.children if isinstance(c, nodes.label)), "")
        text = " ".join(self.render(c) for c in node.children if not isinstance(c, nodes.label))
        mark = self.mark(node)
        self.block(f"#block[#strong[{escape.markup(f'[{label}]')}] #h(0.6em) {text}]{mark}")
        raise nodes.SkipNode

    # -- admonitions, topics, sidebars -----------------------------------------------------

    def visit_admonition(self, node: nodes.Element) -> None:
        kind = node.tagname if node.tagname in _ADMONITIONS else "admonition"
        title, body = self.split(node, nodes.title)
        if not title:
            title = escape.markup(str(admonitionlabels.get(kind, kind.title())))
        self.block(
            f"#bs-admonition(title: [{title}], kind: {escape.string(kind)})[{chr(10).join(body)}]"
        )
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
