"""Isso's public API, as ``broadsheet replies`` reads it: the approved comments of a thread.

``GET <isso>/?uri=<path>&plain=1`` answers with the thread's published comments (mode 1) and
the deleted ones that still have answers (mode 4, emptied), two levels deep, with the text as
the reader typed it (``plain=1``) rather than Isso's HTML. Comments awaiting moderation are
not in it, and Isso never sends an email address in it. Isso stores the name and website
HTML-escaped; they are unescaped here, since Broadsheet escapes what it shows.

The web page posts with ``broadsheet-replies.js``; nothing here writes to Isso.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import html
import json
import urllib.error
import urllib.parse
import urllib.request
from typing import Any

#: How long to wait for Isso, in seconds.
TIMEOUT = 20
#: Published, and deleted but kept because answers refer to it (Isso's comment modes).
PUBLISHED = 1
DELETED_WITH_ANSWERS = 4


class IssoError(Exception):
    """Isso could not be reached or gave an answer that is not a thread."""


@dataclasses.dataclass(frozen=True)
class Comment:
    """One approved comment, as much of it as a reply file keeps (never an email)."""

    id: int
    parent: int | None
    author: str
    website: str
    created: dt.datetime
    text: str


def thread_url(isso_url: str, uri: str) -> str:
    """The address of the thread ``uri``'s comments, with the text as typed."""
    query = urllib.parse.urlencode({"uri": uri, "plain": "1"})
    return urllib.parse.urljoin(isso_url, "?" + query)


def fetch_comments(isso_url: str, uri: str, timeout: float = TIMEOUT) -> list[Comment]:
    """The approved comments of thread ``uri``, oldest first; ``[]`` for a thread Isso lacks."""
    request = urllib.request.Request(
        thread_url(isso_url, uri), headers={"Accept": "application/json"}
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            body = response.read()
    except urllib.error.HTTPError as exc:
        if exc.code == 404:  # Isso before 0.13 answers 404 for a thread with no comments
            return []
        raise IssoError(f"{exc.code} {exc.reason}") from exc
    except (urllib.error.URLError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise IssoError(str(reason)) from exc
    try:
        data = json.loads(body)
    except ValueError as exc:
        raise IssoError("the answer is not JSON: is this the address of Isso?") from exc
    if not isinstance(data, dict) or not isinstance(data.get("replies"), list):
        raise IssoError("the answer is not a thread of comments: is this the address of Isso?")
    return comments_of(data)


def comments_of(thread: dict[str, Any]) -> list[Comment]:
    """The published comments of a thread as Isso's API gives it, answers after their parent.

    A deleted comment that answers still refer to is left out; its answers then answer the
    article (Isso nests answers one level only, so their parent was a top-level comment).
    """
    found: list[Comment] = []
    deleted: set[int] = set()
    stack = list(reversed(thread.get("replies") or []))
    while stack:
        item = stack.pop()
        if not isinstance(item, dict) or not isinstance(item.get("id"), int):
            continue
        stack.extend(reversed(item.get("replies") or []))
        if item.get("mode") == DELETED_WITH_ANSWERS:
            deleted.add(item["id"])
            continue
        if item.get("mode", PUBLISHED) != PUBLISHED:
            continue
        parent = item.get("parent")
        text = item.get("text")
        found.append(
            Comment(
                id=item["id"],
                parent=parent if isinstance(parent, int) else None,
                author=_unescaped(item.get("author")),
                website=_unescaped(item.get("website")),
                created=dt.datetime.fromtimestamp(float(item.get("created") or 0), dt.UTC),
                text=text if isinstance(text, str) else "",
            )
        )
    return [
        dataclasses.replace(c, parent=None) if c.parent in deleted else c
        for c in sorted(found, key=lambda c: (c.created, c.id))
    ]


def _unescaped(value: Any) -> str:
    return html.unescape(value) if isinstance(value, str) else ""
