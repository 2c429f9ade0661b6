"""Reproducible builds: with SOURCE_DATE_EPOCH set, every output file is byte-identical.

Two clean serial builds and a ``-j 2`` build of the sample publication are compared file by
file: HTML pages, tag and author pages, feeds, sitemap, PDFs, search index, static files.
No file needs an exception.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

DOCS = Path(__file__).parent.parent / "docs"


def build(out: Path, *options: str) -> dict[str, bytes]:
    env = dict(os.environ, SOURCE_DATE_EPOCH="1732000000")
    command = [sys.executable, "-m", "sphinx", "-b", "html", "-q", *options]
    command += [str(DOCS), str(out / "html"), "-d", str(out / "doctrees")]
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    html = out / "html"
    return {
        str(p.relative_to(html)): p.read_bytes() for p in sorted(html.rglob("*")) if p.is_file()
    }


def test_clean_and_parallel_builds_are_identical(tmp_path: Path) -> None:
    first = build(tmp_path / "first")
    second = build(tmp_path / "second")
    parallel = build(tmp_path / "parallel", "-j", "2")
    assert any(name.endswith(".pdf") for name in first)
    assert "feeds/atom.xml" in first
    assert first.keys() == second.keys() == parallel.keys()
    assert [name for name in first if first[name] != second[name]] == []
    assert [name for name in first if first[name] != parallel[name]] == []
