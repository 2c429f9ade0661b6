"""``broadsheet new "Headline"``: start a new article with its front matter filled in.

Behind ``make article TITLE="..."``. Writes ``<docs>/articles/<slug>.md`` dated today and prints
its path; refuses to overwrite an existing article.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from pathlib import Path
from typing import Any

from broadsheet.slugs import slugify


def article_text(title: str, today: dt.date) -> str:
    """The new article's source: front matter and a skeleton to write into."""
    # JSON strings are valid YAML and escape quotes, colons and backslashes safely.
    return (
        "---\n"
        f"title: {json.dumps(title, ensure_ascii=False)}\n"
        'subtitle: ""\n'
        "authors: []\n"
        f"date: {today.isoformat()}\n"
        "tags: []\n"
        'summary: ""\n'
        "draft: true\n"
        "---\n\n"
        "Write the opening paragraph here.\n\n"
        "## First section\n\n"
        "Text.\n\n"
        "## Second section\n\n"
        "Text.\n"
    )


def register(subparsers: Any) -> None:
    """Add ``broadsheet new``."""
    parser = subparsers.add_parser(
        "new", help="start a new article", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument("title", help="the article's headline")
    parser.add_argument("--docs", default="docs", help="the publication's source folder")
    parser.add_argument("--date", help="publication date (ISO), default today")
    parser.set_defaults(run=run, parser=parser)


def run(args: argparse.Namespace) -> int:
    """Write the article file and print its path."""
    title = " ".join(args.title.split())
    if not title:
        args.parser.error("the title is empty")
    today = dt.date.fromisoformat(args.date) if args.date else dt.date.today()
    path = Path(args.docs) / "articles" / f"{slugify(title)}.md"
    if path.exists():
        print(f"error: {path} already exists; choose another title", file=sys.stderr)
        return 1
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(article_text(title, today), encoding="utf-8")
    print(path)
    print("It is a draft: set 'draft: false' to publish it.", file=sys.stderr)
    return 0
