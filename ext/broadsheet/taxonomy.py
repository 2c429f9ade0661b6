"""Tag and author pages: one page per tag and per author listing its articles, and an index.

The pages have no source file: they are made in ``html-collect-pages`` from the domain's
articles, once all documents are read, and rendered through the page template like any
other, so they carry the theme, the navigation and the same listing markup as the front page.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from docutils import nodes

from broadsheet.articles import Article, get_domain, published
from broadsheet.fragments import render_fragment
from broadsheet.listings import render_listing, select
from broadsheet.translations import _

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.builders.html import StandaloneHTMLBuilder

TAGS_DIR = "tags"
AUTHORS_DIR = "authors"


def page_slug(name: str) -> str:
    """A file name for a tag or author: letters of any script kept, the rest joined by ``-``."""
    slug = re.sub(r"[\W_]+", "-", unicodedata.normalize("NFKC", name).casefold()).strip("-")
    return slug or "x" + hashlib.sha1(name.encode("utf-8")).hexdigest()[:8]


def tag_page(tag: str) -> str:
    """The page name of ``tag``'s listing."""
    return f"{TAGS_DIR}/{page_slug(tag)}"


def author_page(author: str) -> str:
    """The page name of ``author``'s listing."""
    return f"{AUTHORS_DIR}/{page_slug(author)}"


def _counted(names: Iterable[str]) -> list[tuple[str, int]]:
    """Names with their article counts, merged case-insensitively, most used first."""
    counts: Counter[str] = Counter()
    spelling: dict[str, str] = {}
    for name in names:
        key = page_slug(name)
        spelling.setdefault(key, name)
        counts[key] += 1
    return sorted(
        ((spelling[key], n) for key, n in counts.items()), key=lambda p: (-p[1], p[0].casefold())
    )


def _page(
    builder: StandaloneHTMLBuilder, pagename: str, title: str, content: list[nodes.Node]
) -> tuple[str, dict[str, Any], str]:
    section = nodes.section(ids=[page_slug(pagename)], names=[title])
    section += nodes.title(title, title)
    section.extend(content)
    body = render_fragment(builder, section, pagename)
    context = {"title": title, "body": body, "broadsheet_generated": True}
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
    tags = _counted(t for a in articles for t in a.tags)
    authors = _counted(n for a in articles for n in a.authors)
    _remove_stale(Path(app.outdir), TAGS_DIR, {tag_page(t) for t, _n in tags})
    _remove_stale(Path(app.outdir), AUTHORS_DIR, {author_page(n) for n, _n in authors})
    for tag, _count in tags:
        pagename = tag_page(tag)
        chosen = select(articles, tag=tag, show_drafts=True)
        title = _("Articles tagged “%s”") % tag
        yield _page(builder, pagename, title, render_listing(builder, pagename, chosen, "none"))
    for author, _count in authors:
        pagename = author_page(author)
        chosen = select(articles, author=author, show_drafts=True)
        title = _("Articles by %s") % author
        yield _page(builder, pagename, title, render_listing(builder, pagename, chosen, "none"))
    yield _index(builder, f"{TAGS_DIR}/index", _("Tags"), tags, tag_page)
    yield _index(builder, f"{AUTHORS_DIR}/index", _("Authors"), authors, author_page)


def _remove_stale(outdir: Path, folder: str, current: set[str]) -> None:
    """Delete the pages of tags or authors no published article has any more."""
    suffix = ".html"
    for path in (outdir / folder).glob(f"*{suffix}"):
        if path.stem != "index" and f"{folder}/{path.stem}" not in current:
            path.unlink()


def setup_taxonomy(app: Sphinx) -> None:
    """Register the page generator."""
    app.connect("html-collect-pages", collect_pages)
