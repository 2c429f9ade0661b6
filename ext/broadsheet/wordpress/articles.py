"""A WordPress post as a Broadsheet article: its file name, front matter and source text.

Only keys Broadsheet's front matter parser knows are written (``title``, ``authors``, ``date``,
``updated``, ``tags``, ``summary``, ``image``, ``draft``), plus ``orphan`` for pages, which Sphinx
reads itself. Strings are written as JSON strings, which YAML reads back exactly.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import html
import json
import re
import urllib.parse

from broadsheet.slugs import slugify
from broadsheet.wordpress.wxr import Channel, Item

#: WordPress statuses imported as drafts (never published by the import).
DRAFT_STATUSES = frozenset({"draft", "pending", "private"})
#: Category names that say nothing about a post.
_EMPTY_CATEGORIES = frozenset({"uncategorized", "uncategorised"})
_TAG_DOMAINS = frozenset({"category", "post_tag", "tag"})


@dataclasses.dataclass
class Article:
    """What the importer writes for one post, before its body."""

    title: str
    date: dt.datetime | None
    draft: bool
    authors: list[str] = dataclasses.field(default_factory=list)
    tags: list[str] = dataclasses.field(default_factory=list)
    updated: dt.datetime | None = None
    summary: str = ""
    image: str = ""
    page: bool = False
    notes: list[str] = dataclasses.field(default_factory=list)


def plain_text(markup: str) -> str:
    """Markup and entities resolved: ``Tom &amp; <em>Jerry</em>`` -> ``Tom & Jerry``."""
    without_tags = re.sub(r"<[^>]*>", " ", markup)
    return " ".join(html.unescape(without_tags).split())


def local_zone(channel: Channel) -> dt.tzinfo | None:
    """The site's zone as a fixed offset, when the export lets it be worked out."""
    return dt.timezone(channel.utc_offset) if channel.utc_offset is not None else None


def post_dates(item: Item, channel: Channel) -> tuple[dt.datetime | None, dt.datetime | None]:
    """Publication and update date-times with their zone (UTC from the GMT fields)."""
    zone = local_zone(channel)
    date = item.date_gmt
    if date is None and item.date is not None:
        date = item.date.replace(tzinfo=zone) if zone is not None else item.date
    updated = item.modified_gmt
    if updated is None and item.modified is not None and zone is not None:
        updated = item.modified.replace(tzinfo=zone)
    if date is None or updated is None or updated.tzinfo is None or date.tzinfo is None:
        return date, None
    return date, updated if updated - date >= dt.timedelta(minutes=1) else None


def article_for(item: Item, channel: Channel) -> Article:
    """The front matter values of ``item``; ``notes`` says what had to be decided."""
    date, updated = post_dates(item, channel)
    title = plain_text(item.title)
    notes: list[str] = []
    if not title:
        words = plain_text(item.content).split()[:8]
        title = " ".join(words) + ("…" if len(words) == 8 else "") if words else ""
        title = title or item.post_name.replace("-", " ").capitalize() or f"Post {item.post_id}"
        notes.append(f"had no title; titled {title!r}")
    draft = item.status in DRAFT_STATUSES
    if item.password:
        draft = True
        notes.append("password-protected: imported as a draft")
    elif draft:
        notes.append(f"status {item.status!r}: imported as a draft")
    if date is None:
        draft = True
        notes.append("has no date: imported as a draft dated by the import")
    elif date.tzinfo is None:
        notes.append("no GMT date and the site's zone is unknown: date kept without a zone")
        draft = True
    if item.status == "future":
        notes.append("scheduled: keeps its future date")
    # WordPress logins hold only these characters (sanitize_user); exports may say otherwise.
    login = re.sub(r"[^\w .@-]", "", item.creator, flags=re.ASCII).strip()
    author = channel.authors.get(item.creator) or channel.authors.get(login) or login
    tags = [
        plain_text(term.name)
        for term in item.terms
        if term.domain in _TAG_DOMAINS and term.slug.lower() not in _EMPTY_CATEGORIES
    ]
    return Article(
        title=title,
        date=date,
        draft=draft,
        authors=[author] if author else [],
        tags=[tag for tag in dict.fromkeys(tags) if tag and tag.lower() not in _EMPTY_CATEGORIES],
        updated=updated,
        summary=plain_text(item.excerpt),
        page=item.post_type == "page",
        notes=notes,
    )


def file_stem(item: Item, title: str) -> str:
    """The file name (without ``.md``) from the post's slug, else its title."""
    slug = urllib.parse.unquote(item.post_name or "")
    return slugify(slug) if slugify(slug) != "article" else slugify(title or f"post-{item.post_id}")


def _date_text(value: dt.datetime) -> str:
    return value.isoformat(timespec="seconds")


def front_matter(article: Article, today: dt.datetime) -> str:
    """The YAML front matter block of ``article``."""
    lines = ["---", f"title: {json.dumps(article.title, ensure_ascii=False)}"]
    if article.authors:
        lines.append(f"authors: {json.dumps(article.authors, ensure_ascii=False)}")
    lines.append(f"date: {_date_text(article.date or today)}")
    if article.updated is not None:
        lines.append(f"updated: {_date_text(article.updated)}")
    if article.tags:
        lines.append(f"tags: {json.dumps(article.tags, ensure_ascii=False)}")
    if article.summary:
        lines.append(f"summary: {json.dumps(article.summary, ensure_ascii=False)}")
    if article.image:
        lines.append(f"image: {json.dumps(article.image, ensure_ascii=False)}")
    if article.page:
        lines.append("orphan: true")
    lines.append(f"draft: {'true' if article.draft else 'false'}")
    lines.append("---")
    return "\n".join(lines) + "\n"


def article_text(article: Article, body: str, today: dt.datetime) -> str:
    """The whole source: front matter, the title as the page's heading, the body."""
    heading = re.sub(r"([\\`*_\[\]<>#$%])", r"\\\1", article.title)
    parts = [front_matter(article, today), f"# {heading}\n"]
    if body.strip():
        parts.append(body)
    return "\n".join(parts)
