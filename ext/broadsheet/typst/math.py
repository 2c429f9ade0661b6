"""LaTeX math (as MyST and reStructuredText write it) converted to Typst math.

The conversion uses the ``tex2typst`` package where it is installed. Its output is Typst
math, which can name functions, so it is checked before use: it may not contain ``#`` (a way
into code), and it is evaluated in a scope where every function that reads files or runs code
is replaced by ``none``. Anything refused or unconvertible is shown as its LaTeX source.

Common LaTeX that Typst has no name for is rewritten first (``\\mbox`` and ``\\bm`` to what
Typst knows, ``\\label``, ``\\color`` and ``\\nonumber`` dropped, ``\\tag`` set beside the
formula). What still does not typeset only shows when Typst compiles the whole document: then
:func:`failing_formulas` finds the formulas that fail on their own and :func:`as_source` shows
them as LaTeX source, so one formula never costs the PDF (:mod:`broadsheet.typst.compiler`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

from broadsheet.typst import escape

try:
    from tex2typst import tex2typst
except ImportError:  # tex2typst has no wheel for every platform (no Linux aarch64 build).
    tex2typst = None

#: Functions that reach outside the document; shadowed around every formula.
_SHADOWED = ("std", "read", "eval", "json", "yaml", "toml", "csv", "xml", "cbor", "plugin", "image")
_SCOPE = "".join(f"let {name} = none; " for name in _SHADOWED)
#: Ends every converted formula (inside its code block, where a comment is always a comment).
_END = "/*bs-math*/"
#: A converted formula as :func:`math_to_typst` writes it.
FORMULA = re.compile(
    "#\\{ "
    + re.escape(_SCOPE)
    + r'math\.equation\(block: (?P<block>true|false), alt: (?P<alt>"(?:[^"\\]|\\.)*"), '
    + r"(?P<body>.*?)\) "
    + re.escape(_END)
    + r" \}",
    re.DOTALL,
)
#: LaTeX Typst has no name for, and what to write instead.
_REWRITES = (
    (re.compile(r"\\(?:mbox|hbox)(?![A-Za-z])"), r"\\text"),
    (re.compile(r"\\bm(?![A-Za-z])"), r"\\boldsymbol"),
    (re.compile(r"\\(?:label|color)\s*\{[^{}]*\}"), ""),
    (re.compile(r"\\textcolor\s*\{[^{}]*\}"), ""),
    (re.compile(r"\\(?:nonumber|notag)(?![A-Za-z])"), ""),
    (re.compile(r"\\tag\*?\s*\{([^{}]*)\}"), r"\\qquad (\\text{\1})"),
)


def math_to_typst(latex: str, *, display: bool, warn: Callable[[str], None]) -> escape.Markup:
    """Typst markup that typesets ``latex``; its source in monospace when that is impossible.

    The one place besides ``typst`` raw blocks where source is taken as it is
    (:func:`broadsheet.typst.escape.trusted`): the converted formula, checked by
    :func:`_convert` and run in a scope without the functions that reach outside.
    """
    converted = _convert(latex, warn)
    # The LaTeX source is the formula's alternative text (PDF/UA asks for one).
    alt = escape.string(" ".join(latex.split()))
    if converted is None:
        return escape.trusted(_source(alt, display))
    body = f"$ {converted} $" if display else f"${converted}$"
    equation = f"math.equation(block: {str(display).lower()}, alt: {alt}, {body})"
    return escape.trusted(f"#{{ {_SCOPE}{equation} {_END} }}")


def _source(alt: str, display: bool) -> str:
    return f"#align(center, raw({alt}))" if display else f"#raw({alt})"


def formulas(source: str) -> Iterator[re.Match[str]]:
    """The converted formulas in a Typst ``source``."""
    return FORMULA.finditer(source)


def as_source(source: str, failing: set[str]) -> str:
    """``source`` with each formula in ``failing`` (as :func:`formulas` matched it) shown as
    its LaTeX source instead."""

    def replace(match: re.Match[str]) -> str:
        if match[0] not in failing:
            return match[0]
        return _source(match["alt"], match["block"] == "true")

    return FORMULA.sub(replace, source)


def latex_of(match: re.Match[str]) -> str:
    """The LaTeX source of a formula :func:`formulas` found."""
    return re.sub(r"\\(.)", r"\1", match["alt"][1:-1])


def _convert(latex: str, warn: Callable[[str], None]) -> str | None:
    if tex2typst is None:
        warn("math is shown as LaTeX source: install tex2typst to typeset it in PDFs")
        return None
    prepared = latex.strip()
    for pattern, replacement in _REWRITES:
        prepared = pattern.sub(replacement, prepared)
    try:
        converted = str(tex2typst(prepared))
    except (ValueError, RuntimeError) as exc:
        warn(f"math could not be converted for the PDF and is shown as LaTeX source: {exc}")
        return None
    if "#" in converted or "$" in converted:
        warn("math that would run Typst code is shown as LaTeX source")
        return None
    return converted
