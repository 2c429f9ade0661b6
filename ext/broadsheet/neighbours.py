"""Neighbours: links to the previous and next article by date, and up to three related ones.

Each article gets a placeholder when it is read. Once every document is read (``env-updated``,
in the main process, after parallel readers are merged) the links are brought up to date from
the articles that changed (:mod:`broadsheet.neighbours_index`); the articles whose links changed
are rewritten, and no other.
The placeholder is filled when the web page is written. Links between pages mean something on
the web only: every other builder, the PDF included, leaves the node out (its renderings are
registered together in :func:`setup_reading`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from docutils import nodes
from sphinx.transforms import SphinxTransform

from broadsheet.articles import (
    Article,
    article_section,
    current_article,
    get_domain,
)
from broadsheet.neighbours_index import Neighbours, NeighboursIndex
from broadsheet.renderings import PlainForm, plain_form_node, skip
from broadsheet.translations import _

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.builders import Builder
    from sphinx.environment import BuildEnvironment
    from sphinx.writers.html5 import HTML5Translator


@plain_form_node
class article_nav(PlainForm, nodes.General):  # noqa: N801 (docutils names node classes in lowercase)
    """Where the previous, next and related articles are listed."""

    def plain_form(self, builder: Builder) -> list[nodes.Node]:
        """Nothing: the links lead to other pages of the web edition."""
        return []


def neighbours(articles: list[Article]) -> dict[str, Neighbours]:
    """Links of every article: newer and older by date among published ones, and related ones.

    Related articles share the most tags, then are nearest in date; they must share one tag.
    Worked out from scratch; builds keep a :class:`NeighboursIndex` up to date instead.
    """
    index = NeighboursIndex()
    index.update({a.docname: a for a in articles})
    return dict(index.links)


def _pair(article: Article) -> tuple[str, str]:
    return article.docname, article.title


class NavTransform(SphinxTransform):
    """Leave a place for the reading links at the end of the article, above the reply form."""

    default_priority = 635

    def apply(self, **kwargs: Any) -> None:
        article = current_article(self.env)
        if article is None or article.retracted is not None:
            return
        section = article_section(self.document)
        section += article_nav(docname=article.docname)


def update_links(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """Work out every article's links; return the articles whose links changed."""
    domain = get_domain(env)
    show_drafts = bool(app.config.broadsheet_show_drafts)
    index: NeighboursIndex | None = domain.data.get("reading_index")
    if index is None or index.show_drafts != show_drafts:
        # A first build, or one that lists other articles: work every link out again.
        index = domain.data["reading_index"] = NeighboursIndex(show_drafts)
    # Only the articles whose title, date, tags or status changed, and those whose links
    # show them or would now, are worked out again (see broadsheet.neighbours_index).
    changed = index.update(domain.articles)
    domain.data["neighbours"] = index.links
    return changed


def _link(app: Sphinx, page: str, article: Article, css: str, label: str) -> nodes.paragraph:
    uri = app.builder.get_relative_uri(page, article.docname)
    paragraph = nodes.paragraph(classes=[css])
    paragraph += nodes.inline("", label, classes=["broadsheet-nav-label"])
    paragraph += nodes.Text(" ")
    paragraph += nodes.reference("", article.title, internal=True, refuri=uri)
    return paragraph


def fill_nav(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """Fill the placeholder with the links worked out in :func:`update_links`."""
    placeholders = list(doctree.findall(article_nav))
    if not placeholders:
        return
    domain = get_domain(app.env)
    links = domain.data.get("neighbours", {}).get(docname)
    articles = domain.articles
    if links is None or app.builder.format != "html":
        return  # links between pages mean something on the web only
    for node in placeholders:
        children: list[nodes.Node] = []
        if links.previous[0] in articles:
            previous = articles[links.previous[0]]
            children.append(_link(app, docname, previous, "broadsheet-previous", _("Previous:")))
        if links.next[0] in articles:
            following = articles[links.next[0]]
            children.append(_link(app, docname, following, "broadsheet-next", _("Next:")))
        related = [articles[d] for d, _title in links.related if d in articles]
        if related:
            title = _("Related articles")
            children.append(nodes.rubric(title, title, classes=["broadsheet-related-title"]))
            items = nodes.bullet_list(classes=["broadsheet-related"])
            for other in related:
                uri = app.builder.get_relative_uri(docname, other.docname)
                reference = nodes.reference("", other.title, internal=True, refuri=uri)
                items += nodes.list_item("", nodes.paragraph("", "", reference))
            children.append(items)
        node.extend(children)


def visit_nav_html(self: HTML5Translator, node: article_nav) -> None:
    if not node.children:
        raise nodes.SkipNode
    label = self.attval(_("More articles"))
    self.body.append(f'<nav class="broadsheet-reading" aria-label="{label}">\n')


def depart_nav_html(self: HTML5Translator, node: article_nav) -> None:
    self.body.append("</nav>\n")


def setup_neighbours(app: Sphinx) -> None:
    """Register the previous, next and related links."""
    app.add_node(
        article_nav,
        html=(visit_nav_html, depart_nav_html),
        typst=(skip, None),
        latex=(skip, None),
        text=(skip, None),
    )
    app.add_transform(NavTransform)
    app.connect("env-updated", update_links)
    app.connect("doctree-resolved", fill_nav)
