"""The publishing lifecycle: an article that is not live is never read into the build.

Sphinx finds every source, then asks ``env-get-outdated`` handlers which documents to read.
Here each article's front matter block (only that block, cached by file size and time) says
whether it is live at the build's "now": a draft, an article dated later, or one whose date is
missing or unreadable (fail closed) is taken out of ``env.found_docs`` and of the documents to
read, and put among the removed ones if an earlier build read it. Such a document is never
read, written, indexed or copied: no page, PDF, ``_sources`` copy, search or ``objects.inv``
entry, and no listing, tag page, feed or edition can mention it, because none of them knows it.

A preview build (``broadsheet_show_drafts = True``) reads every article; the articles not live
are labelled and every page asks search engines not to index it.

Sphinx never deletes what it wrote for a document that went away, so the articles whose page
or PDF a builder wrote are recorded (under the doctree folder) and the files of those that
leave are deleted on the next build, with the images only they used.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import pickle
from collections.abc import Iterable, Set
from pathlib import Path
from typing import TYPE_CHECKING, Any

from docutils import nodes
from sphinx import addnodes
from sphinx.errors import ConfigError
from sphinx.search import js_index
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util import docname_join, logging

from broadsheet.articles import Status, get_domain, is_article, status_of
from broadsheet.dates import build_now, instant, publication_zone
from broadsheet.frontmatter import Date, Problem, parse_front_matter, split_front_matter
from broadsheet.social import IMAGES_DIR, lead_images_in_use
from broadsheet.translations import _, __
from broadsheet.typst.editions import edition_outputs
from broadsheet.urls import PDF_DIR

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.builders import Builder
    from sphinx.environment import BuildEnvironment

logger = logging.getLogger(__name__)

_SCAN_FILE = "broadsheet-frontmatter.pickle"
_SCAN_VERSION = 2
#: Front matter longer than this is not front matter a person wrote; reading stops there.
_MAX_FRONT_MATTER_LINES = 2_000


@dataclasses.dataclass(frozen=True)
class Scan:
    """What the front matter block says about an article's publication."""

    draft: bool
    date: Date | None
    problems: tuple[Problem, ...]
    date_line: int
    #: The draft flag could not be read: the article stays a draft, with a warning each build.
    draft_unclear: bool = False

    def status(self, zone: dt.tzinfo, now: dt.datetime) -> Status:
        return status_of(self.draft, instant(self.date, zone) if self.date else None, now)


def scan_front_matter(path: Path, zone: dt.tzinfo) -> Scan:
    """Read only the front matter block of the source at ``path``."""
    lines: list[str] = []
    try:
        # utf-8-sig: as Sphinx reads sources, a byte order mark (Notepad) is not text.
        with path.open(encoding="utf-8-sig", errors="replace") as source:
            for number, line in enumerate(source):
                lines.append(line.rstrip("\r\n"))
                if number and line.rstrip() in ("---", "..."):
                    break
                if not number and line.rstrip() != "---":
                    break
                if number > _MAX_FRONT_MATTER_LINES:
                    break
    except OSError as exc:
        return Scan(False, None, (Problem(__("cannot read the source: %s") % exc, 1),), 1)
    if split_front_matter(lines) is None:
        lines = lines[:1]  # no block: let the parser say so
    front, problems = parse_front_matter(lines, zone)
    return Scan(
        front.draft,
        front.date,
        tuple(problems),
        front.lines.get("date", 1),
        front.draft_unclear,
    )


class FrontMatterCache:
    """Scans of every article, kept between builds and reused while the file is unchanged."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.entries: dict[str, tuple[int, int, Scan]] = {}
        self.dirty = False
        try:
            with path.open("rb") as stored:
                version, entries = pickle.load(stored)
            if version == _SCAN_VERSION and isinstance(entries, dict):
                self.entries = entries
        except (OSError, pickle.PickleError, EOFError, ValueError, TypeError, AttributeError):
            self.dirty = True

    def scan(self, docname: str, path: Path, zone: dt.tzinfo) -> Scan:
        try:
            stat = path.stat()
            key = (stat.st_mtime_ns, stat.st_size)
        except OSError:
            key = (0, 0)
        cached = self.entries.get(docname)
        if cached is not None and cached[:2] == key:
            return cached[2]
        scan = scan_front_matter(path, zone)
        self.entries[docname] = (*key, scan)
        self.dirty = True
        return scan

    def save(self, keep: Set[str]) -> None:
        for gone in self.entries.keys() - keep:
            del self.entries[gone]
            self.dirty = True
        if not self.dirty:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        partial = self.path.with_name(f"{self.path.name}.{os.getpid()}.part")
        with partial.open("wb") as stored:
            pickle.dump((_SCAN_VERSION, self.entries), stored, pickle.HIGHEST_PROTOCOL)
        os.replace(partial, self.path)


def select_live(
    app: Sphinx, env: BuildEnvironment, added: set[str], changed: set[str], removed: set[str]
) -> list[str]:
    """Keep every article that is not live out of this build (all of them in a preview)."""
    config = app.config
    zone = publication_zone(config)
    now = build_now(zone)
    domain = get_domain(env)
    domain.data["now"] = now
    preview = bool(config.broadsheet_show_drafts)
    cache = FrontMatterCache(Path(env.doctreedir) / _SCAN_FILE)
    statuses: dict[str, Status] = {}
    articles = sorted(d for d in env.found_docs if is_article(config, d))
    for docname in articles:
        scan = cache.scan(docname, Path(env.doc2path(docname)), zone)
        statuses[docname] = scan.status(zone, now)
        if not preview and (statuses[docname] == "undated" or scan.draft_unclear):
            _warn_unpublished(docname, scan)
    cache.save(set(articles))
    previous: dict[str, Status] = domain.data.get("statuses", {})
    domain.data["statuses"] = statuses
    unpublished = {d for d, status in statuses.items() if status != "live"}
    if config.root_doc in unpublished and not preview:
        # Sphinx cannot build a site without its front page: say why in a sentence.
        raise ConfigError(
            __(
                "the front page %r is an article that is not published (a draft, scheduled "
                "or without a valid date), so there would be no site: publish it, or narrow "
                "broadsheet_articles so that it does not match the front page"
            )
            % config.root_doc
        )
    domain.data["unpublished"] = set() if preview else unpublished
    if preview:
        # A label depends on the status: read again the articles whose status changed.
        changed.update(
            d for d in env.all_docs.keys() & statuses.keys() if previous.get(d) != statuses[d]
        )
    else:
        for docname in unpublished:
            env.found_docs.discard(docname)
            added.discard(docname)
            changed.discard(docname)
            if docname in env.all_docs:
                removed.add(docname)
    domain.data["images_before"] = _images_in_use(env)
    changed.update(_renamed_images(env, removed) - removed - added)
    domain.data["downloads_before"] = _downloads_in_use(env)
    # A document that includes the source of an article reads it again when that article
    # comes or goes (see :func:`refuse_unpublished_includes`), though neither file changed.
    came_or_went = {d for d in statuses if (previous.get(d) == "live") != (statuses[d] == "live")}
    if came_or_went and not preview:
        srcdir = Path(env.srcdir)
        paths = {os.path.normpath(str(env.doc2path(d))) for d in came_or_went}
        changed.update(
            d
            for d, deps in env.dependencies.items()
            if d in env.found_docs
            and d not in came_or_went
            and not paths.isdisjoint(os.path.normpath(srcdir / dep) for dep in deps)
        )
    # Pages that link to an article must follow it in and out of the publication. They go
    # straight into ``changed`` so that the later handlers (the PDF writer's) see them too.
    touched = {d for d in added | changed | removed if is_article(config, d)}
    links: dict[str, set[str]] = domain.data.get("links", {})
    changed.update(d for d, targets in links.items() if targets & touched and d in env.found_docs)
    changed.difference_update(added)
    return []


def _warn_unpublished(docname: str, scan: Scan) -> None:
    """An article kept out for want of a valid date is never read: say why, every build."""
    for problem in scan.problems:
        logger.warning(
            problem.message,
            type="broadsheet",
            subtype="front_matter",
            location=(docname, problem.line),
        )
    if scan.draft_unclear:
        return  # the problems say which line keeps it a draft
    logger.warning(
        __("not published: the article needs a valid 'date' (such as 2024-08-24)"),
        type="broadsheet",
        subtype="unpublished",
        location=(docname, scan.date_line),
    )


def link_target(env: BuildEnvironment, node: addnodes.pending_xref) -> str:
    """The document a ``{doc}`` role or a Markdown path link points at, or ``""``."""
    target = node.get("reftarget", "")
    if node.get("refdomain") == "doc":  # myst-parser's links to documents
        return str(target)
    if node.get("refdomain") == "std" and node.get("reftype") == "doc":
        return docname_join(str(node.get("refdoc", env.docname)), str(target))
    return ""


def note_links(app: Sphinx, doctree: nodes.document) -> None:
    """Record which articles a document links to (see :func:`select_live`)."""
    env = app.env
    targets = {
        target
        for node in doctree.findall(addnodes.pending_xref)
        if (target := link_target(env, node)) and is_article(app.config, target)
    }
    if targets:
        get_domain(env).note(env.docname, "links", targets)


class UnpublishedLinks(SphinxPostTransform):
    """A link to an article that is not live becomes plain text, with no warning.

    It runs before Sphinx's and myst-parser's resolvers (priorities 10 and 9), which would
    report a missing document; an implicit link shows no title, so none leaks.
    """

    default_priority = 5

    def run(self, **kwargs: Any) -> None:
        unpublished: set[str] = get_domain(self.env).data.get("unpublished", set())
        if not unpublished:
            return
        for node in list(self.document.findall(addnodes.pending_xref)):
            target = link_target(self.env, node)
            if target not in unpublished:
                continue
            logger.info(
                __("%s: link to an article that is not published shown as text"),
                self.env.docname,
            )
            text = node.astext() if node.get("refexplicit") else _("an unpublished article")
            node.replace_self(nodes.inline(text, text, classes=["broadsheet-unpublished-link"]))


def refuse_unpublished_includes(
    app: Sphinx, relative_path: Path, parent_docname: str, content: list[str]
) -> None:
    """An ``include`` of the source of an article that is not live includes nothing.

    The article is kept out of the build by its name; its file could still be read into a
    live page by an include, so the text is withheld here, with a warning.
    """
    env = app.env
    docname = env.path2doc(str(Path(env.srcdir, relative_path)))
    if docname is None or docname not in get_domain(env).data.get("unpublished", set()):
        return
    content[0] = ""
    logger.warning(
        __("not included: %s is an article that is not published"),
        relative_path,
        type="broadsheet",
        subtype="unpublished",
        location=parent_docname,
    )


def refuse_unpublished_literals(app: Sphinx, doctree: nodes.document) -> None:
    """A ``literalinclude`` of an unpublished article's source shows a note instead."""
    env = app.env
    unpublished: set[str] = get_domain(env).data.get("unpublished", set())
    if not unpublished:
        return
    for block in list(doctree.findall(nodes.literal_block)):
        source = block.get("source")
        docname = env.path2doc(source) if source else None
        if docname is None or docname not in unpublished or docname == env.docname:
            continue
        logger.warning(
            __("not included: %s is an article that is not published"),
            docname,
            type="broadsheet",
            subtype="unpublished",
            location=block,
        )
        note = _("This passage is not published.")
        block.replace_self(nodes.paragraph(note, note))


def _renamed_images(env: BuildEnvironment, removed: Set[str]) -> set[str]:
    """The documents whose images a clean build would name otherwise once ``removed`` go.

    Sphinx copies images under unique names given in reading order (``chart.png``, then
    ``chart1.png`` for another file of the same name). When the only users of a name leave,
    the documents using other files of that name are read again, so that they take the names
    a clean build gives them (and an incremental build equals a clean one).
    """
    freed = {
        Path(filename).name
        for filename, (docnames, _unique) in env.images.items()
        if docnames and docnames <= removed
    }
    if not freed:
        return set()
    return {
        docname
        for filename, (docnames, _unique) in env.images.items()
        if Path(filename).name in freed and not docnames <= removed
        for docname in docnames
        if docname in env.found_docs
    }


def _images_in_use(env: BuildEnvironment) -> set[str]:
    """The names under ``_images`` of every image a document read so far uses."""
    return {unique for docnames, unique in env.images.values() if docnames}


def _downloads_in_use(env: BuildEnvironment) -> set[str]:
    """The paths under ``_downloads`` of every file a document read so far offers."""
    return {str(unique) for docnames, unique in env.dlfiles.values() if docnames}


def _record_path(app: Sphinx) -> Path:
    return Path(app.doctreedir) / f"broadsheet-outputs-{app.builder.name}.pickle"


def remove_unpublished_outputs(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """Delete the page, PDF, source copy and images of every article that left the build.

    A retracted article keeps its page (the notice) but loses its PDF and source copy.
    """
    builder = app.builder
    domain = get_domain(env)
    before: set[str] = domain.data.pop("images_before", set())
    downloads_before: set[str] = domain.data.pop("downloads_before", set())
    if builder.format not in ("html", "typst"):
        return []
    outdir = Path(app.outdir)
    withdrawn = {d for d, article in domain.articles.items() if article.retracted is not None}
    # A build that makes no PDF (broadsheet_pdf turned off) removes those of earlier builds:
    # an edition left behind would still hold what was unpublished since.
    makes_pdfs = builder.format == "typst" or app.config.broadsheet_pdf
    current = {
        "pages": set(domain.articles),
        "sources": set(domain.articles) - withdrawn,
        "pdfs": set(domain.articles) - withdrawn if makes_pdfs else set(),
        "editions": edition_outputs(app, domain.articles.values()),
    }
    previous: dict[str, set[str]] = {}
    record = _record_path(app)
    try:
        with record.open("rb") as stored:
            where, previous = pickle.load(stored)
        if where != str(outdir) or not isinstance(previous, dict):
            previous = {}
    except (OSError, pickle.PickleError, EOFError, ValueError, TypeError):
        previous = {}
    gone = {kind: sorted(previous.get(kind, set()) - docs) for kind, docs in current.items()}
    pdf_dir = outdir if builder.format == "typst" else outdir / PDF_DIR
    pdfs = [pdf_dir / f"{docname}.pdf" for docname in gone["pdfs"]]
    editions = [outdir / name for name in gone["editions"]]
    _unlink([*pdfs, *editions])
    for path in [*pdfs, *editions]:
        _remove_empty_folders(path.parent, outdir)
    if builder.format == "html":
        pages = [_page(builder, docname) for docname in gone["pages"]]
        copies = [p for docname in gone["sources"] for p in _source_copies(builder, docname)]
        _unlink([*pages, *copies])
        # A folder only a withdrawn article had goes too, as a clean build never makes it.
        for path in [*pages, *copies]:
            _remove_empty_folders(path.parent, outdir)
        images = outdir / getattr(builder, "imagedir", "_images")
        _unlink(images / name for name in sorted(before - _images_in_use(env)))
        downloads = outdir / "_downloads"
        for gone_download in sorted(downloads_before - _downloads_in_use(env)):
            _unlink([downloads / gone_download])
            folder = (downloads / gone_download).parent
            if folder != downloads and folder.is_dir() and not any(folder.iterdir()):
                folder.rmdir()
        leads = outdir / IMAGES_DIR
        if leads.is_dir():
            wanted = lead_images_in_use(app)
            _unlink(p for p in leads.iterdir() if f"{IMAGES_DIR}/{p.name}" not in wanted)
    record.parent.mkdir(parents=True, exist_ok=True)
    with record.open("wb") as stored:
        pickle.dump((str(outdir), current), stored, pickle.HIGHEST_PROTOCOL)
    return []


def _page(builder: Builder, docname: str) -> Path:
    """The page of ``docname`` as the HTML builders name it."""
    get_outfilename = getattr(builder, "get_outfilename", None)
    if get_outfilename is not None:
        return Path(get_outfilename(docname))
    return Path(builder.outdir) / (docname + (builder.config.html_file_suffix or ".html"))


def _source_copies(builder: Builder, docname: str) -> list[Path]:
    """Where the HTML builder copies the source of ``docname`` (under ``_sources``)."""
    config = builder.config
    sources = Path(builder.outdir) / "_sources"
    files = []
    for suffix in config.source_suffix:
        name = docname + suffix
        if suffix != config.html_sourcelink_suffix:
            name += config.html_sourcelink_suffix
        files.append(sources / name)
    return files


def _remove_empty_folders(folder: Path, outdir: Path) -> None:
    """Remove ``folder`` and its parents up to ``outdir`` while they are empty."""
    while folder != outdir and folder.is_relative_to(outdir) and folder.is_dir():
        if any(folder.iterdir()):
            return
        folder.rmdir()
        folder = folder.parent


def _unlink(paths: Iterable[Path]) -> None:
    for path in paths:
        path.unlink(missing_ok=True)


def drop_emptied_search_terms(app: Sphinx, exception: Exception | None) -> None:
    """Remove the words no page has any more from ``searchindex.js``.

    Sphinx prunes the documents that went away from its search index but keeps their words,
    each with an empty list of pages: a deleted or unpublished article's vocabulary would stay
    readable in the index, and an incremental build would differ from a clean one.
    """
    if exception is not None or app.builder.format != "html":
        return
    path = Path(app.outdir) / "searchindex.js"
    if not path.is_file():
        return
    try:
        data = js_index.loads(path.read_text("utf-8"))
    except ValueError:
        return
    emptied = False
    for key in ("terms", "titleterms"):
        terms = data.get(key)
        if isinstance(terms, dict):
            kept = {word: pages for word, pages in terms.items() if pages != []}
            emptied = emptied or len(kept) != len(terms)
            data[key] = kept
    if emptied:
        partial = path.with_name(f"{path.name}.{os.getpid()}.part")
        partial.write_text(js_index.dumps(data), "utf-8")
        os.replace(partial, path)


def withhold_source(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    """A retraction notice keeps no copy of the withdrawn text under ``_sources``."""
    article = get_domain(app.env).articles.get(pagename)
    if article is not None and article.retracted is not None:
        context["sourcename"] = ""


def robots_noindex(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    """Every page of a preview build asks search engines to keep it out of their index."""
    if app.config.broadsheet_show_drafts:
        tag = '<meta name="robots" content="noindex">\n'
        context["metatags"] = context.get("metatags", "") + tag


def setup_publishing(app: Sphinx) -> None:
    """Register the lifecycle: selection before reading, link handling, output clean-up."""
    # Before every other env-get-outdated handler, so they see the documents to be read.
    app.connect("env-get-outdated", select_live, priority=100)
    app.connect("doctree-read", note_links)
    app.connect("doctree-read", refuse_unpublished_literals)
    app.connect("include-read", refuse_unpublished_includes)
    app.add_post_transform(UnpublishedLinks)
    app.connect("env-updated", remove_unpublished_outputs)
    app.connect("html-page-context", robots_noindex)
    app.connect("html-page-context", withhold_source)
    app.connect("build-finished", drop_emptied_search_terms)
