"""Which image files a page may show: image files inside the source folder, nothing else.

Sphinx copies whatever file an image names into the output, and Broadsheet copies an article's
lead image (``image:`` in front matter) and advertises it as ``og:image``: a path such as
``../conf.py``, ``../../.env`` or a symlink to ``/etc/passwd`` would publish that file. Every
local image, in every mode, is resolved through symlinks and must be a file with an image
suffix inside the source folder. In the untrusted mode an SVG must also be inert
(:func:`svg_refusal`): no script, event handler, embedded HTML or link outside itself.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path, PurePosixPath
from urllib.parse import urlsplit

#: Suffixes of the image files a page may show.
IMAGE_SUFFIXES = frozenset(
    {".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp", ".avif", ".bmp", ".tif", ".tiff", ".ico"}
)


def image_path(srcdir: Path, docname: str, uri: str) -> Path:
    """Where the local image ``uri`` of ``docname`` is, resolved through symlinks (it may not
    exist). A leading ``/`` means the source folder, as in Sphinx."""
    if uri.startswith("/"):
        return (srcdir / uri.lstrip("/")).resolve()
    return (srcdir / PurePosixPath(docname).parent / uri).resolve()


def is_remote(uri: str) -> bool:
    """Whether the image address ``uri`` names no file of the sources (``https:``, ``data:``,
    ``//host/...``)."""
    return bool(urlsplit(uri).scheme) or "://" in uri or uri.startswith("//")


def refusal(srcdir: Path, path: Path, *, untrusted: bool = False) -> str:
    """Why the resolved ``path`` may not be published as an image, or ``""`` if it may.
    In the untrusted mode an SVG must also be inert (:func:`svg_refusal`)."""
    if not path.is_relative_to(srcdir.resolve()):
        return "it is outside the source folder"
    if path.suffix.lower() not in IMAGE_SUFFIXES:
        return "it is not an image file"
    if untrusted and path.suffix.lower() == ".svg" and path.is_file():
        return svg_refusal(path)
    return ""


#: SVG elements that run script or embed other documents.
_SVG_ACTIVE_ELEMENTS = frozenset(
    {"script", "foreignobject", "iframe", "embed", "object", "handler", "listener"}
)
#: SVG attributes that name another resource.
_SVG_LINK_ATTRIBUTES = frozenset({"href", "src", "action", "formaction"})
#: ``url(...)`` to anything but a fragment of the same file, or an ``@import``, in CSS.
_CSS_EXTERNAL = re.compile(r"url\s*\(\s*['\"]?\s*(?!#)|@import|expression\s*\(", re.IGNORECASE)
_SPACES = re.compile(r"[\x00-\x20]+")
_SCRIPT_ADDRESS = re.compile(r"(?:java|vb)script:", re.IGNORECASE)


def _local_name(name: str) -> str:
    return name.rsplit("}", 1)[-1].rsplit(":", 1)[-1].lower()


def svg_refusal(path: Path) -> str:
    """Why the SVG file ``path`` may not be published in the untrusted mode, or ``""``.

    An SVG is a document: opened by itself (every image is a link away from its page) it
    runs its scripts and event handlers, shows embedded HTML and loads what it links. Only an
    SVG with none of these is published; it may link within itself (``href="#id"``).
    """
    try:
        data = path.read_bytes()
    except OSError:
        return "it cannot be read"
    try:
        # Checked as text below: another encoding (UTF-16) could hide what is looked for.
        lowered = data.decode("utf-8").lower()
    except UnicodeDecodeError:
        return "an SVG file not in UTF-8"
    if "<!doctype" in lowered or "<!entity" in lowered or "<?xml-stylesheet" in lowered:
        # Entities can expand without bound; a style sheet instruction loads another file.
        return "an SVG with a document type, entities or a style sheet instruction"
    try:
        root = ET.fromstring(data)
    except ET.ParseError:
        return "it is not a well-formed SVG file"
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        tag = _local_name(element.tag)
        if tag in _SVG_ACTIVE_ELEMENTS:
            return f"an SVG with a <{tag}> element"
        if tag == "style" and _CSS_EXTERNAL.search("".join(element.itertext())):
            return "an SVG whose style sheet loads another file"
        for name, value in element.attrib.items():
            attribute = _local_name(name)
            if attribute.startswith("on"):
                return f"an SVG with an event handler ({attribute})"
            if attribute in _SVG_LINK_ATTRIBUTES and not value.strip().startswith("#"):
                return "an SVG that links outside itself"
            if attribute == "style" and _CSS_EXTERNAL.search(value):
                return "an SVG whose style loads another file"
            if attribute == "attributename" and _local_name(value) in _SVG_LINK_ATTRIBUTES:
                return "an SVG that animates a link"
            if _SCRIPT_ADDRESS.search(_SPACES.sub("", value)):
                return "an SVG with a script address"
    return ""
