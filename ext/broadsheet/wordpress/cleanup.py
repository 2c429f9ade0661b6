"""A post's stored HTML made plain and safe before it becomes Markdown.

WordPress stores posts in forms its own renderer finishes at display time: classic posts without
``<p>`` (``wpautop`` adds them), block-editor posts wrapped in ``<!-- wp:... -->`` comments,
embeds as bare URLs on their own line. This module does those steps itself, drops what
Broadsheet makes on its own (tables of contents boxes) and the debris that themes, plugins and
scrapers leave (recognised by :mod:`broadsheet.debris`, which ``broadsheet lint`` shares), evens
heading levels out, and sanitizes with ``nh3``: no script, style, event handler or
``javascript:`` address survives.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable

import nh3
from bs4 import BeautifulSoup, Tag
from bs4.element import NavigableString

from broadsheet import debris

_PRE = re.compile(r"<pre\b.*?</pre>", re.DOTALL | re.IGNORECASE)
_BLOCK_TAGS = (
    "address|article|aside|blockquote|caption|dd|details|div|dl|dt|fieldset|figcaption|figure"
    "|footer|form|h[1-6]|header|hr|li|nav|ol|p|pre|section|summary|table|tbody|td|tfoot|th"
    "|thead|tr|ul|iframe|video|audio|object|embed|style|script|math|svg|!--"
)
_STARTS_BLOCK = re.compile(rf"^\s*</?(?:{_BLOCK_TAGS})\b", re.IGNORECASE)
_ENDS_BLOCK = re.compile(rf"</?(?:{_BLOCK_TAGS})[^>]*>\s*$", re.IGNORECASE)
_PHRASING = re.compile(
    r"<(/?)(p|h[1-6]|li|td|th|dt|dd|figcaption|caption|summary|a|span|em|strong|b|i|q|cite)"
    r"\b[^>]*?(/?)>",
    re.IGNORECASE,
)
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
_IMAGE_FILE = re.compile(
    r"(?:/wp-content/uploads/|\.files\.wordpress\.com/).+\.(?:jpe?g|png|gif|webp|svg)(?:\?.*)?$",
    re.IGNORECASE,
)
_TOC_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6", "p", "strong", "div"})
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
    return debris.without_editor_comments(text)


def autop(text: str) -> str:
    """WordPress's ``wpautop`` idea: blank lines separate paragraphs, single newlines break.

    Lines that are (or start or end) a block element stay as they are; runs of other lines
    become a paragraph, also between block elements (text right after a ``</h2>``, as in
    classic posts). ``<pre>`` blocks are never touched.
    """
    kept: list[str] = []

    def keep(match: re.Match[str]) -> str:
        kept.append(match[0])
        return f"\n\n\x00{len(kept) - 1}\x00\n\n"

    text = _PRE.sub(keep, text.replace("\r\n", "\n").replace("\r", "\n"))
    chunks = [chunk.strip() for chunk in re.split(r"\n\s*\n", text) if chunk.strip()]
    out: list[str] = []
    for chunk in chunks:
        if re.fullmatch(r"\x00\d+\x00", chunk):
            out.append(chunk)
        else:
            out.append(_paragraphs(chunk))
    joined = "\n\n".join(out)
    return re.sub(r"\x00(\d+)\x00", lambda m: kept[int(m[1])], joined)


def _paragraphs(chunk: str) -> str:
    """One chunk's lines: block lines kept, runs of text lines made a paragraph each."""
    out: list[str] = []
    group: list[str] = []
    depth = 0  # phrasing elements (or paragraphs) opened on earlier lines and not yet closed

    def flush() -> None:
        if group:
            out.append("<p>" + "".join(group) + "</p>")
            group.clear()

    for raw in chunk.split("\n"):
        line = raw.strip()
        if not line:
            continue
        is_block = bool(_STARTS_BLOCK.match(line) or _ENDS_BLOCK.search(line))
        if (group and depth > 0) or (depth == 0 and not is_block):
            group.append(("<br>\n" if group and depth == 0 else "\n" if group else "") + line)
        else:
            flush()
            out.append(line)
        for match in _PHRASING.finditer(line):
            if not match[3]:
                depth = max(0, depth - 1) if match[1] else depth + 1
    flush()
    return "\n".join(out)


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
    gone: set[int] = set()  # by id: bs4's ``decomposed`` searches live elements (slow)

    def drop(element: Tag) -> None:
        gone.add(id(element))
        gone.update(id(d) for d in element.descendants)
        element.decompose()

    elements = [e for e in soup.descendants if isinstance(e, Tag)]
    for element in elements:
        if id(element) in gone:
            continue
        names = " ".join([*element.get_attribute_list("class"), str(element.get("id") or "")])
        if names.strip() and _TOC_CLASS.search(names):
            drop(element)
            removed += 1
    for heading in elements:
        if heading.name not in _TOC_HEADINGS or id(heading) in gone:
            continue
        text = heading.get_text()
        if len(text) > 40 or not _TOC_HEADING.match(text):
            continue
        listing = heading.find_next_sibling()
        if listing is not None and listing.name in ("ul", "ol") and _in_page_links(listing):
            drop(listing)
            drop(heading)
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


def rewrite_images(
    soup: BeautifulSoup,
    locate: Callable[[str], str],
    link_to: Callable[[str], str | None] = lambda url: None,
) -> None:
    """Every image source (and links to image files) through ``locate``, other links through
    ``link_to`` (links to the old site's posts become links to their articles)."""
    for image in soup.find_all("img"):
        source = str(image.get("src") or "")
        if source:
            image["src"] = locate(source)
        else:
            image.decompose()
    for link in soup.find_all("a"):
        href = str(link.get("href") or "")
        if not _IMAGE_FILE.search(href):
            moved = link_to(href)
            if moved is not None:
                link["href"] = moved
            continue
        if link.find("img") is not None:
            link.unwrap()  # a thumbnail linking to its own full-size file: the image is enough
        else:
            link["href"] = locate(href)


_DEBRIS_CONTAINER = re.compile(
    r"(?:^|[\s_-])(?:comment-respond|comments-area|respond|sharedaddy|sd-sharing-enabled|"
    r"jp-relatedposts|addtoany_share|a2a_kit|ssba|social-share|share-buttons|adsbygoogle|"
    r"wpcnt|ad-slot)(?:$|[\s_-])",
    re.IGNORECASE,
)
_TEXT_BLOCKS = frozenset(
    {"p", "h1", "h2", "h3", "h4", "h5", "h6", "div", "li", "figcaption", "span"}
)
_CODE = frozenset({"code", "pre", "kbd", "samp"})
_NOT_BODY = frozenset({"li", "blockquote"})


def _inside(element: Tag | NavigableString, names: frozenset[str]) -> bool:
    # Plain attribute walking: bs4's find_parent builds a filter per call, far slower.
    return any(parent.name in names for parent in element.parents)


def remove_debris(soup: BeautifulSoup, report: Callable[[str], None]) -> None:
    """Drop what themes, plugins and scrapers left in a post; one report line per kind."""
    removed: dict[str, int] = {}

    def count(kind: str) -> None:
        removed[kind] = removed.get(kind, 0) + 1

    # One walk over the elements (each find_all is a walk of its own). What is dropped is
    # remembered by id: bs4's ``decomposed`` falls back to a search on live elements.
    elements = [e for e in soup.descendants if isinstance(e, Tag)]
    gone: set[int] = set()

    def drop(element: Tag) -> None:
        gone.add(id(element))
        gone.update(id(d) for d in element.descendants)
        element.decompose()

    for box in elements:
        if id(box) in gone:
            continue
        names = " ".join([*box.get_attribute_list("class"), str(box.get("id") or "")])
        if names.strip() and _DEBRIS_CONTAINER.search(names):
            drop(box)
            count("comment form or share box removed")
    elements = [e for e in elements if id(e) not in gone]
    # Text blocks holding no other block and no image: the ones a whole line of debris is.
    holders: set[int] = set()
    for element in elements:
        if element.name in _TEXT_BLOCKS or element.name == "img":
            for parent in element.parents:
                if parent.name in _TEXT_BLOCKS:
                    holders.add(id(parent))
                    break
    for block in elements:
        if block.name not in _TEXT_BLOCKS or id(block) in holders or id(block) in gone:
            continue
        kind = _debris_block(block.get_text(" "))
        if kind:
            drop(block)
            count(f"{kind} removed")
    _decode_entities(soup, count)
    _strip_stray_fragments(soup, count)
    for kind, number in removed.items():
        report(f"{kind} ({number})")


def _debris_block(text: str) -> str:
    if not debris.normalise(text):
        return ""
    if debris.is_comment_form_block(text):
        return "comment form text"
    if debris.is_domain_line(text):
        return "line that is only a domain name"
    if debris.is_ad_line(text):
        return "ad label"
    if debris.is_share_text(text):
        return "share button text"
    return ""


def _decode_entities(soup: BeautifulSoup, count: Callable[[str], None]) -> None:
    """Text still holding character references after the HTML was read (double-encoded)."""
    for string in list(soup.find_all(string=True)):
        if "&" not in string or not debris.entities_as_text(str(string)):
            continue
        if _inside(string, _CODE):
            continue
        text = str(string)
        for _ in range(3):
            if not debris.entities_as_text(text):
                break
            text = html.unescape(text)
        string.replace_with(NavigableString(text))
        count("HTML entity shown as text decoded")


def _strip_stray_fragments(soup: BeautifulSoup, count: Callable[[str], None]) -> None:
    """A short phrase ending several paragraphs (or a share label ending one) is cut off."""
    paragraphs = [p for p in soup.find_all("p") if not _inside(p, _NOT_BODY)]
    texts = [p.get_text(" ") for p in paragraphs]
    strays = debris.stray_fragments(texts)
    for paragraph, text in zip(paragraphs, texts, strict=True):
        fragment = debris.trailing_fragment(text)
        if not fragment or not (fragment in strays or debris.is_share_text(fragment)):
            continue
        if _cut_tail(paragraph, fragment):
            count("stray fragment at the end of a paragraph removed")
            if not debris.normalise(paragraph.get_text()):
                paragraph.decompose()


def _cut_tail(paragraph: Tag, fragment: str) -> bool:
    """Remove ``fragment`` from the end of the paragraph's last text; False when it is split."""
    strings = [s for s in paragraph.find_all(string=True) if debris.normalise(str(s))]
    if not strings:
        return False
    last = strings[-1]
    text = debris.normalise(str(last))
    if not text.endswith(fragment):
        return False
    kept = text[: -len(fragment)].rstrip()
    last.replace_with(NavigableString(kept + " " if kept else ""))
    while paragraph.contents and _is_trailing_break(paragraph.contents[-1]):
        paragraph.contents[-1].extract()
    return True


def _is_trailing_break(node: object) -> bool:
    if isinstance(node, Tag):
        return node.name == "br"
    return isinstance(node, NavigableString) and not str(node).strip()
