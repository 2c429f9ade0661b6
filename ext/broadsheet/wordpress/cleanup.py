"""A post's stored HTML made plain and safe before it becomes Markdown.

WordPress stores posts in forms its own renderer finishes at display time: classic posts without
``<p>`` (``wpautop`` adds them), block-editor posts wrapped in ``<!-- wp:... -->`` comments,
embeds as bare URLs on their own line. This module does those steps itself, drops what
Broadsheet makes on its own (tables of contents boxes), evens heading levels out, and then
sanitizes with ``nh3``: no script, style, event handler or ``javascript:`` address survives.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable

import nh3
from bs4 import BeautifulSoup, Tag

_BLOCK_COMMENT = re.compile(r"<!--\s*/?wp:.*?-->", re.DOTALL)
_MORE = re.compile(r"<!--\s*(?:more|nextpage|noteaser)\b.*?-->", re.DOTALL | re.IGNORECASE)
_PRE = re.compile(r"<pre\b.*?</pre>", re.DOTALL | re.IGNORECASE)
_BLOCK_TAGS = (
    "address|article|aside|blockquote|caption|dd|details|div|dl|dt|fieldset|figcaption|figure"
    "|footer|form|h[1-6]|header|hr|li|nav|ol|p|pre|section|summary|table|tbody|td|tfoot|th"
    "|thead|tr|ul|iframe|video|audio|object|embed|style|script|math|svg|!--"
)
_STARTS_BLOCK = re.compile(rf"^\s*</?(?:{_BLOCK_TAGS})\b", re.IGNORECASE)
_ENDS_BLOCK = re.compile(rf"</?(?:{_BLOCK_TAGS})[^>]*>\s*$", re.IGNORECASE)
_OWN_LINE_URL = re.compile(
    r"^(\s*(?:<p>)?\s*)(https?://[^\s<>\"']+)(\s*(?:</p>)?\s*)$", re.MULTILINE
)
_MEDIA = re.compile(
    r"<(?:iframe|video|audio|embed|source)\b[^>]*\bsrc=[\"']([^\"']+)[\"'][^>]*>(?:\s*</(?:iframe|video|audio)>)?",
    re.IGNORECASE,
)
_TOC_CLASS = re.compile(
    r"(?:^|[\s_-])(?:ez-toc|toc_container|toc-container|lwptoc|table-of-contents|"
    r"rank-math-toc|joli-toc|uagb-toc|ht_toc|wp-block-table-of-contents|simple-toc|kb-table-of-content)",
    re.IGNORECASE,
)
_IMAGE_FILE = re.compile(r"/wp-content/uploads/.+\.(?:jpe?g|png|gif|webp|svg)$", re.IGNORECASE)
_TOC_HEADING = re.compile(
    r"^\s*(?:table of contents|contents|in this (?:article|post)|jump to)\s*:?\s*$", re.IGNORECASE
)

ALLOWED_TAGS = frozenset(
    [
        "a",
        "abbr",
        "article",
        "aside",
        "b",
        "blockquote",
        "br",
        "caption",
        "cite",
        "code",
        "dd",
        "del",
        "details",
        "dfn",
        "div",
        "dl",
        "dt",
        "em",
        "figcaption",
        "figure",
        "footer",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "hr",
        "i",
        "img",
        "ins",
        "kbd",
        "li",
        "mark",
        "nav",
        "ol",
        "p",
        "pre",
        "q",
        "s",
        "samp",
        "section",
        "small",
        "span",
        "strong",
        "sub",
        "summary",
        "sup",
        "table",
        "tbody",
        "td",
        "tfoot",
        "th",
        "thead",
        "tr",
        "u",
        "ul",
        "var",
    ]
)
ALLOWED_ATTRIBUTES = {
    "*": {"class", "id"},
    "a": {"href", "title"},
    "img": {"src", "alt", "title"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan"},
    "ol": {"start"},
}


def strip_editor_markup(text: str) -> str:
    """Block-editor comments and the "more" tag removed."""
    return _MORE.sub("", _BLOCK_COMMENT.sub("", text))


def autop(text: str) -> str:
    """WordPress's ``wpautop`` idea: blank lines separate paragraphs, single newlines break.

    Text chunks that already start or end with a block element are left as they are; ``<pre>``
    blocks are never touched.
    """
    kept: list[str] = []

    def keep(match: re.Match[str]) -> str:
        kept.append(match[0])
        return f"\n\n\x00{len(kept) - 1}\x00\n\n"

    text = _PRE.sub(keep, text.replace("\r\n", "\n").replace("\r", "\n"))
    chunks = [chunk.strip() for chunk in re.split(r"\n\s*\n", text) if chunk.strip()]
    out: list[str] = []
    for chunk in chunks:
        if (
            re.fullmatch(r"\x00\d+\x00", chunk)
            or _STARTS_BLOCK.match(chunk)
            or _ENDS_BLOCK.search(chunk)
        ):
            out.append(chunk)
        else:
            out.append("<p>" + re.sub(r"\s*\n\s*", "<br>\n", chunk) + "</p>")
    joined = "\n\n".join(out)
    return re.sub(r"\x00(\d+)\x00", lambda m: kept[int(m[1])], joined)


def link_embeds(text: str) -> str:
    """oEmbed URLs alone on a line, iframes and media elements, as plain links."""

    def media(match: re.Match[str]) -> str:
        url = html.unescape(match[1])
        if not re.match(r"https?://", url):
            return ""
        safe = html.escape(url)
        return f'<p><a href="{safe}">{safe}</a></p>'

    text = _MEDIA.sub(media, text)
    return _OWN_LINE_URL.sub(
        lambda m: (
            f'{m[1]}<a href="{m[2]}">{m[2]}</a>{m[3]}'
            if "<p>" in m[1]
            else f'<p><a href="{m[2]}">{m[2]}</a></p>'
        ),
        text,
    )


def sanitize(text: str) -> str:
    """Only the tags and attributes an article needs; http(s) and mail links; no scripts."""
    return nh3.clean(
        text,
        tags=set(ALLOWED_TAGS),
        attributes={key: set(value) for key, value in ALLOWED_ATTRIBUTES.items()},
        url_schemes={"http", "https", "mailto"},
        link_rel=None,
    )


def remove_toc_boxes(soup: BeautifulSoup) -> int:
    """Drop table-of-contents boxes: plugin containers and hand-made "Contents" lists."""
    removed = 0
    boxes = [*soup.find_all(class_=_TOC_CLASS), *soup.find_all(id=_TOC_CLASS)]
    for element in boxes:
        if not element.decomposed:
            element.decompose()
            removed += 1
    for heading in soup.find_all(["h1", "h2", "h3", "h4", "h5", "h6", "p", "strong", "div"]):
        if heading.decomposed or len(heading.get_text()) > 40:
            continue
        if not _TOC_HEADING.match(heading.get_text()):
            continue
        listing = heading.find_next_sibling()
        if listing is not None and listing.name in ("ul", "ol") and _in_page_links(listing):
            listing.decompose()
            heading.decompose()
            removed += 1
    return removed


def _in_page_links(listing: Tag) -> bool:
    links = listing.find_all("a")
    return bool(links) and all(str(a.get("href", "")).startswith("#") for a in links)


def even_headings(soup: BeautifulSoup, report: Callable[[str], None]) -> None:
    """Headings from level 2 down, never skipping a level; empty ones removed and reported."""
    headings = soup.find_all(["h1", "h2", "h3", "h4", "h5", "h6"])
    previous = 1
    for heading in headings:
        if not heading.get_text(strip=True) and heading.find("img") is None:
            report("empty heading removed")
            heading.decompose()
            continue
        wanted = int(heading.name[1]) if heading.name else 2
        level = max(2, min(wanted, previous + 1, 6))
        heading.name = f"h{level}"
        previous = level


def rewrite_images(soup: BeautifulSoup, locate: Callable[[str], str]) -> None:
    """Every image source (and links to image files) through ``locate``."""
    for image in soup.find_all("img"):
        source = str(image.get("src") or "")
        if source:
            image["src"] = locate(source)
        else:
            image.decompose()
    for link in soup.find_all("a"):
        href = str(link.get("href") or "")
        if not _IMAGE_FILE.search(href):
            continue
        if link.find("img") is not None:
            link.unwrap()  # a thumbnail linking to its own full-size file: the image is enough
        else:
            link["href"] = locate(href)
