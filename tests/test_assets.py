"""The stylesheet ships with HTML builds only."""

from __future__ import annotations

from pathlib import Path

import pytest
from sphinx.testing.util import SphinxTestApp

from conftest import read_html


@pytest.mark.sphinx("html", testroot="article")
def test_html_build_links_and_ships_the_stylesheet(app: SphinxTestApp) -> None:
    app.build()
    assert (Path(app.outdir) / "_static" / "broadsheet.css").is_file()
    links = [link["href"] for link in read_html(app, "articles/full").find_all("link")]
    assert any(href.startswith("../_static/broadsheet.css") for href in links)


@pytest.mark.sphinx("latex", testroot="article")
def test_latex_build_gets_no_stylesheet(app: SphinxTestApp) -> None:
    app.build()
    assert not list(Path(app.outdir).rglob("broadsheet.css"))


@pytest.mark.sphinx("html", testroot="article")
def test_metadata_is_truthful(app: SphinxTestApp) -> None:
    import broadsheet

    extension = app.extensions["broadsheet"]
    assert extension.version == broadsheet.__version__
    assert extension.parallel_read_safe is True
    assert extension.parallel_write_safe is True
    assert {"myst_parser", "sphinx_copybutton"} <= app.extensions.keys()
