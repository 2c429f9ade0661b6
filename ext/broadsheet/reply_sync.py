"""Keeping a reply file in step with Isso: merge, compare, write.

The entries whose id starts with ``isso-`` are Isso's: they are replaced by the comments Isso
publishes now, so a reply the moderator deleted goes away and an edited one changes. Every
other entry (``wp-`` replies imported from WordPress, replies an editor wrote) is kept as it
is, where it is; Isso's follow, oldest first. A file whose entries do not change is not
written, so running again changes nothing; a file left with no entry is removed. An ``email``
key is never written, whoever put it there.
"""

from __future__ import annotations

import dataclasses
import re
import unicodedata
from pathlib import Path
from typing import Any

import yaml

from broadsheet.dates import rfc3339
from broadsheet.isso import Comment
from broadsheet.reply_files import MAX_FIELD, dump_reply_file, unsafe_yaml

#: The ids of replies that come from Isso: ``isso-<Isso's comment id>``.
PREFIX = "isso-"
_WEB = re.compile(r"https?://[^\s/?#@]+[^\s]*\Z", re.IGNORECASE)


class ReplyFileError(Exception):
    """An existing reply file cannot be read; it is left alone."""


@dataclasses.dataclass
class FileChange:
    """What syncing did to one article's reply file."""

    docname: str
    path: Path
    added: list[str] = dataclasses.field(default_factory=list)
    changed: list[str] = dataclasses.field(default_factory=list)
    removed: list[str] = dataclasses.field(default_factory=list)
    emails_dropped: int = 0

    @property
    def any(self) -> bool:
        """Whether the file's entries change."""
        return bool(self.added or self.changed or self.removed or self.emails_dropped)


def entry_of(comment: Comment, published: set[int]) -> dict[str, Any]:
    """A reply file entry for ``comment``; ``published`` are the ids of the thread's comments."""
    entry: dict[str, Any] = {"id": f"{PREFIX}{comment.id}"}
    if comment.parent is not None and comment.parent in published:
        entry["parent"] = f"{PREFIX}{comment.parent}"
    author = " ".join(_printable(comment.author).split())[:MAX_FIELD]
    if author:
        entry["author"] = author
    website = comment.website.strip()
    if website and len(website) <= MAX_FIELD and _WEB.match(website):
        entry["website"] = website
    entry["date"] = rfc3339(comment.created)
    entry["text"] = _printable(comment.text.replace("\r\n", "\n"), keep="\n\t").strip("\n")
    return entry


def _printable(text: str, keep: str = "") -> str:
    return "".join(ch for ch in text if ch in keep or unicodedata.category(ch) not in ("Cc", "Cs"))


def read_entries(path: Path) -> list[dict[str, Any]]:
    """The entries of the reply file at ``path`` as they are written (``[]`` when absent).

    Only a file that Broadsheet can read as a reply file is merged into; anything else is an
    editor's to fix, and is not overwritten.
    """
    if not path.is_file():
        return []
    text = path.read_text("utf-8")
    refusal = unsafe_yaml(text)
    if refusal is not None:
        raise ReplyFileError(f"{path}:{refusal.line}: {refusal.message}")
    try:
        data = yaml.safe_load(text) or {}
    except yaml.YAMLError as exc:
        raise ReplyFileError(f"{path}: not valid YAML: {exc}") from exc
    entries = data.get("replies") if isinstance(data, dict) else None
    if entries is None:
        return []
    if not isinstance(entries, list):
        raise ReplyFileError(f"{path}: 'replies' is not a list")
    return [e for e in entries if isinstance(e, dict)]


def merge(
    docname: str, path: Path, existing: list[dict[str, Any]], fetched: list[dict[str, Any]]
) -> tuple[list[dict[str, Any]], FileChange]:
    """The entries of the file after syncing, and what changed."""
    change = FileChange(docname, path)
    kept: list[dict[str, Any]] = []
    before: dict[str, dict[str, Any]] = {}
    for entry in existing:
        if "email" in entry:
            entry = {k: v for k, v in entry.items() if k != "email"}
            change.emails_dropped += 1
        if str(entry.get("id", "")).startswith(PREFIX):
            before[str(entry["id"])] = entry
        else:
            kept.append(entry)
    now = {entry["id"]: entry for entry in fetched}
    change.added = [i for i in now if i not in before]
    change.removed = [i for i in before if i not in now]
    change.changed = [i for i in now if i in before and _normal(before[i]) != _normal(now[i])]
    return [*kept, *fetched], change


def _normal(entry: dict[str, Any]) -> dict[str, str]:
    """An entry as text, so a date YAML read as a datetime compares with its string."""
    return {
        str(k): rfc3339(v) if hasattr(v, "isoformat") and hasattr(v, "hour") else str(v)
        for k, v in entry.items()
    }


def reply_file_text(docname: str, entries: list[dict[str, Any]]) -> str:
    """The YAML of a reply file."""
    return dump_reply_file(
        entries,
        f"Published replies to {docname}, reviewed in git. `broadsheet replies` keeps the\n"
        f"{PREFIX} entries in step with Isso and leaves the others as they are.",
    )


def sync_file(
    docname: str, path: Path, fetched: list[dict[str, Any]], *, write: bool = True
) -> FileChange:
    """Bring the reply file of ``docname`` in step with ``fetched``; return what changed."""
    existing = read_entries(path)
    entries, change = merge(docname, path, existing, fetched)
    if not change.any or not write:
        return change
    if entries:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_name(path.name + ".tmp")
        temporary.write_text(reply_file_text(docname, entries), "utf-8")
        temporary.replace(path)
    elif path.exists():
        path.unlink()
    return change
