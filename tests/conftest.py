"""Shared fixtures: Sphinx's test application over the roots in ``tests/roots``."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup
from sphinx.testing.util import SphinxTestApp

pytest_plugins = ("sphinx.testing.fixtures",)

ROOTS = Path(__file__).parent / "roots"


@pytest.fixture(scope="session")
def rootdir() -> Path:
    """Where Sphinx's fixtures find ``test-<name>`` projects."""
    return ROOTS


def read_html(app: SphinxTestApp, docname: str) -> BeautifulSoup:
    """The built page of ``docname``, parsed."""
    return BeautifulSoup((Path(app.outdir) / f"{docname}.html").read_text("utf-8"), "html.parser")


@pytest.fixture
def copy_root(tmp_path: Path) -> Callable[..., Path]:
    """Copy ``tests/roots/test-<name>`` to a fresh folder that a test may edit."""

    def copy(name: str, target_name: str = "") -> Path:
        target = tmp_path / (target_name or name)
        shutil.copytree(ROOTS / f"test-{name}", target)
        return target

    return copy


@pytest.fixture
def build(make_app: Callable[..., SphinxTestApp]) -> Callable[..., SphinxTestApp]:
    """Build a project folder and return the finished application."""

    def run(srcdir: Path, buildername: str = "html", **kwargs: Any) -> SphinxTestApp:
        app = make_app(buildername, srcdir=srcdir, **kwargs)
        app.build()
        return app

    return run


def pdf_text(path: Path) -> str:
    """All text of a PDF, whitespace folded."""
    from pypdf import PdfReader

    reader = PdfReader(path)
    return " ".join(" ".join(page.extract_text() or "" for page in reader.pages).split())


def pdf_outline(path: Path) -> list[tuple[int, str]]:
    """(depth, title) of every bookmark, in order."""
    from pypdf import PdfReader

    reader = PdfReader(path)
    found: list[tuple[int, str]] = []

    def walk(items: list[Any], depth: int) -> None:
        for item in items:
            if isinstance(item, list):
                walk(item, depth + 1)
            else:
                found.append((depth, str(item.title)))

    walk(reader.outline, 0)
    return found


def pdf_uris(path: Path) -> list[str]:
    """The targets of every URI link annotation."""
    from pypdf import PdfReader

    uris = []
    for page in PdfReader(path).pages:
        for annotation in page.get("/Annots") or []:
            action = annotation.get_object().get("/A")
            if action is not None and action.get("/URI"):
                uris.append(str(action["/URI"]))
    return uris
