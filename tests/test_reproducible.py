"""Reproducible builds: with SOURCE_DATE_EPOCH set, every output file is byte-identical.

The session's shared build of the sample publication, a second clean serial build and a
``-j 2`` build are compared file by file: HTML pages, tag and author pages, feeds, sitemap,
PDFs, search index, static files. No file needs an exception.
"""

from __future__ import annotations

from pathlib import Path

from conftest import DocsBuild, sphinx_build_docs


def files(html: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(html)): p.read_bytes() for p in sorted(html.rglob("*")) if p.is_file()
    }


def build(out: Path, *options: str) -> dict[str, bytes]:
    result = sphinx_build_docs(out, *options)
    assert result.returncode == 0, result.stderr
    return files(out / "html")


def test_clean_and_parallel_builds_are_identical(docs_build: DocsBuild, tmp_path: Path) -> None:
    first = files(docs_build.html)
    second = build(tmp_path / "second")
    parallel = build(tmp_path / "parallel", "-j", "2")
    assert any(name.endswith(".pdf") for name in first)
    assert "feeds/atom.xml" in first
    assert first.keys() == second.keys() == parallel.keys()
    assert [name for name in first if first[name] != second[name]] == []
    assert [name for name in first if first[name] != parallel[name]] == []
