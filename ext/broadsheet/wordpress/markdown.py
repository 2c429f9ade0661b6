"""Sanitized HTML to MyST Markdown, with ``markdownify``.

``markdownify`` (pure Python, on top of BeautifulSoup) was chosen over pandoc after converting
the WordPress theme unit test export with both: pandoc through ``pypandoc-binary`` installs a
155 MB binary, takes a process per post (11 s for 57 posts against 0.5 s) and writes pandoc's own
attribute syntax (``{.alignleft width="150"}``, ``::: {.wp-block-image}`` around raw HTML) that
MyST does not read. ``markdownify`` lets each element be converted as MyST wants it: figures
become ``{figure}`` directives, and every character MyST would read as markup in text is escaped,
so nothing in a post becomes raw HTML, a role or a comment by accident.
"""

from __future__ import annotations

import re
from typing import Any

from markdownify import MarkdownConverter

_NEEDS_ANGLE = re.compile(r"[\s()<>]")


def _destination(url: str) -> str:
    """A link or image destination that Markdown reads back whole."""
    if _NEEDS_ANGLE.search(url):
        return "<" + url.replace("<", "%3C").replace(">", "%3E") + ">"
    return url


def _label(text: str) -> str:
    return re.sub(r"([\[\]\\`*_<>])", r"\\\1", " ".join(text.split()))


class MystConverter(MarkdownConverter):
    """``markdownify`` with MyST's figure directive and escapes for MyST's own syntax."""

    def __init__(self, **options: Any) -> None:
        defaults: dict[str, Any] = {
            "heading_style": "ATX",
            "bullets": "-",
            "escape_misc": True,
            "escape_asterisks": True,
            "escape_underscores": True,
            "strip_document": "strip",
            # A line break WordPress shows (<br>, or a single newline in a classic post) stays
            # one: a trailing backslash survives the trimming of line ends, two spaces do not.
            "newline_style": "backslash",
        }
        super().__init__(**(defaults | options))

    def escape(self, text: str, parent_tags: set[str]) -> str:
        text = str(super().escape(text, parent_tags))  # type: ignore[misc]
        if not text or "_noformat" in parent_tags:
            return text
        # Dollar signs are maths and a leading % is a comment where MyST's extensions are on.
        text = text.replace("$", r"\$")
        return re.sub(r"(^|\n)([ \t]*)([%(])", r"\1\2\\\3", text)

    def convert_img(self, el: Any, text: str, parent_tags: set[str]) -> str:
        alt = _label(str(el.attrs.get("alt") or ""))
        src = str(el.attrs.get("src") or "")
        if not src:
            return ""
        return f"![{alt}]({_destination(src)})"

    def convert_a(self, el: Any, text: str, parent_tags: set[str]) -> str:
        href = str(el.get("href") or "")
        if "_noformat" in parent_tags or not href or href.startswith("#"):
            return text
        if not text.strip():
            return ""
        return f"[{text.strip()}]({_destination(href)})"

    def convert_figure(self, el: Any, text: str, parent_tags: set[str]) -> str:
        image = el.find("img")
        if image is None or not image.get("src"):
            return f"\n\n{text.strip()}\n\n"
        caption = el.find("figcaption")
        caption_text = ""
        if caption is not None:
            caption_text = str(self.process_tag(caption, parent_tags)).strip()  # type: ignore[attr-defined]
        alt = " ".join(str(image.get("alt") or "").split())
        lines = [f"```{{figure}} {_destination(str(image['src']))}"]
        if alt:
            lines.append(f":alt: {alt}")
        if caption_text:
            lines += ["", caption_text]
        lines.append("```")
        return "\n\n" + "\n".join(lines) + "\n\n"

    def convert_figcaption(self, el: Any, text: str, parent_tags: set[str]) -> str:
        return text


def to_myst(html: str) -> str:
    """The MyST Markdown of sanitized ``html``."""
    markdown = str(MystConverter().convert(html))
    return re.sub(r"\n{3,}", "\n\n", markdown).strip() + "\n"
