"""LaTeX math (as MyST and reStructuredText write it) converted to Typst math.

The conversion uses the ``tex2typst`` package where it is installed. Its output is Typst
math, which can name functions, so it is checked before use: it may not contain ``#`` (a way
into code), and it is evaluated in a scope where every function that reads files or runs code
is replaced by ``none``. Anything refused or unconvertible is shown as its LaTeX source.
"""

from __future__ import annotations

from collections.abc import Callable

from broadsheet.typst import escape

try:
    from tex2typst import tex2typst
except ImportError:  # tex2typst has no wheel for every platform (no Linux aarch64 build).
    tex2typst = None

#: Functions that reach outside the document; shadowed around every formula.
_SHADOWED = ("std", "read", "eval", "json", "yaml", "toml", "csv", "xml", "cbor", "plugin", "image")
_SCOPE = "".join(f"let {name} = none; " for name in _SHADOWED)


def math_to_typst(latex: str, *, display: bool, warn: Callable[[str], None]) -> str:
    """Typst markup that typesets ``latex``; its source in monospace when that is impossible."""
    converted = _convert(latex, warn)
    if converted is None:
        source = f"#raw({escape.string(latex.strip())})"
        return f"#align(center, {source[1:]})" if display else source
    body = f"$ {converted} $" if display else f"${converted}$"
    # The LaTeX source is the formula's alternative text (PDF/UA asks for one).
    alt = escape.string(" ".join(latex.split()))
    equation = f"math.equation(block: {str(display).lower()}, alt: {alt}, {body})"
    return f"#{{ {_SCOPE}{equation} }}"


def _convert(latex: str, warn: Callable[[str], None]) -> str | None:
    if tex2typst is None:
        warn("math is shown as LaTeX source: install tex2typst to typeset it in PDFs")
        return None
    try:
        converted = str(tex2typst(latex.strip()))
    except (ValueError, RuntimeError) as exc:
        warn(f"math could not be converted for the PDF and is shown as LaTeX source: {exc}")
        return None
    if "#" in converted or "$" in converted:
        warn("math that would run Typst code is shown as LaTeX source")
        return None
    return converted
