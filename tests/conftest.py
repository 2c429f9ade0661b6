"""Shared fixtures: Sphinx's test application over the roots in ``tests/roots``, and the one
build of ``docs/`` that the tests only reading the sample publication share."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup
from sphinx.testing.util import SphinxTestApp

pytest_plugins = ("sphinx.testing.fixtures",)

ROOTS = Path(__file__).parent / "roots"

DOCS = Path(__file__).parent.parent / "docs"
#: ``make html``'s options: strict.
STRICT = ("-W", "--keep-going", "-n")
#: Every build of ``docs/`` in the suite happens on this day (2024-11-19), so they can be
#: compared byte for byte and can build on one another.
DOCS_EPOCH = "1732000000"


def sphinx_build_docs(
    out: Path, *options: str, builder: str = "html"
) -> subprocess.CompletedProcess[str]:
    """``make html``'s strict build of ``docs/`` with ``builder`` into ``out/<builder>``, its
    doctrees in ``out/doctrees`` (the layout of ``make``'s ``BUILDDIR``)."""
    command = [sys.executable, "-m", "sphinx", "-b", builder, *STRICT, "-q", *options]
    command += [str(DOCS), str(out / builder), "-d", str(out / "doctrees")]
    env = dict(os.environ, SOURCE_DATE_EPOCH=DOCS_EPOCH)
    return subprocess.run(command, env=env, capture_output=True, text=True, check=False)


@dataclass(frozen=True)
class DocsBuild:
    """The one build of ``docs/`` that every test only reading it shares."""

    root: Path
    stderr: str

    @property
    def html(self) -> Path:
        return self.root / "html"

    def copy(self, target: Path) -> Path:
        """A copy (pages and doctrees, times kept) that a test may build on incrementally."""
        shutil.copytree(self.root, target, symlinks=True)
        return target


@pytest.fixture(scope="session")
def docs_build(tmp_path_factory: pytest.TempPathFactory) -> DocsBuild:
    """``docs/`` built once per test session, strictly; tests read it and never write into it."""
    out = tmp_path_factory.mktemp("docs-build")
    result = sphinx_build_docs(out)
    assert result.returncode == 0, result.stderr
    return DocsBuild(out, result.stderr)


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
