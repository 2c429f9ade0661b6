"""``broadsheet replies``: fetch the approved replies of every article from Isso.

Behind ``make replies``. Reads the publication's configuration (``broadsheet_isso_url``, which
``--isso`` overrides, and the addresses of its pages), asks Isso for the published comments of
each article's page and brings ``<docs>/replies/<docname>.yaml`` in step
(:mod:`broadsheet.reply_sync`): new replies added, edited ones changed, deleted ones removed,
replies from elsewhere (``wp-``) kept, never an email address. Prints what changed; review the
diff, commit it, and the next build shows the replies.
"""

from __future__ import annotations

import argparse
import io
import sys
import tempfile
from pathlib import Path
from typing import Any

from sphinx.application import Sphinx
from sphinx.errors import ConfigError, SphinxError
from sphinx.util.docutils import docutils_namespace, patch_docutils

from broadsheet.articles import is_article
from broadsheet.config import check_isso_url
from broadsheet.isso import IssoError, fetch_comments
from broadsheet.replies import isso_uri
from broadsheet.reply_files import reply_file
from broadsheet.reply_sync import FileChange, ReplyFileError, entry_of, sync_file


def register(subparsers: Any) -> None:
    """Add ``broadsheet replies``."""
    parser = subparsers.add_parser(
        "replies",
        help="fetch the approved replies from Isso into the reply files",
        description=__doc__.split("\n\n")[0],
    )
    parser.add_argument("--docs", type=Path, default=Path("docs"), help="the publication's source")
    parser.add_argument("--isso", default="", help="Isso's address (default: broadsheet_isso_url)")
    parser.add_argument(
        "--builder",
        choices=("html", "dirhtml"),
        default="html",
        help="the builder the web edition is published with (its pages' addresses are the threads)",
    )
    parser.add_argument(
        "--dry-run", action="store_true", help="report what would change, write nothing"
    )
    parser.set_defaults(run=run)


def articles_and_threads(docs: Path, builder: str = "html") -> tuple[str, list[tuple[str, str]]]:
    """``broadsheet_isso_url`` and (docname, Isso thread) of every article of ``docs``.

    The publication's own configuration gives the thread of each page, exactly as the reply
    form does; nothing is read or written but the configuration.
    """
    # As sphinx-build does: the nodes and directives the extensions register are forgotten
    # afterwards, so this can run inside another program (a test) that builds with Sphinx.
    with (
        tempfile.TemporaryDirectory(prefix="broadsheet-replies-") as scratch,
        patch_docutils(str(docs)),
        docutils_namespace(),
    ):
        app = Sphinx(
            str(docs),
            str(docs),
            str(Path(scratch) / "html"),
            str(Path(scratch) / "doctrees"),
            builder,
            status=None,
            warning=io.StringIO(),
            freshenv=True,
        )
        app.env.find_files(app.config, app.builder)
        docnames = sorted(d for d in app.env.found_docs if is_article(app.config, d))
        return app.config.broadsheet_isso_url, [
            (docname, isso_uri(app.builder, docname)) for docname in docnames
        ]


def run(args: argparse.Namespace) -> int:
    """Sync every article's reply file; exit status 1 when Isso or a file could not be read."""
    try:
        configured, threads = articles_and_threads(args.docs, args.builder)
        isso = check_isso_url(args.isso or configured)
    except (ConfigError, SphinxError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if not isso:
        print(
            "error: no Isso server: set broadsheet_isso_url in conf.py or pass --isso",
            file=sys.stderr,
        )
        return 2
    changes: list[FileChange] = []
    failures = 0
    for docname, uri in threads:
        try:
            comments = fetch_comments(isso, uri)
            published = {c.id for c in comments}
            entries = [entry_of(c, published) for c in comments]
            path = reply_file(args.docs, docname)
            changes.append(sync_file(docname, path, entries, write=not args.dry_run))
        except (IssoError, ReplyFileError) as exc:
            failures += 1
            print(f"error: {docname} ({uri}): {exc}", file=sys.stderr)
            if isinstance(exc, IssoError) and failures == 1 and not changes:
                # The first thread failed: Isso is most likely down; do not ask again per article.
                print(f"error: cannot reach Isso at {isso}", file=sys.stderr)
                return 1
    sys.stdout.write(report(changes, len(threads), args.dry_run))
    return 1 if failures else 0


def report(changes: list[FileChange], articles: int, dry_run: bool) -> str:
    """What changed, one line per reply file, then a summary."""
    lines = []
    for change in changes:
        if not change.any:
            continue
        parts = [
            f"{label} {', '.join(ids)}"
            for label, ids in (
                ("added", change.added),
                ("changed", change.changed),
                ("removed", change.removed),
            )
            if ids
        ]
        if change.emails_dropped:
            parts.append(f"{change.emails_dropped} email address(es) dropped")
        lines.append(f"{change.path}: {'; '.join(parts)}")
    added = sum(len(c.added) for c in changes)
    changed = sum(len(c.changed) for c in changes)
    removed = sum(len(c.removed) for c in changes)
    files = sum(1 for c in changes if c.any)
    verb = "would change" if dry_run else "changed"
    lines.append(
        f"{articles} articles checked; {files} reply files {verb}: "
        f"{added} added, {changed} changed, {removed} removed."
    )
    if files and not dry_run:
        lines.append("Review the changes (git diff), commit them, and build.")
    return "\n".join(lines) + "\n"
