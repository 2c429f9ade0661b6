"""Old addresses keep working: ``redirects.json`` in the source folder becomes redirect pages.

The map (written by ``broadsheet import-wordpress``, or by hand) holds old URL paths, relative to
the old site's root, and the docname each now lives at::

    {"redirects": {"/2024/08/24/moscow-moves-units-north/": "articles/moscow-moves-units-north",
                   "/2024/08/24/moscow-moves-units-north": "articles/moscow-moves-units-north",
                   "/?p=30": "articles/moscow-moves-units-north"}}

HTML builds turn it into pages through Sphinx's own ``html-collect-pages`` event, so the theme
draws them and no file is written by hand:

- a path such as ``/2024/08/24/slug/`` becomes ``2024/08/24/slug/index.html``, which every static
  host serves for ``/2024/08/24/slug/`` and (redirecting to the slash) ``/2024/08/24/slug``; a
  path ending in ``.html`` becomes that file. Each page sends the reader on at once (``<meta
  http-equiv="refresh">``, plus a link for whoever has that off), names the new page as canonical
  and asks search engines not to index it;
- a query address (``/?p=30``, ``/?page_id=7``: WordPress answers them whatever its permalinks)
  reaches the front page on a static host, so the front page gets a few lines of script that
  look the query up in ``redirects-query.json``, written next to it, only when there is one.

A host that can redirect itself (nginx, Apache, Netlify) can read the same map to answer with a
301 instead; the authoring guide shows how. An entry whose page is not published (a draft, an
article dated later) is left out until it is; one whose page does not exist at all is a warning
naming ``redirects.json``. A path that is one of the publication's own pages is never replaced.
"""

from __future__ import annotations

import json
import posixpath
import re
import urllib.parse
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sphinx.util import logging

from broadsheet.translations import _, __
from broadsheet.urls import AUTHORS_DIR, FEEDS_DIR, PDF_DIR, TAGS_DIR

if TYPE_CHECKING:
    from sphinx.application import Sphinx

logger = logging.getLogger(__name__)

REDIRECTS_FILE = "redirects.json"
QUERY_MAP = "redirects-query.json"
_BUILDERS = frozenset({"html", "dirhtml"})
_SAFE_SEGMENT = re.compile(r"^[^\x00-\x1f\\<>\"|?*]+$")
#: Folders of pages Sphinx and Broadsheet make without a source: never a redirect's place.
_RESERVED = frozenset(
    {TAGS_DIR, AUTHORS_DIR, FEEDS_DIR, PDF_DIR, "_static", "_images", "_sources", "_downloads"}
    | {"genindex", "search", "py-modindex", "searchindex.js", QUERY_MAP.removesuffix(".json")}
)


def read_map(srcdir: Path) -> dict[str, str]:
    """The map in ``srcdir/redirects.json``; empty when there is none; warnings for bad entries."""
    path = srcdir / REDIRECTS_FILE
    if not path.is_file():
        return {}
    try:
        data = json.loads(path.read_text("utf-8"))
    except json.JSONDecodeError as exc:
        logger.warning(
            __("%s cannot be read: %s"),
            REDIRECTS_FILE,
            exc.msg,
            type="broadsheet",
            subtype="redirect",
            location=f"{path}:{exc.lineno}",
        )
        return {}
    except (OSError, UnicodeDecodeError) as exc:
        logger.warning(
            __("%s cannot be read: %s"), REDIRECTS_FILE, exc, type="broadsheet", subtype="redirect"
        )
        return {}
    found = data.get("redirects") if isinstance(data, dict) else None
    if not isinstance(found, dict):
        logger.warning(
            __('%s has no "redirects" mapping of old paths to docnames'),
            REDIRECTS_FILE,
            type="broadsheet",
            subtype="redirect",
            location=f"{path}:1",
        )
        return {}
    return {str(old): str(new) for old, new in found.items()}


def _line_of(path: Path, old: str) -> int:
    """The line of ``old``'s entry in the map file (1 when it cannot be told)."""
    key = json.dumps(old, ensure_ascii=False) + ":"
    for number, line in enumerate(path.read_text("utf-8").splitlines(), 1):
        if line.lstrip().startswith(key) or f" {key}" in line or f"{{{key}" in line:
            return number
    return 1


def page_name(old: str) -> str | None:
    """The redirect page's name for an old path (``/a/b/`` -> ``a/b/index``); None for a query."""
    parts = urllib.parse.urlsplit(old)
    if parts.query or parts.scheme or parts.netloc:
        return None
    path = urllib.parse.unquote(parts.path)
    segments = [s for s in path.split("/") if s]
    if not segments or any(s in (".", "..") or not _SAFE_SEGMENT.match(s) for s in segments):
        return None
    if segments[0].removesuffix(".html") in _RESERVED:
        return None
    if segments[-1].endswith(".html"):
        segments[-1] = segments[-1].removesuffix(".html")
        return "/".join(segments)
    return "/".join([*segments, "index"])


def _targets(app: Sphinx) -> Iterator[tuple[str, str]]:
    """(old path, docname) of every entry whose page is published; warnings for unknown ones."""
    env = app.env
    srcdir = Path(app.srcdir)
    path = srcdir / REDIRECTS_FILE
    for old, docname in read_map(srcdir).items():
        if docname in env.found_docs:
            yield old, docname
        elif not Path(env.doc2path(docname)).is_file():
            logger.warning(
                __("redirect from %s to %s: no such document"),
                old,
                docname,
                type="broadsheet",
                subtype="redirect",
                location=f"{path}:{_line_of(path, old)}",
            )
        # Otherwise the page exists but is not published yet: its redirects wait for it.


def collect_redirect_pages(app: Sphinx) -> Iterator[tuple[str, dict[str, Any], str]]:
    """``html-collect-pages``: one page per old path, and the query map beside the front page."""
    builder = app.builder
    if builder.name not in _BUILDERS:
        return
    # The files the publication's own pages are written to: never replaced by a redirect.
    taken = {builder.get_outfilename(docname) for docname in app.env.all_docs}  # type: ignore[attr-defined]
    written: set[str] = set()
    queries: dict[str, str] = {}
    for old, docname in sorted(_targets(app)):
        name = page_name(old)
        if name is None:
            query = urllib.parse.urlsplit(old).query
            if query:
                queries[query] = builder.get_target_uri(docname)
            continue
        outfile = builder.get_outfilename(name)  # type: ignore[attr-defined]
        if outfile in taken or outfile in written:
            continue
        written.add(outfile)
        yield name, _context(app, name, docname), "page.html"
    _write_query_map(app, queries)
    _remove_stale_pages(app, written)


def _remove_stale_pages(app: Sphinx, written: set[str]) -> None:
    """Delete the redirect pages an earlier build wrote and this one did not.

    A redirect page shows its article's title: when the article leaves the publication
    (set back to draft, deleted, moved into the future) its redirects must go with it.
    """
    record = Path(app.doctreedir) / f"broadsheet-redirects-{app.builder.name}.json"
    outdir = Path(app.outdir)
    try:
        stored = json.loads(record.read_text("utf-8"))
        previous = set(stored["pages"]) if stored.get("outdir") == str(outdir) else set()
    except (OSError, ValueError, KeyError, TypeError):
        previous = set()
    now = {str(page) for page in written}
    for stale in sorted(previous - now):
        path = Path(stale)
        if path.is_relative_to(outdir):
            path.unlink(missing_ok=True)
    record.parent.mkdir(parents=True, exist_ok=True)
    record.write_text(json.dumps({"outdir": str(outdir), "pages": sorted(now)}), "utf-8")


def _context(app: Sphinx, pagename: str, docname: str) -> dict[str, Any]:
    builder = app.builder
    uri = builder.get_relative_uri(pagename, docname)
    title = env_title(app, docname)
    meta = f'<meta http-equiv="refresh" content="0; url={_attr(uri)}">\n'
    meta += '<meta name="robots" content="noindex">\n'
    moved = _("This article has moved to")  # outside the f-string, where pybabel finds it
    context: dict[str, Any] = {
        "title": title,
        "body": (
            f"<h1>{_text(title)}</h1>\n<p>{_text(moved)} "
            f'<a href="{_attr(uri)}">{_text(title)}</a>.</p>\n'
        ),
        "metatags": meta,
        "broadsheet_redirect": uri,
    }
    if app.config.html_baseurl:
        target = builder.get_target_uri(docname)
        context["pageurl"] = posixpath.join(app.config.html_baseurl.rstrip("/") + "/", target)
    return context


def env_title(app: Sphinx, docname: str) -> str:
    """The document's title as plain text."""
    title = app.env.titles.get(docname)
    return title.astext() if title is not None else docname


def _text(value: str) -> str:
    return str(value).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _attr(value: str) -> str:
    return _text(value).replace('"', "&quot;")


def _write_query_map(app: Sphinx, queries: dict[str, str]) -> None:
    target = Path(app.outdir) / QUERY_MAP
    if not queries:
        target.unlink(missing_ok=True)
        return
    target.write_text(json.dumps(queries, sort_keys=True, indent=0) + "\n", "utf-8")


# Run on the front page only: a query WordPress understood is looked up and followed.
_QUERY_SCRIPT = """<script>
(function () {
  var q = window.location.search.replace(/^\\?/, "");
  if (!/(^|&)(p|page_id)=\\d+(&|$)/.test(q)) return;
  fetch(%(map)s).then(function (r) { return r.ok ? r.json() : {}; }).then(function (m) {
    var key = q.split("&").filter(function (s) { return /^(p|page_id)=/.test(s); })[0];
    if (m[key]) window.location.replace(new URL(m[key], new URL(%(base)s, document.baseURI)));
  }).catch(function () {});
})();
</script>
"""


def add_query_script(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    """``html-page-context``: the front page follows old query addresses, when there are any."""
    if pagename != app.config.root_doc or app.builder.name not in _BUILDERS:
        return
    if not any(urllib.parse.urlsplit(old).query for old in read_map(Path(app.srcdir))):
        return
    # From the front page's own folder back to the output's root, where the map is.
    depth = app.builder.get_target_uri(app.config.root_doc).count("/")
    base = "../" * depth or "./"
    script = _QUERY_SCRIPT % {
        "map": json.dumps(base + QUERY_MAP),
        "base": json.dumps(base),
    }
    context["metatags"] = context.get("metatags", "") + script


def setup_redirects(app: Sphinx) -> None:
    """Register the redirect pages and the front page's query lookup."""
    app.connect("html-collect-pages", collect_redirect_pages)
    app.connect("html-page-context", add_query_script)
