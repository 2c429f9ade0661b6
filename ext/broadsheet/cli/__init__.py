"""The ``broadsheet`` command: one console script, one subcommand per task.

Each subcommand lives in a module of this package that defines ``register(subparsers)``; the
module adds its parser and sets ``run`` (a function taking the parsed arguments and returning the
exit status) with ``parser.set_defaults(run=...)``. Runtime code (the Sphinx extension) never
imports this package.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from typing import Any

from broadsheet.cli import import_wordpress, lint, new, replies

#: Modules with a ``register(subparsers)`` function, in the order ``--help`` lists them.
SUBCOMMANDS: tuple[Any, ...] = (new, import_wordpress, replies, lint)


def build_parser() -> argparse.ArgumentParser:
    """The ``broadsheet`` parser with every subcommand."""
    parser = argparse.ArgumentParser(
        prog="broadsheet", description="Publish articles as code: Broadsheet's tools."
    )
    subparsers = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for module in SUBCOMMANDS:
        module.register(subparsers)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the subcommand named in ``argv`` and return its exit status."""
    args = build_parser().parse_args(argv)
    run: Callable[[argparse.Namespace], int] = args.run
    return run(args)


if __name__ == "__main__":
    sys.exit(main())
