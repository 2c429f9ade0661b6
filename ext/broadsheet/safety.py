"""Safety of what articles publish: undecodable sources, control characters, unsafe links,
raw HTML.

- A source that is not valid UTF-8 would stop Sphinx with a traceback. Broadsheet leaves it
  out of the build (never half-published, with bad bytes replaced) and warns with the line of
  its first bad byte; the other pages build.
- Characters XML cannot carry (C0 controls but tab and line breaks) would make the feeds and
  the sitemap ill-formed; they are dropped from every source as it is read, with a warning
  naming each line that had some.
- ``javascript:``, ``vbscript:`` and ``data:`` link targets run code or smuggle documents;
  they are refused everywhere in articles (the link text stays, as text) with a warning.
- A source that is a symlink to another file (outside the source folder, another document's
  source, a file kept out of the build) is never read: Sphinx would publish whatever file it
  names, past the publishing lifecycle and ``exclude_patterns``.
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
import os
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from docutils import nodes
from sphinx import addnodes
from sphinx.errors import ConfigError
from sphinx.transforms import SphinxTransform
from sphinx.util import logging

from broadsheet.articles import is_article
from broadsheet.boundedyaml import drop_control_characters
from broadsheet.images import image_path, is_remote, refusal
from broadsheet.realpaths import RealPaths
from broadsheet.translations import __
from broadsheet.untrusted import is_untrusted

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment

logger = logging.getLogger(__name__)

UNSAFE_SCHEMES = frozenset({"javascript", "vbscript", "data"})


def withhold_undecodable(
    app: Sphinx, env: BuildEnvironment, added: set[str], changed: set[str], removed: set[str]
) -> list[str]:
    """Keep every source to be read that is not UTF-8 out of the build, with a warning naming
    the line of its first bad byte.

    Sphinx stops with a traceback on such a file, and a page with its bad bytes replaced is
    not what its author wrote: the document is withheld, like an article whose date cannot be
    read (:mod:`broadsheet.publishing`), until it is saved as UTF-8. A project that chose
    another ``source_encoding`` is read as it asks.
    """
    if codecs.lookup(env.settings["input_encoding"]).name not in ("utf-8", "utf-8-sig"):
        return []
    for docname in sorted(added | changed):
        line, byte = _first_bad_byte(Path(env.doc2path(docname)))
        if not line:
            continue
        if docname == app.config.root_doc:
            raise ConfigError(
                __("the front page %s is not valid UTF-8 (line %d, byte 0x%02x): save it as UTF-8")
                % (env.doc2path(docname), line, byte)
            )
        logger.warning(
            __("not published: the source is not valid UTF-8 (byte 0x%02x); save it as UTF-8"),
            byte,
            type="broadsheet",
            subtype="encoding",
            location=(docname, line),
        )
        env.found_docs.discard(docname)
        added.discard(docname)
        changed.discard(docname)
        if docname in env.all_docs:
            removed.add(docname)
    return []


def _first_bad_byte(path: Path) -> tuple[int, int]:
    """The line and value of the first byte of ``path`` that is not UTF-8; (0, 0) if none."""
    try:
        data = path.read_bytes()
    except OSError:
        return 0, 0  # Sphinx reports a file it cannot read
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        return data.count(b"\n", 0, exc.start) + 1, data[exc.start]
    return 0, 0


def refuse_linked_sources(
    app: Sphinx, env: BuildEnvironment, added: set[str], changed: set[str], removed: set[str]
) -> list[str]:
    """Keep out of the build every source that is a symlink to another file: Sphinx would
    publish the file it names, outside the source folder (``/etc/passwd``), another
    document's source (a draft, published under a second name, past the lifecycle), or a
    file the project keeps out of the build (an excluded folder, ``conf.py``, ``.env``).
    """
    srcdir = os.fspath(env.srcdir)
    root = os.path.realpath(srcdir)
    real = RealPaths()
    targets: dict[str, str] = {}
    linked: set[str] = set()
    for docname in env.found_docs:
        path = os.fspath(env.doc2path(docname))
        targets[docname] = target = real.of(path)
        if target != os.path.join(root, os.path.relpath(path, srcdir)):
            linked.add(docname)
    sources = {target for docname, target in targets.items() if docname not in linked}
    for docname in sorted(linked):
        target = targets[docname]
        if not target.startswith(root + os.sep):
            reason = __("source refused: it links to a file outside the source folder")
        elif target in sources:
            reason = __("source refused: it links to another document's source")
        else:
            reason = __("source refused: it links to a file that is not a document")
        logger.warning(reason, type="broadsheet", subtype="source", location=(docname, 1))
        env.found_docs.discard(docname)
        added.discard(docname)
        changed.discard(docname)
        if docname in env.all_docs:
            removed.add(docname)
    return []


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
                    __("link to %r refused: %s: links can run code in the reader's browser"),
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
                    __("image %r refused"),
                    image["uri"][:60],
                    type="broadsheet",
                    subtype="unsafe_link",
                    location=image,
                )
                image.replace_self(nodes.Text(image.get("alt", "")))
        docname = self.env.docname
        # In every document, article or not: an image is a file inside the sources.
        self._check_images(docname)
        if not is_article(self.config, docname):
            return
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
        untrusted = is_untrusted(self.config, docname)
        for image in list(self.document.findall(nodes.image)):
            uri = image.get("uri", "")
            if not uri:
                continue
            if is_remote(uri):
                if untrusted:
                    # A remote image tells its server who reads what, and when.
                    self._refuse_image(
                        image, __("remote images are not allowed in untrusted articles")
                    )
                continue
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
            reasons = (refusal(srcdir, p.resolve(), untrusted=untrusted) for p in paths)
            reason = next((r for r in reasons if r), "")
            if reason:
                self._refuse_image(image, reason)

    def _refuse_image(self, image: nodes.image, reason: str) -> None:
        logger.warning(
            __("image %r refused: %s"),
            image.get("uri", "")[:80],
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
    """Register the encoding check and the safety transform."""
    # Before the publishing lifecycle (:func:`broadsheet.publishing.select_live`, at 100).
    app.connect("env-get-outdated", refuse_linked_sources, priority=50)
    app.connect("env-get-outdated", withhold_undecodable, priority=90)
    # Before the front matter is read (articles.read_front_matter, at the default 500).
    app.connect("source-read", strip_control_characters, priority=100)
    app.add_transform(ArticleSafety)
