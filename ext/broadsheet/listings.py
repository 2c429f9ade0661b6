"""Article listings: the ``article-list`` directive and the nodes every listing is made of.

The directive leaves a placeholder; it is filled when the page is written, from the domain's
articles, so a listing always reflects every article read, whichever process read it. Pages
with a listing are re-read whenever an article is added, changed or removed, or a scheduled
article comes due, so they are rewritten; nothing else is. The tag and author pages
(:mod:`broadsheet.taxonomy`) and the feeds use the same selection and rendering.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Set
from typing import TYPE_CHECKING, Any, ClassVar

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.errors import NoUri
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

from broadsheet.articles import (
    Article,
    get_domain,
    is_article,
    published,
)
from broadsheet.dates import format_date, iso
from broadsheet.header import byline, status_label
from broadsheet.renderings import PLAIN_FORM, PlainForm, plain_form_node
from broadsheet.translations import _, __, ngettext
from broadsheet.urls import tag_page

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.builders import Builder
    from sphinx.environment import BuildEnvironment
    from sphinx.writers.html5 import HTML5Translator

GROUPINGS = ("none", "year", "month")
#: The domain record of the documents whose listing is paginated: docname -> its options.
PAGINATED = "paginated"
logger = logging.getLogger(__name__)


class article_list(nodes.General, nodes.Element):  # noqa: N801 (docutils names node classes in lowercase)
    """Placeholder for a listing; attributes: paginate, limit, group_by, tag, author, year."""


@plain_form_node
class published_date(PlainForm, nodes.Inline, nodes.TextElement):  # noqa: N801 (docutils names node classes in lowercase)
    """A date in a listing; HTML draws it as ``<time datetime>``, other builders as its text."""


def _grouping(argument: str | None) -> str:
    return str(directives.choice(argument or "", GROUPINGS))


def _text(argument: str | None) -> str:
    return " ".join((argument or "").split())


class ArticleListDirective(SphinxDirective):
    """``article-list``: the newest articles, optionally filtered, limited and grouped."""

    has_content = False
    option_spec: ClassVar[dict[str, Any]] = {
        "limit": directives.positive_int,
        "group-by": _grouping,
        "tag": _text,
        "author": _text,
        "year": directives.positive_int,
    }

    def run(self) -> list[nodes.Node]:
        domain = get_domain(self.env)
        docname = self.env.docname
        domain.note_listing(docname)
        limit = self.options.get("limit", 0)
        # A listing without a limit is paginated: one a page, since its pages take its address.
        paginate = not limit and docname not in domain.data.get(PAGINATED, {})
        if paginate:
            domain.note(
                docname, PAGINATED, {k.replace("-", "_"): v for k, v in self.options.items()}
            )
        elif not limit:
            logger.warning(
                __(
                    "only the first article-list without :limit: of a page has numbered pages; "
                    "this one shows the newest articles only: give it a :limit:"
                ),
                type="broadsheet",
                subtype="listing",
                location=(docname, self.lineno),
            )
        node = article_list(
            paginate=paginate,
            limit=limit,
            group_by=self.options.get("group-by", "none"),
            tag=self.options.get("tag", ""),
            author=self.options.get("author", ""),
            year=self.options.get("year", 0),
        )
        node["classes"].append("broadsheet-listing")
        self.set_source_info(node)
        return [node]


def select(
    articles: Iterable[Article],
    *,
    tag: str = "",
    author: str = "",
    year: int = 0,
    limit: int = 0,
    show_drafts: bool = False,
) -> list[Article]:
    """The articles a listing shows, newest first. Tags and authors match case-insensitively."""
    chosen = published(articles, show_drafts=show_drafts)
    if tag:
        chosen = [a for a in chosen if tag.casefold() in {t.casefold() for t in a.tags}]
    if author:
        chosen = [a for a in chosen if author.casefold() in {n.casefold() for n in a.authors}]
    if year:
        chosen = [a for a in chosen if a.date is not None and a.date.year == year]
    return chosen[:limit] if limit else chosen


def replies_label(count: int) -> str:
    """The count of an article's replies: "1 Reply", "3 Replies"."""
    return ngettext("%d Reply", "%d Replies", count) % count


def reply_count(env: BuildEnvironment, docname: str) -> int:
    """How many replies ``docname`` has published (counted by :mod:`broadsheet.reply_thread`)."""
    counts: dict[str, int] = get_domain(env).data.get("reply_counts", {})
    return counts.get(docname, 0)


def _uri(builder: Builder, from_page: str, to_page: str) -> str:
    try:
        return builder.get_relative_uri(from_page, to_page)
    except NoUri:
        # Builders that write one document per file (LaTeX) cannot link across them.
        return ""


def listing_item(builder: Builder, page: str, article: Article) -> nodes.list_item:
    """One entry: title link, date and byline, summary, tags."""
    config = builder.config
    item = nodes.list_item(classes=["broadsheet-listing-item"])
    uri = _uri(builder, page, article.docname)
    title: nodes.Node = nodes.Text(article.title)
    if uri:
        title = nodes.reference("", article.title, internal=True, refuri=uri)
    heading = nodes.paragraph("", "", classes=["broadsheet-listing-title"])
    label = status_label(article.status, article.date, config)
    if label:
        # Only a preview build lists articles that are not live; it says so on each one.
        heading += nodes.inline(label, label, classes=["broadsheet-draft"])
        heading += nodes.Text(" ")
    heading += title
    item += heading
    meta = nodes.paragraph(classes=["broadsheet-listing-meta"])
    if article.date is not None:
        meta += published_date("", format_date(article.date, config), datetime=iso(article.date))
    if article.authors:
        if article.date is not None:
            meta += nodes.Text(" · ")
        meta += nodes.Text(byline(article.authors))
    replies = reply_count(builder.env, article.docname)
    if replies:
        if meta.children:
            meta += nodes.Text(" · ")
        label = replies_label(replies)
        # The count links to the thread, whose anchor is "replies".
        meta += (
            nodes.reference("", label, internal=True, refuri=f"{uri}#replies")
            if uri
            else nodes.Text(label)
        )
    if meta.children:
        item += meta
    if article.summary:
        item += nodes.paragraph("", article.summary, classes=["broadsheet-listing-summary"])
    if article.tags:
        tags = nodes.paragraph(classes=["broadsheet-listing-tags"])
        for index, tag in enumerate(article.tags):
            if index:
                tags += nodes.Text(", ")
            target = _uri(builder, page, tag_page(tag)) if builder.format == "html" else ""
            tags += (
                nodes.reference("", tag, internal=True, refuri=target)
                if target
                else nodes.Text(tag)
            )
        item += tags
    return item


def render_listing(
    builder: Builder, page: str, selected: list[Article], group_by: str
) -> list[nodes.Node]:
    """The nodes of a listing of ``selected`` on page ``page``."""
    if not selected:
        empty = _("No articles yet.")
        return [nodes.paragraph(empty, empty, classes=["broadsheet-listing"])]

    def entries(group: Iterable[Article]) -> nodes.bullet_list:
        items = nodes.bullet_list(classes=["broadsheet-listing"])
        for article in group:
            items += listing_item(builder, page, article)
        return items

    if group_by == "none":
        return [entries(selected)]
    config = builder.config
    blocks: list[nodes.Node] = []
    for year, in_year in itertools.groupby(selected, key=lambda a: a.date.year if a.date else 0):
        label = str(year) if year else _("Undated")
        blocks.append(_heading(label, 2))
        if group_by == "year" or not year:
            blocks.append(entries(in_year))
            continue
        for _month, in_month in itertools.groupby(
            in_year, key=lambda a: a.date.month if a.date else 0
        ):
            group = list(in_month)
            assert group[0].date is not None
            blocks.append(_heading(format_date(group[0].date, config, "MMMM y"), 3))
            blocks.append(entries(group))
    return blocks


def _heading(label: str, level: int) -> nodes.rubric:
    heading = nodes.rubric(label, label, classes=["broadsheet-listing-group"])
    heading["heading-level"] = level
    return heading


def fill_listings(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """Replace each ``article-list`` placeholder with the articles it selects."""
    placeholders = [
        node
        for node in doctree.findall(article_list)
        # A paginated listing's pages are made by broadsheet.pagination.
        if not (node.get("paginate") and app.builder.format == "html")
    ]
    if not placeholders:
        return
    articles = get_domain(app.env).articles.values()
    for node in placeholders:
        limit = node["limit"]
        if not limit and not node.get("paginate") and app.builder.format == "html":
            limit = app.config.broadsheet_listing_page_size  # a second unlimited listing
        selected = select(
            articles,
            tag=node.get("tag", ""),
            author=node.get("author", ""),
            year=node.get("year", 0),
            limit=limit,
            show_drafts=app.config.broadsheet_show_drafts,
        )
        node.replace_self(render_listing(app.builder, docname, selected, node["group_by"]))


def visit_date_html(self: HTML5Translator, node: published_date) -> None:
    self.body.append(f'<time datetime="{self.attval(node["datetime"])}">')


def depart_date_html(self: HTML5Translator, node: published_date) -> None:
    self.body.append("</time>")


def visit_date_typst(self: Any, node: published_date) -> None:
    """The PDF shows the date's text as it is."""


def depart_date_typst(self: Any, node: published_date) -> None:
    pass


def outdated_listings(
    app: Sphinx, env: BuildEnvironment, added: Set[str], changed: Set[str], removed: Set[str]
) -> list[str]:
    """Pages that list articles follow every article change.

    A scheduled article that comes due is an added document (it was never read before, see
    :mod:`broadsheet.publishing`), so it is covered too.
    """
    domain = get_domain(env)
    config = app.config
    if any(is_article(config, d) for d in itertools.chain(added, changed, removed)):
        return sorted(domain.listing_docs - set(removed))
    return []


def setup_listings(app: Sphinx) -> None:
    """Register the listing directive, its filling and its invalidation."""
    app.add_directive("article-list", ArticleListDirective)
    # A placeholder: fill_listings replaces it for every builder before it is written.
    app.add_node(article_list)
    app.add_node(
        published_date,
        html=(visit_date_html, depart_date_html),
        typst=(visit_date_typst, depart_date_typst),
        latex=PLAIN_FORM,
        text=PLAIN_FORM,
    )
    app.connect("doctree-resolved", fill_listings)
    app.connect("env-get-outdated", outdated_listings)
