"""Which image files a page may show: image files inside the source folder, nothing else.

Sphinx copies whatever file an image names into the output, and Broadsheet copies an article's
lead image (``image:`` in front matter) and advertises it as ``og:image``: a path such as
``../conf.py``, ``../../.env`` or a symlink to ``/etc/passwd`` would publish that file. Every
local image, in every mode, is resolved through symlinks and must be a file with an image
suffix inside the source folder.
"""

from __future__ import annotations

from pathlib import Path, PurePosixPath

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


def refusal(srcdir: Path, path: Path) -> str:
    """Why the resolved ``path`` may not be published as an image, or ``""`` if it may."""
    if not path.is_relative_to(srcdir.resolve()):
        return "it is outside the source folder"
    if path.suffix.lower() not in IMAGE_SUFFIXES:
        return "it is not an image file"
    return ""
