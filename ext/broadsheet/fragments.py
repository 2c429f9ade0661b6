"""Rendering doctree fragments to HTML outside the writing of their own page.

The tag and author pages and the full-content feeds render nodes with the HTML builder's own
translator, so they get the same markup (and Broadsheet's visitors) as the pages.

The translator reads the state of the page being written from its builder: the page's name,
its section and figure numbers, whether headings get "¶" links. A fragment is rendered
through a :class:`PageView` of the builder that answers those for the fragment's own page
and passes everything else through, so the builder itself is never changed (in a parallel
build the main process has written no page at all, and nothing it holds is a fragment's).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from docutils import nodes
    from sphinx.builders.html import StandaloneHTMLBuilder


class PageView:
    """The HTML builder as its translator sees it while writing the page ``pagename``."""

    def __init__(
        self, builder: StandaloneHTMLBuilder, pagename: str, *, permalinks: bool = True
    ) -> None:
        env = builder.env
        self._builder = builder
        self.current_docname = pagename
        self.secnumbers = env.toc_secnumbers.get(pagename, {})
        self.fignumbers = env.toc_fignumbers.get(pagename, {})
        self.add_permalinks = permalinks and builder.add_permalinks

    def __getattr__(self, name: str) -> Any:
        return getattr(self._builder, name)


def render_fragment(
    builder: StandaloneHTMLBuilder, node: nodes.Node, pagename: str, *, permalinks: bool = True
) -> str:
    """The HTML of ``node`` as it would appear on page ``pagename``.

    ``permalinks=False``: headings without their "¶" links (a feed reader would resolve
    their bare ``#id`` against the feed).
    """
    view = PageView(builder, pagename, permalinks=permalinks)
    # Sphinx's own partial rendering, with the view as the builder its translator reads.
    parts = type(builder).render_partial(view, node)  # type: ignore[arg-type]
    return str(parts["fragment"])
