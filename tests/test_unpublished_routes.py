"""Routes by which an article that is not live could still reach the output, each closed.

The lifecycle root (see test_publishing.py) is copied and given one more way in: a draft flag
written so that it cannot be read, a file only a withdrawn article offered for download, and the
source of a draft included or shown by a live page.
"""

from __future__ import annotations

import os
from io import StringIO
from pathlib import Path

import pytest
from sphinx.testing.util import SphinxTestApp

from conftest import ROOTS

ROOT = ROOTS / "test-lifecycle"
NOW = 1732000000  # 2024-11-19T07:06:40Z
SECRET = "zebrawithheld"


def build(srcdir: Path, epoch: int = NOW) -> tuple[Path, str]:
    """Build ``srcdir`` at ``epoch``; the output folder and the warnings."""
    previous = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = str(epoch)
    try:
        app = SphinxTestApp("html", srcdir=srcdir, status=StringIO(), warning=StringIO())
        try:
            app.build()
        finally:
            app.cleanup()
    finally:
        if previous is None:
            del os.environ["SOURCE_DATE_EPOCH"]
        else:
            os.environ["SOURCE_DATE_EPOCH"] = previous
    return Path(app.outdir), app.warning.getvalue()


def holding(outdir: Path, word: str) -> list[str]:
    """The files of ``outdir`` whose bytes hold ``word`` (PDFs are off in these builds)."""
    return sorted(
        str(p.relative_to(outdir))
        for p in outdir.rglob("*")
        if p.is_file() and word.encode() in p.read_bytes()
    )


def article(srcdir: Path, name: str, front: str, body: str) -> None:
    (srcdir / "articles" / f"{name}.md").write_text(
        f"---\ntitle: {name.title()} Story\n{front}\n---\n\n{body}\n", "utf-8"
    )


@pytest.fixture
def srcdir(tmp_path: Path) -> Path:
    import shutil

    target = tmp_path / "src"
    shutil.copytree(ROOT, target, ignore=shutil.ignore_patterns("_build"))
    conf = target / "conf.py"
    conf.write_text(conf.read_text("utf-8") + "broadsheet_pdf = False\n", "utf-8")
    return target


@pytest.mark.parametrize(
    "flag",
    ['draft: "false"', 'draft: "true"', "draft: 1", "Draft: true", "status: draft", "draft: [no]"],
)
def test_an_unreadable_draft_flag_keeps_the_article_unpublished(srcdir: Path, flag: str) -> None:
    article(srcdir, "flagged", f"date: 2024-03-01\n{flag}", f"The {SECRET} plan.")
    outdir, warnings = build(srcdir)
    assert holding(outdir, SECRET) == []
    assert not (outdir / "articles/flagged.html").exists()
    located = [w for w in warnings.splitlines() if "articles/flagged.md:4" in w]
    assert located, warnings
    assert any("draft" in w for w in located), located


def test_a_download_only_a_redrafted_article_offered_goes_with_it(srcdir: Path) -> None:
    (srcdir / "articles/memo.txt").write_text(f"The {SECRET} memo.\n", "utf-8")
    article(srcdir, "merger", "date: 2024-05-01", "Read {download}`the memo <memo.txt>`.")
    outdir, _ = build(srcdir)
    assert holding(outdir, SECRET) != []  # offered while the article is live
    path = srcdir / "articles/merger.md"
    path.write_text(path.read_text("utf-8").replace("date:", "draft: true\ndate:"), "utf-8")
    outdir, _ = build(srcdir)
    assert holding(outdir, SECRET) == []
    assert not (outdir / "_downloads").exists() or not any((outdir / "_downloads").iterdir())


@pytest.mark.parametrize(
    "directive",
    [
        "```{include} articles/secret.md\n```",
        "```{literalinclude} articles/secret.md\n```",
        "```{eval-rst}\n.. include:: articles/secret.md\n```",
    ],
)
def test_the_source_of_a_draft_is_never_included(srcdir: Path, directive: str) -> None:
    article(srcdir, "secret", "date: 2024-03-01\ndraft: true", f"The {SECRET} source.")
    index = srcdir / "index.md"
    index.write_text(index.read_text("utf-8") + f"\n{directive}\n", "utf-8")
    outdir, warnings = build(srcdir)
    assert holding(outdir, SECRET) == []
    refused = [w for w in warnings.splitlines() if "not included: " in w]
    assert refused, warnings
    assert "index.md" in refused[0]


def test_a_page_including_an_article_follows_it_when_it_comes_due(srcdir: Path) -> None:
    # Due an hour after NOW; no file changes between the two builds, only the clock.
    article(srcdir, "secret", "date: 2024-11-19T08:06:40Z", f"The {SECRET} source.")
    # A page that no listing shows, so nothing else would read it again.
    notes = "---\norphan: true\n---\n\n# Notes\n\n```{include} articles/secret.md\n```\n"
    (srcdir / "notes.md").write_text(notes, "utf-8")
    outdir, _ = build(srcdir)
    assert holding(outdir, SECRET) == []
    outdir, warnings = build(srcdir, NOW + 3600)
    assert "notes.html" in holding(outdir, SECRET), warnings
    assert "articles/secret.html" in holding(outdir, SECRET)


def test_the_redirects_of_a_withdrawn_article_go_with_it(srcdir: Path) -> None:
    article(srcdir, "merger", "date: 2024-05-01", "The merger.")
    (srcdir / "redirects.json").write_text(
        '{"redirects": {"/2024/05/merger/": "articles/merger"}}', "utf-8"
    )
    outdir, _ = build(srcdir)
    assert (outdir / "2024/05/merger/index.html").is_file()
    path = srcdir / "articles/merger.md"
    path.write_text(path.read_text("utf-8").replace("date:", "draft: true\ndate:"), "utf-8")
    outdir, _ = build(srcdir)
    assert not (outdir / "2024/05/merger/index.html").exists()
    assert holding(outdir, "Merger Story") == []


def test_a_retraction_keeps_nothing_of_the_withdrawn_text(srcdir: Path) -> None:
    front = (
        "date: 2024-05-01\nsubtitle: Zebrasubtitle claims\n"
        "changes: [{date: 2024-05-02, note: Zebrachange added the name}]\n"
        "retracted: {date: 2024-06-01, reason: Wrong facts.}"
    )
    article(srcdir, "gone", front, "(zebralabel)=\n## Zebraheading\n\nZebrabody text.")
    article(srcdir, "cites", "date: 2024-07-01", "As {ref}`zebralabel` said.")
    outdir, _ = build(srcdir)
    assert (outdir / "articles/gone.html").is_file()
    for word in ("Zebraheading", "Zebrabody", "Zebrasubtitle", "Zebrachange"):
        assert holding(outdir, word) == [], word
    import zlib

    inventory = (outdir / "objects.inv").read_bytes().split(b"\n", 4)[4]
    assert b"zebralabel" not in zlib.decompress(inventory)


def test_a_byte_order_mark_does_not_hide_the_front_matter(srcdir: Path) -> None:
    path = srcdir / "articles/bom.md"
    path.write_bytes(
        b"\xef\xbb\xbf---\ntitle: Bom Story\ndate: 2024-05-02\n---\n\nSaved by Notepad.\n"
    )
    outdir, warnings = build(srcdir)
    assert (outdir / "articles/bom.html").is_file()
    assert "bom.md" not in warnings


def test_images_of_the_same_name_are_named_as_a_clean_build_names_them(
    srcdir: Path, tmp_path: Path
) -> None:
    import shutil

    for name, colour in (("a", b"A"), ("b", b"B")):
        folder = srcdir / "articles" / name
        folder.mkdir()
        shutil.copy(srcdir / "articles/shared.png", folder / "chart.png")
        with (folder / "chart.png").open("ab") as image:
            image.write(colour)  # two different files of the same name
        (folder / f"{name}.md").write_text(
            f"---\ntitle: Chart {name}\ndate: 2024-05-0{1 if name == 'a' else 2}\n---\n\n"
            f"![chart {name}](chart.png)\n",
            "utf-8",
        )
    build(srcdir)
    path = srcdir / "articles/a/a.md"
    path.write_text(path.read_text("utf-8").replace("date:", "draft: true\ndate:"), "utf-8")
    incremental, _ = build(srcdir)
    clean_src = tmp_path / "clean"
    shutil.copytree(srcdir, clean_src, ignore=shutil.ignore_patterns("_build"))
    clean, _ = build(clean_src)
    assert sorted(p.name for p in (incremental / "_images").iterdir() if p.is_file()) == sorted(
        p.name for p in (clean / "_images").iterdir() if p.is_file()
    )
    assert (incremental / "articles/b/b.html").read_bytes() == (
        clean / "articles/b/b.html"
    ).read_bytes()
    assert not (incremental / "articles/a").exists()
    assert not (incremental / "_sources/articles/a").exists()


def test_editors_html_comments_are_not_published(srcdir: Path) -> None:
    body = (
        "Story text.\n\n<!-- source: the Zebracomment at the ministry -->\n\n"
        "More text <!-- inline Zebracomment --> here.\n"
    )
    article(srcdir, "noted", "date: 2024-05-01", body)
    outdir, _ = build(srcdir)
    assert (outdir / "articles/noted.html").is_file()
    published = [p for p in holding(outdir, "Zebracomment") if not p.startswith("_sources/")]
    assert published == []
