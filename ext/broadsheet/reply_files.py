"""Reply files: the published replies of an article, kept in the repository beside it.

``<srcdir>/replies/<docname>.yaml`` holds a mapping with one key, ``replies``, a list of
entries: ``id`` (unique in the file), optional ``parent`` (the id of the reply answered),
``author``, optional ``website`` (http or https), ``date`` (a date-time; without an offset it
is read in the publication's zone) and ``text`` (the small Markdown subset of
:mod:`broadsheet.reply_markdown`). The WordPress importer and ``broadsheet replies`` write
these files; editors review them in git like any other source.

Like :mod:`broadsheet.frontmatter`, this module has no Sphinx import and one policy: a bad
value or entry is dropped with a :class:`~broadsheet.frontmatter.Problem` naming its line, the
rest is kept. An email address is never kept, whatever the file says.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import unicodedata
import urllib.parse
from pathlib import Path
from typing import Any

import yaml

from broadsheet.boundedyaml import yaml_reason
from broadsheet.dates import instant
from broadsheet.frontmatter import Problem
from broadsheet.translations import __

#: The folder of the reply files, inside the publication's source folder.
REPLIES_DIR = "replies"
ENTRY_KEYS = frozenset({"id", "parent", "author", "website", "date", "text"})
#: Isso's limits (a reply's text, a name or an address); the reply form's are lower.
MAX_TEXT = 65_535
MAX_FIELD = 254
#: A reply file larger than this is not read at all: no article gets that many replies.
MAX_FILE_BYTES = 16 * 1024 * 1024
#: How deep collections may nest in a reply file (it needs three levels).
MAX_YAML_DEPTH = 32
#: Ids are part of each reply's anchor (``#reply-<id>``), so they keep to a URL-safe form.
_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,63}\Z")
_URL = re.compile(r"https?://[^\s/?#@]+[^\s]*\Z", re.IGNORECASE)


@dataclasses.dataclass(frozen=True)
class Reply:
    """One published reply; ``parent`` is ``""`` for a reply to the article."""

    id: str
    parent: str
    author: str
    website: str
    date: dt.datetime
    text: str
    #: Line of the entry in its file (1-based), for warnings found later (an unknown parent).
    line: int


def reply_file(srcdir: str | Path, docname: str) -> Path:
    """Where the replies of ``docname`` are kept."""
    return Path(srcdir, REPLIES_DIR, f"{docname}.yaml")


def anchor(reply_id: str) -> str:
    """The HTML id of the reply with id ``reply_id``."""
    return f"reply-{reply_id.lower()}"


def read_reply_file(
    path: Path, zone: dt.tzinfo, srcdir: str | Path | None = None
) -> tuple[list[Reply], list[Problem]]:
    """The valid replies of the file at ``path`` and the problems found in it.

    With ``srcdir``, a file that is (or lies under) a link to somewhere outside it is refused.
    """
    if srcdir is not None and not path.resolve().is_relative_to(Path(srcdir).resolve()):
        return [], [Problem(__("reply file is a link to a file outside the sources; not read"), 1)]
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        limit = MAX_FILE_BYTES // (1024 * 1024)
        return [], [Problem(__("reply file is larger than %d MiB; not read") % limit, 1)]
    try:
        text = path.read_text("utf-8")
    except UnicodeDecodeError as exc:
        return [], [Problem(__("reply file is not UTF-8 text: %s") % exc.reason, 1)]
    return parse_replies(text, zone)


def parse_replies(text: str, zone: dt.tzinfo) -> tuple[list[Reply], list[Problem]]:
    """Parse and validate the text of a reply file."""
    problems: list[Problem] = []
    refusal = unsafe_yaml(text)
    if refusal is not None:
        return [], [refusal]
    try:
        loader, root = _compose(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "context_mark", None) or getattr(exc, "problem_mark", None)
        line = 1 + (mark.line if mark is not None else 0)
        return [], [Problem(__("reply file is not valid YAML: %s") % yaml_reason(exc), line)]
    try:
        entries = _entry_nodes(root, problems)
        replies: list[Reply] = []
        seen: set[str] = set()
        for node in entries:
            reply = _entry(loader, node, zone, problems)
            if reply is None:
                continue
            if reply.id.lower() in seen:
                problems.append(
                    Problem(
                        __("reply id %r is used twice; this entry is left out") % reply.id,
                        reply.line,
                    )
                )
                continue
            seen.add(reply.id.lower())
            replies.append(reply)
    finally:
        loader.dispose()
    return replies, problems


def unsafe_yaml(text: str) -> Problem | None:
    """Why ``text`` must not be composed at all, or ``None``.

    PyYAML's composer recurses once per level of nesting, and an alias can expand a few
    bytes into billions of values ("billion laughs"). A reply file needs three levels and no
    alias, so both are measured on the parser's event stream (the parsers keep their own
    stack) before anything is built; front matter has its own bounds in
    :mod:`broadsheet.boundedyaml`.
    """
    fast = getattr(yaml, "CSafeLoader", None)
    try:
        return _scan(text, fast or yaml.SafeLoader)
    except yaml.YAMLError:
        pass
    # libyaml refuses some texts PyYAML reads (and nesting past its own limit).
    try:
        return _scan(text, yaml.SafeLoader) if fast is not None else None
    except yaml.YAMLError:
        return None  # reported, with its line, by the reader


def _scan(text: str, loader: Any) -> Problem | None:
    depth = 0
    for event in yaml.parse(text, Loader=loader):
        if isinstance(event, yaml.AliasEvent):
            return Problem(
                __("reply files do not use YAML aliases (*name); the file is not read"),
                _line(event),
            )
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_YAML_DEPTH:
                return Problem(
                    __("reply file is nested more than %d levels deep; not read") % MAX_YAML_DEPTH,
                    _line(event),
                )
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1
    return None


def _line(event: yaml.Event) -> int:
    return event.start_mark.line + 1 if event.start_mark is not None else 1


def _compose(text: str) -> tuple[yaml.SafeLoader, yaml.Node | None]:
    """A loader of ``text`` and its root node: libyaml's when it takes the text (several
    times faster), else PyYAML's, which reads a few things libyaml refuses."""
    fast = getattr(yaml, "CSafeLoader", None)
    if fast is not None:
        loader = fast(text)
        try:
            return loader, loader.get_single_node()
        except yaml.YAMLError:
            loader.dispose()
    loader = yaml.SafeLoader(text)
    try:
        return loader, loader.get_single_node()
    except yaml.YAMLError:
        loader.dispose()
        raise


def _entry_nodes(root: yaml.Node | None, problems: list[Problem]) -> list[yaml.Node]:
    """The nodes of the entries under ``replies``."""
    if root is None:
        return []
    if not isinstance(root, yaml.MappingNode):
        line = root.start_mark.line + 1
        problems.append(Problem(__("a reply file is a mapping with one key, 'replies'"), line))
        return []
    entries: list[yaml.Node] = []
    for key_node, value_node in root.value:
        line = key_node.start_mark.line + 1
        if not isinstance(key_node, yaml.ScalarNode) or key_node.value != "replies":
            problems.append(Problem(__("unknown key in reply file (known: replies)"), line))
        elif isinstance(value_node, yaml.SequenceNode):
            entries.extend(value_node.value)
        elif not (
            isinstance(value_node, yaml.ScalarNode) and value_node.value in ("", "~", "null")
        ):
            problems.append(Problem(__("'replies' must be a list of replies"), line))
    return entries


def _entry(
    loader: yaml.SafeLoader, node: yaml.Node, zone: dt.tzinfo, problems: list[Problem]
) -> Reply | None:
    """One reply from its mapping node, or ``None`` (with a problem) when it cannot be shown."""
    line = node.start_mark.line + 1
    if not isinstance(node, yaml.MappingNode):
        problems.append(Problem(__("each reply must be a mapping (id, author, date, text)"), line))
        return None
    values: dict[str, Any] = {}
    lines: dict[str, int] = {}
    for key_node, value_node in node.value:
        key_line = key_node.start_mark.line + 1
        key = key_node.value if isinstance(key_node, yaml.ScalarNode) else repr(key_node)
        if key == "email":
            # Never kept, never shown: a reply file is public, and so is the repository.
            problems.append(
                Problem(
                    __("'email' is never stored in a reply file; remove it (ignored)"), key_line
                )
            )
            continue
        if key not in ENTRY_KEYS:
            known = ", ".join(sorted(ENTRY_KEYS))
            problems.append(
                Problem(__("unknown reply key %r (known: %s)") % (key, known), key_line)
            )
            continue
        try:
            values[key] = loader.construct_object(value_node, deep=True)
        except (yaml.YAMLError, ValueError, TypeError) as exc:
            problems.append(
                Problem(__("%s: cannot read value: %s") % (key, yaml_reason(exc)), key_line)
            )
            continue
        lines[key] = key_line

    reply_id = values.get("id")
    if isinstance(reply_id, int) and not isinstance(reply_id, bool):
        reply_id = str(reply_id)
    if not isinstance(reply_id, str) or not _ID.match(reply_id):
        problems.append(
            Problem(
                __(
                    "reply without a valid 'id' (letters, digits, '-', '_' or '.', such as "
                    "isso-12); left out"
                ),
                lines.get("id", line),
            )
        )
        return None
    text = values.get("text")
    if not isinstance(text, str) or not text.strip():
        problems.append(
            Problem(__("reply %r has no text; left out") % reply_id, lines.get("text", line))
        )
        return None
    if len(text) > MAX_TEXT:
        problems.append(
            Problem(
                __("reply %r: the text is longer than %d characters; left out")
                % (reply_id, MAX_TEXT),
                lines["text"],
            )
        )
        return None
    when = _date(values.get("date"), zone)
    if when is None:
        problems.append(
            Problem(
                __("reply %r needs a 'date' such as 2024-08-22T10:15:00+00:00; left out")
                % reply_id,
                lines.get("date", line),
            )
        )
        return None
    text, stripped = _without_controls(text.replace("\r\n", "\n"), keep="\n\t")
    author, stripped_author = _without_controls(_one_line(values.get("author")))
    if _EMAIL.search(author):
        author = _EMAIL.sub("", author).strip(" <>()[],;:")
        problems.append(
            Problem(
                __("reply %r: an email address is never published; removed from the name")
                % reply_id,
                lines.get("author", line),
            )
        )
    if stripped or stripped_author:
        problems.append(
            Problem(__("reply %r: control characters removed") % reply_id, lines.get("text", line))
        )
    if len(author) > MAX_FIELD:
        author = author[:MAX_FIELD]
        problems.append(
            Problem(
                __("reply %r: the name is cut to %d characters") % (reply_id, MAX_FIELD),
                lines["author"],
            )
        )
    website = _website(values.get("website"))
    if website is None:
        problems.append(
            Problem(
                __("reply %r: 'website' must be an http(s) address; dropped") % reply_id,
                lines["website"],
            )
        )
        website = ""
    parent = values.get("parent")
    if isinstance(parent, int) and not isinstance(parent, bool):
        parent = str(parent)
    if parent is not None and not (isinstance(parent, str) and _ID.match(parent)):
        problems.append(
            Problem(
                __("reply %r: 'parent' is not a reply id; shown as a reply to the article")
                % reply_id,
                lines["parent"],
            )
        )
        parent = None
    return Reply(reply_id, parent or "", author, website, when, text.strip("\n"), line)


def _date(value: Any, zone: dt.tzinfo) -> dt.datetime | None:
    if isinstance(value, str):
        try:
            value = dt.datetime.fromisoformat(value.strip())
        except ValueError:
            return None
    if isinstance(value, dt.date):
        return instant(value, zone)
    return None


def _website(value: Any) -> str | None:
    """The address, ``""`` when there is none, ``None`` when it is not one to link to."""
    if value is None or value == "":
        return ""
    if not isinstance(value, str):
        return None
    address = value.strip()
    if len(address) > MAX_FIELD or not _URL.match(address) or _without_controls(address)[1]:
        return None
    try:
        parts = urllib.parse.urlsplit(address)
    except ValueError:
        return None
    # ``https://jane@example.com`` is an email address dressed as a website: never linked.
    if "@" in parts.netloc or not parts.hostname:
        return None
    return address


def _one_line(value: Any) -> str:
    if isinstance(value, int | float) and not isinstance(value, bool):
        value = str(value)
    return " ".join(value.split()) if isinstance(value, str) else ""


#: Characters that reorder the display of what follows them ("Trojan source" spoofing of a
#: name or a link): a reader's text never needs them.
_BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
#: An email address anywhere in a name.
_EMAIL = re.compile(r"[^\s@<>()\[\],;:]+@[^\s@<>()\[\],;:]+\.[^\s@<>()\[\],;:]+")


def _without_controls(text: str, keep: str = "") -> tuple[str, bool]:
    """``text`` without control characters (but those in ``keep``), and whether any went."""
    kept = "".join(
        ch
        for ch in text
        if ch in keep or (unicodedata.category(ch) not in ("Cc", "Cs") and ch not in _BIDI_CONTROLS)
    )
    return kept, len(kept) != len(text)


class _ReplyDumper(getattr(yaml, "CSafeDumper", yaml.SafeDumper)):  # type: ignore[misc]
    """Multi-line texts as literal blocks, so a reply file reads well in a review."""


def _literal_when_multiline(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_ReplyDumper.add_representer(str, _literal_when_multiline)


def dump_reply_file(entries: list[dict[str, Any]], comment: str) -> str:
    """The text of a reply file holding ``entries``, under the ``comment`` lines."""
    body = yaml.dump(
        {"replies": entries},
        Dumper=_ReplyDumper,
        allow_unicode=True,
        sort_keys=False,
        width=100,
        default_flow_style=False,
    )
    heading = "".join(f"# {line}\n" for line in comment.splitlines())
    return heading + body
