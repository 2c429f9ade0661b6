"""Broadsheet's stylesheet, added to HTML builds only."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from sphinx.util.fileutil import copy_asset_file

if TYPE_CHECKING:
    from sphinx.application import Sphinx

STATIC_DIR = Path(__file__).parent / "static"
STYLESHEET = "broadsheet.css"


def add_assets(app: Sphinx) -> None:
    """Link the stylesheet from HTML pages; other builders get nothing."""
    if app.builder.format == "html":
        app.add_css_file(STYLESHEET)


def copy_assets(app: Sphinx, exception: Exception | None) -> None:
    """Copy the stylesheet into ``_static``.

    Copied here rather than by appending to ``html_static_path``, which would change the
    pickled configuration and make Sphinx rewrite every page on the next build.
    """
    if exception is None and app.builder.format == "html":
        copy_asset_file(STATIC_DIR / STYLESHEET, Path(app.outdir) / "_static", force=True)


def setup_assets(app: Sphinx) -> None:
    """Register the asset hooks."""
    app.connect("builder-inited", add_assets)
    app.connect("build-finished", copy_assets)
