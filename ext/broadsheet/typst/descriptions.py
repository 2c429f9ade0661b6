"""Typst visitors for Sphinx's object descriptions (``desc`` and its ``desc_*`` parts).

A mixin of :class:`broadsheet.typst.translator.TypstTranslator`, like
:mod:`broadsheet.typst.blocks`. A description is a signature line in monospace, the name in
bold, followed by its content indented, much as Sphinx's LaTeX writer sets it. The small
``desc_sig_*`` parts are ``inline`` nodes and need no visitor of their own.
"""

from __future__ import annotations

from docutils import nodes
from sphinx import addnodes


class DescriptionVisitors:
    """Visitors for object descriptions; mixed into the translator."""

    body: list[str]

    def render_children(self, node: nodes.Element) -> str:
        raise NotImplementedError

    def block(self, text: str) -> None:
        raise NotImplementedError

    def mark(self, node: nodes.Element) -> str:
        raise NotImplementedError

    def visit_desc(self, node: addnodes.desc) -> None:
        pass

    def depart_desc(self, node: addnodes.desc) -> None:
        pass

    def visit_desc_signature(self, node: addnodes.desc_signature) -> None:
        text = self.render_children(node)
        self.block(f"#bs-signature[{text}]")
        raise nodes.SkipNode

    def visit_desc_signature_line(self, node: addnodes.desc_signature_line) -> None:
        self.body.append(self.render_children(node) + " #linebreak()\n")
        raise nodes.SkipNode

    def visit_desc_name(self, node: addnodes.desc_name) -> None:
        self.body.append(f"#strong[{self.render_children(node)}]")
        raise nodes.SkipNode

    def visit_desc_annotation(self, node: addnodes.desc_annotation) -> None:
        self.body.append(f"#emph[{self.render_children(node)}]")
        raise nodes.SkipNode

    def visit_desc_returns(self, node: addnodes.desc_returns) -> None:
        self.body.append(f" → {self.render_children(node)}")
        raise nodes.SkipNode

    def _enclosed(self, node: nodes.Element, opening: str, closing: str) -> None:
        parts = [
            self.render_children(child)
            for child in node.children
            if isinstance(child, nodes.Element)
        ]
        self.body.append(f"\\{opening}{', '.join(parts)}\\{closing}")
        raise nodes.SkipNode

    def visit_desc_parameterlist(self, node: addnodes.desc_parameterlist) -> None:
        self._enclosed(node, "(", ")")

    def visit_desc_type_parameter_list(self, node: addnodes.desc_type_parameter_list) -> None:
        self._enclosed(node, "[", "]")

    def visit_desc_optional(self, node: addnodes.desc_optional) -> None:
        self.body.append(f"\\[{self.render_children(node)}\\]")
        raise nodes.SkipNode

    def visit_desc_content(self, node: addnodes.desc_content) -> None:
        text = self.render_children(node)
        if text:
            self.block(f"#pad(left: 1.5em)[{text}]")
        raise nodes.SkipNode

    def visit_versionmodified(self, node: addnodes.versionmodified) -> None:
        self.block(f"#block[{self.render_children(node)}]")
        raise nodes.SkipNode
