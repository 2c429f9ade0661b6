"""``only`` blocks in an HTML build that also makes PDFs: each edition keeps its own.

An article's doctree is resolved once and serves both its page and its PDF; Sphinx would
decide its ``only`` blocks for the web page alone (``OnlyNodeTransform``, a post-transform),
so ``{only} html`` would reach the PDF and ``{only} typst`` never would. Just before that
transform, :class:`DeferOnlyBlocks` turns each ``only`` of an article into an
:class:`edition_only`; the first ``doctree-resolved`` handler decides each one for both
editions, with the HTML builder's tags and the typst builder's: kept by both or by neither, it
is resolved as Sphinx would; kept by one, it stays an :class:`edition_only` for that edition,
and once the PDF is translated, the web page keeps it or drops it as Sphinx would have.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from docutils import nodes
from sphinx import addnodes
from sphinx.transforms.post_transforms import OnlyNodeTransform, SphinxPostTransform
from sphinx.util import logging

from broadsheet.articles import is_article
from broadsheet.renderings import PlainForm, plain_form_node
from broadsheet.translations import __

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.builders import Builder
    from sphinx.util.tags import Tags

logger = logging.getLogger(__name__)


@plain_form_node
class edition_only(PlainForm, nodes.General):  # noqa: N801 (docutils names node classes in lowercase)
    """An ``only`` block; attributes ``expr`` and, once decided, ``edition``: the format
    (``html`` or ``typst``) of the one edition that keeps it."""

    def plain_form(self, builder: Builder) -> list[nodes.Node]:
        """Its content for the builder of its edition, nothing for any other."""
        return list(self.children) if self.get("edition") == builder.format else []


def visit_edition_only(self: Any, node: edition_only) -> None:
    if node.get("edition") != self.builder.format:
        raise nodes.SkipNode


def depart_edition_only(self: Any, node: edition_only) -> None:
    pass


class DeferOnlyBlocks(SphinxPostTransform):
    """Keep the ``only`` blocks of an article from Sphinx, to decide them for both editions."""

    formats = ("html",)
    default_priority = OnlyNodeTransform.default_priority - 1

    def run(self, **kwargs: Any) -> None:
        if not self.config.broadsheet_pdf or not is_article(self.config, self.env.docname):
            return
        for node in list(self.document.findall(addnodes.only)):
            deferred = edition_only(expr=node["expr"])
            deferred.source, deferred.line = node.source, node.line
            children, node.children = node.children, []
            deferred.extend(children)
            node.replace_self(deferred)


def _keeps(node: edition_only, tags: Tags, *, warn: bool) -> bool:
    """Whether ``tags`` keep the block; an expression that cannot be read keeps it, as in
    Sphinx's ``process_only_nodes``."""
    try:
        return bool(tags.eval_condition(node["expr"]))
    except Exception as exc:  # Sphinx catches everything here too: the expression is Jinja's
        if warn:
            message = __("exception while evaluating only directive expression: %s")
            logger.warning(message, exc, location=node)
        return True


def _resolve(node: edition_only) -> None:
    """Replace ``node`` with its content, as Sphinx does with an ``only`` kept."""
    node.replace_self(node.children or nodes.comment())


def decide_blocks(
    typst_builder: Callable[[Sphinx], Builder | None],
) -> Callable[[Sphinx, nodes.document, str], None]:
    """The ``doctree-resolved`` handler deciding the deferred blocks for both editions."""

    def decide(app: Sphinx, doctree: nodes.document, docname: str) -> None:
        pdf = typst_builder(app)
        for node in list(doctree.findall(edition_only)):
            if "edition" in node:
                continue
            web_keeps = _keeps(node, app.builder.tags, warn=True)
            pdf_keeps = _keeps(node, pdf.tags, warn=False) if pdf is not None else web_keeps
            if web_keeps and pdf_keeps:
                _resolve(node)
            elif not web_keeps and not pdf_keeps:
                node.replace_self(nodes.comment())
            else:
                node["edition"] = "html" if web_keeps else "typst"

    return decide


def settle_for_web(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """After the PDF is translated, leave the web page the blocks Sphinx would have."""
    for node in list(doctree.findall(edition_only)):
        if node.get("edition") == app.builder.format:
            _resolve(node)
        else:
            node.replace_self(nodes.comment())


def setup_only(
    app: Sphinx, typst_builder: Callable[[Sphinx], Builder | None], *, after: int
) -> None:
    """Register the node, the transform and the two handlers: the first ``doctree-resolved``
    handler, and one at priority ``after``, once the PDF is translated."""
    app.add_node(
        edition_only,
        html=(visit_edition_only, depart_edition_only),
        typst=(visit_edition_only, depart_edition_only),
        latex=(visit_edition_only, depart_edition_only),
        text=(visit_edition_only, depart_edition_only),
    )
    app.add_post_transform(DeferOnlyBlocks)
    app.connect("doctree-resolved", decide_blocks(typst_builder), priority=1)
    app.connect("doctree-resolved", settle_for_web, priority=after)
