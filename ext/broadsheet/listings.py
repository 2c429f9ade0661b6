"""Article listings: the ``article-list`` directive for the front page and the archive.

The directive leaves a placeholder; a post-transform fills it at write time from the domain's
articles, so a listing always reflects every article read, whichever process read it. Pages
with a listing are re-read whenever an article is added, changed or removed, so they are
rewritten; nothing else is.
"""

from __future__ import annotations

import itertools
from collections.abc import Set
from typing import TYPE_CHECKING, Any, ClassVar

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.errors import NoUri
from sphinx.util.docutils import SphinxDirective

from broadsheet.articles import Article, get_domain, is_article, published
from broadsheet.header import byline, format_date, iso
from broadsheet.translations import _

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment
    from sphinx.writers.html5 import HTML5Translator

GROUPINGS = ("none", "year", "month")


class article_list(nodes.General, nodes.Element):  # noqa: N801 (docutils names node classes in lowercase)
    """Placeholder for a listing; attributes: ``limit`` and ``group_by``."""


class published_date(nodes.Inline, nodes.TextElement):  # noqa: N801 (docutils names node classes in lowercase)
    """A date in a listing; HTML draws it as ``<time datetime>``."""


def _grouping(argument: str | None) -> str:
    return str(directives.choice(argument or "", GROUPINGS))


class ArticleListDirective(SphinxDirective):
    """``article-list``: the newest articles, optionally limited and grouped by year or month."""

    has_content = False
    option_spec: ClassVar[dict[str, Any]] = {
        "limit": directives.positive_int,
        "group-by": _grouping,
    }

    def run(self) -> list[nodes.Node]:
        get_domain(self.env).note_listing(self.env.docname)
        node = article_list(
            limit=self.options.get("limit", 0),
            group_by=self.options.get("group-by", "none"),
        )
        node["classes"].append("broadsheet-listing")
        self.set_source_info(node)
        return [node]


def listing_item(article: Article, uri: str, config: Any) -> nodes.list_item:
    """One entry: title link, date and byline, summary."""
    item = nodes.list_item(classes=["broadsheet-listing-item"])
    title: nodes.Node = nodes.Text(article.title)
    if uri:
        title = nodes.reference("", article.title, internal=True, refuri=uri)
    item += nodes.paragraph("", "", title, classes=["broadsheet-listing-title"])
    meta = nodes.paragraph(classes=["broadsheet-listing-meta"])
    if article.date is not None:
        meta += published_date("", format_date(article.date, config), datetime=iso(article.date))
    if article.authors:
        if article.date is not None:
            meta += nodes.Text(" · ")
        meta += nodes.Text(byline(article.authors))
    if meta.children:
        item += meta
    if article.summary:
        item += nodes.paragraph("", article.summary, classes=["broadsheet-listing-summary"])
    return item


def _group_label(article: Article, group_by: str, config: Any) -> str:
    if article.date is None:
        return _("Undated")
    if group_by == "year":
        return str(article.date.year)
    return format_date(article.date, config, "MMMM y")


def fill_listings(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """Replace each ``article-list`` placeholder with the articles it selects."""
    placeholders = list(doctree.findall(article_list))
    if not placeholders:
        return
    articles = published(get_domain(app.env).articles.values())
    for node in placeholders:
        selected = articles[: node["limit"]] if node["limit"] else articles
        node.replace_self(render_listing(app, docname, selected, node["group_by"]))


def render_listing(
    app: Sphinx, docname: str, selected: list[Article], group_by: str
) -> list[nodes.Node]:
    """The nodes of a listing of ``selected`` on page ``docname``."""
    if not selected:
        empty = _("No articles yet.")
        return [nodes.paragraph(empty, empty, classes=["broadsheet-listing"])]

    def entries(group: list[Article]) -> nodes.bullet_list:
        items = nodes.bullet_list(classes=["broadsheet-listing"])
        for article in group:
            try:
                uri = app.builder.get_relative_uri(docname, article.docname)
            except NoUri:
                # Builders that write one document per file (LaTeX) cannot link across them.
                uri = ""
            items += listing_item(article, uri, app.config)
        return items

    if group_by == "none":
        return [entries(selected)]
    blocks: list[nodes.Node] = []
    for label, group in itertools.groupby(
        selected, key=lambda a: _group_label(a, group_by, app.config)
    ):
        heading = nodes.rubric(label, label, classes=["broadsheet-listing-group"])
        heading["heading-level"] = 2
        blocks += [heading, entries(list(group))]
    return blocks


def visit_date_html(self: HTML5Translator, node: published_date) -> None:
    self.body.append(f'<time datetime="{self.attval(node["datetime"])}">')


def depart_date_html(self: HTML5Translator, node: published_date) -> None:
    self.body.append("</time>")


def _pass(self: Any, node: nodes.Node) -> None:
    """Other builders render the date's text as it is."""


def outdated_listings(
    app: Sphinx, env: BuildEnvironment, added: Set[str], changed: Set[str], removed: Set[str]
) -> list[str]:
    """When any article comes, goes or changes, the pages that list articles must follow."""
    config = app.config
    if any(is_article(config, d) for d in itertools.chain(added, changed, removed)):
        return sorted(get_domain(env).listing_docs - set(removed))
    return []


def setup_listings(app: Sphinx) -> None:
    """Register the listing directive, its filling and its invalidation."""
    app.add_directive("article-list", ArticleListDirective)
    app.add_node(article_list)
    app.add_node(
        published_date,
        html=(visit_date_html, depart_date_html),
        latex=(_pass, _pass),
        text=(_pass, _pass),
        man=(_pass, _pass),
        texinfo=(_pass, _pass),
    )
    app.connect("doctree-resolved", fill_listings)
    app.connect("env-get-outdated", outdated_listings)
