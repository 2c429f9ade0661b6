"""WordPress shortcodes in a post's HTML: the known ones rewritten as HTML, the rest kept.

The grammar is WordPress's (``get_shortcode_regex``): ``[name attrs]``, ``[name attrs /]``,
``[name attrs]content[/name]``, and ``[[name]]`` for a shortcode written out literally. Known
shortcodes become plain HTML that the Markdown conversion understands (a ``<figure>`` for a
caption or a gallery image, a link for an embed); table-of-contents shortcodes are dropped
because Broadsheet makes its own; any other shortcode is left in the text, where it shows as
written, and is reported.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Mapping

#: Table-of-contents plugins' shortcodes (Easy TOC, LuckyWP, Table of Contents Plus, ...).
TOC_SHORTCODES = frozenset(
    {
        "toc",
        "ez-toc",
        "ez_toc",
        "ez-toc-widget-sticky",
        "lwptoc",
        "table-of-contents",
        "table_of_contents",
        "toc_plus",
        "no_toc",
        "simple-toc",
        "joli-toc",
        "rank_math_toc",
        "wp-toc",
        "sitemap_toc",
    }
)
_EMBEDS = frozenset({"embed", "youtube", "vimeo", "video", "audio", "playlist", "tweet", "wpvideo"})

_SHORTCODE = re.compile(
    r"\[(?P<open>\[?)(?P<name>[A-Za-z][\w-]*)(?![\w-])"
    r"(?P<attrs>[^\]/]*+(?:/(?!\])[^\]/]*+)*+)"
    r"(?:(?P<self>/)\]|\](?:(?P<content>[^\[]*+(?:\[(?!/(?P=name)\])[^\[]*+)*+)\[/(?P=name)\])?)"
    r"(?P<close>\]?)"
)
_ATTR = re.compile(
    r"""([\w-]+)\s*=\s*"([^"]*)"(?:\s|$)|([\w-]+)\s*=\s*'([^']*)'(?:\s|$)"""
    r"""|([\w-]+)\s*=\s*([^\s'"]+)(?:\s|$)|"([^"]*)"(?:\s|$)|'([^']*)'(?:\s|$)|(\S+)(?:\s|$)"""
)
_IMG = re.compile(r"<img\b[^>]*>", re.IGNORECASE)
_LINKED_IMG = re.compile(r"<a\b[^>]*>\s*<img\b[^>]*>\s*</a>", re.IGNORECASE)


def parse_attributes(text: str) -> dict[str, str]:
    """A shortcode's attributes; positional ones are keyed ``"0"``, ``"1"``..."""
    found: dict[str, str] = {}
    position = 0
    text = re.sub(r"[\u00a0\u200b]", " ", text)
    for match in _ATTR.finditer(text):
        groups = match.groups()
        for key_index in (0, 2, 4):
            if groups[key_index]:
                found[groups[key_index].lower()] = html.unescape(groups[key_index + 1])
                break
        else:
            value = next(g for g in groups[6:] if g is not None)
            found[str(position)] = html.unescape(value)
            position += 1
    return found


def _figure(image: str, caption: str) -> str:
    caption_html = f"<figcaption>{caption.strip()}</figcaption>" if caption.strip() else ""
    return f"\n\n<figure>{image}{caption_html}</figure>\n\n"


def _link(url: str) -> str:
    url = url.strip()
    if not re.match(r"https?://", url):
        return ""
    safe = html.escape(url)
    return f'\n\n<p><a href="{safe}">{safe}</a></p>\n\n'


class Shortcodes:
    """Rewrites the shortcodes of one post.

    ``attachments`` maps attachment ids to their URLs (for galleries by id); ``children`` lists a
    post's attachments (for a gallery without ids); ``report`` receives one line per shortcode
    left in the text or per gallery image that could not be found.
    """

    def __init__(
        self,
        attachments: Mapping[str, str],
        children: list[str],
        report: Callable[[str], None],
    ) -> None:
        self.attachments = attachments
        self.children = children
        self.report = report
        self.unknown: list[str] = []

    def rewrite(self, text: str) -> str:
        """``text`` with every shortcode handled."""
        return _SHORTCODE.sub(self._replace, text)

    def _replace(self, match: re.Match[str]) -> str:
        if match["open"] == "[" and match["close"] == "]":
            # [[name]] is how an author shows a shortcode as written: code, as a reader sees it.
            return f"<code>{match[0][1:-1]}</code>"
        name = match["name"].lower()
        attrs = parse_attributes(match["attrs"] or "")
        content = match["content"] or ""
        if name in TOC_SHORTCODES:
            return ""
        if name in ("caption", "wp_caption"):
            return self._caption(attrs, content)
        if name == "gallery":
            return self._gallery(attrs)
        if name in _EMBEDS:
            url = content or attrs.get("src") or attrs.get("url") or attrs.get("0", "")
            return _link(url)
        if not _looks_like_shortcode(match):
            return match[0]
        if name not in self.unknown:
            self.unknown.append(name)
            self.report(f"shortcode [{name}] kept as text")
        inner = self.rewrite(content) if content else ""
        opening = match[0][: match.start("attrs") - match.start() + len(match["attrs"] or "")]
        closing = f"[/{match['name']}]" if match["content"] is not None else ""
        end = "/]" if match["self"] else "]"
        return f"{opening}{end}{inner}{closing}" + match["close"]

    def _caption(self, attrs: dict[str, str], content: str) -> str:
        image_match = _LINKED_IMG.search(content) or _IMG.search(content)
        if image_match is None:
            return content
        image = _IMG.search(image_match[0])
        caption = attrs.get("caption") or content[image_match.end() :]
        return _figure(image[0] if image else "", caption)

    def _gallery(self, attrs: dict[str, str]) -> str:
        ids = [part.strip() for part in attrs.get("ids", "").split(",") if part.strip()]
        urls: list[str] = []
        for attachment_id in ids:
            url = self.attachments.get(attachment_id)
            if url:
                urls.append(url)
            else:
                self.report(f"gallery image {attachment_id} is not in the export; left out")
        if not ids:
            urls = list(self.children)
            if not urls:
                self.report("gallery without images in the export; left out")
        return "".join(_figure(f'<img src="{html.escape(url)}" alt="">', "") for url in urls)


def _looks_like_shortcode(match: re.Match[str]) -> bool:
    """Whether a bracketed word is a shortcode rather than prose such as ``[sic]``."""
    name = match["name"]
    return bool(
        "=" in (match["attrs"] or "")
        or match["content"] is not None
        or match["self"]
        or "_" in name
        or "-" in name
    )
