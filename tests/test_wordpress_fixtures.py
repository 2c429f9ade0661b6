"""The importer against the project's own small exports, one behaviour each.

``wxr-1.0.xml`` and ``wxr-1.1.xml`` are exports in the older formats; ``quirks.xml`` holds the
reading quirks WordPress's own parser tests cover (CDATA, namespaces, repeated elements);
``flagship-original.xml`` is the flagship article as it stood on WordPress, with its debris.
``kursk-desk.xml`` (https namespace, statuses, pages) is tested in ``test_wordpress_import.py``.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup
from markdown_it import MarkdownIt
from sphinx.testing.util import SphinxTestApp

from broadsheet.cli import main
from broadsheet.lint import lint_source
from broadsheet.wordpress.importer import Options, Report, import_export
from broadsheet.wordpress.redirects import read as read_redirects
from broadsheet.wordpress.wxr import WxrError, read_items
from conftest import read_html

DATA = Path(__file__).parent / "data" / "wordpress"
FLAGSHIP = "articles/russia-diverts-troops-to-kursk"


def front(path: Path) -> dict[str, object]:
    data = yaml.safe_load(path.read_text("utf-8").split("---\n")[1])
    assert isinstance(data, dict)
    return data


def body_html(path: Path) -> str:
    return MarkdownIt("commonmark").render(path.read_text("utf-8").split("---\n", 2)[2])


def run(name: str, docs: Path, **options: object) -> Report:
    return import_export(DATA / name, Options(docs=docs, **options))  # type: ignore[arg-type]


def test_wxr_1_0(tmp_path: Path) -> None:
    report = run("wxr-1.0.xml", tmp_path)
    article = tmp_path / "articles" / "shelling-near-sumy.md"
    data = front(article)
    assert data["title"] == "Shelling near Sumy"
    assert data["authors"] == ["editor"]  # no author list in 1.0: the login
    assert data["date"] == dt.datetime(2010, 6, 7, 10, 0, tzinfo=dt.UTC)
    assert data["tags"] == ["Front line", "Sumy"]  # tags in 1.0's "tag" domain, once each
    assert body_html(article).count("<p>") == 2
    reply = yaml.safe_load(
        (tmp_path / "replies" / "articles" / "shelling-near-sumy.yaml").read_text()
    )
    assert reply["replies"] == [
        {
            "id": "wp-3",
            "author": "Reader",
            "website": "http://reader.example",
            "date": "2010-06-07T11:00:00+00:00",
            "text": "Thank you for the update.",
        }
    ]
    assert not (tmp_path / "pages").exists()
    assert any("a page (pass --pages" in line for line in report.skipped)
    run("wxr-1.0.xml", tmp_path / "with-pages", pages=True)
    assert (tmp_path / "with-pages" / "pages" / "about.md").is_file()


def test_wxr_1_1_plain_permalinks(tmp_path: Path) -> None:
    run("wxr-1.1.xml", tmp_path, pages=True)
    data = front(tmp_path / "articles" / "grid-repairs.md")
    assert data["title"] == "Grid repairs – the first week"
    assert data["authors"] == ["Mykola Hrytsenko"]
    assert data["tags"] == ["Energy", "Winter"]  # "Repairs series" is a custom taxonomy's
    assert data["summary"] == "Power is back in most districts."
    # A draft's GMT date is WordPress's zero date: its local date in the site's zone (+02:00).
    draft = front(tmp_path / "articles" / "unfinished.md")
    assert draft["draft"] is True
    assert draft["date"] == dt.datetime(2011, 2, 5, 8, 0, tzinfo=dt.UTC)
    found = read_redirects(tmp_path)
    # Old addresses under the blog's /blog folder, from its root; ?p= and the guessed forms.
    assert found["/?p=21"] == "articles/grid-repairs"
    assert found["/2011/02/03/grid-repairs/"] == "articles/grid-repairs"
    assert found["/2011/02/03/grid-repairs"] == "articles/grid-repairs"
    assert found["/grid-repairs/"] == "articles/grid-repairs"
    assert found["/?page_id=5"] == "pages/contact"
    assert found["/?p=22"] == "articles/unfinished"  # the draft's own link; built once published
    assert "/unfinished/" not in found


def test_links_between_posts_follow_them(
    copy_root: Callable[..., Path], build: Callable[..., SphinxTestApp]
) -> None:
    """A link to another post of the old site (any of its addresses) leads to its article."""
    srcdir = copy_root("wordpress")
    run("wxr-1.1.xml", srcdir, pages=True)
    source = (srcdir / "pages" / "contact.md").read_text("utf-8")
    assert "[the repairs](../articles/grid-repairs.md)" in source
    assert "[by date](../articles/grid-repairs.md)" in source  # www. and no trailing slash
    assert "[a draft](http://plaindesk.example/blog/?p=22)" in source  # not published: as it was
    assert "[another site](https://elsewhere.example/blog/?p=21)" in source
    app = build(srcdir, warningiserror=True, confoverrides={"nitpicky": True})
    page = read_html(app, "pages/contact")
    hrefs = [
        a["href"]
        for a in page.select("article a, div[role=main] a")
        if a.get_text() == "the repairs"
    ]
    assert hrefs == ["../articles/grid-repairs.html"]


def test_reading_quirks(tmp_path: Path) -> None:
    items = list(read_items(DATA / "quirks.xml"))
    cdata, escaped, hijacked = items
    assert cdata.post_id == "101"  # given twice (under two prefixes): the last wins
    assert "<code>]]></code>" in cdata.content  # "]]>" split across two CDATA sections
    assert "line one and line two" in cdata.content  # sections joined
    assert escaped.post_type == "post"  # WXR 1.1 names in a 1.2 file are WordPress's
    assert escaped.content.startswith("<p>HTML written as entities: Tom &amp; Jerry</p>")
    assert escaped.content.endswith("]] >")
    assert (hijacked.post_id, hijacked.post_type) == ("", "")  # its wp: is not WordPress's
    report = run("quirks.xml", tmp_path)
    assert any("'Hijacked': no post type" in line for line in report.skipped)
    first = body_html(tmp_path / "articles" / "cdata.md")
    assert "<code>]]&gt;</code>" in first
    assert "C:\\xampp\\htdocs" in first
    assert "\\o/" in first
    second = tmp_path / "articles" / "escaped.md"
    assert front(second)["title"] == "Escaped & encoded"
    assert front(second)["authors"] == ["Ivan"]
    assert "Tom &amp; Jerry" in body_html(second)  # one "&" as a reader sees it
    assert "]] &gt;" in body_html(second)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            '<rss xmlns:wp="http://wordpress.org/export/1.2/"><channel>'
            "<wp:wxr_version>1.2</wp:wxr_version>\n<item><![CDATA[open",
            ":2: not well-formed XML (unclosed CDATA section)",
        ),
        ("<rss>\n<channel>\n<title>\x01</title></channel></rss>", ":3: not well-formed"),
        ("<rss><channel><wp:wxr_version>", ":1: not well-formed XML (unbound prefix)"),
        ("", ":1: not well-formed XML (no element found)"),
        ("<html><body>Not an export</body></html>", "not a WordPress export"),
    ],
)
def test_malformed_exports(tmp_path: Path, text: str, message: str) -> None:
    export = tmp_path / "export.xml"
    export.write_text(text, "utf-8")
    with pytest.raises(WxrError, match=re.escape(message)):
        import_export(export, Options(docs=tmp_path / "docs"))
    assert not (tmp_path / "docs").exists()


@pytest.fixture
def flagship(tmp_path: Path, copy_root: Callable[..., Path]) -> tuple[Path, Report]:
    """The flagship's WordPress original imported into the empty publication, with uploads."""
    uploads = tmp_path / "uploads" / "2024" / "08"
    uploads.mkdir(parents=True)
    (uploads / "column.png").write_bytes(DATA.joinpath("column.png").read_bytes())
    srcdir = copy_root("wordpress")
    report = import_export(
        DATA / "flagship-original.xml", Options(docs=srcdir, uploads=tmp_path / "uploads")
    )
    return srcdir, report


def test_flagship_original_imports_clean(flagship: tuple[Path, Report]) -> None:
    srcdir, report = flagship
    article = srcdir / f"{FLAGSHIP}.md"
    source = article.read_text("utf-8")
    assert lint_source(source, article.name) == []
    for debris in (
        "Table of Contents",
        "Toggle",
        "Share this",
        "Share on X",
        "Like",
        "Advertisement",
        "kurskdesk.example",
        "Leave a Reply",
        "Cancel reply",
        "Your email address",
        "Post Comment",
        "&#8217;",
        "<!--",
    ):
        assert debris not in source, debris
    html = body_html(article)
    assert "Kyiv’s gamble has costs of its own." in html
    assert "US officials have said.</p>" in html  # the share label cut off, the sentence kept
    assert "## Introduction" in source
    assert "### Strategic importance of Kursk" in source
    data = front(article)
    assert data["image"] == "images/2024/08/column.png"  # featured image, from WordPress.com
    assert "```{figure} images/2024/08/column.png" in source  # ?w=1024 variant: the same file
    notes = "\n".join(report.notes)
    for line in (
        "table of contents box removed",
        "comment form text removed (8)",
        "stray fragment at the end of a paragraph removed (4)",
        "share button text removed (2)",
        "ad label removed (1)",
        "line that is only a domain name removed (1)",
        "HTML entity shown as text decoded (1)",
        "2 comment(s) not imported",
    ):
        assert line in notes, line
    replies = yaml.safe_load((srcdir / "replies" / f"{FLAGSHIP}.yaml").read_text("utf-8"))
    threads = [(r["id"], r.get("parent")) for r in replies["replies"]]
    # Threaded by parent; the answer to a spam comment stands on its own; no trackback.
    assert threads == [
        ("wp-601", None),
        ("wp-602", "wp-601"),
        ("wp-603", "wp-602"),
        ("wp-605", None),
    ]


def test_flagship_original_lint_command(
    flagship: tuple[Path, Report], capsys: pytest.CaptureFixture[str]
) -> None:
    srcdir, _report = flagship
    assert main(["lint", "--docs", str(srcdir)]) == 0
    assert "no debris found in 1 files" in capsys.readouterr().out


def test_flagship_original_builds_strictly_with_its_redirects(
    flagship: tuple[Path, Report], build: Callable[..., SphinxTestApp]
) -> None:
    srcdir, _report = flagship
    app = build(srcdir, warningiserror=True, confoverrides={"nitpicky": True})
    assert app.statuscode == 0
    soup = read_html(app, FLAGSHIP)
    text = soup.get_text(" ")
    assert "Share this" not in text
    assert "Advertisement" not in text
    toc = soup.find(class_="broadsheet-toc")
    assert toc is not None  # Broadsheet's own table of contents replaces the plugin's box
    assert "Strategic importance of Kursk" in toc.get_text()
    out = Path(app.outdir)
    for old in ("2024/08/24/russia-diverts-troops-to-kursk", "russia-diverts-troops-to-kursk"):
        page = BeautifulSoup((out / old / "index.html").read_text("utf-8"), "html.parser")
        refresh = page.find("meta", attrs={"http-equiv": "refresh"})
        assert refresh is not None
        target = (out / old / str(refresh["content"]).split("url=")[1]).resolve()
        assert target == (out / f"{FLAGSHIP}.html").resolve()
    assert '"p=600": "articles/russia-diverts-troops-to-kursk.html"' in (
        out / "redirects-query.json"
    ).read_text("utf-8")


def test_images_stay_external_without_uploads(tmp_path: Path) -> None:
    report = run("flagship-original.xml", tmp_path)
    source = (tmp_path / f"{FLAGSHIP}.md").read_text("utf-8")
    assert "https://kurskdesk.files.wordpress.com/2024/08/column.png?w=1024" in source
    assert "2 image(s) left as external links" in "\n".join(report.notes)
