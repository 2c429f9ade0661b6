"""Read an article's YAML front matter from its source, keeping line numbers.

myst-parser hands front matter to Sphinx's metadata as strings (``toc: false`` arrives as
``"False"``, lists arrive JSON-encoded), so Broadsheet reads the YAML block itself, value by
value, and reports every problem with the line it is on. A bad value is dropped with a problem;
the other values are still used.

Front matter comes from contributors, so it is read within bounds (:mod:`broadsheet.boundedyaml`):
a value too deep or expanding too far through aliases is dropped like any bad value, before it
is built, and characters XML cannot carry are dropped with a problem naming their line.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any, Literal

import yaml

from broadsheet.boundedyaml import (
    MAX_CHARACTERS,
    NotAMappingError,
    TooDeepError,
    compose_mapping,
    drop_control_characters,
    last_line,
    without_controls,
    yaml_reason,
)
from broadsheet.translations import __

#: Keys Broadsheet reads.
ARTICLE_KEYS = frozenset(
    {
        "title",
        "subtitle",
        "authors",
        "date",
        "updated",
        "tags",
        "summary",
        "image",
        "image_alt",
        "draft",
        "toc",
        "replies",
        "changes",
        "retracted",
    }
)
#: Keys that Sphinx or myst-parser read themselves; accepted without a warning.
#: Keys a publication status is often written under in other tools' front matter (Hugo,
#: Jekyll, WordPress exports). Written instead of ``draft``, they keep the article a draft.
STATUS_LOOKALIKES = frozenset(
    {"draft", "drafts", "status", "published", "unpublished", "publish", "hidden", "embargo"}
)

PASSTHROUGH_KEYS = frozenset(
    {"orphan", "nocomments", "nosearch", "tocdepth", "html_meta", "myst", "substitutions"}
)

Replies = Literal["open", "closed", "off"]
#: A date as the front matter gives it: a day, or a moment with or without a zone.
Date = dt.date | dt.datetime


@dataclasses.dataclass(frozen=True)
class Retraction:
    """``retracted``: when the article was withdrawn, and the notice readers see instead."""

    date: Date
    reason: str


@dataclasses.dataclass
class FrontMatter:
    """The validated front matter of one article; absent or invalid values keep defaults."""

    title: str = ""
    subtitle: str = ""
    authors: tuple[str, ...] = ()
    date: Date | None = None
    updated: Date | None = None
    tags: tuple[str, ...] = ()
    summary: str = ""
    image: str = ""
    #: What the lead image shows, for readers who cannot see it (``og:image:alt``).
    image_alt: str = ""
    draft: bool = False
    #: The draft flag was there but could not be read (``draft: "false"``, ``Draft: no``): the
    #: article is kept a draft until it is fixed, never published by a typo (fail closed).
    draft_unclear: bool = False
    #: ``None``: the configured depth; ``0``: no table of contents; else a depth 1-6.
    toc: int | None = None
    replies: Replies = "open"
    #: Update notes, oldest first: (date or None, note).
    changes: tuple[tuple[Date | None, str], ...] = ()
    retracted: Retraction | None = None
    #: Source line of each key present (1-based), for later warnings.
    lines: dict[str, int] = dataclasses.field(default_factory=dict)
    #: Index of the closing ``---`` line in the source; 0 when there is no front matter.
    end: int = 0
    #: Source line indexes (0-based, first and last) of each top-level key and its value,
    #: passthrough keys included, so a value can be kept from myst-parser too.
    spans: dict[str, tuple[int, int]] = dataclasses.field(default_factory=dict)
    #: Source line indexes (0-based, first and last) of values dropped for exceeding a limit;
    #: they must not reach any other YAML reader either.
    dropped: tuple[tuple[int, int], ...] = ()


@dataclasses.dataclass(frozen=True)
class Problem:
    """Something wrong in the front matter, at a 1-based source line."""

    message: str
    line: int


def split_front_matter(lines: list[str]) -> tuple[str, int] | None:
    """Return the YAML text between the leading ``---`` fences and the index of the closing one.

    Mirrors markdown-it's front matter rule: the block must open on the first line.
    """
    if not lines or lines[0].rstrip() != "---":
        return None
    for index in range(1, len(lines)):
        if lines[index].rstrip() in ("---", "..."):
            return "\n".join(lines[1:index]), index
    return None


def parse_front_matter(
    lines: list[str], zone: dt.tzinfo = dt.UTC
) -> tuple[FrontMatter, list[Problem]]:
    """Parse and validate the front matter at the start of the source ``lines``.

    Dates without an offset are compared in ``zone``, the publication's.
    """
    front = FrontMatter()
    problems: list[Problem] = []
    block = split_front_matter(lines)
    if block is None:
        problems.append(Problem(__("article has no front matter; 'date' is required"), 1))
        return front, problems
    text, front.end = block
    first_line = 2
    if len(text) > MAX_CHARACTERS:
        problems.append(
            Problem(
                __("front matter is longer than %d characters and is not read") % MAX_CHARACTERS,
                1,
            )
        )
        front.dropped = ((1, front.end - 1),)
        return front, problems
    text, bad_lines = drop_control_characters(text)
    problems.extend(
        Problem(__("control characters dropped"), first_line + line - 1) for line in bad_lines
    )

    try:
        loader, root_items, dropped = compose_mapping(text)
    except NotAMappingError:
        problems.append(Problem(__("front matter must be a mapping of keys to values"), first_line))
        return front, problems
    except TooDeepError as exc:
        message = __(
            "front matter is not read: its lists and mappings nest more than %d levels deep"
        )
        problems.append(Problem(message % exc.limit, first_line + exc.line))
        front.dropped = ((1, front.end - 1),)  # nor by myst-parser, whose reader is slower
        return front, problems
    except yaml.YAMLError as exc:
        problems.append(_invalid(exc, first_line))
        return front, problems
    for start, end, reason in dropped:
        problems.append(Problem(__("front matter value dropped: %s") % reason, first_line + start))
        front.dropped += ((1 + start, 1 + end),)

    for key_node, value_node in root_items:
        line = first_line + key_node.start_mark.line
        key = key_node.value if isinstance(key_node, yaml.ScalarNode) else repr(key_node)
        # An alias's node is the anchored one, which may stand anywhere earlier.
        last = max(key_node.start_mark.line, last_line(value_node.end_mark))
        front.spans[key] = (1 + key_node.start_mark.line, 1 + last)
        if key in PASSTHROUGH_KEYS:
            continue
        if key not in ARTICLE_KEYS and str(key).strip().casefold() in STATUS_LOOKALIKES:
            front.draft = front.draft_unclear = True
            front.lines.setdefault("draft", line)
            problems.append(
                Problem(
                    __("%r kept the article a draft: write 'draft: true' or 'draft: false'") % key,
                    line,
                )
            )
            continue
        if key not in ARTICLE_KEYS:
            known = ", ".join(sorted(ARTICLE_KEYS))
            problems.append(
                Problem(__("unknown front matter key %r (known: %s)") % (key, known), line)
            )
            continue
        front.lines[key] = line
        try:
            value = loader.construct_object(value_node, deep=True)
        except (yaml.YAMLError, ValueError, TypeError, RecursionError) as exc:
            if key == "draft":
                front.draft = front.draft_unclear = True
            problems.append(
                Problem(__("%s: cannot read value: %s") % (key, yaml_reason(exc)), line)
            )
            continue
        value, repaired = _valid_unicode(value)
        if repaired:
            problems.append(
                Problem(__("%s: invalid escaped characters (lone surrogates) replaced") % key, line)
            )
        value, controls = without_controls(value)
        if controls:
            problems.append(Problem(__("%s: control characters dropped") % key, line))
        error = _assign(front, key, value)
        if error:
            problems.append(Problem(f"{key}: {error}", line))
    loader.dispose()
    return _finish(front, problems, zone)


def _finish(
    front: FrontMatter, problems: list[Problem], zone: dt.tzinfo
) -> tuple[FrontMatter, list[Problem]]:
    """The checks across values, once every value is read."""
    if front.date is None and "date" not in front.lines:
        problems.append(
            Problem(
                __(
                    "'date' is required (an ISO date such as 2024-08-24): an article without "
                    "one is not published"
                ),
                1,
            )
        )
    if (
        front.date
        and front.updated
        and _as_datetime(front.updated, zone) < _as_datetime(front.date, zone)
    ):
        problems.append(Problem(__("'updated' is earlier than 'date'"), front.lines["updated"]))
    if (
        front.date
        and front.retracted
        and _as_datetime(front.retracted.date, zone) < _as_datetime(front.date, zone)
    ):
        problems.append(
            Problem(__("retracted: the date is earlier than 'date'"), front.lines["retracted"])
        )
    return front, problems


def _invalid(exc: yaml.YAMLError, first_line: int) -> Problem:
    # The context mark is where the broken construct opened, usually the line to fix.
    mark = getattr(exc, "context_mark", None) or getattr(exc, "problem_mark", None)
    line = first_line + (mark.line if mark is not None else 0)
    return Problem(__("front matter is not valid YAML: %s") % yaml_reason(exc), line)


def _assign(front: FrontMatter, key: str, value: Any) -> str:
    """Store one value on ``front``; return why it was refused, or ``""``."""
    if key in ("title", "subtitle", "summary", "image", "image_alt"):
        if not isinstance(value, str):
            return __("expected text, got %s") % _kind(value)
        value = " ".join(value.split())
        if key == "title" and not value:
            return __("the title is empty")
        setattr(front, key, value)
    elif key in ("authors", "tags"):
        items = _string_list(value)
        if items is None:
            return __("expected a string or a list of strings, got %s") % _kind(value)
        setattr(front, key, items)
    elif key in ("date", "updated"):
        parsed = _parse_date(value)
        if isinstance(parsed, str):
            return parsed
        setattr(front, key, parsed)
    elif key == "draft":
        if not isinstance(value, bool):
            front.draft = front.draft_unclear = True
            return __("expected true or false, got %s; kept a draft until fixed") % _kind(value)
        front.draft = value
    elif key == "toc":
        return _assign_toc(front, value)
    elif key == "replies":
        return _assign_replies(front, value)
    elif key == "changes":
        return _assign_changes(front, value)
    elif key == "retracted":
        return _assign_retracted(front, value)
    return ""


def _assign_retracted(front: FrontMatter, value: Any) -> str:
    """``retracted``: a mapping with the ``date`` of the retraction and the ``reason`` shown."""
    if not isinstance(value, dict) or set(value) != {"date", "reason"}:
        return __("expected a mapping with 'date' and 'reason', got %s") % _kind(value)
    day = _parse_date(value["date"])
    if isinstance(day, str):
        return day
    reason = value["reason"]
    if not isinstance(reason, str) or not reason.strip():
        return __("'reason' must be the text of the notice readers see")
    front.retracted = Retraction(day, " ".join(reason.split()))
    return ""


def _assign_changes(front: FrontMatter, value: Any) -> str:
    """``changes``: a list of notes, each a string or a mapping with ``date`` and ``note``."""
    if not isinstance(value, list):
        value = [value]
    changes: list[tuple[Date | None, str]] = []
    for entry in value:
        if isinstance(entry, str):
            changes.append((None, " ".join(entry.split())))
            continue
        if not isinstance(entry, dict) or not isinstance(entry.get("note"), str):
            return __("each change must be a note, or a mapping with 'date' and 'note'")
        day = _parse_date(entry["date"]) if "date" in entry else None
        if isinstance(day, str):
            return day
        changes.append((day, " ".join(entry["note"].split())))
    front.changes = tuple(changes)
    return ""


def _assign_toc(front: FrontMatter, value: Any) -> str:
    if value is True:
        front.toc = None
    elif value is False:
        front.toc = 0
    elif isinstance(value, int) and 1 <= value <= 6:
        front.toc = value
    else:
        return __("expected true, false or a depth from 1 to 6, got %r") % (value,)
    return ""


def _assign_replies(front: FrontMatter, value: Any) -> str:
    if value is True:
        front.replies = "open"
    elif value is False:
        front.replies = "off"
    elif value == "closed":
        front.replies = "closed"
    else:
        return __("expected true, false or 'closed', got %r") % (value,)
    return ""


def _valid_unicode(value: Any) -> tuple[Any, bool]:
    """``value`` with YAML's ``\\ud83c\\udf89``-style surrogate escapes joined into characters.

    A surrogate that pairs with nothing cannot be written to any file; it becomes U+FFFD.
    """
    if isinstance(value, str):
        joined = value.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
        return joined, "\ufffd" in joined and "\ufffd" not in value
    if isinstance(value, list):
        pairs = [_valid_unicode(v) for v in value]
        return [v for v, _ in pairs], any(r for _, r in pairs)
    if isinstance(value, dict):
        entries = {k: _valid_unicode(v) for k, v in value.items()}
        return {k: v for k, (v, _r) in entries.items()}, any(r for _v, r in entries.values())
    return value, False


def _string_list(value: Any) -> tuple[str, ...] | None:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        return None
    cleaned = (" ".join(v.split()) for v in value)
    return tuple(dict.fromkeys(v for v in cleaned if v))


def _parse_date(value: Any) -> Date | str:
    if isinstance(value, dt.datetime | dt.date):
        return value
    if not isinstance(value, str):
        return __("expected an ISO date such as 2024-08-24, got %s") % _kind(value)
    try:
        parsed = dt.datetime.fromisoformat(value.strip())
    except ValueError:
        return __("%r is not an ISO date (such as 2024-08-24 or 2024-08-24T09:30)") % value
    has_time = len(value.strip()) > 10
    return parsed if has_time else parsed.date()


def _as_datetime(value: Date, zone: dt.tzinfo) -> dt.datetime:
    """``value`` as a zone-aware moment: a day starts at 00:00 in ``zone``, as does a time
    without an offset (the rule of :func:`broadsheet.dates.instant`)."""
    if not isinstance(value, dt.datetime):
        value = dt.datetime(value.year, value.month, value.day)
    return value if value.tzinfo is not None else value.replace(tzinfo=zone)


def _kind(value: Any) -> str:
    names = {dict: "a mapping", list: "a list", bool: "true/false", int: "a number"}
    return names.get(type(value), type(value).__name__)
