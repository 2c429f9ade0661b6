"""Slugs: the file and URL names Broadsheet makes from headlines, tags, authors and docnames.

Pure functions with no Sphinx import; the page and feed addresses built from them are in
:mod:`broadsheet.urls`.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

_NOT_WORD = re.compile(r"[\W_]+")
_NOT_NAME = re.compile(r"[^A-Za-z0-9_.-]+")


def slugify(title: str) -> str:
    """A lowercase ASCII file name from a headline: ``"Zoë's Plan!"`` -> ``"zoes-plan"``."""
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode("ascii")
    ascii_title = ascii_title.replace("'", "").replace("’", "")
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_title.lower()).strip("-")
    return slug[:80].rstrip("-") or "article"


def page_slug(name: str) -> str:
    """A file name for a tag or author: letters of any script kept, the rest joined by ``-``.

    Spellings that differ only in case or Unicode form share a slug (``"Kyiv"``, ``"KYIV"``);
    a name with no letter or digit at all gets a short hash of itself.
    """
    slug = _NOT_WORD.sub("-", unicodedata.normalize("NFKC", name).casefold()).strip("-")
    if slug == "index":
        # The folder's own index page (the list of every tag or author) keeps its name.
        return "index-" + hashlib.sha1(b"index").hexdigest()[:8]
    return slug or "x" + hashlib.sha1(name.encode("utf-8")).hexdigest()[:8]


def docname_stem(docname: str) -> str:
    """A flat file name unique to ``docname`` (``"articles/a b"`` -> ``"articles-a-b-<hash>"``),
    for the caches that keep one file per document in one folder."""
    digest = hashlib.sha1(docname.encode("utf-8")).hexdigest()[:6]
    return f"{_NOT_NAME.sub('-', docname).strip('-')}-{digest}"
