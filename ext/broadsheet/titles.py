"""Article titles in the source: is there an H1, and the H1 a front matter title implies.

MyST nests sections by heading level, so a page whose first heading is an H2 has no title
section; these helpers read the source lines to tell, and write the heading a front matter
``title`` stands for. They also give the text of a title as a reader sees it.
"""

from __future__ import annotations

import re

from docutils import nodes

_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_ATX = re.compile(r"^ {0,3}(#{1,6})(?:[ \t]|$)")


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


def with_title_heading(lines: list[str], start: int, title: str) -> list[str]:
    """``lines`` with an H1 of ``title`` at ``start``, on a blank line when there is one.

    Reusing the blank line after the front matter keeps every later line number, and so
    every warning's location, as the editor sees it.
    """
    # Backslash-escape ASCII punctuation so the heading's text is the title, never markup.
    heading = "# " + re.sub(r"([!-/:-@\[-`{-~])", r"\\\1", title)
    if start < len(lines) and not lines[start].strip():
        return [*lines[:start], heading, *lines[start + 1 :]]
    return [*lines[:start], heading, "", *lines[start:]]


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
