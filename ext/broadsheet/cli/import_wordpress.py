"""``broadsheet import-wordpress EXPORT.xml``: bring a WordPress site's posts into a publication.

Behind ``make import WXR=export.xml``. Writes one article per post under ``<docs>/articles/``
(pages under ``<docs>/pages/`` with ``--pages``), a reply file per post with approved comments,
``redirects.json`` for the old addresses, and prints what was imported, skipped and why. Safe to
run again: articles edited since their import are kept unless ``--force`` is given.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from broadsheet.wordpress.importer import Options, import_export
from broadsheet.wordpress.wxr import WxrError


def register(subparsers: Any) -> None:
    """Add ``broadsheet import-wordpress``."""
    parser = subparsers.add_parser(
        "import-wordpress",
        help="import a WordPress export (WXR) into the publication",
        description=__doc__.split("\n\n")[0],
    )
    parser.add_argument("export", type=Path, help="the export file (Tools > Export in WordPress)")
    parser.add_argument("--docs", type=Path, default=Path("docs"), help="the publication's source")
    parser.add_argument(
        "--uploads",
        type=Path,
        help="a local copy of the site's wp-content/uploads, to copy images from",
    )
    parser.add_argument(
        "--force", action="store_true", help="overwrite articles edited since their import"
    )
    parser.add_argument("--pages", action="store_true", help="import pages too")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Import, print the report; exit status 1 when the export cannot be read."""
    if args.uploads is not None and not args.uploads.is_dir():
        print(f"error: {args.uploads} is not a folder", file=sys.stderr)
        return 2
    options = Options(docs=args.docs, uploads=args.uploads, force=args.force, pages=args.pages)
    try:
        report = import_export(args.export, options)
    except WxrError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    sys.stdout.write(report.text())
    return 0
