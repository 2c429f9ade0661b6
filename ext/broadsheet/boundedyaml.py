"""Reading YAML from contributors within bounds: size, nesting depth and alias expansion.

A YAML document of a few hundred bytes can name a value that expands, through nested aliases,
to billions of strings ("billion laughs"), or nest so deep that any recursive reader exhausts
the stack. Here a mapping's pairs are measured from the parser's event stream (both of
PyYAML's parsers keep their own stack) and a pair over a limit is left out before anything is
built, so the rest can still be read. Pure: no Sphinx import, as :mod:`broadsheet.frontmatter`.
"""

from __future__ import annotations

import re
from typing import Any

import yaml
from yaml.composer import Composer
from yaml.constructor import SafeConstructor
from yaml.resolver import Resolver

from broadsheet.translations import __

#: Longest front matter block read, in characters; a longer one is refused whole.
MAX_CHARACTERS = 64 * 1024
#: Deepest nesting of lists and mappings in one value (``tags: [a]`` is one level).
MAX_DEPTH = 16
#: Most scalars, lists and mappings the whole front matter may expand to, aliases included.
MAX_NODES = 20_000
#: Deepest nesting read at all (libyaml's own limit); deeper text is refused before parsing.
MAX_READ_DEPTH = 1000
#: Deepest nesting handed to PyYAML's pure-Python parser, whose time grows with the square of
#: the depth (30,000 levels fit in 64 KiB and take minutes); it reads only what libyaml refuses.
MAX_PURE_DEPTH = 200
#: Characters no XML document may contain: C0 controls but tab and line breaks, and the two
#: non-characters U+FFFE and U+FFFF.
CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


class NotAMappingError(ValueError):
    """The document is not a mapping of keys to values."""


class TooDeepError(ValueError):
    """The document may nest deeper than can be read in bounded time; nothing of it is read."""

    def __init__(self, line: int, limit: int) -> None:
        super().__init__(line, limit)
        #: 0-based line of the text where the limit is passed, and the limit.
        self.line = line
        self.limit = limit


#: A block indicator: ``-``, ``?`` or ``:`` followed by a space or the end of the line.
_BLOCK_INDICATOR = re.compile(r"[-?:](?=[ \t]|$)", re.MULTILINE)


def deep_line(text: str, limit: int) -> int | None:
    """The first 0-based line where ``text`` may nest deeper than ``limit``, or None.

    A cheap upper bound, taken before any parsing: every flow bracket so far counts (closed or
    not, so quoted brackets cannot hide depth), plus the deepest block nesting a line so far
    allows (one mapping and one list per column of indentation, and one more per indicator).
    """
    opened = 0
    block = 0
    for number, line in enumerate(text.split("\n")):
        opened += line.count("[") + line.count("{")
        indent = len(line) - len(line.lstrip(" "))
        block = max(block, 2 * indent + len(_BLOCK_INDICATOR.findall(line)) + 2)
        if opened + block > limit:
            return number
    return None


def drop_control_characters(text: str) -> tuple[str, list[int]]:
    """``text`` without :data:`CONTROL_CHARACTERS`, and the 1-based lines that had some."""
    if not CONTROL_CHARACTERS.search(text):
        return text, []
    lines = sorted(
        {text.count("\n", 0, match.start()) + 1 for match in CONTROL_CHARACTERS.finditer(text)}
    )
    return CONTROL_CHARACTERS.sub("", text), lines


def without_controls(value: Any) -> tuple[Any, bool]:
    """``value`` with :data:`CONTROL_CHARACTERS` dropped from every string in it (they
    arrive through YAML escapes such as ``"\\x01"``)."""
    if isinstance(value, str):
        clean = CONTROL_CHARACTERS.sub("", value)
        return clean, clean != value
    if isinstance(value, list):
        pairs = [without_controls(v) for v in value]
        return [v for v, _ in pairs], any(r for _, r in pairs)
    if isinstance(value, dict):
        entries = {k: without_controls(v) for k, v in value.items()}
        return {k: v for k, (v, _r) in entries.items()}, any(r for _v, r in entries.values())
    return value, False


def compose_mapping(
    text: str,
) -> tuple[Any, list[tuple[yaml.Node, yaml.Node]], list[tuple[int, int, str]]]:
    """The loader, the (key, value) nodes of the mapping ``text`` holds, and the pairs left
    out for exceeding a limit: (first line, last line, reason), 0-based in ``text``.

    Raises ``yaml.YAMLError`` for text that is not YAML, :class:`NotAMappingError` for a document
    that is not a mapping, :class:`TooDeepError` for text that may nest past
    :data:`MAX_READ_DEPTH` (found by :func:`deep_line` before anything is parsed). The
    loader's ``construct_object`` builds a value from its node.
    """
    line = deep_line(text, MAX_READ_DEPTH)
    if line is not None:
        raise TooDeepError(line, MAX_READ_DEPTH)
    fast = getattr(yaml, "CSafeLoader", None)
    if fast is not None and not may_exceed_limits(text):
        # libyaml composes several times faster; it gets only text that needs no measuring.
        loader = fast(text)
        try:
            root = loader.get_single_node()
        except yaml.YAMLError:
            loader.dispose()  # perhaps what only PyYAML's parser takes: see _events
        else:
            return loader, _items(root, loader), []
    events = _events(text)
    start = next((i for i, e in enumerate(events) if isinstance(e, yaml.NodeEvent)), None)
    dropped: list[tuple[int, int, str]] = []
    if start is not None:
        if not isinstance(events[start], yaml.MappingStartEvent):
            # Never composed: a deep list at the root would exhaust the stack.
            raise NotAMappingError(text)
        events, dropped = _bounded(events, start)
    event_loader = _EventLoader(events)
    return event_loader, _items(event_loader.get_single_node(), event_loader), dropped


def _items(root: yaml.Node | None, loader: Any) -> list[tuple[yaml.Node, yaml.Node]]:
    if root is None:
        return []
    if not isinstance(root, yaml.MappingNode):
        loader.dispose()
        raise NotAMappingError(root.tag)
    return list(root.value)


def may_exceed_limits(text: str) -> bool:
    """Whether ``text`` may hold an alias or nest deeper than :data:`MAX_DEPTH`; if not, it
    needs no measuring (most front matter: measuring costs a fifth of the reading).

    Without ``&`` there is no anchor for an alias to expand. A flow collection opens with a
    bracket; a block one either indents by a column at least, or opens after a ``-``, ``:`` or
    ``?`` on its line (a list may share its mapping's indentation, hence twice the indent).
    """
    if "&" in text:
        return True
    brackets = text.count("[") + text.count("{")
    block = max(
        (
            2 * (len(line) - len(line.lstrip(" "))) + sum(map(line.count, "-:?")) + 2
            for line in text.splitlines()
        ),
        default=0,
    )
    return brackets + block > MAX_DEPTH


def _events(text: str) -> list[yaml.Event]:
    """The YAML events of ``text``: libyaml's when it takes the text, else PyYAML's own.

    libyaml is faster, but refuses what PyYAML's loader (the one myst-parser uses)
    accepts, such as JSON-style escaped surrogate pairs; such text gets PyYAML's, if it nests
    no deeper than :data:`MAX_PURE_DEPTH` (else :class:`TooDeepError`). Both parsers keep their
    own stack, so no nesting can overflow Python's.
    """
    fast = getattr(yaml, "CSafeLoader", None)
    if fast is not None:
        try:
            return list(yaml.parse(text, Loader=fast))
        except yaml.YAMLError as exc:
            if "nesting depth" in str(getattr(exc, "problem", "")):
                mark = getattr(exc, "problem_mark", None)
                raise TooDeepError(getattr(mark, "line", 0), MAX_READ_DEPTH) from None
    line = deep_line(text, MAX_PURE_DEPTH)
    if line is not None:
        raise TooDeepError(line, MAX_PURE_DEPTH)
    return list(yaml.parse(text, Loader=yaml.SafeLoader))


class _NodeSize:
    """The size and depth of one node as its events go by; aliases count what they expand to."""

    def __init__(self, sizes: dict[str, int], refused: set[str]) -> None:
        self.sizes = sizes
        self.refused = refused
        self.open: list[tuple[str | None, int]] = []
        self.count = 0
        self.depth = 0
        self.anchors: set[str] = set()
        self.reason = ""

    def add(self, event: yaml.Event) -> bool:
        """Take one event; return whether the node is complete."""
        anchor = getattr(event, "anchor", None)
        if isinstance(event, yaml.AliasEvent):
            open_anchors = {a for a, _start in self.open}
            if anchor in self.refused:
                self.reason = self.reason or __("refers to a value that was dropped")
            elif anchor in open_anchors:
                self.reason = self.reason or __("refers to itself")
            else:
                self.count += self.sizes.get(str(anchor), 1)
        elif isinstance(event, yaml.ScalarEvent):
            self.count += 1
            if anchor:
                self.sizes[anchor] = 1
                self.anchors.add(anchor)
        elif isinstance(event, yaml.CollectionStartEvent):
            self.count += 1
            self.open.append((anchor, self.count - 1))
            self.depth = max(self.depth, len(self.open))
        elif isinstance(event, yaml.CollectionEndEvent):
            anchor, start = self.open.pop()
            if anchor:
                self.sizes[anchor] = self.count - start
                self.anchors.add(anchor)
        return not self.open


def _bounded(
    events: list[yaml.Event], root: int
) -> tuple[list[yaml.Event], list[tuple[int, int, str]]]:
    """``events`` without the root mapping's pairs that exceed a limit, and those pairs'
    (first line, last line, reason), 0-based in the YAML text.

    The pairs are measured from the event stream, never built: a value is refused for its
    depth, for expanding (through aliases) past what is left of :data:`MAX_NODES`, or for
    referring to itself or to a refused value.
    """
    kept = events[: root + 1]
    dropped: list[tuple[int, int, str]] = []
    sizes: dict[str, int] = {}
    refused: set[str] = set()
    budget = MAX_NODES
    index = root + 1
    while index < len(events) and not isinstance(events[index], yaml.MappingEndEvent):
        start = index
        size = _NodeSize(sizes, refused)
        for _part in ("key", "value"):
            while not size.add(events[index]):
                index += 1
            index += 1
        reason = size.reason
        if size.depth > MAX_DEPTH:
            reason = __("nested more than %d levels deep") % MAX_DEPTH
        elif not reason and size.count > budget:
            reason = __("expands to more than %d values (YAML aliases?)") % MAX_NODES
        if reason:
            refused |= size.anchors
            first: int = getattr(events[start].start_mark, "line", 0)
            last = last_line(events[index - 1].end_mark)
            dropped.append((first, last, reason))
            continue
        budget -= size.count
        kept.extend(events[start:index])
    kept.extend(events[index:])
    return kept, dropped


def last_line(end: Any) -> int:
    """The last line of a node that ends at ``end``: a block collection ends where the next
    token starts, at the first column of the line after its own."""
    line: int = end.line
    return line - 1 if end.column == 0 and line else line


class _EventLoader(Composer, SafeConstructor, Resolver):
    """PyYAML's composer and safe constructor fed from a list of events already checked."""

    def __init__(self, events: list[yaml.Event]) -> None:
        self._events = events
        self._next = 0
        Composer.__init__(self)
        SafeConstructor.__init__(self)
        Resolver.__init__(self)

    def check_event(self, *choices: type) -> bool:
        if self._next >= len(self._events):
            return False
        return not choices or isinstance(self._events[self._next], choices)

    def peek_event(self) -> yaml.Event:
        return self._events[self._next]

    def get_event(self) -> yaml.Event:
        self._next += 1
        return self._events[self._next - 1]

    def dispose(self) -> None:
        """Nothing to free: the events are a list."""


def yaml_reason(exc: BaseException) -> str:
    """What is wrong, in PyYAML's words, without its position (the caller gives the line)."""
    problem = getattr(exc, "problem", None)
    return str(problem) if problem else str(exc).splitlines()[0]
