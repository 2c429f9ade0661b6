"""Old WordPress addresses, kept in a map from each old path to the article's new page.

The map is ``redirects.json`` in the publication's source folder: ``{"/2024/08/24/slug/":
"articles/slug", "/?p=30": "articles/slug", ...}``, old addresses (paths from the old site's
root, with a query for WordPress's ``?p=`` form) to docnames. Broadsheet turns it into redirect
pages when it builds (:mod:`broadsheet.redirects`); a host that can serve redirects itself can
read the same file. Entries already there (from an earlier import, or written by hand) are kept.
"""

from __future__ import annotations

import json
import urllib.parse
from collections.abc import Mapping
from pathlib import Path

from broadsheet.wordpress.wxr import Channel, Item

REDIRECTS_FILE = "redirects.json"


def _twins(path: str) -> list[str]:
    """A path with and without its trailing slash (a file name such as ``x.html`` as it is)."""
    if path == "/" or "." in path.rsplit("/", 1)[-1]:
        return [path]
    bare = path.rstrip("/")
    return [bare + "/", bare]


def site_path(url: str, channel: Channel, any_host: bool = False) -> str | None:
    """``url`` as a path from the old site's root, if it is an address of that site.

    ``/2024/08/24/slug/`` keeps its form; a query keeps only what WordPress finds a post by
    (``/?p=30``, ``/?page_id=7``). Unless ``any_host``, an address on another host is None.
    """
    link = urllib.parse.urlsplit(url.strip())
    base = urllib.parse.urlsplit(channel.base_blog_url or channel.link or channel.base_site_url)
    if link.scheme not in ("http", "https") or not link.netloc:
        return None
    host = (link.hostname or "").removeprefix("www.")
    if not any_host and host != (base.hostname or "").removeprefix("www."):
        return None
    path, prefix = link.path, base.path.rstrip("/")
    if prefix and (path == prefix or path.startswith(prefix + "/")):
        path = path[len(prefix) :]
    path = "/" + path.lstrip("/")
    if link.query:
        query = urllib.parse.parse_qs(link.query)
        for key in ("p", "page_id"):
            if query.get(key, [""])[0].isdigit():
                return f"{path}?{key}={query[key][0]}"
        return f"{path}?{link.query}"
    return path


def old_paths(item: Item, channel: Channel) -> tuple[list[str], list[str]]:
    """The old addresses of ``item``, as paths (with any query) from the old site's root.

    First the address the export gives (its permalink, with and without the trailing slash);
    then, for a published post, the ones WordPress also answers for it whatever its permalink
    structure: ``/?p=ID`` (``/?page_id=ID`` for a page), ``/YYYY/MM/DD/slug/`` and ``/slug/``.
    """
    exact: list[str] = []
    path = site_path(item.link, channel, any_host=True) if item.link else None
    if path is not None and "?" in path:
        exact.append(path)
    elif path is not None and path != "/":
        exact += _twins(path)
    guessed: list[str] = []
    if item.status == "publish" and item.post_id.isdigit():
        page = item.post_type == "page"
        guessed.append(f"/?page_id={item.post_id}" if page else f"/?p={item.post_id}")
        slug = item.post_name.strip("/")
        if slug and "/" not in slug:
            if item.date is not None and not page:
                guessed += _twins(f"/{item.date:%Y/%m/%d}/{slug}/")
            guessed += _twins(f"/{slug}/")
    return exact, [path for path in guessed if path not in exact]


def twins(path: str) -> list[str]:
    """``path`` with and without its trailing slash, for looking an address up."""
    return _twins(path) if "?" not in path else [path]


def read(docs: Path) -> dict[str, str]:
    """The map in ``docs``; empty when there is none."""
    path = docs / REDIRECTS_FILE
    if not path.is_file():
        return {}
    data = json.loads(path.read_text("utf-8"))
    found = data.get("redirects", {}) if isinstance(data, dict) else {}
    return {str(k): str(v) for k, v in found.items()}


def write(docs: Path, new: Mapping[str, str]) -> Path | None:
    """Add ``new`` to the map in ``docs``; earlier entries stay unless a path comes again."""
    if not new:
        return None
    merged = read(docs) | dict(new)
    path = docs / REDIRECTS_FILE
    data = {
        "about": "Old addresses (URL paths) and the docname of the page each now redirects to.",
        "redirects": dict(sorted(merged.items())),
    }
    path.write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n", "utf-8")
    return path
