"""Read a WordPress export (WXR 1.0 to 1.2) as a stream of items.

An export is an RSS file with WordPress's own namespaces. It is untrusted input, so it is parsed
with ``defusedxml`` (no entity declarations, no external references) and streamed with
``iterparse``: each ``<item>`` is turned into an :class:`Item` and its element cleared before the
next is read, so a large export never sits in memory as a tree.

The ``wp:`` namespace is recognised by its address, in both the ``http://`` and the ``https://``
forms (WordPress.com writes the latter) and for every 1.x version; an element in any other
namespace is never read as WordPress's, whatever its prefix says.
"""

from __future__ import annotations

import collections
import dataclasses
import datetime as dt
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import defusedxml
import defusedxml.ElementTree as SafeET

_WP = re.compile(r"^https?://wordpress\.org/export/1\.\d+/$")
_EXCERPT = re.compile(r"^https?://wordpress\.org/export/1\.\d+/excerpt/$")
_PREFIXES = {
    "http://purl.org/rss/1.0/modules/content/": "content:",
    "http://purl.org/dc/elements/1.1/": "dc:",
}
_VERSION = re.compile(r"^\d+\.\d+$")


class WxrError(Exception):
    """The file cannot be read as a WordPress export; the message names the file and line."""


@dataclasses.dataclass
class Comment:
    """One comment of a post, as exported (the author's email and IP are never kept)."""

    id: str
    parent: str = "0"
    author: str = ""
    author_url: str = ""
    date: dt.datetime | None = None
    date_gmt: dt.datetime | None = None
    content: str = ""
    approved: str = "1"
    type: str = ""


@dataclasses.dataclass
class Term:
    """A category, tag or other term attached to a post."""

    domain: str
    slug: str
    name: str


@dataclasses.dataclass
class Item:
    """One ``<item>`` of the export: a post, page, attachment, menu item..."""

    post_id: str = ""
    title: str = ""
    link: str = ""
    creator: str = ""
    content: str = ""
    excerpt: str = ""
    date: dt.datetime | None = None
    date_gmt: dt.datetime | None = None
    modified: dt.datetime | None = None
    modified_gmt: dt.datetime | None = None
    post_name: str = ""
    status: str = ""
    post_type: str = ""
    password: str = ""
    attachment_url: str = ""
    parent: str = ""
    terms: list[Term] = dataclasses.field(default_factory=list)
    meta: dict[str, str] = dataclasses.field(default_factory=dict)
    comments: list[Comment] = dataclasses.field(default_factory=list)


@dataclasses.dataclass
class Channel:
    """What the export says about the site, read before the posts are written."""

    version: str = ""
    title: str = ""
    link: str = ""
    base_site_url: str = ""
    base_blog_url: str = ""
    #: Display names by login.
    authors: dict[str, str] = dataclasses.field(default_factory=dict)
    #: Attachment URLs by post id, for featured images.
    attachments: dict[str, str] = dataclasses.field(default_factory=dict)
    #: Each attachment's file under ``wp-content/uploads`` (``2024/08/a.jpg``) by its URL.
    uploads: dict[str, str] = dataclasses.field(default_factory=dict)
    #: Attachment URLs by the post they belong to, for galleries without ids.
    children: dict[str, list[str]] = dataclasses.field(default_factory=dict)
    #: The site's offset from UTC, guessed from the posts that have both local and GMT dates.
    utc_offset: dt.timedelta | None = None
    #: Items by post type.
    counts: collections.Counter[str] = dataclasses.field(default_factory=collections.Counter)
    #: Every post and page without its content, comments or metadata, in file order.
    posts: list[Item] = dataclasses.field(default_factory=list)


def name(tag: str) -> str:
    """``{namespace}local`` as ``wp:local``, ``content:local``...; other namespaces unchanged."""
    if not tag.startswith("{"):
        return tag
    uri, local = tag[1:].split("}", 1)
    if _WP.match(uri):
        return "wp:" + local
    if _EXCERPT.match(uri):
        return "excerpt:" + local
    prefix = _PREFIXES.get(uri)
    return prefix + local if prefix else tag


def parse_date(text: str, zone: dt.tzinfo | None = None) -> dt.datetime | None:
    """``2024-06-05 16:04:48`` as a datetime in ``zone``; ``None`` for WordPress's zero date."""
    text = text.strip()
    if not text or text.startswith("0000-00-00"):
        return None
    try:
        parsed = dt.datetime.fromisoformat(text)
    except ValueError:
        return None
    return parsed.replace(tzinfo=zone) if zone is not None and parsed.tzinfo is None else parsed


def _text(element: ET.Element) -> str:
    return element.text or ""


def _comment(element: ET.Element) -> Comment:
    comment = Comment(id="")
    for child in element:
        key, value = name(child.tag), _text(child)
        if key == "wp:comment_id":
            comment.id = value.strip()
        elif key == "wp:comment_parent":
            comment.parent = value.strip() or "0"
        elif key == "wp:comment_author":
            comment.author = value.strip()
        elif key == "wp:comment_author_url":
            comment.author_url = value.strip()
        elif key == "wp:comment_date":
            comment.date = parse_date(value)
        elif key == "wp:comment_date_gmt":
            comment.date_gmt = parse_date(value, dt.UTC)
        elif key == "wp:comment_content":
            comment.content = value
        elif key == "wp:comment_approved":
            comment.approved = value.strip()
        elif key == "wp:comment_type":
            comment.type = value.strip()
    return comment


_ITEM_TEXT = {
    "title": "title",
    "link": "link",
    "dc:creator": "creator",
    "content:encoded": "content",
    "excerpt:encoded": "excerpt",
    "wp:post_id": "post_id",
    "wp:post_name": "post_name",
    "wp:status": "status",
    "wp:post_type": "post_type",
    "wp:post_password": "password",
    "wp:attachment_url": "attachment_url",
    "wp:post_parent": "parent",
}
_ITEM_DATES = {
    "wp:post_date": ("date", None),
    "wp:post_date_gmt": ("date_gmt", dt.UTC),
    "wp:post_modified": ("modified", None),
    "wp:post_modified_gmt": ("modified_gmt", dt.UTC),
}


def _item(element: ET.Element) -> Item:
    item = Item()
    for child in element:
        key = name(child.tag)
        # An element given twice: the last wins, as in WordPress's own parsers.
        if key in _ITEM_TEXT:
            value = _text(child)
            attribute = _ITEM_TEXT[key]
            keep_as_is = attribute in ("content", "excerpt")
            setattr(item, attribute, value if keep_as_is else value.strip())
        elif key in _ITEM_DATES:
            attribute, zone = _ITEM_DATES[key]
            setattr(item, attribute, parse_date(_text(child), zone))
        elif key == "category":
            domain = child.get("domain", "")
            if domain:
                item.terms.append(Term(domain, child.get("nicename", ""), _text(child).strip()))
        elif key == "wp:postmeta":
            meta = {name(part.tag): _text(part) for part in child}
            if "wp:meta_key" in meta:
                item.meta[meta["wp:meta_key"]] = meta.get("wp:meta_value", "")
        elif key == "wp:comment":
            item.comments.append(_comment(child))
    return item


def _author(element: ET.Element) -> tuple[str, str]:
    fields = {name(child.tag): _text(child).strip() for child in element}
    login = fields.get("wp:author_login", "")
    return login, fields.get("wp:author_display_name", "") or login


def _events(path: Path) -> Iterator[tuple[str, ET.Element]]:
    """``iterparse`` events of ``path`` with every XML failure as one :class:`WxrError`."""
    try:
        yield from SafeET.iterparse(str(path), events=("start", "end"), forbid_dtd=False)
    except ET.ParseError as exc:
        line = exc.position[0]
        reason = str(exc).split(":")[0]
        raise WxrError(f"{path}:{line}: not well-formed XML ({reason})") from None
    except defusedxml.DefusedXmlException as exc:
        raise WxrError(
            f"{path}: refused: the file declares XML entities or external references ({exc})"
        ) from None
    except OSError as exc:
        raise WxrError(f"{path}: cannot be read: {exc.strerror or exc}") from None


def read_items(path: Path, channel: Channel | None = None) -> Iterator[Item]:
    """Every item of the export at ``path``, in file order; fills ``channel`` on the way."""
    channel = channel if channel is not None else Channel()
    stack: list[ET.Element] = []
    checked = False
    for event, element in _events(path):
        if event == "start":
            stack.append(element)
            continue
        stack.pop()
        if len(stack) != 2 or name(stack[1].tag) != "channel":
            continue
        key = name(element.tag)
        if key == "item":
            if not checked:
                _check_version(path, channel)
                checked = True
            yield _item(element)
        elif key in ("wp:author", "wp:wp_author"):  # the latter in WordPress's a11y test data
            login, display = _author(element)
            if login:
                channel.authors.setdefault(login, display)
        elif key == "wp:wxr_version":
            channel.version = channel.version or _text(element).strip()
        elif key in ("title", "link", "wp:base_site_url", "wp:base_blog_url"):
            attribute = key.removeprefix("wp:")
            if not getattr(channel, attribute):
                setattr(channel, attribute, _text(element).strip())
        stack[1].clear()  # what has been read is not kept
    if not checked:
        _check_version(path, channel)


def _check_version(path: Path, channel: Channel) -> None:
    if not _VERSION.match(channel.version):
        raise WxrError(
            f"{path}: not a WordPress export: no WXR version number "
            f"(<wp:wxr_version> missing or invalid: {channel.version!r})"
        )


def read_channel(path: Path) -> Channel:
    """First pass over the export: site, authors, attachments and the site's UTC offset."""
    channel = Channel()
    offsets: collections.Counter[dt.timedelta] = collections.Counter()
    for item in read_items(path, channel):
        channel.counts[item.post_type or "post"] += 1
        if item.post_type == "attachment" and item.attachment_url:
            channel.attachments[item.post_id] = item.attachment_url
            attached = item.meta.get("_wp_attached_file", "").strip()
            if attached:
                channel.uploads[item.attachment_url] = attached
            channel.children.setdefault(item.parent, []).append(item.attachment_url)
        if item.date is not None and item.date_gmt is not None:
            offsets[item.date - item.date_gmt.replace(tzinfo=None)] += 1
        if item.post_type in ("post", "page"):
            light = dataclasses.replace(item, content="", excerpt="", comments=[], meta={})
            light.terms = []
            if not item.title.strip():
                light.content = item.content[:2000]  # an untitled post is named by its words
            channel.posts.append(light)
    if offsets:
        channel.utc_offset = offsets.most_common(1)[0][0]
    return channel
