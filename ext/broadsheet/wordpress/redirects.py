"""Old WordPress addresses, kept in a map from each old path to the article's new page.

The map is ``redirects.json`` in the publication's source folder: ``{"/2024/08/24/slug/":
"articles/slug"}``, old URL paths (relative to the old site's root) to docnames. Broadsheet turns
it into redirect pages when it builds (see ``broadsheet.redirects``); a host that can serve
redirects itself can read the same file. Entries already there (from an earlier import, or
written by hand) are kept.
"""

from __future__ import annotations

import json
import urllib.parse
from collections.abc import Callable, Mapping
from pathlib import Path

from broadsheet.wordpress.wxr import Channel, Item

REDIRECTS_FILE = "redirects.json"


def old_paths(item: Item, channel: Channel, note: Callable[[str], None]) -> list[str]:
    """The old permalink path of ``item``, relative to the old site's root, if it has one."""
    if not item.link:
        return []
    link = urllib.parse.urlsplit(item.link)
    base = urllib.parse.urlsplit(channel.base_blog_url or channel.link or channel.base_site_url)
    if link.query and link.path.rstrip("/") == base.path.rstrip("/"):
        note(f"old address {item.link} is a query (?p=...): a static site cannot redirect it")
        return []
    path = link.path
    prefix = base.path.rstrip("/")
    if prefix and (path == prefix or path.startswith(prefix + "/")):
        path = path[len(prefix) :]
    path = "/" + path.lstrip("/")
    if path == "/":
        return []
    return [path]


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
