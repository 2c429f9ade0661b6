"""Safety of what articles publish: undecodable sources, control characters, unsafe links,
raw HTML.

- A source that is not valid UTF-8 would stop Sphinx with a traceback. Broadsheet reads
  sources with a UTF-8 codec that replaces bad bytes, and warns with the line of the first one,
  so the page still builds and the editor knows where to look.
- Characters XML cannot carry (C0 controls but tab and line breaks) would make the feeds and
  the sitemap ill-formed; they are dropped from every source as it is read, with a warning
  naming each line that had some.
- ``javascript:``, ``vbscript:`` and ``data:`` link targets run code or smuggle documents;
  they are refused everywhere in articles (the link text stays, as text) with a warning.
- An article's local images must be image files inside the source folder, resolved through
  symlinks (:mod:`broadsheet.images`); any other is refused with a warning, its description
  kept, before Sphinx copies it into ``_images``.
- Raw HTML in an article's body is the author's own markup, as MyST allows, unless
  ``broadsheet_raw_html = False``: then it is dropped with a warning. The untrusted mode
  (:mod:`broadsheet.untrusted`) drops raw blocks of every format, ``meta`` tags and
  ``{download}`` links as well.
"""

from __future__ import annotations

import codecs
import re
from encodings import utf_8_sig
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from docutils import nodes
from sphinx import addnodes
from sphinx.transforms import SphinxTransform
from sphinx.util import logging

from broadsheet.articles import is_article
from broadsheet.boundedyaml import drop_control_characters
from broadsheet.images import image_path, refusal
from broadsheet.translations import __
from broadsheet.untrusted import is_untrusted

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment

logger = logging.getLogger(__name__)

CODEC = "broadsheet-utf-8"
UNSAFE_SCHEMES = frozenset({"javascript", "vbscript", "data"})


# Sphinx's default encoding is utf-8-sig; this is the same, with bad bytes replaced.


def _decode(data: Any, errors: str = "strict", /) -> tuple[str, int]:
    return utf_8_sig.decode(data, "replace")


class _IncrementalDecoder(utf_8_sig.IncrementalDecoder):
    def __init__(self, errors: str = "strict") -> None:
        super().__init__("replace")


class _StreamReader(utf_8_sig.StreamReader):
    def __init__(self, stream: Any, errors: str = "strict") -> None:
        super().__init__(stream, "replace")


def _find_codec(name: str) -> codecs.CodecInfo | None:
    # Lookup hands search functions the name lowercased, with "-" turned into "_".
    if name != CODEC.replace("-", "_"):
        return None
    return codecs.CodecInfo(
        utf_8_sig.encode,
        _decode,
        incrementalencoder=utf_8_sig.IncrementalEncoder,
        incrementaldecoder=_IncrementalDecoder,
        streamreader=_StreamReader,
        streamwriter=utf_8_sig.StreamWriter,
        name=CODEC,
    )


def check_encoding(app: Sphinx, env: BuildEnvironment, docnames: list[str]) -> None:
    """Warn about every source to be read that is not UTF-8, with the line of the first error."""
    if codecs.lookup(env.settings["input_encoding"]).name not in ("utf-8", "utf-8-sig", CODEC):
        return  # the project chose another encoding; it is read as it asks
    env.settings["input_encoding"] = CODEC
    for docname in docnames:
        path = Path(env.doc2path(docname))
        try:
            data = path.read_bytes()
        except OSError:
            continue
        try:
            data.decode("utf-8")
        except UnicodeDecodeError as exc:
            line = data.count(b"\n", 0, exc.start) + 1
            logger.warning(
                "the source is not valid UTF-8 (byte 0x%02x); bad bytes are shown as \ufffd",
                data[exc.start],
                type="broadsheet",
                subtype="encoding",
                location=(docname, line),
            )


def strip_control_characters(app: Sphinx, docname: str, source: list[str]) -> None:
    """Drop the characters no XML document may contain from the source, line by line."""
    text, lines = drop_control_characters(source[0])
    if not lines:
        return
    source[0] = text
    for line in lines:
        logger.warning(
            __("control characters dropped"),
            type="broadsheet",
            subtype="control_character",
            location=(docname, line),
        )


def is_unsafe(uri: str) -> bool:
    """Whether ``uri`` is a target that runs code or embeds a document."""
    return urlsplit(uri.strip()).scheme.lower() in UNSAFE_SCHEMES


#: Raw HTML that is nothing but comments.
_COMMENTS = re.compile(r"\s*(?:<!--.*?-->\s*)+", re.DOTALL)


class ArticleSafety(SphinxTransform):
    """Refuse unsafe link targets in every document, and raw HTML where it is not allowed."""

    # After the doctree is complete, before Sphinx's collectors see it (doctree-read is emitted
    # by a transform of priority 880): a refused image or download is never copied.
    default_priority = 879

    def apply(self, **kwargs: Any) -> None:
        for reference in list(self.document.findall(nodes.reference)):
            uri = reference.get("refuri", "")
            if uri and is_unsafe(uri):
                logger.warning(
                    "link to %r refused: %s: links can run code in the reader's browser",
                    uri[:60],
                    urlsplit(uri.strip()).scheme.lower(),
                    type="broadsheet",
                    subtype="unsafe_link",
                    location=reference,
                )
                reference.replace_self(nodes.inline("", "", *reference.children))
        for image in list(self.document.findall(nodes.image)):
            if is_unsafe(image.get("uri", "")) and not image["uri"].startswith("data:image/"):
                logger.warning(
                    "image %r refused",
                    image["uri"][:60],
                    type="broadsheet",
                    subtype="unsafe_link",
                    location=image,
                )
                image.replace_self(nodes.Text(image.get("alt", "")))
        docname = self.env.docname
        if not is_article(self.config, docname):
            return
        self._check_images(docname)
        # An HTML comment in an article is an editor's note (a source, an embargo): its text
        # is never published, on the page, in feeds or in the PDF.
        for raw in list(self.document.findall(nodes.raw)):
            if "html" in raw.get("format", "").split() and _COMMENTS.fullmatch(raw.astext()):
                raw.parent.remove(raw)
        if is_untrusted(self.config, docname):
            self._untrusted()
        elif not self.config.broadsheet_raw_html:
            for raw in list(self.document.findall(nodes.raw)):
                if "html" in raw.get("format", "").split():
                    self._drop(raw, __("raw HTML dropped (broadsheet_raw_html is off)"), "raw_html")

    def _drop(self, node: nodes.Element, message: str, subtype: str) -> None:
        logger.warning(message, type="broadsheet", subtype=subtype, location=node)
        node.parent.remove(node)

    def _check_images(self, docname: str) -> None:
        """Refuse local images that are not image files inside the source folder."""
        srcdir = Path(self.env.srcdir)
        for image in list(self.document.findall(nodes.image)):
            uri = image.get("uri", "")
            if not uri or urlsplit(uri).scheme or "://" in uri:
                continue  # remote (or refused above)
            candidates = image.get("candidates")
            if candidates:
                # Sphinx has already found the files (paths from the source folder).
                paths = [(srcdir / c).resolve() for k, c in candidates.items() if k != "?"]
            elif "*" in uri:
                # Sphinx picks among the candidates; each must be allowed.
                pattern = image_path(srcdir, docname, uri)
                paths = sorted(pattern.parent.glob(pattern.name)) or [pattern.parent]
            else:
                paths = [image_path(srcdir, docname, uri)]
            reason = next((r for r in (refusal(srcdir, p.resolve()) for p in paths) if r), "")
            if reason:
                logger.warning(
                    __("image %r refused: %s"),
                    uri[:80],
                    reason,
                    type="broadsheet",
                    subtype="image",
                    location=image,
                )
                image.replace_self(nodes.Text(image.get("alt", "")))

    def _untrusted(self) -> None:
        """Drop what an untrusted article may not publish: raw blocks, meta tags, downloads."""
        for raw in list(self.document.findall(nodes.raw)):
            kind = raw.get("format", "") or "?"
            self._drop(
                raw, __("raw %s dropped: not allowed in untrusted articles") % kind, "untrusted"
            )
        for meta in list(self.document.findall(nodes.meta)):
            self._drop(meta, __("meta tag dropped: not allowed in untrusted articles"), "untrusted")
        for download in list(self.document.findall(addnodes.download_reference)):
            logger.warning(
                __("download link to %r dropped: not allowed in untrusted articles"),
                download.get("reftarget", "")[:80],
                type="broadsheet",
                subtype="untrusted",
                location=download,
            )
            download.replace_self(nodes.inline("", "", *download.children))


def setup_safety(app: Sphinx) -> None:
    """Register the codec, the encoding check and the safety transform."""
    try:
        codecs.lookup(CODEC)
    except LookupError:
        codecs.register(_find_codec)
    app.connect("env-before-read-docs", check_encoding)
    # Before the front matter is read (articles.read_front_matter, at the default 500).
    app.connect("source-read", strip_control_characters, priority=100)
    app.add_transform(ArticleSafety)
