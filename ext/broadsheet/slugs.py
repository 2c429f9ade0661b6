"""Slugs: the ASCII file and URL names Broadsheet makes from headlines and project names."""

from __future__ import annotations

import re
import unicodedata


def slugify(title: str) -> str:
    """A lowercase ASCII file name from a headline: ``"Zoë's Plan!"`` -> ``"zoes-plan"``."""
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode("ascii")
    ascii_title = ascii_title.replace("'", "").replace("’", "")
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_title.lower()).strip("-")
    return slug[:80].rstrip("-") or "article"
