"""The stylesheet ships with HTML builds only; the extension's metadata is true."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from sphinx.testing.util import SphinxTestApp

from broadsheet.articles import get_domain
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
def test_metadata(app: SphinxTestApp) -> None:
    import broadsheet

    extension = app.extensions["broadsheet"]
    assert extension.version == broadsheet.__version__
    assert {"myst_parser", "sphinx_copybutton"} <= app.extensions.keys()


def test_parallel_safety_is_truthful(
    copy_root: Callable[..., Path], make_app: Callable[..., SphinxTestApp]
) -> None:
    """With ``-j 2`` Sphinx reads and writes in parallel (the extension says it may), the
    articles the worker processes read reach the main process, and they are the serial build's.
    """
    serial = make_app("html", srcdir=copy_root("publication", "serial"))
    serial.build()
    app = make_app("html", srcdir=copy_root("publication", "parallel"), parallel=2)
    merged: set[str] = set()
    app.connect("env-merge-info", lambda _app, _env, docnames, _other: merged.update(docnames))
    app.build()
    assert "not safe for parallel" not in app.warning.getvalue()
    assert app.is_parallel_allowed("read")
    assert app.builder.parallel_ok  # pages written by worker processes too
    articles = get_domain(app.env).articles
    assert articles.keys() <= merged
    assert articles == get_domain(serial.env).articles
    assert get_domain(app.env).listing_docs == get_domain(serial.env).listing_docs


def test_an_environment_of_another_version_is_read_again(
    copy_root: Callable[..., Path],
    make_app: Callable[..., SphinxTestApp],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """``env_version`` is what the extension reports: bumping it makes Sphinx re-read all."""
    import broadsheet

    srcdir = copy_root("article", "env-version")

    def documents_read() -> list[str]:
        app = make_app("html", srcdir=srcdir)
        read: list[str] = []
        app.connect("env-before-read-docs", lambda _app, _env, docnames: read.extend(docnames))
        app.build()
        return read

    everything = documents_read()
    assert "articles/full" in everything
    assert documents_read() == []
    monkeypatch.setattr(broadsheet, "ENV_VERSION", broadsheet.ENV_VERSION + 1)
    assert sorted(documents_read()) == sorted(everything)
