"""Nothing unpublished is ever published: drafts, embargoes, unpublishing and retractions.

The ``lifecycle`` root holds an article of every kind. Its articles go through every step of
their lives (published, retitled, retagged, moved into the future, set back to draft, deleted,
retracted, and a scheduled one coming due to the minute); after each step an incremental build,
serial and ``-j 2``, must equal a clean build of the same sources, file for file. At the end no
file of either output holds a word of an article that is not live (PDFs read through their
text, ``objects.inv`` decompressed, ``searchindex.js`` as it is).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import zlib
from collections.abc import Callable, Iterator
from io import StringIO
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from sphinx.testing.util import SphinxTestApp

from conftest import ROOTS, pdf_text

ROOT = ROOTS / "test-lifecycle"
#: 2024-11-19T07:06:40Z: "now" for the builds, unless a step moves it.
NOW = 1732000000
#: later.md goes live at 12:00 Kyiv time (UTC+2) that day: 10:00:00Z.
LATER_INSTANT = 1732010400
#: A word of each article that is not live once every step is done, and nowhere else.
UNIQUE = {
    "draft": "zanzibarquill",
    "scheduled": "quokkaembargo",
    "deleted": "marmosetdeleted",
    "redrafted": "pangolinredraft",
    "retracted": "okapiretract",
    "moved into the future": "wombatschedule",
}


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new), "utf-8")


RETRACTION = (
    "authors: [Cy]\nretracted:\n  date: 2024-03-05\n"
    "  reason: The story relied on a source who was not who they said.\n"
)
#: (name, change to the sources, SOURCE_DATE_EPOCH of the build that follows).
STEPS: list[tuple[str, Callable[[Path], None], int]] = [
    ("publish", lambda s: edit(s / "articles/soon.md", "draft: true", "draft: false"), NOW),
    (
        "retitle",
        lambda s: edit(s / "articles/other.md", "City Budget Passed", "Budget Vote Passed"),
        NOW,
    ),
    ("retag", lambda s: edit(s / "articles/live.md", "[Harbour, City]", "[Harbour, Port]"), NOW),
    (
        "schedule",
        lambda s: edit(s / "articles/other.md", "date: 2024-02-01", "date: 2031-01-01"),
        NOW,
    ),
    (
        "redraft",
        lambda s: edit(
            s / "articles/redraft.md", "date: 2024-01-25", "date: 2024-01-25\ndraft: true"
        ),
        NOW,
    ),
    ("delete", lambda s: (s / "articles/deleted.md").unlink(), NOW),
    ("retract", lambda s: edit(s / "articles/retract.md", "authors: [Cy]\n", RETRACTION), NOW),
    ("a minute early", lambda s: None, LATER_INSTANT - 60),
    ("come due", lambda s: None, LATER_INSTANT),
]


def build(srcdir: Path, epoch: int, builder: str = "html", **kwargs: object) -> SphinxTestApp:
    """A build of ``srcdir`` at the instant ``epoch``, its output kept in ``srcdir/_build``."""
    previous = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = str(epoch)
    try:
        app = SphinxTestApp(builder, srcdir=srcdir, status=StringIO(), warning=StringIO(), **kwargs)
        try:
            app.build()
        finally:
            app.cleanup()
    finally:
        if previous is None:
            del os.environ["SOURCE_DATE_EPOCH"]
        else:
            os.environ["SOURCE_DATE_EPOCH"] = previous
    # Sphinx notes when another test application in this process set up the extension first.
    warnings = [
        line
        for line in app.warning.getvalue().splitlines()
        if line and "while setting up extension" not in line
    ]
    assert warnings == []
    return app


def files(outdir: Path) -> dict[str, bytes]:
    return {str(p.relative_to(outdir)): p.read_bytes() for p in outdir.rglob("*") if p.is_file()}


def readable_text(path: Path) -> str:
    """What a reader or a crawler can get out of ``path``."""
    if path.suffix == ".pdf":
        return pdf_text(path)
    data = path.read_bytes()
    if path.name == "objects.inv":
        header_lines = 4
        body = data.split(b"\n", header_lines)[header_lines]
        data = data[: len(data) - len(body)] + zlib.decompress(body)
    return data.decode("utf-8", "replace")


def traces(outdir: Path, words: Iterator[str] | list[str]) -> list[tuple[str, str]]:
    """(file, word) for every file of ``outdir`` holding one of ``words``."""
    wanted = [w.casefold() for w in words]
    found = []
    for path in sorted(p for p in outdir.rglob("*") if p.is_file()):
        text = readable_text(path).casefold()
        found += [(str(path.relative_to(outdir)), w) for w in wanted if w in text]
    return found


def sources_only(srcdir: Path, target: Path) -> Path:
    shutil.copytree(srcdir, target, ignore=shutil.ignore_patterns("_build"))
    return target


@pytest.fixture(scope="module")
def lifecycle(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Two copies of the root taken through every step, built serially and with ``-j 2``
    after each; each compared with a clean build of the same sources. Returns the outputs."""
    base = tmp_path_factory.mktemp("lifecycle")
    serial = sources_only(ROOT, base / "serial")
    parallel = sources_only(ROOT, base / "parallel")
    build(serial, NOW)
    build(parallel, NOW, parallel=2)
    for name, change, epoch in STEPS:
        change(serial)
        change(parallel)
        incremental = files(Path(build(serial, epoch).outdir))
        incremental_j2 = files(Path(build(parallel, epoch, parallel=2).outdir))
        clean_src = sources_only(serial, base / f"clean-{name.replace(' ', '-')}")
        clean = files(Path(build(clean_src, epoch).outdir))
        assert sorted(incremental) == sorted(clean), f"after {name} (serial): files differ"
        assert sorted(incremental_j2) == sorted(clean), f"after {name} (-j 2): files differ"
        differing = [p for p in clean if incremental[p] != clean[p]]
        assert differing == [], f"after {name} (serial): {differing}"
        differing = [p for p in clean if incremental_j2[p] != clean[p]]
        assert differing == [], f"after {name} (-j 2): {differing}"
    return {"serial": serial / "_build" / "html", "parallel": parallel / "_build" / "html"}


def test_incremental_builds_equal_clean_builds_after_every_step(
    lifecycle: dict[str, Path],
) -> None:
    # The fixture compares every step; here, the final state is what the steps say it is.
    outdir = lifecycle["serial"]
    articles = sorted(p.stem for p in (outdir / "articles").glob("*.html"))
    assert articles == ["later", "live", "retract", "soon"]
    assert sorted(p.stem for p in (outdir / "pdf" / "articles").glob("*.pdf")) == [
        "later",
        "live",
        "soon",
    ]
    images = sorted(p.name for p in (outdir / "_images").glob("*.png"))
    assert images == ["shared.png"]  # only-deleted.png and only-retracted.png went with them
    # The copies made for sharing (lead images) of the deleted and retracted articles went too.
    assert len(list((outdir / "_images" / "broadsheet").iterdir())) == 1


@pytest.mark.parametrize("kind", ["serial", "parallel"])
def test_no_file_holds_a_word_of_an_article_that_is_not_live(
    lifecycle: dict[str, Path], kind: str
) -> None:
    outdir = lifecycle[kind]
    kinds = {p.suffix for p in outdir.rglob("*") if p.is_file()}
    assert {".html", ".pdf", ".js", ".inv", ".xml", ".txt"} <= kinds
    assert traces(outdir, list(UNIQUE.values())) == []
    # Nothing of the build's caches is published: doctrees, PDF sources, feed bodies.
    assert not [p for p in outdir.rglob("*") if p.suffix in (".doctree", ".pickle", ".typ")]


def test_links_to_articles_not_live_are_plain_text(lifecycle: dict[str, Path]) -> None:
    soup = BeautifulSoup(
        (lifecycle["serial"] / "articles/live.html").read_text("utf-8"), "html.parser"
    )
    hrefs = [a.get("href", "") for a in soup.find_all("a")]
    assert not [h for h in hrefs if re.search(r"(draft|scheduled|redraft)\.html", h)]
    texts = [s.get_text() for s in soup.select(".broadsheet-unpublished-link")]
    # An implicit link would show the title: it shows a neutral phrase instead.
    assert texts == ["an unpublished article", "the embargoed story", "the other one"]


def test_a_retracted_article_is_a_notice_at_the_same_address(lifecycle: dict[str, Path]) -> None:
    outdir = lifecycle["serial"]
    page = BeautifulSoup((outdir / "articles/retract.html").read_text("utf-8"), "html.parser")
    assert page.find("h1").get_text().rstrip("¶") == "Council Story Withdrawn Later"
    notice = page.select_one(".broadsheet-retraction")
    assert notice is not None
    assert " ".join(notice.get_text().split()) == (
        "Retracted on March 5, 2024: The story relied on a source who was not who they said."
    )
    assert page.select(".broadsheet-pdf, .broadsheet-replies, .broadsheet-reading, img") == []
    assert not (outdir / "_sources/articles/retract.md.txt").exists()
    assert not (outdir / "pdf/articles/retract.pdf").exists()
    index = (outdir / "index.html").read_text("utf-8")
    assert "Council Story Withdrawn Later" not in index
    assert "Council Story Withdrawn Later" not in pdf_text(outdir / "pdf/lifecycle-ledger.pdf")
    feed = (outdir / "feeds/atom.xml").read_text("utf-8")
    assert "<title>Retracted: Council Story Withdrawn Later</title>" in feed
    assert "relied on a source" in feed


def test_typst_builder_leaves_no_trace(tmp_path: Path) -> None:
    srcdir = sources_only(ROOT, tmp_path / "typst")
    first = build(srcdir, NOW, "typst")
    outdir = Path(first.outdir)
    assert (outdir / "articles" / "deleted.pdf").exists()
    for _name, change, _epoch in STEPS[3:7]:  # schedule, redraft, delete, retract
        change(srcdir)
    build(srcdir, NOW, "typst")
    pdfs = sorted(str(p.relative_to(outdir)) for p in outdir.rglob("*.pdf"))
    # The editions of the months that lost their articles are gone too; the ledger's name
    # holds a copy of the latest edition.
    assert pdfs == ["articles/live.pdf", "editions/2024-03.pdf", "lifecycle-ledger.pdf"]
    assert traces(outdir, list(UNIQUE.values())) == []


@pytest.mark.parametrize(("epoch", "live"), [(LATER_INSTANT - 60, False), (LATER_INSTANT, True)])
def test_embargo_to_the_minute(tmp_path: Path, epoch: int, live: bool) -> None:
    app = build(sources_only(ROOT, tmp_path / "src"), epoch)
    assert (Path(app.outdir) / "articles/later.html").exists() is live


def test_preview_build_labels_and_noindex(tmp_path: Path) -> None:
    srcdir = sources_only(ROOT, tmp_path / "preview")
    app = build(srcdir, NOW, confoverrides={"broadsheet_show_drafts": True})
    outdir = Path(app.outdir)

    def soup(name: str) -> BeautifulSoup:
        return BeautifulSoup((outdir / name).read_text("utf-8"), "html.parser")

    assert soup("articles/draft.html").select_one(".broadsheet-draft").get_text() == "Draft"
    scheduled = soup("articles/scheduled.html").select_one(".broadsheet-draft").get_text()
    # 18:00 UTC is 21:00 in Kyiv in June (UTC+3): shown in the publication's zone.
    assert scheduled == "Scheduled for June 1, 2030, 9:00:00\u202fPM +0300"
    assert soup("articles/live.html").select(".broadsheet-draft") == []
    labels = [t.get_text() for t in soup("index.html").select(".broadsheet-listing-title")]
    assert "Draft Zanzibarquill Draft Headline" in labels
    assert any(t.startswith("Scheduled for") and "Quokkaembargo" in t for t in labels)
    # The PDF template sets the label in capitals.
    assert "DRAFT" in pdf_text(outdir / "pdf/articles/draft.pdf")
    assert "SCHEDULED FOR JUNE 1, 2030" in pdf_text(outdir / "pdf/articles/scheduled.pdf")
    assert "DRAFT" not in pdf_text(outdir / "pdf/articles/live.pdf")
    for page in outdir.rglob("*.html"):
        robots = BeautifulSoup(page.read_text("utf-8"), "html.parser").find(
            "meta", attrs={"name": "robots"}
        )
        assert robots is not None, page
        assert robots["content"] == "noindex", page


def test_make_keeps_doctrees_out_of_the_published_folders() -> None:
    project = Path(__file__).parent.parent
    for target, published in (("html", "docs/_build/html"), ("pdf", "docs/_build/pdf")):
        dry = subprocess.run(
            ["make", "-n", target], cwd=project, capture_output=True, text=True, check=True
        ).stdout
        command = next(line for line in dry.splitlines() if "-m sphinx" in line)
        doctrees = re.search(r"-d (\S+)", command)
        assert doctrees is not None, command
        assert not doctrees[1].startswith(published), command


def test_example_workflow_builds_the_site_and_keeps_the_preview_apart(tmp_path: Path) -> None:
    """docs/about/publish-on-schedule.yml, run here with the lifecycle root as ``docs``."""
    import sys

    import yaml

    project = Path(__file__).parent.parent
    workflow = yaml.safe_load((project / "docs/about/publish-on-schedule.yml").read_text("utf-8"))
    triggers = workflow[True]  # YAML 1.1 reads the key ``on`` as true
    assert triggers["schedule"] == [{"cron": "*/15 * * * *"}]
    checkout = tmp_path / "checkout"
    sources_only(ROOT, checkout / "docs")
    env = dict(os.environ, SOURCE_DATE_EPOCH=str(NOW))
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env['PATH']}"
    published: dict[str, str] = {}
    for job in ("site", "preview"):
        for step in workflow["jobs"][job]["steps"]:
            if "-m sphinx" in step.get("run", ""):
                result = subprocess.run(
                    ["bash", "-c", step["run"]],
                    cwd=checkout,
                    env=env,
                    capture_output=True,
                    text=True,
                    check=False,
                )
                assert result.returncode == 0, result.stderr
            if "path" in step.get("with", {}):
                published[job] = step["with"]["path"]
    assert published == {"site": "_build/html", "preview": "_build/preview"}
    site, preview = checkout / published["site"], checkout / published["preview"]
    assert not (site / "articles/draft.html").exists()
    assert traces(site, [UNIQUE["draft"], UNIQUE["scheduled"]]) == []
    assert "noindex" not in (site / "index.html").read_text("utf-8")
    assert (preview / "articles/draft.html").exists()
    assert '<meta name="robots" content="noindex">' in (preview / "index.html").read_text("utf-8")
    # Neither folder holds the build's caches.
    assert not [p for p in (*site.rglob("*"), *preview.rglob("*")) if p.suffix == ".doctree"]
