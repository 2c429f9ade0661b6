"""Debris that WordPress themes, plugins and scrapers leave in an article's text.

Pure functions over plain text (one block's text at a time: no Markdown, no HTML) that say what
a piece of debris is. Two callers share them: the WordPress importer, which removes the blocks
they recognise while it converts a post (``broadsheet.wordpress.cleanup``), and ``broadsheet
lint``, which reports what is left in articles with its file and line (``broadsheet.lint``).

Kinds of debris, each a ``Kind`` value:

- a short phrase repeated as a stray fragment at the end of paragraphs (a site name or a share
  button's label that a scraper glued onto every paragraph);
- a block that is only a domain name, an ad label or a share button's text;
- the comment form's text ("Leave a Reply", "Your email address will not be published");
- leftover shortcodes (``[related_posts limit="3"]``) and block-editor comments
  (``<!-- wp:paragraph -->``);
- HTML entities shown as text (``&amp;amp;`` in the source shows as ``&amp;``).
"""

from __future__ import annotations

import collections
import enum
import html.entities
import re
from collections.abc import Iterable

#: Words and characters of a short stray phrase at most.
FRAGMENT_WORDS = 6
FRAGMENT_CHARS = 60


class Kind(enum.StrEnum):
    """What a piece of debris is; the value names it in ``broadsheet lint``'s output."""

    STRAY_FRAGMENT = "stray-fragment"
    DOMAIN_LINE = "domain-line"
    AD_LINE = "ad-line"
    SHARE_TEXT = "share-text"
    COMMENT_FORM = "comment-form"
    SHORTCODE = "shortcode"
    EDITOR_COMMENT = "editor-comment"
    ENTITY = "entity-as-text"
    EMPTY_HEADING = "empty-heading"
    EMPTY_SECTION = "empty-section"


_SPACES = re.compile(r"\s+")
# The last sentence end of a block, then what follows it.
_TAIL = re.compile(r"^(?P<body>.*[.!?…:;][\"'”’»)\]]*)\s+(?P<tail>[^.!?…:;]+)$", re.DOTALL)
_ENDS_SENTENCE = re.compile(r"[.!?…:;,][\"'”’»)\]]*$")

# File name extensions that look like top-level domains in "Node.js" or "setup.py".
_NOT_TLDS = frozenset(
    {"c", "cc", "cfg", "cpp", "css", "csv", "doc", "docx", "gif", "h", "html", "ini", "jpeg"}
    | {"jpg", "js", "json", "md", "mp3", "mp4", "pdf", "php", "png", "py", "rb", "rs", "rst"}
    | {"sh", "svg", "toml", "ts", "tsv", "txt", "webp", "xml", "yaml", "yml", "zip"}
)
_DOMAIN = re.compile(
    r"^(?P<scheme>https?://)?(?P<www>www\.)?(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+"
    r"(?P<tld>[a-z]{2,24})\.?/?$",
    re.IGNORECASE,
)
_AD_LINES = frozenset(
    {
        "ad",
        "ads",
        "advertisement",
        "advertisements",
        "advertise with us",
        "sponsored",
        "sponsored content",
        "paid content",
        "promoted",
        "promoted content",
        "report this ad",
        "continue reading below",
        "story continues below",
        "story continues below advertisement",
        "article continues below advertisement",
        "content continues below",
        "scroll to continue with content",
        "skip advertisement",
    }
)
_SHARE = re.compile(
    r"^(?:share(?: this(?: (?:article|story|post|page))?)?|like this|tweet(?: this)?|pin it"
    r"|email this|print this|(?:share|post|tweet) (?:it )?(?:on|to|via) (?:facebook|twitter|x|"
    r"linkedin|whatsapp|telegram|reddit|pinterest|tumblr|pocket|email|mastodon|threads|bluesky)"
    r"|click to (?:share|email|print)\b.*|like loading(?:\.\.\.|…)?|loading(?:\.\.\.|…)"
    r"|related(?: posts| articles| stories)?)\s*:?$",
    re.IGNORECASE,
)
# Text of WordPress's comment form (comment-template.php) and of the usual themes' variants.
_COMMENT_FORM = re.compile(
    r"\b(?:leave a (?:reply|comment)|your email address will not be published"
    r"|required fields are marked|cancel reply|you must be logged in to post a comment"
    r"|save my name, email, and website in this browser)\b",
    re.IGNORECASE,
)
_COMMENT_FORM_BLOCK = re.compile(
    r"^(?:leave a (?:reply|comment)(?: to .*?)?(?: cancel reply)?"
    r"|cancel reply|post comment|submit comment"
    r"|(?:comment|name|email|website)\s*\*?"
    r"|your email address will not be published\b.*"
    r"|required fields are marked\b.*"
    r"|save my name, email, and website in this browser\b.*"
    r"|you must be logged in to post a comment\b.*"
    r"|\d+ (?:thoughts?|responses?|comments?|replies) (?:on|to) .*)$",
    re.IGNORECASE,
)
_EDITOR_COMMENT = re.compile(
    r"<!--\s*(?:/?wp:.*?|more\b.*?|nextpage|noteaser)\s*/?-->", re.DOTALL | re.IGNORECASE
)
_ENTITY = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
_NAMED_ENTITIES = frozenset(name.rstrip(";") for name in html.entities.html5)
# WordPress's own shortcodes and the usual plugins', recognised even without attributes.
KNOWN_SHORTCODES = frozenset(
    {
        "audio",
        "caption",
        "embed",
        "gallery",
        "playlist",
        "video",
        "wp_caption",
        "toc",
        "ez-toc",
        "lwptoc",
        "contact-form",
        "contact-form-7",
        "googlemaps",
        "youtube",
        "vimeo",
        "tweet",
        "instagram",
        "soundcloud",
        "spotify",
        "related",
        "sharethis",
        "ssba",
        "addtoany",
    }
)
_SHORTCODE = re.compile(
    r"\[(?P<close>/)?(?P<name>[A-Za-z][\w-]*)(?P<attrs>(?:\s[^\[\]]*)?)(?P<self>/)?\]"
)


def normalise(text: str) -> str:
    """``text`` on one line with single spaces, as a block shows it."""
    return _SPACES.sub(" ", text.replace("\u00a0", " ")).strip()


def trailing_fragment(text: str) -> str:
    """The short unpunctuated phrase a block ends with, or ``""``.

    ``"...closely. Border Watch"`` ends with ``"Border Watch"``; a block that is only a short
    phrase is its own fragment; a block that ends a sentence has none.
    """
    text = normalise(text)
    if not text or _ENDS_SENTENCE.search(text):
        return ""
    match = _TAIL.match(text)
    tail = match["tail"].strip() if match else text
    if len(tail) > FRAGMENT_CHARS or len(tail.split()) > FRAGMENT_WORDS:
        return ""
    return tail


def stray_fragments(blocks: Iterable[str], at_least: int = 2) -> set[str]:
    """Trailing fragments that end ``at_least`` of these blocks (a paragraph's text each).

    At least one of them must follow a sentence in its block: short paragraphs that merely
    repeat (a caption, a button's label) are not glued-on fragments.
    """
    counts: collections.Counter[str] = collections.Counter()
    glued: set[str] = set()
    for block in blocks:
        fragment = trailing_fragment(block)
        if fragment:
            counts[fragment] += 1
            if fragment != normalise(block):
                glued.add(fragment)
    return {f for f, count in counts.items() if count >= at_least and f in glued}


def is_domain_line(text: str) -> bool:
    """Whether a block is only a domain name (``borderwatch.example``, ``https://x.org/``)."""
    match = _DOMAIN.match(normalise(text))
    if match is None:
        return False
    return bool(match["scheme"] or match["www"]) or match["tld"].lower() not in _NOT_TLDS


def is_ad_line(text: str) -> bool:
    """Whether a block is only an ad's label ("Advertisement", "Sponsored content")."""
    return normalise(text).strip(" -–—:.…").lower() in _AD_LINES


def is_share_text(text: str) -> bool:
    """Whether a block or a trailing fragment is a share button's text ("Share this:")."""
    return bool(_SHARE.match(normalise(text)))


def mentions_comment_form(text: str) -> str:
    """The comment form's phrase ``text`` contains ("Leave a Reply"), or ``""``."""
    match = _COMMENT_FORM.search(normalise(text))
    return match[0] if match else ""


def is_comment_form_block(text: str) -> bool:
    """Whether a whole block is the comment form's text (the importer drops such blocks)."""
    return bool(_COMMENT_FORM_BLOCK.match(normalise(text)))


def editor_comments(text: str) -> list[str]:
    """Block-editor comments and "more" tags in ``text``."""
    return [match[0] for match in _EDITOR_COMMENT.finditer(text)]


def without_editor_comments(text: str) -> str:
    """``text`` without its block-editor comments and "more" tags."""
    return _EDITOR_COMMENT.sub("", text)


def entities_as_text(text: str) -> list[str]:
    """Character references in text that is already decoded: they show as written."""
    found: list[str] = []
    for match in _ENTITY.finditer(text):
        reference = match[0]
        if reference.startswith("&#") or reference[1:-1] in _NAMED_ENTITIES:
            found.append(reference)
    return found


def shortcodes(text: str) -> list[str]:
    """Shortcodes left in text: ``[name attr="..."]``, ``[/name]``, ``[gallery]``...

    A bracketed word is prose (``[sic]``, ``[1]``) unless it has attributes, closes, closes
    itself, has ``_`` or ``-`` in its name, or is a well-known shortcode's name.
    """
    found: list[str] = []
    for match in _SHORTCODE.finditer(text):
        name = match["name"]
        if (
            match["close"]
            or match["self"]
            or "=" in match["attrs"]
            or "_" in name
            or "-" in name
            or name.lower() in KNOWN_SHORTCODES
        ):
            found.append(match[0])
    return found
