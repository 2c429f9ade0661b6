"""Listings, tag pages, feeds and reading links are the same however the site is built.

A ``-j 2`` build must equal a serial one, and an incremental rebuild after each kind of edit
an editor makes must equal a fresh build of the same sources (where other blog extensions
lose or keep stale entries).
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from sphinx.testing.util import SphinxTestApp

from conftest import read_html

BuildFn = Callable[..., SphinxTestApp]
WATCHED = ("index.html", "archive.html", "filtered.html", "sitemap.xml")
WATCHED_DIRS = ("tags", "authors", "feeds", "articles")


def outputs(app: SphinxTestApp) -> dict[str, bytes]:
    """The files the publication features write, by path."""
    outdir = Path(app.outdir)
    files = {name: (outdir / name).read_bytes() for name in WATCHED}
    for folder in WATCHED_DIRS:
        for path in sorted((outdir / folder).rglob("*")):
            if path.is_file() and path.suffix in (".html", ".xml"):
                files[str(path.relative_to(outdir))] = path.read_bytes()
    return files


def sources_only(srcdir: Path, target: Path) -> Path:
    shutil.copytree(srcdir, target, ignore=shutil.ignore_patterns("_build"))
    return target


def write(path: Path, text: str) -> None:
    path.write_text(text, "utf-8")


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert old in text
    path.write_text(text.replace(old, new), "utf-8")


MUTATIONS: list[tuple[str, Callable[[Path], None]]] = [
    (
        "add",
        lambda src: write(
            src / "articles" / "a5.md",
            "---\ntitle: Fifth Story\ndate: 2024-06-01\ntags: [Beta]\nauthors: [Dan]\n---\n\n"
            "New.\n",
        ),
    ),
    (
        "edit",
        lambda src: edit(src / "articles" / "a1.md", "title: First Story", "title: First Tale"),
    ),
    ("retag", lambda src: edit(src / "articles" / "a4.md", "tags: [Gamma]", "tags: [Alpha]")),
    ("undraft", lambda src: edit(src / "articles" / "draft.md", "draft: true", "draft: false")),
    ("delete", lambda src: (src / "articles" / "a2.md").unlink()),
]


def test_parallel_build_equals_serial(copy_root: Callable[..., Path], build: BuildFn) -> None:
    serial = outputs(build(copy_root("publication", "serial")))
    parallel = outputs(build(copy_root("publication", "parallel"), parallel=2))
    assert serial.keys() == parallel.keys()
    assert [name for name in serial if serial[name] != parallel[name]] == []


def test_incremental_rebuilds_equal_fresh_builds(
    copy_root: Callable[..., Path], build: BuildFn, tmp_path: Path
) -> None:
    srcdir = copy_root("publication", "incremental")
    build(srcdir)
    for name, mutate in MUTATIONS:
        mutate(srcdir)
        incremental = outputs(build(srcdir))
        fresh = outputs(build(sources_only(srcdir, tmp_path / f"fresh-{name}")))
        # The page of a deleted article goes too (broadsheet.publishing).
        assert sorted(incremental) == sorted(fresh), name
        differing = [page for page in fresh if incremental.get(page) != fresh[page]]
        assert differing == [], f"after {name}: {differing}"


def test_rebuild_without_change_keeps_listings(
    copy_root: Callable[..., Path], build: BuildFn
) -> None:
    srcdir = copy_root("publication", "again")
    first = outputs(build(srcdir))
    app = build(srcdir)
    assert outputs(app) == first
    assert len(read_html(app, "archive").select(".broadsheet-listing-item")) == 4
    assert len(read_html(app, "tags/alpha").select(".broadsheet-listing-item")) == 2


@pytest.mark.parametrize("parallel", [0, 2])
def test_scheduled_article_appears_on_its_day(
    copy_root: Callable[..., Path], build: BuildFn, monkeypatch: pytest.MonkeyPatch, parallel: int
) -> None:
    srcdir = copy_root("publication", f"scheduled-{parallel}")
    edit(srcdir / "articles" / "future.md", "date: 2999-01-01", "date: 2030-01-01")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")  # 2023-11-14
    app = build(srcdir, parallel=parallel)
    assert "Future Story" not in read_html(app, "index").get_text()
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1900000000")  # 2030-03-17
    app = build(srcdir, parallel=parallel)
    assert (
        read_html(app, "index").select(".broadsheet-listing-title")[0].get_text() == "Future Story"
    )
    assert "Future Story" in read_html(app, "tags/alpha").get_text()


def test_a_tag_or_author_without_articles_loses_its_page_and_feed(
    copy_root: Callable[..., Path], build: BuildFn
) -> None:
    """Incremental: when the last article with a tag or by an author goes, so do their pages."""
    srcdir = copy_root("publication", "stale")
    outdir = Path(build(srcdir).outdir)
    gamma = (outdir / "tags" / "gamma.html", outdir / "feeds" / "tags" / "gamma.xml")
    cat = outdir / "authors" / "cat.html"
    assert all(path.is_file() for path in (*gamma, cat))
    # Gamma's articles are a3 and a4: a3 drops the tag, a4 (Cat's only article) is deleted.
    edit(srcdir / "articles" / "a3.md", "tags: [Beta, Gamma]", "tags: [Beta]")
    (srcdir / "articles" / "a4.md").unlink()
    app = build(srcdir)
    assert [path for path in (*gamma, cat) if path.exists()] == []
    assert "Gamma" not in read_html(app, "tags/index").get_text()
    assert "Cat" not in read_html(app, "authors/index").get_text()
    # The tags that still have articles keep their pages and feeds.
    assert (outdir / "tags" / "beta.html").is_file()
    assert (outdir / "feeds" / "tags" / "beta.xml").is_file()
