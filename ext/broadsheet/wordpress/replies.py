"""A post's approved comments as the article's reply file.

The reply file format is Broadsheet's (``<srcdir>/replies/<docname>.yaml``): ids prefixed
``wp-``, the parent's id for a threaded answer, the author's display name and website (http(s)
only), an RFC 3339 date-time, and the text in a small Markdown subset. Comments awaiting
moderation, spam, trashed comments, pingbacks and trackbacks are left out; an email address is
never read from the export, so it cannot be written.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import nh3

from broadsheet.reply_files import dump_reply_file
from broadsheet.wordpress import cleanup
from broadsheet.wordpress.markdown import MystConverter
from broadsheet.wordpress.wxr import Comment

_REPLY_TAGS = {"p", "br", "a", "em", "i", "strong", "b", "code", "blockquote", "ul", "ol", "li"}


def approved(comments: list[Comment]) -> tuple[list[Comment], int]:
    """The comments to publish, oldest first, and how many others were left out."""
    kept = [c for c in comments if c.approved == "1" and c.type in ("", "comment") and c.id]
    kept.sort(key=lambda c: (_when(c) or dt.datetime.min.replace(tzinfo=dt.UTC), int(c.id or 0)))
    return kept, len(comments) - len(kept)


def _when(comment: Comment, zone: dt.tzinfo | None = None) -> dt.datetime | None:
    if comment.date_gmt is not None:
        return comment.date_gmt
    if comment.date is not None and zone is not None:
        return comment.date.replace(tzinfo=zone)
    return None


def reply_text(content: str) -> str:
    """A comment's text (HTML or plain text with blank lines) in the replies' Markdown subset."""
    text = cleanup.autop(content)
    text = nh3.clean(
        text,
        tags=set(_REPLY_TAGS),
        attributes={"a": {"href"}},
        url_schemes={"http", "https"},
        link_rel=None,
    )
    markdown = str(MystConverter(newline_style="spaces").convert(text)).strip()
    # A reply's line breaks are soft: the replies' Markdown subset has no hard break.
    return "\n".join(line.rstrip() for line in markdown.splitlines())


def reply_entries(
    comments: list[Comment], zone: dt.tzinfo | None, fallback: dt.datetime
) -> list[dict[str, Any]]:
    """The entries of the reply file for these approved comments."""
    ids = {c.id for c in comments}
    entries: list[dict[str, Any]] = []
    for comment in comments:
        entry: dict[str, Any] = {"id": f"wp-{comment.id}"}
        if comment.parent not in ("", "0") and comment.parent in ids:
            entry["parent"] = f"wp-{comment.parent}"
        entry["author"] = " ".join(comment.author.split()) or "Anonymous"
        if re.match(r"https?://[^\s]+$", comment.author_url):
            entry["website"] = comment.author_url
        when = _when(comment, zone) or fallback
        entry["date"] = when.isoformat(timespec="seconds")
        entry["text"] = reply_text(comment.content) or "…"
        entries.append(entry)
    return entries


def reply_file_text(docname: str, entries: list[dict[str, Any]]) -> str:
    """The YAML of a reply file."""
    return dump_reply_file(
        entries, f"Published replies to {docname}. Imported from WordPress; reviewed in git."
    )
