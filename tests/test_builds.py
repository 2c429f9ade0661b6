"""Parallel and incremental builds give the same pages as a fresh serial build."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from sphinx.testing.util import SphinxTestApp

from conftest import read_html
from helpers import toc_entries

BuildFn = Callable[..., SphinxTestApp]


def pages(app: SphinxTestApp) -> dict[str, bytes]:
    outdir = Path(app.outdir)
    return {
        str(p.relative_to(outdir)): p.read_bytes()
        for p in sorted(outdir.rglob("*.html"))
        if p.name not in ("genindex.html", "search.html")
    }


def test_parallel_build_matches_serial(copy_root: Callable[..., Path], build: BuildFn) -> None:
    serial = build(copy_root("article"))
    parallel = build(copy_root("article", "article-j2"), parallel=2)
    assert parallel.parallel == 2
    serial_pages, parallel_pages = pages(serial), pages(parallel)
    assert serial_pages.keys() == parallel_pages.keys()
    assert any(name.startswith("articles/") for name in serial_pages)
    for name, content in serial_pages.items():
        assert parallel_pages[name] == content, f"{name} differs between -j 2 and serial"


def test_editing_a_heading_updates_the_toc(copy_root: Callable[..., Path], build: BuildFn) -> None:
    srcdir = copy_root("article")
    build(srcdir)
    article = srcdir / "articles" / "notoc.md"
    full = srcdir / "articles" / "full.md"
    full.write_text(full.read_text("utf-8").replace("## Conclusion", "## Final thoughts"), "utf-8")
    app = build(srcdir)
    entries = [text for _l, text, _t in toc_entries(read_html(app, "articles/full"))]
    assert entries[-1] == "Final thoughts with a link"
    assert "Conclusion with a link" not in entries
    assert article.exists()


def test_rebuild_without_change_rewrites_no_article(
    copy_root: Callable[..., Path], build: BuildFn
) -> None:
    srcdir = copy_root("article")
    first = build(srcdir)
    outdir = Path(first.outdir)
    before = {p: p.stat().st_mtime_ns for p in outdir.rglob("*.html")}
    second = build(srcdir)
    rewritten = sorted(
        str(p.relative_to(outdir)) for p, mtime in before.items() if p.stat().st_mtime_ns != mtime
    )
    # Sphinx always regenerates its index and search pages; no article, listing, tag or author
    # page is touched (Broadsheet writes a generated page only when it changed), nor the
    # Editions page.
    assert [p for p in rewritten if p not in ("genindex.html", "search.html")] == []
    # Listings are still whole after the no-op rebuild.
    assert len(read_html(second, "archive").select(".broadsheet-listing-item")) == 6
