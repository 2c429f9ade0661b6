"""Tag and author pages: one page per tag and per author listing its articles, and an index.

The pages have no source file: they are made in ``html-collect-pages`` from the domain's
articles, once all documents are read, and rendered through the page template like any
other, so they carry the theme, the navigation and the same listing markup as the front page.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING, Any

from docutils import nodes
from sphinx.util import logging

from broadsheet.articles import Article, get_domain, published
from broadsheet.fragments import render_fragment
from broadsheet.generated import GeneratedFiles, page_file
from broadsheet.pagination import (
    listing_page_names,
    neighbours_context,
    numbered_page,
    page_key,
    page_title,
    pager,
    paginate,
    render_listing_page,
)
from broadsheet.slugs import page_slug
from broadsheet.translations import _
from broadsheet.urls import AUTHORS_DIR, TAGS_DIR, author_page, tag_page

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.builders.html import StandaloneHTMLBuilder

logger = logging.getLogger(__name__)


#: Names a page of the tag or author index lists; the index is alphabetical.
INDEX_PAGE_SIZE = 150


def _spellings(names: Iterable[tuple[str, tuple[str, int]]], folder: str) -> dict[str, str]:
    """Page name (slug) -> the name shown for it, from names with the article naming them.

    Spellings that differ only in case share a page quietly; different names that fold to the
    same page name ("C++" and "C#") share it too, with a warning naming the article.
    """
    spelling: dict[str, str] = {}
    warned: set[tuple[str, str]] = set()
    for name, location in names:
        key = page_slug(name)
        first = spelling.setdefault(key, name)
        pair = (first.casefold(), name.casefold())
        if pair[0] != pair[1] and pair not in warned:
            warned.add(pair)  # warn once per spelling pair
            logger.warning(
                "%r and %r share the page %s/%s.html; rename one to give each its own page",
                first,
                name,
                folder,
                key,
                type="broadsheet",
                subtype="slug",
                location=location,
            )
    return spelling


def grouped(
    articles: Iterable[Article], names: Callable[[Article], Iterable[str]]
) -> dict[str, list[Article]]:
    """The articles under each page name (slug) of their tags or authors, in their order."""
    groups: dict[str, list[Article]] = {}
    for article in articles:
        for slug in dict.fromkeys(page_slug(name) for name in names(article)):
            groups.setdefault(slug, []).append(article)
    return groups


def _tags(article: Article) -> tuple[str, ...]:
    return article.tags


def _authors(article: Article) -> tuple[str, ...]:
    return article.authors


def _index_name(folder: str, number: int) -> str:
    return f"{folder}/index" if number <= 1 else numbered_page(f"{folder}/index", number)


def _index_pages(
    builder: StandaloneHTMLBuilder,
    folder: str,
    title: str,
    entries: list[tuple[str, int]],
    page_of: Callable[[str], str],
    record: GeneratedFiles,
) -> Iterator[tuple[str, dict[str, Any], str]]:
    """The pages of the alphabetical index of ``folder``, ``INDEX_PAGE_SIZE`` names a page."""
    count = max(1, -(-len(entries) // INDEX_PAGE_SIZE))
    labels = (_("Previous"), _("Next"))
    for number in range(1, count + 1):
        pagename = _index_name(folder, number)
        chunk = entries[(number - 1) * INDEX_PAGE_SIZE : number * INDEX_PAGE_SIZE]
        previous = _index_name(folder, number - 1) if number > 1 else ""
        following = _index_name(folder, number + 1) if number < count else ""
        heading = page_title(title, number, number == 1)
        key = json.dumps([pagename, heading, previous, following, chunk])
        if not record.wanted(page_file(builder, pagename), key):
            continue
        items = nodes.bullet_list(classes=["broadsheet-taxonomy"])
        for name, articles in chunk:
            uri = builder.get_relative_uri(pagename, page_of(name))
            link = nodes.reference("", name, internal=True, refuri=uri)
            item = nodes.paragraph("", "", link, nodes.Text(f" ({articles})"))
            items += nodes.list_item("", item)
        section = nodes.section(ids=[page_slug(pagename)], names=[heading])
        section += nodes.title(heading, heading)
        section += items
        section.extend(pager(builder, pagename, number, previous, following, labels))
        context = {
            "title": heading,
            "body": render_fragment(builder, section, pagename),
            "metatags": "",
            "broadsheet_generated": True,
            **neighbours_context(
                builder,
                pagename,
                (previous, page_title(title, number - 1, number == 2)),
                (following, page_title(title, number + 1, False)),
            ),
        }
        yield pagename, context, "page.html"


def _kinds(
    app: Sphinx,
) -> list[tuple[str, Callable[[Article], Iterable[str]], Callable[[str], str]]]:
    return [(TAGS_DIR, _tags, tag_page), (AUTHORS_DIR, _authors, author_page)]


def collect_pages(app: Sphinx) -> Iterator[tuple[str, dict[str, Any], str]]:
    """Yield the tag pages, the author pages and their two indexes that changed."""
    if app.builder.format != "html" or not app.config.broadsheet_taxonomy_pages:
        return
    builder: StandaloneHTMLBuilder = app.builder  # type: ignore[assignment]
    size = app.config.broadsheet_listing_page_size
    articles: list[Article] = published(
        get_domain(app.env).articles.values(), show_drafts=app.config.broadsheet_show_drafts
    )
    record = GeneratedFiles(app, "taxonomy")
    for folder, names, page_of in _kinds(app):
        key = "tags" if folder == TAGS_DIR else "authors"
        spelled = _spellings(((n, a.line_of(key)) for a in articles for n in names(a)), folder)
        groups = grouped(articles, names)
        for slug, name in spelled.items():
            if folder == TAGS_DIR:
                title, context = _("Articles tagged “%s”") % name, {"broadsheet_tag": name}
            else:
                title, context = _("Articles by %s") % name, {}
            for page in paginate(page_of(name), groups[slug], size):
                if record.wanted(
                    page_file(builder, page.pagename),
                    page_key(builder, page, title, context),
                ):
                    yield render_listing_page(builder, page, title, "none", context)
        entries = sorted(
            ((name, len(groups[slug])) for slug, name in spelled.items()),
            key=lambda entry: (entry[0].casefold(), entry[0]),
        )
        index_title = _("Tags") if folder == TAGS_DIR else _("Authors")
        yield from _index_pages(builder, folder, index_title, entries, page_of, record)
    record.finish()


def taxonomy_pages(app: Sphinx) -> list[str]:
    """The names of the pages :func:`collect_pages` makes, for the sitemap."""
    if not app.config.broadsheet_taxonomy_pages:
        return []
    articles = published(
        get_domain(app.env).articles.values(), show_drafts=app.config.broadsheet_show_drafts
    )
    size = app.config.broadsheet_listing_page_size
    pages: list[str] = []
    for folder, names, page_of in _kinds(app):
        groups = grouped(articles, names)
        first = {page_slug(n): n for a in reversed(articles) for n in names(a)}
        for slug, chosen in groups.items():
            base = page_of(first[slug])
            pages += [base, *listing_page_names(base, len(chosen), size)]
        count = max(1, -(-len(groups) // INDEX_PAGE_SIZE))
        pages += [_index_name(folder, number) for number in range(1, count + 1)]
    return sorted(pages)


def setup_taxonomy(app: Sphinx) -> None:
    """Register the page generator."""
    app.connect("html-collect-pages", collect_pages)
