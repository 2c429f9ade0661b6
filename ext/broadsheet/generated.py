"""Generated files (tag, author and listing pages, feeds) written only when what goes into them
changed.

A generator describes each file it would write by a *key*: a string of everything that goes
into it (the listed articles' fields, page numbers, titles). The key is hashed with what goes
into every generated file (Broadsheet's version and code, Sphinx's version, the configuration,
the templates and the global table of contents) and compared with the digest the previous
build recorded under the doctree folder. A file whose digest is unchanged and which is still
in the output is not rendered again: an HTML generator does not yield it from
``html-collect-pages``, and Sphinx leaves the file as it is. A clean build has no record and
renders everything; so does a build whose configuration Sphinx found changed. The files an
earlier build wrote and this one does not (a tag no article has any more, the pages of a
listing that shrank) are deleted, so an incremental build leaves what a clean build does.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
from pathlib import Path
from typing import TYPE_CHECKING

import sphinx
from sphinx.environment import CONFIG_OK
from sphinx.util import logging

from broadsheet.articles import get_domain
from broadsheet.translations import __

if TYPE_CHECKING:
    from collections.abc import Iterable

    from sphinx.application import Sphinx
    from sphinx.builders.html import StandaloneHTMLBuilder
    from sphinx.environment import BuildEnvironment

logger = logging.getLogger(__name__)

_PACKAGE = Path(__file__).parent
#: The domain's note that Sphinx found the configuration new or changed in this build.
_CONFIG_CHANGED = "config_changed"


@functools.cache
def _code_digest() -> str:
    """A digest of Broadsheet's own files: code, stylesheet, templates and message catalogs."""
    digest = hashlib.sha256()
    for path in sorted(_PACKAGE.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            digest.update(str(path.relative_to(_PACKAGE)).encode("utf-8"))
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def _build_digest(app: Sphinx) -> str:
    """What goes into every generated page, whatever it lists."""
    builder = app.builder
    env = app.env
    build_info = getattr(builder, "build_info", None)
    templates = getattr(builder, "templates", None)
    # Every page carries the theme's navigation, made from the global table of contents.
    toctree = sorted(
        (doc, list(included), env.titles[doc].astext() if doc in env.titles else "")
        for doc, included in env.toctree_includes.items()
    )
    titles = sorted(
        (doc, env.titles[doc].astext())
        for included in env.toctree_includes.values()
        for doc in included
        if doc in env.titles
    )
    parts = {
        # The version and ENV_VERSION are in __init__.py, one of the files digested.
        "broadsheet": _code_digest(),
        "sphinx": sphinx.__display_version__,
        "builder": builder.name,
        "config": [getattr(build_info, "config_hash", ""), getattr(build_info, "tags_hash", "")],
        "templates": templates.newest_template_mtime() if templates is not None else 0,
        "toctree": [toctree, titles],
    }
    return hashlib.sha256(json.dumps(parts, sort_keys=True).encode("utf-8")).hexdigest()


class GeneratedFiles:
    """The record of one generator's files: which to write again, which to delete.

    ``name`` names the record (``"taxonomy"``, ``"feeds"``); each generator keeps its own, so
    one that does not run in a build (feeds without ``html_baseurl``) keeps its files.
    """

    def __init__(self, app: Sphinx, name: str) -> None:
        self.outdir = Path(app.outdir)
        self._path = Path(app.doctreedir) / f"broadsheet-generated-{name}-{app.builder.name}.json"
        self._build = _build_digest(app)
        previous: dict[str, str] = {}
        try:
            stored = json.loads(self._path.read_text("utf-8"))
            if stored.get("outdir") == str(self.outdir) and isinstance(stored["files"], dict):
                previous = stored["files"]
        except (OSError, ValueError, KeyError, TypeError):
            previous = {}
        # Sphinx read everything again (a new or changed configuration): so is everything
        # generated rendered again.
        fresh = get_domain(app.env).data.get(_CONFIG_CHANGED, True)
        self._previous = {} if fresh else previous
        self._current: dict[str, str] = {}
        # The files the publication's own documents are written to are never replaced, never
        # deleted (a tag page named like a page of the sources, say): see _source_at.
        self._builder = app.builder
        self._found_docs = app.env.found_docs
        #: How many files this build renders and leaves as they are, for tests and profiles.
        self.rendered = 0
        self.kept = 0

    def wanted(self, path: str, key: str) -> bool:
        """Whether the file ``path`` (relative to the output) must be written for ``key``.

        Never when a document of the sources is written there: that page is the editor's,
        and the collision is reported on it.
        """
        docname = self._source_at(path)
        if docname is not None:
            logger.warning(
                __(
                    "this page has the address of a page Broadsheet makes (%s), which is not made: "
                    "rename the file to have both"
                ),
                path,
                type="broadsheet",
                subtype="collision",
                location=(docname, 1),
            )
            return False
        digest = hashlib.sha256(f"{self._build}\n{key}".encode()).hexdigest()
        self._current[path] = digest
        if self._previous.get(path) == digest and (self.outdir / path).is_file():
            self.kept += 1
            return False
        self.rendered += 1
        return True

    def _source_at(self, path: str) -> str | None:
        """The document of the sources written to ``path``, if any (asked of the candidates
        the file's name allows, not of every document: this runs on every build)."""
        outfile = getattr(self._builder, "get_outfilename", None)
        if outfile is None or "." not in path:
            return None
        stem = path.rsplit(".", 1)[0]
        for docname in (stem, stem.removesuffix("/index")):
            if docname in self._found_docs:
                written = Path(outfile(docname)).relative_to(self.outdir).as_posix()
                if written == path:
                    return docname
        return None

    def finish(self) -> None:
        """Delete the files the previous build wrote and this one does not; save the record."""
        for stale in sorted(set(self._previous) - set(self._current)):
            if self._source_at(stale) is not None:
                continue
            path = self.outdir / stale
            if path.resolve().is_relative_to(self.outdir.resolve()):
                path.unlink(missing_ok=True)
                _remove_empty_folders(path.parent, self.outdir)
        self._path.parent.mkdir(parents=True, exist_ok=True)
        partial = self._path.with_name(f"{self._path.name}.{os.getpid()}.part")
        record = {"outdir": str(self.outdir), "files": self._current}
        partial.write_text(json.dumps(record, sort_keys=True), "utf-8")
        os.replace(partial, self._path)


def page_file(builder: StandaloneHTMLBuilder, pagename: str) -> str:
    """The file of the page ``pagename``, relative to the output, as :meth:`wanted` takes it."""
    return Path(builder.get_outfilename(pagename)).relative_to(builder.outdir).as_posix()


def _remove_empty_folders(folder: Path, outdir: Path) -> None:
    """Remove ``folder`` and its parents up to ``outdir`` while they are empty."""
    while folder != outdir and folder.is_relative_to(outdir):
        try:
            folder.rmdir()
        except OSError:
            return  # not empty (or already gone)
        folder = folder.parent


def note_config_status(app: Sphinx, env: BuildEnvironment, docnames: Iterable[str]) -> None:
    """Keep whether Sphinx found the configuration new or changed: it forgets once it has read
    the documents, before anything is generated."""
    get_domain(env).data[_CONFIG_CHANGED] = env.config_status != CONFIG_OK


def setup_generated(app: Sphinx) -> None:
    """Register the note of the configuration's status."""
    app.connect("env-before-read-docs", note_config_status)
