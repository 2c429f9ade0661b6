"""Escaping document text for Typst, so that no text can become Typst code.

Two forms: :func:`markup` for text placed in markup (every ASCII punctuation character is
backslash-escaped, which Typst reads as that literal character), and :func:`string` for Typst
string literals in code. Labels are built only from a safe alphabet by :func:`label`.
"""

from __future__ import annotations

import re

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


def label(*parts: str) -> str:
    """A Typst label expression made of ``parts`` (``label("a1-intro")``)."""
    name = "-".join(_LABEL_UNSAFE.sub("-", p).strip("-") for p in parts if p)
    return f"label({string(name or 'x')})"


def strings(values: list[str] | tuple[str, ...]) -> str:
    """A Typst array of string literals (a trailing comma keeps one-element arrays arrays)."""
    return "(" + "".join(string(v) + ", " for v in values) + ")"
