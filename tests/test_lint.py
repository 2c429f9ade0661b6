"""``broadsheet lint``: debris in articles, each piece with its file and line."""

from __future__ import annotations

import dataclasses
import textwrap
from pathlib import Path
from typing import Any

import pytest

from broadsheet import debris
from broadsheet.cli import main
from broadsheet.debris import Kind
from broadsheet.lint import lint_source

DOCS = Path(__file__).parent.parent / "docs"

DEBRIS = textwrap.dedent(
    """\
    ---
    title: "Tom &amp; Jerry"
    date: 2024-08-24
    ---

    # A scraped article

    Troops moved north overnight, officials said. Border Watch

    The convoy was seen near the crossing.
    More trucks followed at dawn. Border Watch

    borderwatch.example

    Advertisement

    ## Why it matters

    The district sits on the rail line &amp;amp; the road. Share this

    [related_posts limit="3"]

    <!-- wp:paragraph -->

    Read the [analysis](https://example.org/) later.

    ##

    ## Nothing here

    ## What comes next

    More units are expected. You can \\[caption\\] it.

    ### Leave a Reply

    Your email address will not be published. Required fields are marked \\*
    """
)


def kinds_and_lines(source: str) -> list[tuple[str, int]]:
    return [(f.kind.value, f.line) for f in lint_source(source, "a.md")]


def test_each_kind_of_debris_with_its_line() -> None:
    assert kinds_and_lines(DEBRIS) == [
        ("entity-as-text", 2),
        ("stray-fragment", 8),
        ("stray-fragment", 11),
        ("domain-line", 13),
        ("ad-line", 15),
        ("entity-as-text", 19),
        ("share-text", 19),
        ("shortcode", 21),
        ("editor-comment", 23),
        ("empty-heading", 27),
        ("empty-section", 29),
        ("shortcode", 33),
        ("comment-form", 35),
        ("comment-form", 37),
    ]


def test_messages_name_what_was_found() -> None:
    messages = {f.kind: f.message for f in lint_source(DEBRIS, "a.md")}
    assert "'Border Watch'" in messages[Kind.STRAY_FRAGMENT]
    assert "ends 2 of them" in messages[Kind.STRAY_FRAGMENT]
    assert "&amp;" in messages[Kind.ENTITY]
    assert '[related_posts limit="3"]' in [
        f.message.split("shortcode ")[1]
        for f in lint_source(DEBRIS, "a.md")
        if f.kind is Kind.SHORTCODE
    ]
    finding = lint_source(DEBRIS, "docs/articles/a.md")[0]
    assert finding.text() == (
        "docs/articles/a.md:2: HTML entity &amp; shown as text [entity-as-text]"
    )


CLEAN = textwrap.dedent(
    """\
    ---
    title: "Fighting & Its Costs"
    date: 2024-08-24
    ---

    # Fighting & its costs

    Prices rose by 3 % in a week &mdash; and the markets noticed [sic].
    See <https://example.org> for the figures.

    - Kursk
    - Belgorod

    ## The map

    Two lists may repeat a short item, and short paragraphs may repeat (a caption):

    Map by the desk

    Map by the desk

    - Kursk
    - Sumy

    ```python
    print("[caption id=1]")  # code is never read: &amp; <!-- wp:x -->
    ```

    Use `[gallery ids="1,2"]` to show how a shortcode looked.

    :::{note}
    A note in its own words.
    :::

    ```{figure} images/map.png
    :alt: The map

    The front line on 24 August. Source: Institute for the Study of War
    ```

    ## A picture

    ![The map](images/map.png)

    ## Setup

    ### Installation

    Install it with pip.

    Node.js
    """
)


def test_a_clean_article_has_no_findings() -> None:
    assert lint_source(CLEAN, "clean.md") == []


def test_debris_inside_a_directive_body_is_found_with_its_line() -> None:
    source = (
        "# T\n\nText.\n\n:::{note}\n:class: x\n\nLeave a Reply\n:::\n\n"
        "```{code-block}\nLeave a Reply\n```\n"
    )
    assert kinds_and_lines(source) == [("comment-form", 8)]


def test_editor_comment_spanning_lines_in_an_html_block() -> None:
    source = '# T\n\nText.\n\n<div>\n<p>x</p>\n<!-- wp:image {"id":1} -->\n</div>\n'
    assert kinds_and_lines(source) == [("editor-comment", 7)]


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("Troops moved. Border Watch", "Border Watch"),
        ("Border Watch", "Border Watch"),
        ("Troops moved.", ""),
        ("Troops moved, the report said", "Troops moved, the report said"),
        ("Troops moved on Monday, the report said", ""),  # seven words: a line, not a fragment
        ("Troops moved. " + "word " * 8, ""),  # too long for a fragment
    ],
)
def test_trailing_fragment(text: str, fragment: str) -> None:
    assert debris.trailing_fragment(text) == fragment


def test_detectors() -> None:
    assert debris.is_domain_line("www.kyivindependent.com/")
    assert debris.is_domain_line("https://borderwatch.example")
    assert not debris.is_domain_line("Node.js")
    assert not debris.is_domain_line("The end.")
    assert debris.is_ad_line("— Advertisement —")
    assert debris.is_share_text("Click to share on X (Opens in new window)")
    assert debris.is_share_text("Like Loading...")
    assert not debris.is_share_text("Shares fell by a third.")
    assert debris.shortcodes("[sic] [1] [gallery] [/caption] [x_y] [a b=1]") == [
        "[gallery]",
        "[/caption]",
        "[x_y]",
        "[a b=1]",
    ]
    assert debris.entities_as_text("&amp; &#8217; &notanentity; & x;") == ["&amp;", "&#8217;"]
    assert debris.is_comment_form_block("Leave a Reply")
    assert debris.is_comment_form_block("3 thoughts on “Moscow Moves Units North”")
    assert not debris.is_comment_form_block("Readers may leave a reply below the article.")


@dataclasses.dataclass
class Run:
    returncode: int
    stdout: str
    stderr: str


@pytest.fixture
def run_lint(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> Any:
    """``broadsheet lint ARGS`` run in this process, from ``cwd`` when given."""

    def run(*args: str, cwd: Path | None = None) -> Run:
        if cwd is not None:
            monkeypatch.chdir(cwd)
        capsys.readouterr()
        status = main(["lint", *args])
        out, err = capsys.readouterr()
        return Run(status, out, err)

    return run


def test_command_exit_status_and_output(tmp_path: Path, run_lint: Any) -> None:
    docs = tmp_path / "docs"
    (docs / "articles").mkdir(parents=True)
    (docs / "articles" / "scraped.md").write_text(DEBRIS, "utf-8")
    (docs / "articles" / "clean.md").write_text(CLEAN, "utf-8")
    (docs / "about.md").write_text("# About\n\nLeave a Reply\n", "utf-8")  # not an article
    result = run_lint("--docs", "docs", cwd=tmp_path)
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    first = "docs/articles/scraped.md:2: HTML entity &amp; shown as text [entity-as-text]"
    assert lines[0] == first
    assert len(lines) == 15
    assert lines[-1] == "debris found: 14, in 1 of 2 files"
    assert "about.md" not in result.stdout
    every = run_lint("--docs", "docs", "--all", cwd=tmp_path)
    assert "docs/about.md:3: comment form text 'Leave a Reply'" in every.stdout
    (docs / "articles" / "scraped.md").unlink()
    assert run_lint("--docs", "docs", cwd=tmp_path).returncode == 0


def test_articles_are_the_ones_conf_py_names(tmp_path: Path, run_lint: Any) -> None:
    (tmp_path / "conf.py").write_text('broadsheet_articles = ["news/*"]\n', "utf-8")
    (tmp_path / "news").mkdir()
    (tmp_path / "news" / "a.md").write_text("# A\n\nAdvertisement\n", "utf-8")
    (tmp_path / "articles").mkdir()
    (tmp_path / "articles" / "b.md").write_text("# B\n\nAdvertisement\n", "utf-8")
    result = run_lint("--docs", str(tmp_path))
    assert result.returncode == 1
    assert "news/a.md:3" in result.stdout
    assert "articles/b.md" not in result.stdout


def test_missing_folder_is_an_error(tmp_path: Path, run_lint: Any) -> None:
    result = run_lint("--docs", str(tmp_path / "nowhere"))
    assert result.returncode == 2
    assert "is not a folder" in result.stderr


def test_sample_publication_lints_clean(run_lint: Any) -> None:
    result = run_lint("--docs", str(DOCS))
    assert result.returncode == 0, result.stdout
    assert "no debris found in" in result.stdout
    assert int(result.stdout.split("in ")[1].split()[0]) >= 3  # its articles were read
