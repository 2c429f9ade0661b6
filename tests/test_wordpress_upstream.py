"""WordPress's own importer test exports, read in place when a copy is at hand.

``BROADSHEET_WORDPRESS_IMPORTER`` names a checkout of the ``WordPress/wordpress-importer``
repository; its ``phpunit/data/*.xml`` and ``e2e/fixtures/*.xml`` are read where they are, never
copied into this project. Each test states the outcome WordPress's own tests expect
(``phpunit/tests/parser.php`` and ``import.php``, ``e2e/import-wxr.spec.js``) in Broadsheet's
terms. Without the variable these tests are skipped: the behaviours they cover are also covered
by the project's own small exports (``tests/test_wordpress_fixtures.py``).
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from markdown_it import MarkdownIt
from sphinx.testing.util import SphinxTestApp

from broadsheet.debris import Kind
from broadsheet.lint import lint_source
from broadsheet.wordpress.importer import Options, Report, import_export
from broadsheet.wordpress.wxr import Channel, WxrError, read_items

CHECKOUT = os.environ.get("BROADSHEET_WORDPRESS_IMPORTER", "")
pytestmark = pytest.mark.skipif(
    not CHECKOUT or not (Path(CHECKOUT) / "phpunit" / "data").is_dir(),
    reason="BROADSHEET_WORDPRESS_IMPORTER does not name a wordpress-importer checkout",
)
DATA = Path(CHECKOUT) / "phpunit" / "data"
E2E = Path(CHECKOUT) / "e2e" / "fixtures"


def front(path: Path) -> dict[str, object]:
    data = yaml.safe_load(path.read_text("utf-8").split("---\n")[1])
    assert isinstance(data, dict)
    return data


def body_html(path: Path) -> str:
    """The article body as a Markdown renderer shows it (escapes resolved)."""
    return MarkdownIt("commonmark").render(path.read_text("utf-8").split("---\n", 2)[2])


def run(export: Path, docs: Path, pages: bool = False) -> Report:
    return import_export(export, Options(docs=docs, pages=pages))


@pytest.mark.parametrize(
    ("name", "line"), [("malformed.xml", 90), ("malformed-simple.xml", 14), ("crazy-cdata.xml", 18)]
)
def test_malformed_exports_give_one_error_with_the_line(
    tmp_path: Path, name: str, line: int
) -> None:
    # crazy-cdata.xml has "]]>" unescaped inside CDATA: only WordPress's regex parser reads it.
    with pytest.raises(WxrError, match=rf"{name}:{line}: not well-formed XML"):
        run(DATA / name, tmp_path)
    assert not (tmp_path / "articles").exists()


@pytest.mark.parametrize("name", ["missing-version-tag.xml", "invalid-version-tag.xml"])
def test_no_wxr_version_is_refused(tmp_path: Path, name: str) -> None:
    with pytest.raises(WxrError, match="not a WordPress export: no WXR version number"):
        run(DATA / name, tmp_path)


@pytest.mark.parametrize(
    ("name", "posts", "authors"),
    [
        ("wxr-simple.xml", 1, 1),
        ("valid-wxr-1.0.xml", 6, 0),
        ("valid-wxr-1.1.xml", 2, 1),
        ("wxr-utf-8-challenges.xml", 1, 1),
        ("a11y-unit-test-data.xml", 154, 1),
        ("theme-unit-test-data.xml", 186, 2),
        ("wxr-with-sub-data.xml", 1, 0),
        ("crazy-cdata-escaped.xml", 1, 0),
        ("large-authors.xml", 0, 300),
        ("term-formats.xml", 0, 0),
    ],
)
def test_items_and_authors_counted_as_wordpress_does(name: str, posts: int, authors: int) -> None:
    """parser.php's wxr_files_provider: the number of items and of authors of each file."""
    channel = Channel()
    assert len(list(read_items(DATA / name, channel))) == posts
    assert len(channel.authors) == authors


def test_wxr_1_0(tmp_path: Path) -> None:
    report = run(DATA / "valid-wxr-1.0.xml", tmp_path)
    assert report.imported
    assert front(tmp_path / "articles" / "alpha-post.md")["tags"] == ["alpha", "news", "roar"]
    assert front(tmp_path / "articles" / "child-post.md")["tags"] == ["chicken", "child", "face"]


def test_wxr_1_1(tmp_path: Path) -> None:
    run(DATA / "valid-wxr-1.1.xml", tmp_path, pages=True)
    data = front(tmp_path / "articles" / "hello-world.md")
    assert data["authors"] == ["John Doe"]
    assert data["tags"] == ["alpha", "Clippable"]  # bieup is a custom taxonomy's term
    assert (tmp_path / "pages" / "about.md").is_file()


def test_small_export(tmp_path: Path) -> None:
    """import.php test_small_import: 5 published posts, 1 private; 4 published pages, 1 draft."""
    run(DATA / "small-export.xml", tmp_path, pages=True)
    articles = {p.stem: front(p) for p in (tmp_path / "articles").glob("*.md")}
    assert sorted(articles) == [
        "foo-child",
        "hello-world",
        "many-categories",
        "non-standard-post-format",
        "private-post",
        "top-level-foo",
    ]
    assert [n for n, a in articles.items() if a["draft"]] == ["private-post"]
    assert articles["private-post"]["tags"] == ["Tag1", "Tag2", "Tag3"]
    assert len(articles["many-categories"]["tags"]) == 27  # its 27 categories
    assert articles["foo-child"]["authors"] == ["editor"]
    assert articles["hello-world"]["authors"] == ["author"]
    pages = {p.stem: front(p) for p in (tmp_path / "pages").glob("*.md")}
    assert len(pages) == 5
    assert [front["title"] for front in pages.values() if front["draft"]] == ["Draft Page"]
    replies = list((tmp_path / "replies").rglob("*.yaml"))
    assert len(replies) == 1  # the one comment
    again = run(DATA / "small-export.xml", tmp_path, pages=True)  # test_double_import
    assert not again.imported
    assert len(again.unchanged) == 12
    assert len(list((tmp_path / "articles").glob("*.md"))) == 6


def test_slashes_and_backslashes_are_kept(tmp_path: Path) -> None:
    """import.php test_slashes_should_not_be_stripped; parser.php backslashes.xml."""
    run(DATA / "slashes.xml", tmp_path)
    article = tmp_path / "articles" / "hello-world.md"
    assert 'Slashes aren\\\'t \\"cool\\"' in body_html(article).replace("&quot;", '"')
    assert front(article)["tags"] == ['a \\"great\\" category']
    reply = yaml.safe_load(next((tmp_path / "replies").rglob("*.yaml")).read_text("utf-8"))
    assert reply["replies"][0]["text"].replace("\\\\", "\\").replace("\\_", "_") == (
        "\\o/ ¯\\_(ツ)_/¯"
    )
    run(DATA / "backslashes.xml", tmp_path / "b")
    (paths,) = (tmp_path / "b" / "articles").glob("*.md")
    assert "C:\\xampp\\htdocs" in body_html(paths)


def test_cdata_as_wordpress_reads_it(tmp_path: Path) -> None:
    """parser.php: escaped CDATA ends, CDATA sections joined, "]] >", blank lines kept."""
    (escaped,) = read_items(DATA / "crazy-cdata-escaped.xml")
    assert escaped.content == "Content with nested <![CDATA[ tags ]]> :)"
    (multiple,) = read_items(DATA / "multiple-cdata.xml")
    assert multiple.content.strip() == "line oneline twoline three"
    (edge,) = read_items(DATA / "cdata-edge.xml")
    assert edge.content.endswith("]] >")
    (blank,) = read_items(DATA / "post-content-blank-lines.xml")
    assert blank.content.count("\n") == 3
    (blank_lines,) = read_items(DATA / "blank-lines.xml")
    assert "\n\n" in blank_lines.content
    run(DATA / "post-content-blank-lines.xml", tmp_path)
    html = body_html(tmp_path / "articles" / "hello-world.md")
    assert html.count("<p>") >= 2  # the blank line still separates paragraphs


def test_namespace_edge_cases(tmp_path: Path) -> None:
    """parser.php test_namespace_edge_cases, as the XML processor parser reads the file."""
    channel = Channel()
    items = list(read_items(DATA / "namespace-edge-cases.xml", channel))
    assert [i.title for i in items] == [
        "Mixed Namespaces",
        "No Prefix",
        "Empty Namespace",
        "Unicode Namespace",
        "Hijacked Namespace",
        "Namespace Bomb",
    ]
    assert [i.post_id for i in items] == ["999", "2", "3", "4", "", "6"]
    assert items[4].post_type == ""
    assert sorted(channel.authors) == ["real_user", "version_conflict"]
    report = run(DATA / "namespace-edge-cases.xml", tmp_path)
    assert len([line for line in report.imported if line.startswith("articles/")]) == 5
    assert any("Hijacked Namespace" in line and "no post type" in line for line in report.skipped)


def test_authors(tmp_path: Path) -> None:
    channel = Channel()
    list(read_items(DATA / "authors-multiline.xml", channel))
    assert sorted(channel.authors) == ["alice", "bob", "carol"]
    channel = Channel()
    list(read_items(DATA / "large-authors.xml", channel))
    assert len(channel.authors) == 300
    for empty in ("large-authors.xml", "term-formats.xml", "term-meta.xml"):
        report = run(DATA / empty, tmp_path / empty)
        assert report.imported == []


def test_utf8_challenges(tmp_path: Path) -> None:
    """parser.php test_parse_wxr_with_challenging_utf8_sequences, through the whole import."""
    run(DATA / "wxr-utf-8-challenges.xml", tmp_path)
    (article,) = (tmp_path / "articles").glob("*.md")
    data = front(article)
    assert (
        data["title"]
        == '"The Road \u202eNot\u202c Taken" by Rob\u202dert \u202eFrost \u202a🌲\u202c'
    )
    assert data["summary"].startswith("T̷̢̯̭̈h̶̰̾i̵̱̇s̶̰̍")
    html = body_html(article)
    for text in ("𝓣𝓮𝓼𝓽 𝓜𝓾𝓵𝓽𝓲-𝓑𝔂𝓽𝓮: 🚀🌟💫⭐️🔥💯🎉🎊🌈🦄", "السلام عليكم وﷲ"):
        assert text in html


def test_sub_data_and_comment_meta(tmp_path: Path) -> None:
    run(DATA / "wxr-with-sub-data.xml", tmp_path)
    data = front(tmp_path / "articles" / "post-with-sub-data.md")
    assert data["tags"] == ["Test Category"]
    (replies,) = (tmp_path / "replies").rglob("*.yaml")
    reply = yaml.safe_load(replies.read_text("utf-8"))["replies"][0]
    assert (reply["id"], reply["author"]) == ("wp-201", "Commenter")
    assert reply["text"] == "This is a comment with meta."
    for name in (
        "test-serialized-comment-meta.xml",
        "test-serialized-postmeta-no-cdata.xml",
        "test-serialized-postmeta-with-cdata.xml",
        "test-serialized-term-meta.xml",
        "test-utw-post-meta-import.xml",
        "chunked-meta.xml",
        "missing-tags.xml",
    ):
        assert run(DATA / name, tmp_path / name).imported, name


@pytest.mark.parametrize(
    "name", ["wxr-flat-attachment-same-site.xml", "wxr-flat-attachment-different-site.xml"]
)
def test_attachments_come_from_the_uploads_folder(tmp_path: Path, name: str) -> None:
    """import.php test_flat_attachment_import_rewrites_attachment_url, without the network."""
    uploads = tmp_path / "uploads" / "2008" / "06"
    uploads.mkdir(parents=True)
    (uploads / "canola2.jpg").write_bytes(b"\xff\xd8\xff\xd9")
    import_export(DATA / name, Options(docs=tmp_path / "docs", uploads=tmp_path / "uploads"))
    (article,) = (tmp_path / "docs" / "articles").glob("*.md")
    assert "images/2008/06/canola2.jpg" in article.read_text("utf-8")
    assert "files.wordpress.com" not in article.read_text("utf-8")
    assert (tmp_path / "docs" / "articles" / "images" / "2008" / "06" / "canola2.jpg").is_file()


def test_e2e_simple_and_comprehensive(tmp_path: Path) -> None:
    """import-wxr.spec.js: the simple post and the comprehensive fixture."""
    run(E2E / "wxr-simple.xml", tmp_path / "simple")
    data = front(tmp_path / "simple" / "articles" / "hello-world.md")
    assert data["title"] == '"The Road Not Taken" by Robert Frost'
    assert data["date"].date() == dt.date(2024, 6, 5)
    assert data["draft"] is False
    html = body_html(tmp_path / "simple" / "articles" / "hello-world.md")
    assert "Two roads diverged in a yellow wood,<br />\nAnd sorry I could not" in html
    assert '<a href="https://w.org">third</a>' in html
    run(E2E / "wxr-comprehensive.xml", tmp_path / "full", pages=True)
    data = front(tmp_path / "full" / "articles" / "comprehensive-post.md")
    assert data["authors"] == ["Alice"]
    assert data["tags"] == ["News", "Updates", "T1", "T2"]
    assert "comprehensive post body" in body_html(
        tmp_path / "full" / "articles" / "comprehensive-post.md"
    )
    (reply,) = (tmp_path / "full" / "replies").rglob("*.yaml")
    assert "Great post!" in reply.read_text("utf-8")
    assert (tmp_path / "full" / "pages" / "comprehensive-page.md").is_file()


def test_e2e_css_urls_and_base_url(tmp_path: Path) -> None:
    run(E2E / "wxr-css-urls.xml", tmp_path / "css")
    (article,) = (tmp_path / "css" / "articles").glob("*.md")
    text = article.read_text("utf-8")
    assert "Testing CSS URL migration" in text
    for styled in ('style="', "bg1.jpg", "html-bg.jpg", "figure-bg.jpg"):
        assert styled not in text  # style attributes never survive sanitizing
    run(E2E / "wxr-base-url-rewriting.xml", tmp_path / "base")
    (article,) = (tmp_path / "base" / "articles").glob("*.md")
    assert "URLs to rewrite" in body_html(article)


@pytest.mark.parametrize("name", ["theme-unit-test-data.xml", "a11y-unit-test-data.xml"])
def test_theme_unit_test_data_builds_strictly_and_lints(
    copy_root: Callable[..., Path], build: Callable[..., SphinxTestApp], name: str
) -> None:
    srcdir = copy_root("wordpress")
    report = run(DATA / name, srcdir)
    assert len(report.imported) > 50
    app = build(srcdir, warningiserror=True, confoverrides={"nitpicky": True})
    assert app.statuscode == 0
    findings = [
        f
        for path in sorted((srcdir / "articles").glob("*.md"))
        for f in lint_source(path.read_text("utf-8"), path.name)
    ]
    # The debris the importer knows is gone; what lint still finds is the test data's own
    # structure (headings in a row, posts without content), for an editor to decide on.
    assert {f.kind for f in findings} <= {Kind.EMPTY_SECTION}, [f.text() for f in findings]
    if name == "theme-unit-test-data.xml":
        assert "edge-case-no-content.md:9: empty section" in "\n".join(f.text() for f in findings)
