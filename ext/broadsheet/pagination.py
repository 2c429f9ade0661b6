"""Paginated listings: at most ``broadsheet_listing_page_size`` articles a page, at addresses
that do not move.

A listing's pages are numbered from its oldest article: page 1 holds the oldest
``page_size`` articles, page 2 the next, and so on; they are written next to the listing as
``<listing>/page-<n>.html``. The listing itself (the archive document, ``tags/<tag>.html``,
``authors/<name>.html``) is the newest page: it holds the 1 to ``page_size`` newest articles
that do not fill a numbered page. So publishing one more article changes the listing itself
and, when that fills a page, the newest numbered page (whose "Newer" link then points to a new
page); every older page, and the address of every article on it, stays as it was.

Each page links to its neighbours with "Newer" and "Older" links and shows its number; its
``<link rel="prev">`` (newer) and ``<link rel="next">`` (older) come from the theme, through the
page context's ``prev`` and ``next``, as a document's neighbours in the table of contents do.

The pages of a paginated ``article-list`` (one without ``:limit:``) other than the document
itself are made in ``html-collect-pages`` here; the tag and author pages in
:mod:`broadsheet.taxonomy`. Only the HTML builders paginate: a book (LaTeX, PDF) lists all.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any

from docutils import nodes

from broadsheet.articles import Article, get_domain
from broadsheet.fragments import render_fragment
from broadsheet.generated import GeneratedFiles, page_file
from broadsheet.listings import PAGINATED, article_list, render_listing, reply_count, select
from broadsheet.slugs import page_slug
from broadsheet.translations import _

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.builders import Builder
    from sphinx.builders.html import StandaloneHTMLBuilder


@dataclasses.dataclass(frozen=True)
class ListingPage:
    """One page of a listing: its name, number, articles (newest first) and neighbours."""

    pagename: str
    #: The page name of the listing itself, its newest page.
    base: str
    number: int
    articles: tuple[Article, ...]
    #: Page names of the neighbouring pages, "" at either end.
    newer: str
    older: str


def numbered_page(base: str, number: int) -> str:
    """The page name of page ``number`` of the listing ``base``."""
    return f"{base}/page-{number}"


def page_count(total: int, size: int) -> int:
    """How many numbered pages a listing of ``total`` articles has besides itself."""
    return (total - 1) // size if total > 0 else 0


def paginate(base: str, chosen: Sequence[Article], size: int) -> list[ListingPage]:
    """The pages of the listing ``base`` of ``chosen`` (newest first): itself, then its
    numbered pages from the newest to page 1."""
    total = len(chosen)
    numbered = page_count(total, size)

    def name(number: int) -> str:
        if number < 1:
            return ""
        return base if number > numbered else numbered_page(base, number)

    pages = [
        ListingPage(
            base, base, numbered + 1, tuple(chosen[: total - numbered * size]), "", name(numbered)
        )
    ]
    for number in range(numbered, 0, -1):
        start = total - number * size
        pages.append(
            ListingPage(
                name(number),
                base,
                number,
                tuple(chosen[start : start + size]),
                name(number + 1),
                name(number - 1),
            )
        )
    return pages


def listing_page_names(base: str, total: int, size: int) -> list[str]:
    """The numbered pages of a listing of ``total`` articles, for the sitemap."""
    return [numbered_page(base, n) for n in range(1, page_count(total, size) + 1)]


def page_title(title: str, number: int, first: bool) -> str:
    """The title of page ``number`` of a listing titled ``title``."""
    return title if first else _("%(title)s, page %(number)d") % {"title": title, "number": number}


def pager(
    builder: Builder, pagename: str, number: int, newer: str, older: str, labels: tuple[str, str]
) -> list[nodes.Node]:
    """The "Newer", page number and "Older" line of a page, or nothing on a lone page."""
    if not newer and not older:
        return []
    line = nodes.paragraph(classes=["broadsheet-pager"])
    if newer:
        uri = builder.get_relative_uri(pagename, newer)
        label = f"← {labels[0]}"
        line += nodes.reference(
            "", label, internal=True, refuri=uri, classes=["broadsheet-pager-newer"]
        )
        line += nodes.Text(" ")
    number_text = _("Page %d") % number
    line += nodes.inline(number_text, number_text, classes=["broadsheet-pager-number"])
    if older:
        uri = builder.get_relative_uri(pagename, older)
        label = f"{labels[1]} →"
        line += nodes.Text(" ")
        line += nodes.reference(
            "", label, internal=True, refuri=uri, classes=["broadsheet-pager-older"]
        )
    return [line]


def listing_labels() -> tuple[str, str]:
    """The labels of the links to the newer and the older page of a listing."""
    return _("Newer"), _("Older")


def neighbours_context(
    builder: Builder, pagename: str, newer: tuple[str, str], older: tuple[str, str]
) -> dict[str, Any]:
    """The theme's ``prev`` and ``next`` (``<link rel>`` in the head) of a page of a listing.

    ``newer`` and ``older`` are (page name, title), or empty page names at the ends.
    """

    def link(target: tuple[str, str]) -> dict[str, str] | None:
        name, title = target
        if not name:
            return None
        return {"link": builder.get_relative_uri(pagename, name), "title": title}

    return {"prev": link(newer), "next": link(older)}


def article_key(builder: Builder, article: Article) -> list[Any]:
    """Everything of ``article`` a listing shows, for :class:`GeneratedFiles`."""
    return [
        article.docname,
        article.title,
        article.date.isoformat() if article.date else "",
        list(article.authors),
        list(article.tags),
        article.summary,
        article.status,
        reply_count(builder.env, article.docname),
    ]


def page_key(builder: Builder, page: ListingPage, *extra: Any) -> str:
    """The key of a page of a listing: its articles, number, neighbours and ``extra``."""
    articles = [article_key(builder, a) for a in page.articles]
    return json.dumps([page.pagename, page.number, page.newer, page.older, articles, *extra])


def render_listing_page(
    builder: StandaloneHTMLBuilder,
    page: ListingPage,
    title: str,
    group_by: str,
    context: dict[str, Any],
) -> tuple[str, dict[str, Any], str]:
    """The page ``page`` of a listing: its title, articles and pager, in the page template."""
    heading = page_title(title, page.number, page.pagename == page.base)
    section = nodes.section(ids=[page_slug(page.pagename)], names=[heading])
    section += nodes.title(heading, heading)
    section.extend(render_listing(builder, page.pagename, list(page.articles), group_by))
    section.extend(
        pager(builder, page.pagename, page.number, page.newer, page.older, listing_labels())
    )
    body = render_fragment(builder, section, page.pagename)
    newer = (page.newer, page_title(title, page.number + 1, page.newer == page.base))
    older = (page.older, page_title(title, page.number - 1, False))
    full = {
        "title": heading,
        "body": body,
        "metatags": "",
        "broadsheet_generated": True,
        **neighbours_context(builder, page.pagename, newer, older),
        **context,
    }
    return page.pagename, full, "page.html"


def listing_pages(app: Sphinx, docname: str, options: dict[str, Any]) -> list[ListingPage]:
    """The pages of the paginated listing of the document ``docname``."""
    chosen = select(
        get_domain(app.env).articles.values(),
        tag=options.get("tag", ""),
        author=options.get("author", ""),
        year=options.get("year", 0),
        show_drafts=app.config.broadsheet_show_drafts,
    )
    return paginate(docname, chosen, app.config.broadsheet_listing_page_size)


def _paginated(app: Sphinx) -> dict[str, dict[str, Any]]:
    records: dict[str, dict[str, Any]] = get_domain(app.env).data.get(PAGINATED, {})
    return records


def fill_paginated_listing(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """Replace a paginated ``article-list`` with its first page: the newest articles."""
    if app.builder.format != "html":
        return  # broadsheet.listings lists every article
    for node in list(doctree.findall(article_list)):
        if not node.get("paginate"):
            continue
        options = {key: node.get(key) for key in ("tag", "author", "year")}
        page = listing_pages(app, docname, options)[0]
        listing = render_listing(app.builder, docname, list(page.articles), node["group_by"])
        labels = listing_labels()
        more = pager(app.builder, docname, page.number, page.newer, page.older, labels)
        node.replace_self([*listing, *more])


def collect_listing_pages(app: Sphinx) -> Iterator[tuple[str, dict[str, Any], str]]:
    """Yield the numbered pages of every paginated listing that changed."""
    if app.builder.format != "html":
        return
    builder: StandaloneHTMLBuilder = app.builder  # type: ignore[assignment]
    record = GeneratedFiles(app, "listings")
    env = app.env
    for docname, options in sorted(_paginated(app).items()):
        title = env.titles[docname].astext() if docname in env.titles else docname
        group_by = options.get("group_by", "none")
        for page in listing_pages(app, docname, options)[1:]:
            key = page_key(builder, page, title, group_by)
            if record.wanted(page_file(builder, page.pagename), key):
                yield render_listing_page(builder, page, title, group_by, {})
    record.finish()


def listing_page_context(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    """The neighbours of a document with a paginated listing: its first numbered page."""
    options = _paginated(app).get(pagename)
    if options is None or app.builder.format != "html":
        return
    pages = listing_pages(app, pagename, options)
    if len(pages) < 2:
        return
    title = context.get("title", pagename)
    older = (pages[1].pagename, page_title(title, pages[1].number, False))
    context.update(neighbours_context(app.builder, pagename, ("", ""), older))


def generated_listing_pages(app: Sphinx) -> list[str]:
    """The names of the numbered pages of the paginated listings, for the sitemap."""
    names: list[str] = []
    for docname, options in sorted(_paginated(app).items()):
        names += [page.pagename for page in listing_pages(app, docname, options)[1:]]
    return names


def setup_pagination(app: Sphinx) -> None:
    """Register the pages of paginated listings and their neighbours."""
    app.connect("doctree-resolved", fill_paginated_listing)
    app.connect("html-collect-pages", collect_listing_pages)
    app.connect("html-page-context", listing_page_context)
