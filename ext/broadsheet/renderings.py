"""How Broadsheet's nodes reach every builder: one rendering each, one fallback for the rest.

Each feature module registers its node once, with ``app.add_node(node, html=..., typst=...,
latex=PLAIN_FORM, text=PLAIN_FORM)``: HTML and Typst draw the node themselves; LaTeX and
plain text get its *plain form*, the ordinary docutils nodes (paragraphs, a rubric, a list)
that :meth:`PlainForm.plain_form` gives, rendered by the builder's own translator.

Every other builder (``man``, ``texinfo``, a third-party one) gets the plain form too, through
:func:`plain_form_for_other_builders`: when the builder starts, the plain-form visitor is
registered for each Broadsheet node that its translator has no rendering for. Builders of the
HTML family (``dirhtml``, ``singlehtml``, ``epub``) share the ``html`` renderings, as Sphinx
looks renderings up by builder name, then by format.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from docutils import nodes

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.builders import Builder


class PlainForm(nodes.Element):
    """A Broadsheet node that any builder can render through its plain form (a base class,
    combined with a docutils category: ``General`` for blocks, ``Inline`` for inline nodes)."""

    def plain_form(self, builder: Builder) -> list[nodes.Node]:
        """Ordinary docutils nodes saying what this node says; by default its children."""
        return list(self.children)


#: Every node class that :func:`plain_form_for_other_builders` looks after.
PLAIN_FORM_NODES: list[type[PlainForm]] = []


def plain_form_node(node_class: type[PlainForm]) -> type[PlainForm]:
    """Class decorator: note a node so that builders without a rendering get its plain form."""
    PLAIN_FORM_NODES.append(node_class)
    return node_class


def visit_plain_form(self: Any, node: nodes.Element) -> None:
    """A visitor for any translator: put ``node``'s plain form in its place and render it."""
    assert isinstance(node, PlainForm)
    plain = node.plain_form(self.builder)
    # In the parent's list, so translators that look at siblings see a well-formed tree.
    node.parent.replace(node, plain)
    for child in plain:
        child.walkabout(self)
    raise nodes.SkipNode


#: The visitor pair for ``app.add_node`` (``latex=PLAIN_FORM, text=PLAIN_FORM``).
PLAIN_FORM = (visit_plain_form, None)


def skip(self: Any, node: nodes.Node) -> None:
    """A visitor for a node that means nothing in a builder's output."""
    raise nodes.SkipNode


def plain_form_for_other_builders(app: Sphinx) -> None:
    """Register the plain-form visitor for the nodes the builder cannot render otherwise."""
    builder = app.builder
    registry = app.registry
    if builder.name not in registry.translators and not getattr(
        builder, "default_translator_class", None
    ):
        return  # a builder that writes no documents (linkcheck, gettext's catalogues)
    handlers = registry.translation_handlers
    # Sphinx looks a builder's renderings up by its name, then by its format
    # (SphinxComponentRegistry.create_translator): add to the table it will read.
    key = builder.name if builder.name in handlers else builder.format
    known = handlers.get(key, {})
    translator = registry.get_translator_class(builder)
    for node_class in PLAIN_FORM_NODES:
        name = node_class.__name__
        if name not in known and not hasattr(translator, f"visit_{name}"):
            app.add_node(node_class, override=True, **{key: PLAIN_FORM})


def setup_renderings(app: Sphinx) -> None:
    """Register the fallback for builders without renderings of their own."""
    # Before any other builder-inited handler could create a translator.
    app.connect("builder-inited", plain_form_for_other_builders, priority=100)
