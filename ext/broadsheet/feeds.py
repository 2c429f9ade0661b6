"""Atom feeds of the publication and of each tag, written with feedgen.

Feeds need absolute addresses, so they are written only when ``html_baseurl`` is set. Every
entry's id and link is the article's canonical URL; its dates come from the front matter, so
an unchanged publication gives an unchanged feed. With ``broadsheet_feed_content = "full"``
each article's body is rendered when its page is written (in whichever process writes it),
with every link and image made absolute, its sections under ``<h2>`` and no "¶" heading
links, and kept under the doctree folder until the feeds are
assembled at the end of the build.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import posixpath
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, urljoin

from docutils import nodes
from feedgen.feed import FeedGenerator
from sphinx.util import logging

from broadsheet.articles import Article, get_domain, is_article, newest_first
from broadsheet.boundedyaml import CONTROL_CHARACTERS
from broadsheet.fragments import render_fragment
from broadsheet.generated import GeneratedFiles
from broadsheet.listings import select
from broadsheet.retractions import notice_label
from broadsheet.slugs import docname_stem, page_slug
from broadsheet.taxonomy import grouped
from broadsheet.translations import _
from broadsheet.urls import (
    MAIN_FEED,
    canonical_url,
    resolve,
    site_base,
    tag_feed,
    tag_page,
)

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.builders.html import StandaloneHTMLBuilder

logger = logging.getLogger(__name__)

#: Footnote and citation marks, which link within the page.
_MARKS = (nodes.footnote_reference, nodes.citation_reference)
#: Nodes of the article page that are not part of its text.
_NOT_CONTENT = (
    "article_header",
    "article_toc",
    "reply_form",
    "reply_thread",
    "article_nav",
    "title",
)


def feeds_enabled(app: Sphinx) -> bool:
    """Whether this build writes feeds: an HTML build of a publication with an address."""
    return (
        app.builder.format == "html"
        and app.config.broadsheet_feeds
        and bool(app.config.html_baseurl)
    )


def _content_path(app: Sphinx, docname: str) -> Path:
    return Path(app.doctreedir) / "broadsheet-feeds" / f"{docname_stem(docname)}.html"


def capture_content(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    """Keep the article's body, with absolute links and images, for a full-content feed.

    Runs when the article's page is written, so the images have the names Sphinx gave them
    in the output (``builder.images``) and the figures their numbers.
    """
    if (
        doctree is None
        or not feeds_enabled(app)
        or app.config.broadsheet_feed_content != "full"
        or not is_article(app.config, pagename)
    ):
        return
    builder: StandaloneHTMLBuilder = app.builder  # type: ignore[assignment]
    page_url = canonical_url(builder, pagename)
    section = next(n for n in doctree.children if isinstance(n, nodes.section))
    # A section, untitled: the article's own sections under it get <h2>, as on its page.
    body = nodes.section(classes=["broadsheet-feed-content"])
    for child in section.children:
        if isinstance(child, nodes.Element) and child.tagname not in _NOT_CONTENT:
            body += child.deepcopy()
    for footnote in body.findall(nodes.footnote):
        footnote["backrefs"] = []  # links back into the page; a feed reader has no page
    for mark in [m for kind in _MARKS for m in body.findall(kind) if "refid" in m]:
        # HTML writes these as bare "#id" links; made plain links, they can be absolute.
        number = f"[{mark.astext()}]"
        mark.replace_self(
            nodes.reference(number, number, refid=mark["refid"], classes=mark["classes"])
        )
    for reference in body.findall(nodes.reference):
        if reference.get("refid"):
            reference["refuri"] = f"{page_url}#{reference['refid']}"
        elif reference.get("refuri"):
            reference["refuri"] = resolve(page_url, reference["refuri"])
    for image in body.findall(nodes.image):
        uri = image["uri"]
        if uri in builder.images:
            # Not yet rewritten by the page's translator: the copy's name, from the page.
            uri = posixpath.join(builder.imgpath, quote(builder.images[uri]))
        image["uri"] = resolve(page_url, uri)
    path = _content_path(app, pagename)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render_fragment(builder, body, pagename, permalinks=False), "utf-8")


def _xml(text: str) -> str:
    """``text`` without the characters XML cannot hold. Sources lose them as they are read
    (:mod:`broadsheet.safety`); this keeps a feed well-formed whatever else produced some."""
    return CONTROL_CHARACTERS.sub("", text)


def _entry(app: Sphinx, feed: FeedGenerator, article: Article) -> None:
    url = canonical_url(app.builder, article.docname)
    entry = feed.add_entry(order="append")
    entry.id(url)
    if article.retracted is not None:
        # The entry readers already have becomes the notice: same id, new title and text.
        entry.title(_xml(_("Retracted: %s") % article.title))
    else:
        entry.title(_xml(article.title))
    entry.link(href=url, rel="alternate", type="text/html")
    if article.date is not None:
        entry.published(article.date)
    modified = article.last_modified
    entry.updated(modified if modified else dt.datetime(1970, 1, 1, tzinfo=dt.UTC))
    for name in article.authors:
        entry.author(name=_xml(name))
    for tag in article.tags:
        entry.category(term=_xml(tag))
    if article.retracted is not None:
        entry.summary(_xml(f"{notice_label(article, app.config)} {article.retraction}"))
    else:
        entry.summary(_xml(article.summary or article.subtitle or article.title))
    content = _content_path(app, article.docname)
    if app.config.broadsheet_feed_content == "full" and content.exists():
        entry.content(_xml(content.read_text("utf-8")), type="html")


def _feed(
    app: Sphinx, path: str, title: str, articles: list[Article], page: str = ""
) -> FeedGenerator:
    """The feed at ``path``; ``page`` is the page (docname) it follows, else the front page."""
    config = app.config
    base = site_base(config)
    feed = FeedGenerator()
    feed.id(urljoin(base, path))
    feed.title(title)
    feed.link(href=urljoin(base, path), rel="self", type="application/atom+xml")
    alternate = canonical_url(app.builder, page) if page else base
    feed.link(href=alternate, rel="alternate", type="text/html")
    feed.author(name=config.author or config.project)
    feed.language((config.language or "en").replace("_", "-"))
    feed.generator("Broadsheet")
    dates = [a.last_modified for a in articles if a.last_modified is not None]
    newest = max(dates, default=dt.datetime(1970, 1, 1, tzinfo=dt.UTC))
    feed.updated(newest)
    for article in articles:
        _entry(app, feed, article)
    return feed


def write_feeds(app: Sphinx, exception: Exception | None) -> None:
    """Write the publication's feed and one per tag."""
    if exception is not None or app.builder.format != "html" or not app.config.broadsheet_feeds:
        return
    if not app.config.html_baseurl:
        logger.warning(
            "no feeds written: set html_baseurl to the publication's address",
            type="broadsheet",
            subtype="feed",
        )
        return
    config = app.config
    show_drafts = config.broadsheet_show_drafts
    everything = get_domain(app.env).articles.values()
    notices = [
        a for a in everything if a.retracted is not None and (show_drafts or a.status == "live")
    ]
    articles = newest_first([*select(everything, show_drafts=show_drafts), *notices])
    limit = config.broadsheet_feed_limit or None
    feeds = [(MAIN_FEED, config.project, articles[:limit], "")]
    tags = {page_slug(t): t for a in articles for t in a.tags}
    groups = grouped(articles, lambda article: article.tags)
    pages = config.broadsheet_taxonomy_pages
    for slug, tag in sorted(tags.items(), key=lambda item: item[1].casefold()):
        page = tag_page(tag) if pages else ""
        feeds.append((tag_feed(tag), f"{config.project}: {tag}", groups[slug][:limit], page))
    # Feeds whose entries did not change are not written again; a tag no published article
    # has any more loses its feed.
    record = GeneratedFiles(app, "feeds")
    outdir = Path(app.outdir)
    for path, title, chosen, page in feeds:
        if not record.wanted(path, _feed_key(app, path, title, chosen, page)):
            continue
        target = outdir / path
        target.parent.mkdir(parents=True, exist_ok=True)
        _feed(app, path, title, chosen, page).atom_file(str(target), pretty=True)
    record.finish()


def _feed_key(app: Sphinx, path: str, title: str, articles: list[Article], page: str) -> str:
    """Everything that goes into a feed, for :class:`GeneratedFiles`."""
    entries = []
    for article in articles:
        content = _content_path(app, article.docname)
        # The full text is kept when the article's page is written: it changed if that did.
        stat = content.stat() if content.exists() else None
        written = [stat.st_size, stat.st_mtime_ns] if stat else []
        entries.append([repr(article), written])
    return json.dumps([path, title, page, entries])


def link_feeds(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    """Announce the feed in every page's head, and a tag page's own feed on it."""
    if not feeds_enabled(app):
        return
    # Relative, so a local preview finds the feed too; readers resolve it against the page.
    links = [(app.config.project, MAIN_FEED)]
    tag = context.get("broadsheet_tag")
    if tag:
        links.append((f"{app.config.project}: {tag}", tag_feed(tag)))
    context["metatags"] = context.get("metatags", "") + "".join(
        f'<link rel="alternate" type="application/atom+xml" title="{html.escape(title)}" '
        f'href="{html.escape(context["pathto"](path, 1))}">\n'
        for title, path in links
    )


def setup_feeds(app: Sphinx) -> None:
    """Register the feed hooks."""
    app.connect("html-page-context", capture_content)
    app.connect("html-page-context", link_feeds)
    app.connect("build-finished", write_feeds)
