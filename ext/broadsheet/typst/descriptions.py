"""Typst visitors for Sphinx's object descriptions (``desc`` and its ``desc_*`` parts).

A mixin of :class:`broadsheet.typst.translator.TypstTranslator`, like
:mod:`broadsheet.typst.blocks`. A description is a signature line in monospace, the name in
bold, followed by its content indented, much as Sphinx's LaTeX writer sets it. The small
``desc_sig_*`` parts are ``inline`` nodes and need no visitor of their own; the names, types
and parameters keep their text.
"""

from __future__ import annotations

from docutils import nodes
from sphinx import addnodes

from broadsheet.typst import escape
from broadsheet.typst.escape import Markup


class DescriptionVisitors:
    """Visitors for object descriptions; mixed into the translator."""

    body: list[str]

    def render_children(self, node: nodes.Element) -> Markup:
        raise NotImplementedError

    def block(self, markup: Markup) -> None:
        raise NotImplementedError

    def visit_desc(self, node: addnodes.desc) -> None:
        pass

    def depart_desc(self, node: addnodes.desc) -> None:
        pass

    # Parts of a signature shown as their text.
    visit_desc_addname = visit_desc_type = visit_desc
    depart_desc_addname = depart_desc_type = depart_desc

    def visit_desc_signature(self, node: addnodes.desc_signature) -> None:
        self.block(escape.call("bs-signature", body=self.render_children(node)))
        raise nodes.SkipNode

    def visit_desc_signature_line(self, node: addnodes.desc_signature_line) -> None:
        line = escape.join([self.render_children(node), escape.call("linebreak")], Markup(" "))
        self.body.append(line + "\n")
        raise nodes.SkipNode

    def visit_desc_name(self, node: addnodes.desc_name) -> None:
        self.body.append(escape.call("strong", body=self.render_children(node)))
        raise nodes.SkipNode

    def visit_desc_annotation(self, node: addnodes.desc_annotation) -> None:
        self.body.append(escape.call("emph", body=self.render_children(node)))
        raise nodes.SkipNode

    def visit_desc_returns(self, node: addnodes.desc_returns) -> None:
        self.body.append(escape.join([escape.markup(" → "), self.render_children(node)]))
        raise nodes.SkipNode

    def _enclosed(self, node: nodes.Element, opening: str, closing: str) -> None:
        parts = [
            self.render_children(child)
            for child in node.children
            if isinstance(child, nodes.Element)
        ]
        inside = escape.join(parts, escape.markup(", "))
        self.body.append(escape.join([escape.markup(opening), inside, escape.markup(closing)]))
        raise nodes.SkipNode

    def visit_desc_parameterlist(self, node: addnodes.desc_parameterlist) -> None:
        self._enclosed(node, "(", ")")

    def visit_desc_type_parameter_list(self, node: addnodes.desc_type_parameter_list) -> None:
        self._enclosed(node, "[", "]")

    def visit_desc_optional(self, node: addnodes.desc_optional) -> None:
        optional = [escape.markup("["), self.render_children(node), escape.markup("]")]
        self.body.append(escape.join(optional))
        raise nodes.SkipNode

    def visit_desc_content(self, node: addnodes.desc_content) -> None:
        text = self.render_children(node)
        if text:
            self.block(escape.call("pad", left=escape.length(1.5, "em"), body=text))
        raise nodes.SkipNode

    def visit_versionmodified(self, node: addnodes.versionmodified) -> None:
        self.block(escape.call("block", body=self.render_children(node)))
        raise nodes.SkipNode
