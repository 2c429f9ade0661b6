"""``broadsheet import-wordpress``: a WordPress export becomes articles, reply files, redirects."""

from __future__ import annotations

import datetime as dt
import struct
import subprocess
import sys
import time
import tracemalloc
import zlib
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from sphinx.testing.util import SphinxTestApp

from broadsheet.frontmatter import parse_front_matter
from broadsheet.wordpress.importer import Options, import_export
from broadsheet.wordpress.redirects import read as read_redirects
from broadsheet.wordpress.wxr import WxrError, read_channel, read_items
from conftest import read_html

EXPORT = Path(__file__).parent / "data" / "wordpress" / "kursk-desk.xml"
FLAGSHIP = "articles/moscow-moves-units-north"


def tiny_png() -> bytes:
    """A valid 1x1 PNG, so the PDF edition can embed it."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\x9b\x1c\x1c")
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


def run_import(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "broadsheet.cli", "import-wordpress", *args],
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.fixture
def imported(tmp_path: Path) -> Path:
    """The sample export imported, with a local uploads folder holding one of its images."""
    uploads = tmp_path / "uploads" / "2024" / "08"
    uploads.mkdir(parents=True)
    (uploads / "convoy.png").write_bytes(tiny_png())
    docs = tmp_path / "docs"
    result = run_import(str(EXPORT), "--docs", str(docs), "--uploads", str(tmp_path / "uploads"))
    assert result.returncode == 0, result.stderr
    (tmp_path / "report.txt").write_text(result.stdout, "utf-8")
    return docs


def front(path: Path) -> dict[str, object]:
    source = path.read_text("utf-8")
    _parsed, problems = parse_front_matter(source.splitlines())
    assert problems == [], problems
    data = yaml.safe_load(source.split("---\n")[1])
    assert isinstance(data, dict)
    return data


def test_front_matter_of_a_published_post(imported: Path) -> None:
    data = front(imported / f"{FLAGSHIP}.md")
    assert data["title"] == "Moscow Moves Units North as the Border Fighting & Its Costs Grow"
    assert data["authors"] == ["Olena Marchenko"]
    assert data["date"] == dt.datetime(2024, 8, 24, 8, 30, tzinfo=dt.UTC)
    assert data["updated"] == dt.datetime(2024, 8, 26, 18, 0, tzinfo=dt.UTC)
    assert data["tags"] == ["Analysis", "Kursk", "Russia"]  # "Uncategorized" says nothing
    assert data["summary"] == "Russia is moving several battalions to the border."
    assert data["image"] == "images/2024/08/convoy.png"
    assert data["draft"] is False
    assert (imported / "articles" / "images" / "2024" / "08" / "convoy.png").is_file()


def test_statuses(imported: Path) -> None:
    drafts = ["a-draft-about-bridges", "waiting", "members-only", "internal-note"]
    for stem in drafts:
        assert front(imported / "articles" / f"{stem}.md")["draft"] is True, stem
    scheduled = front(imported / "articles" / "outlook.md")
    assert scheduled["draft"] is False
    assert scheduled["date"] == dt.datetime(2099, 1, 1, 6, 0, tzinfo=dt.UTC)
    # A draft has no GMT date: its local date is read in the zone the other posts show (+03:00).
    draft_date = front(imported / "articles" / "a-draft-about-bridges.md")["date"]
    assert draft_date == dt.datetime(2024, 9, 1, 7, 0, tzinfo=dt.UTC)
    assert not (imported / "articles" / "thrown-away.md").exists()
    assert not (imported / "pages").exists()
    report = (imported.parent / "report.txt").read_text("utf-8")
    assert "post 45 'Thrown Away': status 'trash'" in report
    assert "a page (pass --pages to import pages)" in report
    assert "password-protected: imported as a draft" in report


def test_untitled_post_and_unique_names(imported: Path) -> None:
    untitled = front(imported / "articles" / "quick-update.md")
    assert str(untitled["title"]).startswith("Shelling reported overnight")
    second = front(imported / "articles" / "quick-update-2.md")
    assert second["title"] == "Quick Update, Again"
    assert "had no title" in (imported.parent / "report.txt").read_text("utf-8")


def test_body_conversion(imported: Path) -> None:
    body = (imported / f"{FLAGSHIP}.md").read_text("utf-8").split("---\n", 2)[2]
    assert "<!--" not in body
    assert "wp:" not in body
    assert "Table of Contents" not in body
    assert "ez-toc" not in body
    assert (
        "```{figure} images/2024/08/convoy.png\n:alt: A column of trucks on a rural road\n" in body
    )
    assert "A supply column near the border" in body
    # The gallery: one image copied, the other not in the uploads and left external.
    assert "```{figure} https://borderwatch.example/news/wp-content/uploads/2024/08/bridge.png" in (
        body
    )
    assert "[https://www.youtube.com/watch?v\\=abc123](https://www.youtube.com/watch?v=abc123)" in (
        body
    )
    assert '\\[related\\_posts limit\\="3"\\]' in body  # unknown shortcode kept visible
    # A single newline in a classic post is a line break on WordPress: it stays one.
    assert "feeds the southern front.\\\nIts depots were built" in body
    assert "## Why the region matters" in body
    assert "## What comes next" in body
    report = (imported.parent / "report.txt").read_text("utf-8")
    assert "shortcode [related_posts] kept as text" in report
    assert "table of contents box removed" in report
    assert "bridge.png" in report


def test_sanitized(imported: Path) -> None:
    everything = "\n".join(p.read_text("utf-8") for p in imported.rglob("*.md"))
    everything += "\n".join(p.read_text("utf-8") for p in imported.rglob("*.yaml"))
    for bad in ("<script", "javascript:", "onclick", "steal()", "alert"):
        assert bad not in everything
    assert "Read the analysis" in everything  # the link text stays
    assert "@" not in everything.replace("\\@", "")  # no email address anywhere


def test_reply_file(imported: Path) -> None:
    data = yaml.safe_load((imported / "replies" / f"{FLAGSHIP}.yaml").read_text("utf-8"))
    replies = data["replies"]
    assert [r["id"] for r in replies] == ["wp-501", "wp-502"]
    first, second = replies
    assert first["author"] == "Taras"
    assert first["website"] == "https://taras.example/"
    assert first["date"] == "2024-08-24T11:00:00+00:00"
    assert first["text"] == (
        "Clear piece. Which battalions, though?\n\n"
        "Any sources [on the map](https://example.org/map)?"
    )
    assert second["parent"] == "wp-501"
    assert "website" not in second  # a javascript: address is not a website
    assert set(first) <= {"id", "parent", "author", "website", "date", "text"}


def test_redirect_map(imported: Path) -> None:
    """Every form of a published post's old address, and the export's own link of the others."""
    found = read_redirects(imported)
    flagship = {old for old, new in found.items() if new == FLAGSHIP}
    assert flagship == {
        "/2024/08/24/moscow-moves-units-north/",  # the permalink, under the old site's /news
        "/2024/08/24/moscow-moves-units-north",
        "/moscow-moves-units-north/",
        "/moscow-moves-units-north",
        "/?p=30",
    }
    assert found["/2099/01/01/outlook/"] == "articles/outlook"  # scheduled: its own link only
    assert "/outlook/" not in found
    assert found["/?p=40"] == "articles/a-draft-about-bridges"  # a draft's link is its ?p=
    # Two posts with one slug: the first keeps the guessed /slug/, each keeps its own link.
    assert found["/quick-update/"] == "articles/quick-update"
    assert found["/2024/08/21/quick-update-2/"] == "articles/quick-update-2"


def test_pages_only_when_asked(tmp_path: Path) -> None:
    result = run_import(str(EXPORT), "--docs", str(tmp_path), "--pages")
    assert result.returncode == 0, result.stderr
    page = (tmp_path / "pages" / "about.md").read_text("utf-8")
    assert "orphan: true" in page
    assert "We are a small team." in page


def test_running_again_keeps_edits(imported: Path) -> None:
    article = imported / f"{FLAGSHIP}.md"
    untouched = imported / "articles" / "outlook.md"
    article.write_text(article.read_text("utf-8") + "\nAn editor's addition.\n", "utf-8")
    untouched.write_text(untouched.read_text("utf-8"), "utf-8")
    again = run_import(str(EXPORT), "--docs", str(imported))
    assert again.returncode == 0, again.stderr
    assert "An editor's addition." in article.read_text("utf-8")
    assert f"{FLAGSHIP}.md <- post 30" in again.stdout.split("Skipped:")[1]
    assert "edited since it was imported (--force overwrites it)" in again.stdout
    assert "articles/outlook.md" not in again.stdout  # the same text again: left alone
    assert "imported: 0, unchanged: 8, skipped: 3" in again.stdout
    assert not (imported / "articles" / "quick-update-3.md").exists()  # same files again
    forced = run_import(str(EXPORT), "--docs", str(imported), "--force")
    assert forced.returncode == 0
    assert "An editor's addition." not in article.read_text("utf-8")


def test_file_not_written_by_the_importer_is_kept(tmp_path: Path) -> None:
    mine = tmp_path / "articles" / "outlook.md"
    mine.parent.mkdir(parents=True)
    mine.write_text("mine", "utf-8")
    result = run_import(str(EXPORT), "--docs", str(tmp_path))
    assert mine.read_text("utf-8") == "mine"
    assert "was not written by an import" in result.stdout


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("<rss><channel><wp:wxr_version>1.2", ":1: not well-formed XML"),
        (
            '<?xml version="1.0"?>\n<rss xmlns:wp="http://wordpress.org/export/1.2/">\n'
            "<channel>\n<item><title>x</titel></item></channel></rss>",
            ":4: not well-formed XML (mismatched tag)",
        ),
        (
            '<?xml version="1.0"?>\n<!DOCTYPE rss [<!ENTITY a "aaaaaaaaaa">'
            '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>\n<rss><channel>&b;</channel></rss>',
            "refused: the file declares XML entities",
        ),
        (
            "<rss><channel><title>No version</title><item/></channel></rss>",
            "not a WordPress export: no WXR version number",
        ),
    ],
)
def test_bad_exports_give_one_clear_error(tmp_path: Path, text: str, message: str) -> None:
    export = tmp_path / "export.xml"
    export.write_text(text, "utf-8")
    result = run_import(str(export), "--docs", str(tmp_path / "docs"))
    assert result.returncode == 1
    assert result.stderr.startswith(f"error: {export}")
    assert message in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "docs" / "articles").exists()


def test_http_and_https_namespaces_and_foreign_ones(tmp_path: Path) -> None:
    export = tmp_path / "export.xml"
    export.write_text(
        '<rss xmlns:wp="http://wordpress.org/export/1.0/" xmlns:fake="http://example.com/x/">'
        "<channel><wp:wxr_version>1.0</wp:wxr_version>"
        "<item><title>A</title><wp:post_id>7</wp:post_id><fake:post_type>page</fake:post_type>"
        "<wp:post_type>post</wp:post_type></item></channel></rss>",
        "utf-8",
    )
    items = list(read_items(export))
    assert [(i.post_id, i.post_type) for i in items] == [("7", "post")]
    https_items = list(read_items(EXPORT))
    assert https_items[0].post_id == "30"
    assert https_items[0].excerpt.startswith("Russia")


def big_export(path: Path, megabytes: int) -> int:
    """Write an export of about ``megabytes`` MB; return its number of posts."""
    paragraph = "<p>" + " ".join(["Troops moved along the border road at night."] * 12) + "</p>\n"
    head = (
        '<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0" '
        'xmlns:content="http://purl.org/rss/1.0/modules/content/" '
        'xmlns:wp="http://wordpress.org/export/1.2/"><channel><wp:wxr_version>1.2'
        "</wp:wxr_version><link>https://big.example/</link>\n"
    )
    count = 0
    with path.open("w", encoding="utf-8") as out:
        out.write(head)
        size = len(head)
        while size < megabytes * 1_000_000:
            count += 1
            item = (
                f"<item><title>Post {count}</title>"
                f"<link>https://big.example/2024/08/24/post-{count}/</link>"
                f"<content:encoded><![CDATA[{paragraph * 6}]]></content:encoded>"
                f"<wp:post_id>{count}</wp:post_id><wp:post_name>post-{count}</wp:post_name>"
                "<wp:post_date_gmt>2024-08-24 08:00:00</wp:post_date_gmt>"
                "<wp:status>publish</wp:status><wp:post_type>post</wp:post_type></item>\n"
            )
            out.write(item)
            size += len(item)
        out.write("</channel></rss>\n")
    return count


def test_large_export_is_streamed(tmp_path: Path) -> None:
    """A 10 MB export is read item by item: memory stays far below the file's size."""
    export = tmp_path / "big.xml"
    posts = big_export(export, 10)
    tracemalloc.start()
    started = time.perf_counter()
    channel = read_channel(export)
    seconds = time.perf_counter() - started
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert channel.counts["post"] == posts
    assert peak < 3_000_000, f"peak {peak} bytes while reading a 10 MB export"
    assert seconds < 20, f"reading took {seconds:.1f} s"


def test_import_speed(tmp_path: Path) -> None:
    """Whole import (conversion and writing included) of a 1 MB slice, timed."""
    export = tmp_path / "slice.xml"
    posts = big_export(export, 1)
    started = time.perf_counter()
    report = import_export(export, Options(docs=tmp_path / "docs"))
    seconds = time.perf_counter() - started
    assert len(report.imported) == posts
    assert seconds < 15, f"{posts} posts (1 MB) took {seconds:.1f} s"


def test_imported_publication_builds_strictly(
    copy_root: Callable[..., Path], build: Callable[..., SphinxTestApp], tmp_path: Path
) -> None:
    srcdir = copy_root("wordpress")
    uploads = tmp_path / "uploads" / "2024" / "08"
    uploads.mkdir(parents=True)
    (uploads / "convoy.png").write_bytes(tiny_png())
    report = import_export(EXPORT, Options(docs=srcdir, uploads=tmp_path / "uploads"))
    assert report.imported
    app = build(srcdir, warningiserror=True, confoverrides={"nitpicky": True})
    assert app.statuscode == 0
    soup = read_html(app, FLAGSHIP)
    assert soup.find("h1").get_text().startswith("Moscow Moves Units North")
    figure = soup.find("figure")
    assert figure is not None
    assert figure.find("img")["src"].endswith("convoy.png")
    assert "A supply column near the border" in figure.get_text()
    assert soup.find("script", string=lambda s: bool(s) and "alert" in s) is None
    index = read_html(app, "index")
    assert index.find("a", string=lambda s: bool(s) and "Moscow Moves Units" in s) is not None
    assert index.find("a", string=lambda s: bool(s) and "Members Only" in s) is None


def test_wxr_error_is_an_exception_with_the_line(tmp_path: Path) -> None:
    export = tmp_path / "e.xml"
    export.write_text("<rss>\n<channel>\n<item>\n</channel>", "utf-8")
    with pytest.raises(WxrError, match=r"e\.xml:4: not well-formed"):
        list(read_items(export))
