"""Article titles in the source: is there an H1, and the H1 a front matter title implies.

MyST nests sections by heading level, so a page whose first heading is an H2 has no title
section; these helpers read the source lines to tell, and write the heading a front matter
``title`` stands for. They also give the text of a title as a reader sees it.

Every warning about an article names the line of the file as its editor wrote it, so the
heading is written into the source without adding a line: every line from the first line of
the body on keeps its number. The heading takes, in this order:

- the blank line after the closing ``---``, when there is one;
- after the last line of the file, when the article has no body (nothing follows it);
- otherwise lines the front matter can spare: the block is written shorter (its closing
  ``---`` moves up) and the heading, with blank lines as needed, fills the lines freed just
  before the body. Spare are, in this order, the ``title`` key's own lines, a blank or
  comment line between keys, or the lines of other keys only Broadsheet reads (``date``
  and the like, or a flow mapping of them): Broadsheet has read them already, and myst-parser
  only copies them into Sphinx's metadata, which nothing reads. Lines holding an anchor
  (``&``) are never spared, since an alias elsewhere may need them. A block left with
  nothing myst-parser reads is left out whole (it would read an empty one as a mistake).

Only a front matter with none of these (a flow mapping whose every line also holds a key
myst-parser reads, such as ``orphan``) gets a line added, and its body's warnings are one
line late.
"""

from __future__ import annotations

import re

from docutils import nodes

from broadsheet.frontmatter import ARTICLE_KEYS, FrontMatter

_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_ATX = re.compile(r"^ {0,3}(#{1,6})(?:[ \t]|$)")
#: The line ends markdown-it reads.
_NEWLINE = re.compile(r"\r\n?|\n")


def source_lines(text: str) -> list[str]:
    """``text``'s lines as markdown-it numbers them: split at ``\\n``, ``\\r\\n`` and ``\\r``
    only (``str.splitlines`` also splits at U+2028 and others, which would shift every later
    line once the text is joined again)."""
    lines = _NEWLINE.split(text)
    if lines and not lines[-1]:
        lines.pop()
    return lines


def first_heading_is_h1(lines: list[str], start: int) -> bool:
    """Whether the first heading of the body (outside code fences) is a level-one heading."""
    fence = ""
    for index in range(start, len(lines)):
        line = lines[index]
        opening = _FENCE.match(line)
        if fence:
            if opening and opening.group(1)[0] == fence[0] and len(opening.group(1)) >= len(fence):
                fence = ""
            continue
        if opening:
            fence = opening.group(1)
            continue
        atx = _ATX.match(line)
        if atx:
            return len(atx.group(1)) == 1
        following = lines[index + 1].strip() if index + 1 < len(lines) else ""
        if line.strip() and following and set(following) <= {"="}:
            return True
        if line.strip() and following and set(following) <= {"-"} and len(following) > 1:
            return False
    return False


def spare_lines(lines: list[str], front: FrontMatter) -> list[int]:
    """The lines inside the front matter block (0-based) that myst-parser need not read and the
    heading may take, or none: see the module's docstring."""
    inside = range(1, front.end)
    covered = {
        key: set(range(first, last + 1))
        for key, (first, last) in front.spans.items()
        if any(lines[i].strip() for i in range(first, last + 1) if i < len(lines))
    }
    groups: list[tuple[set[str], set[int]]] = []
    for key, span in covered.items():
        keys, joined = {key}, set(span)
        for group in [g for g in groups if g[1] & joined]:
            groups.remove(group)
            keys |= group[0]
            joined |= group[1]
        groups.append((keys, joined))

    def usable(span: set[int]) -> bool:
        return bool(span) and span <= set(inside) and not any("&" in lines[i] for i in span)

    for keys, span in groups:
        if keys == {"title"} and usable(span):
            return sorted(span)
    anywhere = set().union(*(span for _keys, span in groups))
    for index in inside:
        text = lines[index].strip()
        if index not in anywhere and (not text or text.startswith("#")):
            return [index]
    for keys, span in sorted(groups, key=lambda g: ("title" not in g[0], len(g[1]))):
        if keys <= ARTICLE_KEYS and usable(span):
            return sorted(span)
    return []


def with_title_heading(lines: list[str], end: int, title: str, spare: list[int]) -> list[str]:
    """``lines`` with an H1 of ``title`` just after the front matter closing at ``end``, the
    body's lines where they were (see the module's docstring); ``spare`` from
    :func:`spare_lines`."""
    # Backslash-escape ASCII punctuation so the heading's text is the title, never markup.
    heading = "# " + re.sub(r"([!-/:-@\[-`{-~])", r"\\\1", title)
    start = end + 1
    if start < len(lines) and not lines[start].strip():
        return [*lines[:start], heading, *lines[start + 1 :]]
    if start >= len(lines):
        return [*lines, heading]
    if spare:
        block = [lines[i] for i in range(1, end) if i not in spare]
        if not any(line.strip() and not line.lstrip().startswith("#") for line in block):
            # Nothing left for myst-parser, which reads an empty block as a mistake: no block.
            return [*[""] * end, heading, *lines[start:]]
        freed = [heading] + [""] * (len(spare) - 1)
        return [lines[0], *block, lines[end], *freed, *lines[start:]]
    # An ATX heading needs no blank line after it: one line added, not two.
    return [*lines[:start], heading, *lines[start:]]


def plain_text(node: nodes.Node) -> str:
    """The text a reader sees in ``node``: raw markup (HTML or other) is not text."""
    parts = [
        t.astext()
        for t in node.findall(nodes.Text)
        if not any(isinstance(p, nodes.raw) for p in _ancestors(t))
    ]
    return " ".join("".join(parts).split())


def _ancestors(node: nodes.Node) -> list[nodes.Node]:
    found = []
    while node.parent is not None:
        node = node.parent
        found.append(node)
    return found
