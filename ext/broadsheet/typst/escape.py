"""Typst source made safe by construction: the only door document text passes through.

Text reaches Typst in two forms: :func:`markup` for text placed in markup (every ASCII
punctuation character is backslash-escaped, which Typst reads as that literal character), and
:func:`string` for Typst string literals in code. Structure is assembled with typed helpers:
:class:`Markup` and :class:`Code` are the two kinds of Typst source, made only here; a Python
value becomes Typst code through :func:`value` (a ``str`` always as a string literal, never as
code); :func:`call` writes a function call whose arguments are such values; labels are
:class:`Label` objects whose names are built only from a safe alphabet. Nothing else turns
text into source, except :func:`trusted` for the author's own ``typst`` raw blocks and math
already checked by :mod:`broadsheet.typst.math`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TypeAlias

_PUNCTUATION = re.compile(r"([!-/:-@\[-`{-~])")
#: Inside a string literal: quotes and backslashes escaped, control characters spelled out.
_STRING_ESCAPES = {
    **{code: f"\\u{{{code:x}}}" for code in [*range(0x20), 0x7F]},
    ord('"'): '\\"',
    ord("\\"): "\\\\",
    ord("\n"): "\\n",
    ord("\t"): "\\t",
}
_SPACE = re.compile(r"\s+")
_LABEL_UNSAFE = re.compile(r"[^A-Za-z0-9_-]+")
_FUNCTION = re.compile(r"[a-z][a-z0-9-]*(\.[a-z][a-z0-9-]*)*")
_NAME = re.compile(r"[a-z][a-z0-9-]*")
_UNITS = frozenset({"pt", "em", "%", "fr", "cm", "mm"})


class Markup(str):
    """Typst markup: escaped text, calls made by :func:`call`, or :func:`trusted` source."""

    __slots__ = ()


class Code(str):
    """A Typst code expression (a literal, a call, a label), made only by this module."""

    __slots__ = ()


def markup(text: str) -> Markup:
    """``text`` as literal Typst markup: whitespace folded, every markup character escaped."""
    return Markup(_PUNCTUATION.sub(r"\\\1", _SPACE.sub(" ", text)))


def string(text: str) -> Code:
    """``text`` as a Typst string literal, quotes included."""
    return Code(f'"{text.translate(_STRING_ESCAPES)}"')


def trusted(source: str) -> Markup:
    """Source taken as it is: a ``typst`` raw block (the author's own markup, as raw HTML is
    in the web edition) or math that :mod:`broadsheet.typst.math` checked."""
    return Markup(source)


def embed(code: Code) -> Markup:
    """A code expression placed in markup (``#expr``)."""
    return Markup("#" + code)


def join(parts: Iterable[Markup], separator: Markup | None = None) -> Markup:
    """Pieces of markup one after the other, with ``separator`` between them."""
    return Markup((separator or "").join(parts))


@dataclass(frozen=True)
class Label:
    """A Typst label; make one with :meth:`of`, which keeps its name in a safe alphabet."""

    name: str

    @classmethod
    def of(cls, *parts: str) -> Label:
        """The label named by ``parts`` joined with ``-``, unsafe characters replaced."""
        name = "-".join(_LABEL_UNSAFE.sub("-", p).strip("-") for p in parts if p)
        return cls(name or "x")

    def ref(self) -> Code:
        """The label as a code expression (``label("a1-intro")``), e.g. a ``link`` target."""
        return Code(f"label({string(self.name)})")

    def mark(self) -> Markup:
        """The label in markup (``<a1-intro>``), attached to the element before it."""
        return Markup(f"<{self.name}>")


def label(*parts: str) -> Code:
    """A Typst label expression made of ``parts`` (``label("a1-intro")``)."""
    return Label.of(*parts).ref()


def length(amount: float, unit: str) -> Code:
    """A length, ratio or fraction: ``12pt``, ``50%``, ``1fr``."""
    if unit not in _UNITS:
        raise ValueError(f"not a Typst unit: {unit!r}")
    return Code(f"{float(amount):g}{unit}")


def name(identifier: str) -> Code:
    """A bare Typst name such as an alignment (``center``) or ``auto``."""
    if not _NAME.fullmatch(identifier):
        raise ValueError(f"not a Typst name: {identifier!r}")
    return Code(identifier)


#: What :func:`value` turns into Typst code.
Value: TypeAlias = (
    "Markup | Code | Label | str | int | float | bool | Sequence[Value] | Mapping[str, Value]"
    " | None"
)


def value(item: Value) -> Code:
    """``item`` as Typst code: markup as a content block, text as a string literal, numbers,
    ``none``, booleans, arrays and dictionaries."""
    if isinstance(item, Markup):
        return Code(f"[{item}]")
    if isinstance(item, Code):
        return item
    if isinstance(item, Label):
        return item.ref()
    if isinstance(item, str):
        return string(item)
    if item is None:
        return Code("none")
    if isinstance(item, bool):
        return Code("true" if item else "false")
    if isinstance(item, int):
        return Code(str(item))
    if isinstance(item, float):
        return Code(f"{item:g}")
    if isinstance(item, Mapping):
        if not item:
            return Code("(:)")
        return Code("(" + ", ".join(f"{_key(k)}: {value(v)}" for k, v in item.items()) + ")")
    return Code("(" + "".join(f"{value(v)}, " for v in item) + ")")


def _key(key: str) -> str:
    if not _NAME.fullmatch(key):
        raise ValueError(f"not a Typst argument name: {key!r}")
    return key


def expression(function: str, *args: Value, body: Markup | None = None, **named: Value) -> Code:
    """A call in code: ``function(args, name: value)[body]``; ``None`` named values are left
    out, so optional arguments keep the function's defaults."""
    if not _FUNCTION.fullmatch(function):
        raise ValueError(f"not a Typst function name: {function!r}")
    arguments: list[str] = [value(a) for a in args]
    arguments += [f"{_key(k)}: {value(v)}" for k, v in named.items() if v is not None]
    call_args = f"({', '.join(arguments)})" if arguments or body is None else ""
    content = f"[{body}]" if body is not None else ""
    return Code(f"{function}{call_args}{content}")


def call(function: str, *args: Value, body: Markup | None = None, **named: Value) -> Markup:
    """A call in markup: ``#function(args)[body]`` (see :func:`expression`)."""
    return Markup("#" + expression(function, *args, body=body, **named))


def strings(values: list[str] | tuple[str, ...]) -> Code:
    """A Typst array of string literals (a trailing comma keeps one-element arrays arrays)."""
    return value(tuple(values))
