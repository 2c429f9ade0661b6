"""The folder a Typst compilation may read: the template, the images and the QR codes.

Typst reads files only below its root, so each PDF is compiled with this folder as root:
an article can show the images it uses and nothing else on the machine. Files are named by
a hash of their content, so builds in parallel processes agree and rebuilds are reproducible.
"""

from __future__ import annotations

import base64
import hashlib
import io
import os
import re
import shutil
import threading
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import segno
from sphinx.util import logging

logger = logging.getLogger(__name__)

TEMPLATE = Path(__file__).with_name("broadsheet.typ")
#: Image types Typst can place.
IMAGE_SUFFIXES = frozenset({".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp"})
#: A link in an SVG: ``href`` or ``xlink:href`` and its quoted target.
_SVG_LINK = re.compile(
    rb"""(?P<attribute>\s(?:xlink:)?href\s*=\s*)(?P<quote>["'])(?P<target>.*?)(?P=quote)"""
)
#: Links an SVG keeps as they are: within itself, or to data it carries.
_SVG_LINKS_KEPT = ("#", "data:")


def svg_link_file(target: str, svg: Path, srcdir: Path) -> Path | None:
    """The file the link ``target`` in the SVG file ``svg`` names, resolved, if the PDF inlines
    it: an existing image file Typst can place, inside ``srcdir`` (resolved); else ``None``."""
    if target.startswith(_SVG_LINKS_KEPT) or urlsplit(target).scheme:
        return None
    linked = (svg.parent / unquote(target)).resolve()
    if linked.suffix.lower() not in IMAGE_SUFFIXES or not linked.is_relative_to(srcdir):
        return None
    return linked if linked.is_file() else None


def svg_linked_files(svg: Path, srcdir: Path) -> list[Path]:
    """The files the PDF inlines into the SVG file ``svg`` (:func:`svg_link_file`), in order.

    An article depends on them as on the SVG itself: replacing one changes its PDF.
    """
    svg, srcdir = svg.resolve(), srcdir.resolve()
    if not svg.is_relative_to(srcdir):
        return []  # never read: the PDF shows no image from outside the sources
    try:
        data = svg.read_bytes()
    except OSError:
        return []
    found = (
        svg_link_file(match["target"].decode("utf-8", "replace"), svg, srcdir)
        for match in _SVG_LINK.finditer(data)
    )
    return list(dict.fromkeys(path for path in found if path is not None))


class Assets:
    """Copies what an article needs into ``root`` and says where it is, relative to root."""

    def __init__(self, root: Path, srcdir: Path, docname: str) -> None:
        self.root = root
        self.srcdir = srcdir
        self.docname = docname

    @staticmethod
    def prepare(root: Path) -> None:
        """Create ``root`` with the current template in it."""
        root.mkdir(parents=True, exist_ok=True)
        target = root / TEMPLATE.name
        if not target.exists() or target.read_bytes() != TEMPLATE.read_bytes():
            shutil.copyfile(TEMPLATE, target)

    def _store(self, data: bytes, suffix: str) -> str:
        name = f"assets/{hashlib.sha256(data).hexdigest()[:20]}{suffix}"
        path = self.root / name
        if not path.exists():
            self._write(path, data)
        return name

    @staticmethod
    def _write(path: Path, data: bytes) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(f"{path.name}.{os.getpid()}.{threading.get_ident()}.part")
        partial.write_bytes(data)
        partial.replace(path)  # atomic: another process may store the same file

    def image(self, uri: str, location: Any) -> str | None:
        """The root-relative path of the image at ``uri``, or ``None`` if it cannot be shown."""
        if urlsplit(uri).scheme:
            # The PDF is built offline: a remote image is shown by its description.
            return None
        path = (self.srcdir / uri).resolve()
        if not path.is_file():
            return None  # Sphinx has already said that the image cannot be read
        if path.suffix.lower() not in IMAGE_SUFFIXES or not path.is_relative_to(
            self.srcdir.resolve()
        ):
            logger.warning(
                "image %r is outside the sources or of a type the PDF cannot show; "
                "its description is used",
                uri,
                type="broadsheet",
                subtype="pdf",
                location=location,
            )
            return None
        data = path.read_bytes()
        if path.suffix.lower() == ".svg":
            data = self._svg_links_inlined(data, path)
        return self._store(data, path.suffix.lower())

    def _svg_links_inlined(self, data: bytes, path: Path) -> bytes:
        """The SVG ``data`` with each image it links to inlined as a ``data:`` address.

        The SVG is stored under a name of its own, away from its siblings, where Typst would
        not find them (and would fail the whole PDF). A link to anything but an image file
        inside the sources (:func:`svg_link_file`) is dropped: an SVG shows nothing from
        outside them either, and Typst fails on an empty ``href`` as on a missing file.
        """
        srcdir = self.srcdir.resolve()

        def inline(match: re.Match[bytes]) -> bytes:
            target = match["target"].decode("utf-8", "replace")
            if target.startswith(_SVG_LINKS_KEPT):
                return match[0]
            linked = svg_link_file(target, path, srcdir)
            if linked is None:
                return match["attribute"][:1]  # the space before it
            suffix = linked.suffix.lower()
            kind = "svg+xml" if suffix == ".svg" else suffix.lstrip(".").replace("jpg", "jpeg")
            encoded = base64.b64encode(linked.read_bytes())
            return (
                match["attribute"]
                + match["quote"]
                + b"data:image/"
                + kind.encode()
                + b";base64,"
                + encoded
                + match["quote"]
            )

        return _SVG_LINK.sub(inline, data)

    def qr(self, url: str) -> str:
        """The root-relative path of a PNG QR code of ``url`` (one pixel per module)."""
        # Named after the address, so a rebuild finds it without making it again.
        name = f"assets/qr-{hashlib.sha256(url.encode('utf-8')).hexdigest()[:20]}.png"
        path = self.root / name
        if not path.exists():
            # A fixed mask spares segno scoring all eight (most of its time); any mask reads.
            code = segno.make(url, error="m", micro=False, mask=0)
            buffer = io.BytesIO()
            code.save(buffer, kind="png", scale=1, border=2)
            self._write(path, buffer.getvalue())
        return name
