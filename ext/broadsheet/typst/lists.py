"""Typst visitors for lists: bullets, numbers, terms, fields, options, document information,
line blocks and Sphinx's ``hlist``.

A mixin of :class:`broadsheet.typst.translator.TypstTranslator`, like
:mod:`broadsheet.typst.blocks`; each list's visitor draws its items itself.
"""

from __future__ import annotations

from docutils import nodes
from sphinx import addnodes

from broadsheet.typst import escape
from broadsheet.typst.escape import Code, Markup

_ENUM_FORMATS = {
    "arabic": "1",
    "loweralpha": "a",
    "upperalpha": "A",
    "lowerroman": "i",
    "upperroman": "I",
}
_SPACE = Markup(" ")


class ListVisitors:
    """Visitors for lists; mixed into the translator."""

    body: list[str]

    def render(self, node: nodes.Node) -> Markup:
        raise NotImplementedError

    def render_children(self, node: nodes.Element) -> Markup:
        raise NotImplementedError

    def block(self, markup: Markup) -> None:
        raise NotImplementedError

    def _items(self, node: nodes.Element) -> list[Markup]:
        items = [item for item in node.children if isinstance(item, nodes.Element)]
        return [self.render_children(item) for item in items]

    def visit_bullet_list(self, node: nodes.bullet_list) -> None:
        self.block(escape.call("list", *self._items(node)))
        raise nodes.SkipNode

    def visit_enumerated_list(self, node: nodes.enumerated_list) -> None:
        pattern = node.get("prefix", "") + _ENUM_FORMATS.get(node.get("enumtype", ""), "1")
        pattern += node.get("suffix", ".")
        start = int(node.get("start", 1))
        self.block(escape.call("enum", *self._items(node), start=start, numbering=pattern))
        raise nodes.SkipNode

    def _terms(self, items: list[tuple[Markup, Markup]]) -> None:
        self.block(escape.call("terms", *(escape.expression("terms.item", t, d) for t, d in items)))

    def visit_definition_list(self, node: nodes.definition_list) -> None:
        items = []
        for item in node.children:
            assert isinstance(item, nodes.Element)
            terms = (self.render(c) for c in item.children if not isinstance(c, nodes.definition))
            definitions = (
                self.render_children(c) for c in item.children if isinstance(c, nodes.definition)
            )
            items.append((escape.join(terms, _SPACE), escape.join(definitions)))
        self._terms(items)
        raise nodes.SkipNode

    def visit_term(self, node: nodes.term) -> None:
        self.body.append(escape.call("strong", body=self.render_children(node)))
        raise nodes.SkipNode

    def visit_classifier(self, node: nodes.classifier) -> None:
        self.body.append(escape.call("emph", body=self.render_children(node)))
        raise nodes.SkipNode

    def visit_field_list(self, node: nodes.field_list) -> None:
        items = []
        for field in node.children:
            assert isinstance(field, nodes.Element)
            name, body = field.children[0], field.children[1]
            assert isinstance(name, nodes.Element)
            assert isinstance(body, nodes.Element)
            items.append((self.render_children(name), self.render_children(body)))
        self._terms(items)
        raise nodes.SkipNode

    def visit_docinfo(self, node: nodes.docinfo) -> None:
        """reStructuredText's bibliographic fields, as a list of terms."""
        items = []
        for child in node.children:
            assert isinstance(child, nodes.Element)
            if isinstance(child, nodes.field):
                name, body = child.children[0], child.children[1]
                assert isinstance(name, nodes.Element)
                assert isinstance(body, nodes.Element)
                items.append((self.render_children(name), self.render_children(body)))
            else:
                label = escape.markup(child.tagname.replace("_", " ").capitalize())
                items.append((label, self.render_children(child)))
        self._terms(items)
        raise nodes.SkipNode

    def visit_option_list(self, node: nodes.option_list) -> None:
        """Command-line options: each group in monospace, its description beside it."""
        items = []
        for item in node.children:
            assert isinstance(item, nodes.Element)
            options: list[Code] = []
            description = Markup("")
            for part in item.children:
                if isinstance(part, nodes.option_group):
                    text = ", ".join(option.astext() for option in part.children)
                    options.append(escape.expression("raw", text))
                elif isinstance(part, nodes.description):
                    description = self.render_children(part)
            items.append((escape.join(escape.embed(o) for o in options), description))
        self._terms(items)
        raise nodes.SkipNode

    def visit_line_block(self, node: nodes.line_block) -> None:
        lines = []
        for child in node.children:
            if isinstance(child, nodes.line_block):
                nested = Markup(self.render(child).replace("\n\n", ""))
                lines.append(escape.join([escape.call("h", escape.length(1.5, "em")), nested]))
            else:
                assert isinstance(child, nodes.Element)
                lines.append(self.render_children(child))
        self.block(escape.join(lines, Markup(" #linebreak()\n")))
        raise nodes.SkipNode

    def visit_hlist(self, node: addnodes.hlist) -> None:
        """Sphinx's list in columns: one list (the columns are for wide screens)."""
        items = [
            self.render_children(item)
            for column in node.children
            for bullets in column.children
            if isinstance(bullets, nodes.Element)
            for item in bullets.children
            if isinstance(item, nodes.Element)
        ]
        self.block(escape.call("list", *items))
        raise nodes.SkipNode
