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
    """Ship the stylesheet with HTML builds and link it from every page.

    It is copied into ``_static`` before any page is written (rather than listed in
    ``html_static_path``, which would change the pickled configuration and make Sphinx rewrite
    every page), so Sphinx sees it and adds its ``?v=`` checksum: readers' browsers fetch a
    new stylesheet when it changes.
    """
    if app.builder.format != "html":
        return
    static = Path(app.outdir) / "_static"
    static.mkdir(parents=True, exist_ok=True)
    copy_asset_file(STATIC_DIR / STYLESHEET, static, force=True)
    app.add_css_file(STYLESHEET)


def setup_assets(app: Sphinx) -> None:
    """Register the asset hook."""
    app.connect("builder-inited", add_assets)
