"""``broadsheet lint --docs DIR``: report debris left in articles, each with its file and line.

Behind ``make lint``. Which files are articles is read from the publication's ``conf.py``
(``broadsheet_articles``, default ``["articles/**"]``); ``--all`` lints every Markdown file of
the folder, and files named on the command line are linted whatever they are. The exit status is
1 when anything is found, so CI can fail on it; 2 when the folder cannot be read.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from sphinx.errors import ConfigError

from broadsheet.lint import Finding, lint_source
from broadsheet.translations import __

DEFAULT_ARTICLES = ("articles/**",)


def register(subparsers: Any) -> None:
    """Add ``broadsheet lint``."""
    parser = subparsers.add_parser(
        "lint",
        help="report debris left in articles (exit status 1 when there is any)",
        description=__doc__.split("\n\n")[0],
    )
    parser.add_argument("files", nargs="*", type=Path, help="lint only these files")
    parser.add_argument("--docs", type=Path, default=Path("docs"), help="the publication's source")
    parser.add_argument(
        "--all", action="store_true", help="every Markdown file of the folder, not only articles"
    )
    parser.set_defaults(run=run)


def article_patterns(docs: Path) -> list[str]:
    """``broadsheet_articles`` as the publication's ``conf.py`` sets it, else the default."""
    conf = docs / "conf.py"
    if not conf.is_file():
        return list(DEFAULT_ARTICLES)
    # Sphinx's own reading of conf.py, so the value is the one a build sees.
    from sphinx.config import eval_config_file
    from sphinx.util.tags import Tags

    namespace = eval_config_file(conf.resolve(), Tags())
    patterns = namespace.get("broadsheet_articles", DEFAULT_ARTICLES)
    if isinstance(patterns, str) or not all(isinstance(p, str) for p in patterns):
        return list(DEFAULT_ARTICLES)
    return list(patterns)


def source_files(docs: Path, patterns: Sequence[str] | None) -> list[Path]:
    """Markdown files under ``docs`` (build output and hidden folders left out), sorted.

    With ``patterns``, only those whose document name (path without ``.md``) matches one.
    """
    from sphinx.util.matching import Matcher

    matcher = Matcher(list(patterns)) if patterns is not None else None
    found: list[Path] = []
    for path in sorted(docs.rglob("*.md")):
        relative = path.relative_to(docs)
        if any(part.startswith((".", "_")) for part in relative.parts[:-1]):
            continue
        if matcher is None or matcher(relative.with_suffix("").as_posix()):
            found.append(path)
    return found


def lint_files(files: Sequence[Path], base: Path) -> list[Finding]:
    """Findings of every file, named relative to ``base`` when they are under it."""
    findings: list[Finding] = []
    for path in files:
        try:
            shown = path.relative_to(base).as_posix() if path.is_relative_to(base) else str(path)
        except ValueError:
            shown = str(path)
        findings += lint_source(path.read_text("utf-8"), shown)
    return findings


def run(args: argparse.Namespace) -> int:
    """Print each finding; exit status 1 when there is any."""
    docs: Path = args.docs
    if args.files:
        files = list(args.files)
    elif not docs.is_dir():
        print(__("error: %s is not a folder") % docs, file=sys.stderr)
        return 2
    else:
        try:
            patterns = None if args.all else article_patterns(docs)
        except ConfigError as exc:
            print(__("error: %s") % exc, file=sys.stderr)
            return 2
        files = source_files(docs, patterns)
    findings = lint_files(files, Path.cwd())
    for finding in findings:
        print(finding.text())
    if findings:
        shown = {finding.path for finding in findings}
        print(__("debris found: %d, in %d of %d files") % (len(findings), len(shown), len(files)))
        return 1
    print(__("no debris found in %d files") % len(files))
    return 0
