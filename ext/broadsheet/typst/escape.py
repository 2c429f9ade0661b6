"""Escaping document text for Typst, so that no text can become Typst code.

Two forms: :func:`markup` for text placed in markup (every ASCII punctuation character is
backslash-escaped, which Typst reads as that literal character), and :func:`string` for Typst
string literals in code. Labels are :class:`Label` objects whose names are built only from a
safe alphabet, so they can be written in markup (``<name>``) and in code (``label("name")``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_PUNCTUATION = re.compile(r"([!-/:-@\[-`{-~])")
_SPACE = re.compile(r"\s+")
_LABEL_UNSAFE = re.compile(r"[^A-Za-z0-9_-]+")


def markup(text: str) -> str:
    """``text`` as literal Typst markup: whitespace folded, every markup character escaped."""
    return _PUNCTUATION.sub(r"\\\1", _SPACE.sub(" ", text))


def string(text: str) -> str:
    """``text`` as a Typst string literal, quotes included."""
    out = ['"']
    for char in text:
        if char in '"\\':
            out.append("\\" + char)
        elif char == "\n":
            out.append("\\n")
        elif char == "\t":
            out.append("\\t")
        elif ord(char) < 0x20 or char == "\x7f":
            out.append(f"\\u{{{ord(char):x}}}")
        else:
            out.append(char)
    out.append('"')
    return "".join(out)


@dataclass(frozen=True)
class Label:
    """A Typst label; make one with :meth:`of`, which keeps its name in a safe alphabet."""

    name: str

    @classmethod
    def of(cls, *parts: str) -> Label:
        """The label named by ``parts`` joined with ``-``, unsafe characters replaced."""
        name = "-".join(_LABEL_UNSAFE.sub("-", p).strip("-") for p in parts if p)
        return cls(name or "x")

    def ref(self) -> str:
        """The label as a code expression (``label("a1-intro")``), e.g. a ``link`` target."""
        return f"label({string(self.name)})"

    def mark(self) -> str:
        """The label in markup (``<a1-intro>``), attached to the element before it."""
        return f"<{self.name}>"


def label(*parts: str) -> str:
    """A Typst label expression made of ``parts`` (``label("a1-intro")``)."""
    return Label.of(*parts).ref()


def strings(values: list[str] | tuple[str, ...]) -> str:
    """A Typst array of string literals (a trailing comma keeps one-element arrays arrays)."""
    return "(" + "".join(string(v) + ", " for v in values) + ")"
