"""Slugs: the ASCII file and URL names Broadsheet makes from headlines and project names, and
file paths written as URL paths."""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import quote


def slugify(title: str) -> str:
    """A lowercase ASCII file name from a headline: ``"Zoë's Plan!"`` -> ``"zoes-plan"``."""
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode("ascii")
    ascii_title = ascii_title.replace("'", "").replace("’", "")
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_title.lower()).strip("-")
    return slug[:80].rstrip("-") or "article"


def url_path(path: str) -> str:
    """The file path ``path`` (relative or from the site's root) as a URL path: ``#``, ``?``,
    ``%``, spaces and non-ASCII letters percent-encoded, so ``c#-tips.pdf`` is not read as
    ``c`` with a fragment, nor ``why?.pdf`` as ``why`` with a query."""
    return quote(path, safe="/")
