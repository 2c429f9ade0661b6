"""Periodic editions: one PDF per month, week or year, the Editions page, the front page's
link to the latest, and rebuilds that recompile only the edition of what changed.

The ``editions`` root has four articles: 26 August 2024, 31 August 2024 at 23:30 UTC (already
1 September in Berlin, the publication's zone), 10 September 2024 and 15 January 2025.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from pathlib import Path
from shutil import ignore_patterns

import pytest
from pypdf import PdfReader
from sphinx.errors import ConfigError
from sphinx.testing.util import SphinxTestApp

from broadsheet.slugs import docname_stem
from conftest import pdf_outline, pdf_text, read_html

BuildFn = Callable[..., SphinxTestApp]
#: 2025-02-19: after every article's date; the covers must not show this day.
EPOCH = "1740000000"
#: A word of each article's text, found nowhere else.
WORDS = {
    "august": "albatross",
    "midnight": "nightjar",
    "september": "cormorant",
    "january": "kingfisher",
}
WRITTEN = re.compile(r"broadsheet: (\d+) PDF\(s\) written")


@pytest.fixture(autouse=True)
def _epoch(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)


def pdfs(app: SphinxTestApp) -> dict[str, bytes]:
    root = Path(app.outdir) / "pdf"
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*.pdf"))}


def editions(app: SphinxTestApp) -> list[str]:
    return sorted(p.stem for p in (Path(app.outdir) / "pdf" / "editions").glob("*.pdf"))


def holders(app: SphinxTestApp, article: str) -> list[str]:
    """The editions whose text holds ``article``'s word."""
    folder = Path(app.outdir) / "pdf" / "editions"
    return [name for name in editions(app) if WORDS[article] in pdf_text(folder / f"{name}.pdf")]


def compiled(app: SphinxTestApp) -> int:
    """How many PDFs the build compiled, from its log line."""
    counts = WRITTEN.findall(app.status.getvalue())
    assert len(counts) == 1, app.status.getvalue()
    return int(counts[0])


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new), "utf-8")


def test_each_article_is_in_its_months_edition_only(
    copy_root: Callable[..., Path], build: BuildFn
) -> None:
    app = build(copy_root("editions"))
    assert editions(app) == ["2024-08", "2024-09", "2025-01"]
    assert holders(app, "august") == ["2024-08"]
    # Dated 31 August in UTC, but 1 September where the publication is.
    assert holders(app, "midnight") == ["2024-09"]
    assert holders(app, "september") == ["2024-09"]
    assert holders(app, "january") == ["2025-01"]
    folder = Path(app.outdir) / "pdf" / "editions"
    august = pdf_text(folder / "2024-08.pdf")
    # The cover names the period, not the day of the build, and counts in plural forms.
    assert august.startswith("Editions Gazette August 2024 1 article · August 26, 2024")
    assert "February 19, 2025" not in august
    september = pdf_text(folder / "2024-09.pdf")
    assert september.startswith(
        "Editions Gazette September 2024 2 articles · September 1, 2024 – September 10, 2024"
    )
    assert [t for d, t in pdf_outline(folder / "2024-09.pdf") if d == 0] == [
        "Harbour Closes Again",
        "Night Ferry Returns",
    ]
    assert PdfReader(folder / "2024-09.pdf").metadata.title == "Editions Gazette — September 2024"
    # The single file at the edition's name is the latest edition, for Read the Docs' slot.
    copy = Path(app.outdir) / "pdf" / "editions-gazette.pdf"
    assert copy.read_bytes() == (folder / "2025-01.pdf").read_bytes()


@pytest.mark.parametrize(
    ("period", "expected", "cover"),
    [
        ("week", ["2024-W35", "2024-W37", "2025-W03"], "Week 35, 2024"),
        ("year", ["2024", "2025"], "2024"),
    ],
)
def test_week_and_year_editions(
    copy_root: Callable[..., Path], build: BuildFn, period: str, expected: list[str], cover: str
) -> None:
    app = build(
        copy_root("editions", period), confoverrides={"broadsheet_pdf_edition_period": period}
    )
    assert editions(app) == expected
    # 26 August and 1 September 2024 (Berlin) are in ISO week 35, and in 2024.
    assert holders(app, "august") == holders(app, "midnight") == [expected[0]]
    assert holders(app, "january") == [expected[-1]]
    first = pdf_text(Path(app.outdir) / "pdf" / "editions" / f"{expected[0]}.pdf")
    assert first.startswith(f"Editions Gazette {cover} ")
    link = read_html(app, "index").select_one(".broadsheet-edition-pdf a")
    assert link["href"] == f"pdf/editions/{expected[-1]}.pdf"


def test_one_edition_of_everything(copy_root: Callable[..., Path], build: BuildFn) -> None:
    app = build(
        copy_root("editions", "all"), confoverrides={"broadsheet_pdf_edition_period": "all"}
    )
    outdir = Path(app.outdir)
    assert not (outdir / "pdf" / "editions").exists()
    assert sorted(pdfs(app)) == [
        "articles/august.pdf",
        "articles/january.pdf",
        "articles/midnight.pdf",
        "articles/september.pdf",
        "editions-gazette.pdf",
    ]
    text = pdf_text(outdir / "pdf" / "editions-gazette.pdf")
    assert text.startswith("Editions Gazette Complete edition 4 articles")
    assert all(word in text for word in WORDS.values())
    link = read_html(app, "index").select_one(".broadsheet-edition-pdf a")
    assert link.get_text() == "Download the whole publication (PDF)"
    assert link["href"] == "pdf/editions-gazette.pdf"


def test_each_page_of_an_edition_is_headed_with_its_article(
    copy_root: Callable[..., Path], build: BuildFn
) -> None:
    app = build(copy_root("editions"))
    reader = PdfReader(Path(app.outdir) / "pdf" / "editions" / "2024-09.pdf")
    starts = {
        reader.get_destination_page_number(item): str(item.title)
        for item in reader.outline
        if not isinstance(item, list)
    }
    assert sorted(starts.items()) == [(2, "Harbour Closes Again"), (3, "Night Ferry Returns")]
    texts = [" ".join((page.extract_text() or "").split()) for page in reader.pages]
    # The running head names the article of the page from its first page on: not the
    # contents, not the article before it (a page's header reads the state where it begins).
    for number, title in starts.items():
        assert texts[number].startswith(f"Editions Gazette {title} {title} By "), texts[number]
    # The contents page has only the publication's name above its heading.
    assert texts[1].startswith("Editions Gazette Contents Harbour Closes Again"), texts[1]


def test_editions_page_lists_them_newest_first(
    copy_root: Callable[..., Path], build: BuildFn
) -> None:
    app = build(copy_root("editions"))
    outdir = Path(app.outdir)
    page = read_html(app, "editions")
    assert page.find("h1").get_text().rstrip("¶") == "Editions"
    intro = "Each edition is one PDF of the articles published in a month."
    assert intro in page.get_text()
    rows = [li.get_text(" ", strip=True) for li in page.select(".broadsheet-editions li")]
    files = ["2025-01", "2024-09", "2024-08"]
    sizes = [round((outdir / "pdf" / "editions" / f"{f}.pdf").stat().st_size / 1024) for f in files]
    assert all(size > 1 for size in sizes)
    assert rows == [
        f"January 2025 · 1 article · {sizes[0]} KB",
        f"September 2024 · 2 articles · {sizes[1]} KB",
        f"August 2024 · 1 article · {sizes[2]} KB",
    ]
    links = [a["href"] for a in page.select(".broadsheet-editions a")]
    assert links == [f"pdf/editions/{f}.pdf" for f in files]


def test_front_page_links_the_latest_edition_and_the_editions_page(
    copy_root: Callable[..., Path], build: BuildFn
) -> None:
    app = build(copy_root("editions"))
    outdir = Path(app.outdir)
    latest, index = read_html(app, "index").select(".broadsheet-edition-pdf a")
    assert latest.get_text() == "Download the latest edition, January 2025 (PDF)"
    assert (outdir / latest["href"]).resolve() == (outdir / "pdf/editions/2025-01.pdf").resolve()
    assert latest["type"] == "application/pdf"
    assert index.get_text() == "All editions"
    assert (outdir / index["href"]).resolve() == (outdir / "editions.html").resolve()
    # The Editions page has no source; the sitemap lists it all the same.
    sitemap = (outdir / "sitemap.xml").read_text("utf-8")
    assert "<loc>https://editions.example.org/editions.html</loc>" in sitemap


def test_an_edit_recompiles_its_article_and_its_edition_only(
    copy_root: Callable[..., Path], build: BuildFn
) -> None:
    srcdir = copy_root("editions")
    app = build(srcdir)
    assert compiled(app) == 7  # four articles, three editions; the copy of the latest is copied
    root = Path(app.outdir) / "pdf"
    before = {p: p.stat().st_mtime_ns for p in root.rglob("*.pdf")}

    assert compiled(build(srcdir)) == 0
    assert {p: p.stat().st_mtime_ns for p in root.rglob("*.pdf")} == before

    edit(srcdir / "articles" / "august.md", "filed for", "filed late for")
    assert compiled(build(srcdir)) == 2
    changed = sorted(str(p.relative_to(root)) for p in before if p.stat().st_mtime_ns != before[p])
    assert changed == ["articles/august.pdf", "editions/2024-08.pdf"]
    assert "filed late for" in pdf_text(root / "editions" / "2024-08.pdf")


#: A test extension: the September article's page is written in every build (as an extension's
#: ``env-get-updated`` may ask) with a line that ``stamp.txt`` gives, so its PDF body can change
#: in a build that does not read it.
STAMPED = """
from pathlib import Path

from docutils import nodes


def updated(app, env):
    return ["articles/september"]


def stamp(app, doctree, docname):
    if docname == "articles/september":
        doctree += nodes.paragraph(text=Path(app.srcdir, "stamp.txt").read_text("utf-8"))


def setup(app):
    app.connect("env-get-updated", updated)
    app.connect("doctree-resolved", stamp, priority=100)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
"""


def test_an_edition_started_early_is_made_again_when_an_article_changes_later(
    copy_root: Callable[..., Path], build: BuildFn, tmp_path: Path
) -> None:
    # An edit starts its edition as soon as the edited article is translated, with the bodies
    # the other articles had last time. September's edition holds midnight.md (edited here)
    # and september.md, whose page is written after midnight's and whose body changes then.
    srcdir = copy_root("editions")
    (srcdir / "stamped.py").write_text(STAMPED, "utf-8")
    (srcdir / "stamp.txt").write_text("A line about a puffin.", "utf-8")
    with (srcdir / "conf.py").open("a", encoding="utf-8") as conf:
        conf.write("import os, sys\nsys.path.insert(0, os.path.dirname(__file__))\n")
        conf.write("extensions.append('stamped')\n")
    first = build(srcdir)
    edition = Path(first.outdir) / "pdf" / "editions" / "2024-09.pdf"
    assert "puffin" in pdf_text(edition)

    edit(srcdir / "articles" / "midnight.md", "nightjar", "nightjar at dusk")
    (srcdir / "stamp.txt").write_text("A line about a gannet.", "utf-8")
    app = build(srcdir)
    text = pdf_text(edition)
    assert "nightjar at dusk" in text
    assert "gannet" in text
    assert "puffin" not in text
    # midnight's PDF, september's and their edition, each once.
    assert compiled(app) == 3
    clean = build(shutil.copytree(srcdir, tmp_path / "clean", ignore=ignore_patterns("_build")))
    assert pdfs(app) == pdfs(clean)


def test_a_rebuild_that_reads_nothing_still_remakes_what_is_out_of_date(
    copy_root: Callable[..., Path], build: BuildFn
) -> None:
    # A rebuild that reads no article leaves their PDFs alone without composing their
    # sources; what it cannot trust is made again all the same.
    srcdir = copy_root("editions")
    app = build(srcdir)
    root = Path(app.outdir) / "pdf"
    work = Path(app.doctreedir) / "broadsheet-typst"
    # Another template, composing code or Typst: every PDF again.
    (work / "sources" / "maker.txt").write_text("typst 0.0.0 an older template", "utf-8")
    assert compiled(build(srcdir)) == 7
    # An article deleted: its edition is made again without it, though no article was read.
    (srcdir / "articles" / "september.md").unlink()
    assert compiled(build(srcdir)) == 1
    text = pdf_text(root / "editions" / "2024-09.pdf")
    assert "1 article" in text
    assert WORDS["september"] not in text
    assert WORDS["midnight"] in text
    # A build stopped after writing an article's new body, before compiling its PDFs.
    body = work / "bodies" / f"{docname_stem('articles/january')}.typ"
    body.write_text(body.read_text("utf-8").replace("kingfisher", "kingfisher heron"), "utf-8")
    assert compiled(build(srcdir)) == 2
    assert "kingfisher heron" in pdf_text(root / "articles" / "january.pdf")
    assert "kingfisher heron" in pdf_text(root / "editions" / "2025-01.pdf")
    assert compiled(build(srcdir)) == 0
    # A setting that shapes the PDFs but makes Sphinx read and write nothing: every PDF again.
    letter = build(srcdir, confoverrides={"broadsheet_pdf_paper": "us-letter"})
    assert compiled(letter) == 6  # three articles (september.md is gone), three editions
    width, height = PdfReader(root / "editions" / "2025-01.pdf").pages[0].mediabox.upper_right
    assert (round(float(width)), round(float(height))) == (612, 792)


def test_moving_a_date_moves_the_article(
    copy_root: Callable[..., Path], build: BuildFn, tmp_path: Path
) -> None:
    srcdir = copy_root("editions")
    build(srcdir)
    # August's only article moves to September: August's edition is gone, not left stale.
    edit(srcdir / "articles" / "august.md", "date: 2024-08-26", "date: 2024-09-02")
    app = build(srcdir)
    assert editions(app) == ["2024-09", "2025-01"]
    assert holders(app, "august") == ["2024-09"]
    assert "3 articles" in pdf_text(Path(app.outdir) / "pdf" / "editions" / "2024-09.pdf")
    # And a new latest edition: the front page, the copy and the Editions page follow.
    edit(srcdir / "articles" / "august.md", "date: 2024-09-02", "date: 2025-02-03")
    incremental = build(srcdir)
    assert editions(incremental) == ["2024-09", "2025-01", "2025-02"]
    link = read_html(incremental, "index").select_one(".broadsheet-edition-pdf a")
    assert link.get_text() == "Download the latest edition, February 2025 (PDF)"

    clean = build(shutil.copytree(srcdir, tmp_path / "clean", ignore=ignore_patterns("_build")))
    assert pdfs(incremental) == pdfs(clean)
    for page in ("index", "editions"):
        assert (Path(incremental.outdir) / f"{page}.html").read_bytes() == (
            Path(clean.outdir) / f"{page}.html"
        ).read_bytes()


def test_parallel_build_matches_serial(copy_root: Callable[..., Path], build: BuildFn) -> None:
    serial = build(copy_root("editions"))
    parallel = build(copy_root("editions", "editions-j2"), parallel=2)
    assert parallel.parallel == 2
    assert pdfs(serial) == pdfs(parallel)
    for page in ("index", "editions"):
        assert (Path(serial.outdir) / f"{page}.html").read_bytes() == (
            Path(parallel.outdir) / f"{page}.html"
        ).read_bytes()


@pytest.mark.sphinx(
    "html", testroot="editions", confoverrides={"broadsheet_pdf_edition_period": "day"}
)
def test_an_unknown_period_is_refused(make_app: object, app_params: object) -> None:
    args, kwargs = app_params  # type: ignore[misc]
    with pytest.raises(ConfigError, match="broadsheet_pdf_edition_period must be 'month'"):
        SphinxTestApp(*args, **kwargs)


def test_changing_the_period_leaves_what_a_clean_build_leaves(
    copy_root: Callable[..., Path], build: BuildFn
) -> None:
    srcdir = copy_root("editions")
    build(srcdir)
    # month -> all -> month -> all -> week, each built on the last one's output: the copy of
    # the latest edition is never taken for the single edition of everything.
    for step, period in enumerate(("all", "month", "all", "week")):
        overrides = {"broadsheet_pdf_edition_period": period}
        incremental = build(srcdir, confoverrides=overrides)
        clean = build(copy_root("editions", f"clean-{step}"), confoverrides=overrides)
        assert pdfs(incremental) == pdfs(clean), period
        for page in ("index", "editions"):
            assert (Path(incremental.outdir) / f"{page}.html").read_bytes() == (
                Path(clean.outdir) / f"{page}.html"
            ).read_bytes(), (period, page)
    assert editions(incremental) == ["2024-W35", "2024-W37", "2025-W03"]


def files(app: SphinxTestApp) -> set[str]:
    """Every file of the output, but Sphinx's build info (it records the configuration)."""
    outdir = Path(app.outdir)
    found = {p.relative_to(outdir).as_posix() for p in outdir.rglob("*") if p.is_file()}
    return found - {".buildinfo", ".buildinfo.bak"}


def test_pdfs_turned_off_or_renamed_leave_no_file_behind(
    copy_root: Callable[..., Path], build: BuildFn
) -> None:
    srcdir = copy_root("editions")
    before = build(srcdir)
    assert (Path(before.outdir) / "pdf" / "editions" / "2024-08.pdf").is_file()
    # The copy of the latest edition under another name: the old name goes.
    renamed = build(srcdir, confoverrides={"broadsheet_pdf_edition": "gazette.pdf"})
    assert (Path(renamed.outdir) / "pdf" / "gazette.pdf").is_file()
    assert not (Path(renamed.outdir) / "pdf" / "editions-gazette.pdf").exists()
    # Left behind, an edition would keep what is unpublished while PDFs are off.
    off = {"broadsheet_pdf": False}
    incremental = build(srcdir, confoverrides=off)
    outdir = Path(incremental.outdir)
    assert not (outdir / "pdf").exists()
    assert not (outdir / "editions.html").exists()
    clean = build(copy_root("editions", "clean-off"), confoverrides=off)
    assert files(incremental) == files(clean)
    # And on again: everything is back.
    again = build(srcdir)
    assert pdfs(again) == pdfs(before)
    assert (outdir / "editions.html").is_file()


def test_a_pdf_that_cannot_be_made_costs_only_itself_in_its_edition(
    copy_root: Callable[..., Path], build: BuildFn
) -> None:
    srcdir = copy_root("editions")
    # Raw Typst that does not compile, in an article of August.
    broken = "---\ndate: 2024-08-28\n---\n\n# Broken Piece\n\n```{raw} typst\n#let x = (\n```\n"
    (srcdir / "articles" / "broken.md").write_text(broken, "utf-8")
    app = build(srcdir)
    outdir = Path(app.outdir)
    assert not (outdir / "pdf" / "articles" / "broken.pdf").exists()
    assert "broken.pdf could not be made" in app.warning.getvalue()
    note = "Not in this edition, because its PDF could not be made: Broken Piece"
    august = pdf_text(outdir / "pdf" / "editions" / "2024-08.pdf")
    assert note in august
    assert WORDS["august"] in august
    for other in ("2024-09", "2025-01"):
        assert "Not in this edition" not in pdf_text(outdir / "pdf" / "editions" / f"{other}.pdf")
    page = read_html(app, "editions")
    rows = [li.get_text(" ", strip=True) for li in page.select(".broadsheet-editions li")]
    assert rows[-1].startswith("August 2024 · 1 article · ")


def test_a_page_of_the_sources_named_editions_is_kept(
    copy_root: Callable[..., Path], build: BuildFn
) -> None:
    srcdir = copy_root("editions")
    (srcdir / "editions.md").write_text("# Our editions\n\nOwnword.\n", "utf-8")
    app = build(srcdir)
    assert "editions.md:1: WARNING: this page has the address of the Editions page" in (
        app.warning.getvalue()
    )
    page = Path(app.outdir) / "editions.html"
    assert "Ownword" in page.read_text("utf-8")
    assert (Path(app.outdir) / "pdf" / "editions" / "2024-08.pdf").is_file()
    # PDFs turned off: the editions go, the page stays.
    app = build(srcdir, confoverrides={"broadsheet_pdf": False})
    assert not (Path(app.outdir) / "pdf").exists()
    assert "Ownword" in page.read_text("utf-8")
