"""Tag and author pages: one page per tag and per author listing its articles, and an index.

The pages have no source file: they are made in ``html-collect-pages`` from the domain's
articles, once all documents are read, and rendered through the page template like any
other, so they carry the theme, the navigation and the same listing markup as the front page.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from docutils import nodes
from sphinx.util import logging

from broadsheet.articles import Article, get_domain, published
from broadsheet.fragments import render_fragment
from broadsheet.listings import render_listing
from broadsheet.slugs import page_slug
from broadsheet.translations import _
from broadsheet.urls import AUTHORS_DIR, TAGS_DIR, author_page, tag_page

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.builders.html import StandaloneHTMLBuilder

logger = logging.getLogger(__name__)


def _counted(names: Iterable[tuple[str, tuple[str, int]]], folder: str) -> list[tuple[str, int]]:
    """Names (with the article naming them) counted by page, most used first.

    Spellings that differ only in case share a page quietly; different names that fold to the
    same page name ("C++" and "C#") share it too, with a warning naming the article.
    """
    counts: Counter[str] = Counter()
    spelling: dict[str, str] = {}
    for name, location in names:
        key = page_slug(name)
        first = spelling.setdefault(key, name)
        if first.casefold() != name.casefold():
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
            spelling[key] = first  # warn once per spelling pair
        counts[key] += 1
    return sorted(
        ((spelling[key], n) for key, n in counts.items()), key=lambda p: (-p[1], p[0].casefold())
    )


def with_tag(articles: Iterable[Article], tag: str) -> list[Article]:
    """The articles whose tags include one with ``tag``'s page."""
    slug = page_slug(tag)
    return [a for a in articles if slug in {page_slug(t) for t in a.tags}]


def by_author(articles: Iterable[Article], author: str) -> list[Article]:
    """The articles by an author with ``author``'s page."""
    slug = page_slug(author)
    return [a for a in articles if slug in {page_slug(n) for n in a.authors}]


def _page(
    builder: StandaloneHTMLBuilder,
    pagename: str,
    title: str,
    content: list[nodes.Node],
    tag: str = "",
) -> tuple[str, dict[str, Any], str]:
    section = nodes.section(ids=[page_slug(pagename)], names=[title])
    section += nodes.title(title, title)
    section.extend(content)
    body = render_fragment(builder, section, pagename)
    context = {"title": title, "body": body, "broadsheet_generated": True, "broadsheet_tag": tag}
    return pagename, context, "page.html"


def _index(
    builder: StandaloneHTMLBuilder,
    pagename: str,
    title: str,
    entries: list[tuple[str, int]],
    page_of: Any,
) -> tuple[str, dict[str, Any], str]:
    items = nodes.bullet_list(classes=["broadsheet-taxonomy"])
    for name, count in entries:
        uri = builder.get_relative_uri(pagename, page_of(name))
        link = nodes.reference("", name, internal=True, refuri=uri)
        item = nodes.paragraph("", "", link, nodes.Text(f" ({count})"))
        items += nodes.list_item("", item)
    return _page(builder, pagename, title, [items])


def collect_pages(app: Sphinx) -> Iterator[tuple[str, dict[str, Any], str]]:
    """Yield the tag pages, the author pages and their two indexes."""
    if app.builder.format != "html" or not app.config.broadsheet_taxonomy_pages:
        return
    builder: StandaloneHTMLBuilder = app.builder  # type: ignore[assignment]
    show_drafts = app.config.broadsheet_show_drafts
    articles: list[Article] = published(
        get_domain(app.env).articles.values(), show_drafts=show_drafts
    )
    tags = _counted(((t, a.line_of("tags")) for a in articles for t in a.tags), TAGS_DIR)
    authors = _counted(
        ((n, a.line_of("authors")) for a in articles for n in a.authors), AUTHORS_DIR
    )
    _remove_stale(Path(app.outdir), TAGS_DIR, {tag_page(t) for t, _n in tags})
    _remove_stale(Path(app.outdir), AUTHORS_DIR, {author_page(n) for n, _n in authors})
    for tag, _count in tags:
        pagename = tag_page(tag)
        chosen = with_tag(articles, tag)
        title = _("Articles tagged “%s”") % tag
        listing = render_listing(builder, pagename, chosen, "none")
        yield _page(builder, pagename, title, listing, tag)
    for author, _count in authors:
        pagename = author_page(author)
        chosen = by_author(articles, author)
        title = _("Articles by %s") % author
        yield _page(builder, pagename, title, render_listing(builder, pagename, chosen, "none"))
    yield _index(builder, f"{TAGS_DIR}/index", _("Tags"), tags, tag_page)
    yield _index(builder, f"{AUTHORS_DIR}/index", _("Authors"), authors, author_page)


def taxonomy_pages(app: Sphinx) -> list[str]:
    """The names of the pages :func:`collect_pages` makes, for the sitemap."""
    if not app.config.broadsheet_taxonomy_pages:
        return []
    articles = published(
        get_domain(app.env).articles.values(), show_drafts=app.config.broadsheet_show_drafts
    )
    pages = {tag_page(t) for a in articles for t in a.tags}
    pages |= {author_page(n) for a in articles for n in a.authors}
    return sorted(pages | {f"{TAGS_DIR}/index", f"{AUTHORS_DIR}/index"})


def _remove_stale(outdir: Path, folder: str, current: set[str]) -> None:
    """Delete the pages of tags or authors no published article has any more."""
    suffix = ".html"
    for path in (outdir / folder).glob(f"*{suffix}"):
        if path.stem != "index" and f"{folder}/{path.stem}" not in current:
            path.unlink()


def setup_taxonomy(app: Sphinx) -> None:
    """Register the page generator."""
    app.connect("html-collect-pages", collect_pages)
