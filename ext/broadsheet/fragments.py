"""Rendering doctree fragments to HTML outside the writing of their own page.

The tag and author pages and the full-content feeds render nodes with the HTML builder's own
translator, so they get the same markup (and Broadsheet's visitors) as the pages.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from docutils import nodes
    from sphinx.builders.html import StandaloneHTMLBuilder


def render_fragment(builder: StandaloneHTMLBuilder, node: nodes.Node, pagename: str) -> str:
    """The HTML of ``node`` as it would appear on page ``pagename``."""
    # The translator reads the figure and section numbers of the page being written; a
    # fragment has none, and in a parallel build the main process has written no page.
    saved = (
        getattr(builder, "fignumbers", None),
        getattr(builder, "secnumbers", None),
        getattr(builder, "current_docname", None),
    )
    builder.fignumbers = {}
    builder.secnumbers = {}
    builder.current_docname = pagename
    try:
        return str(builder.render_partial(node)["fragment"])
    finally:
        builder.fignumbers, builder.secnumbers, builder.current_docname = saved  # type: ignore[assignment]
