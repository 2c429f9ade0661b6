"""Published replies under the article: thread, count, listings, other builders, rebuilds."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sphinx.testing.util import SphinxTestApp

from conftest import pdf_text, read_html

THREADED = "articles/threaded"


def thread_of(soup: Any) -> Any:
    threads = soup.select("section.broadsheet-reply-thread")
    assert len(threads) <= 1
    return threads[0] if threads else None


def tree(ol: Any) -> list[tuple[str, list[Any]]]:
    """(reply anchor, answers) of every reply of a list, in order."""
    found = []
    for item in ol.find_all("li", recursive=False):
        answers = item.find("ol", recursive=False)
        found.append((item.article["id"], tree(answers) if answers else []))
    return found


def test_thread_under_the_article(build: Callable[..., SphinxTestApp], copy_root: Any) -> None:
    app = build(copy_root("replies"))
    assert app.warning.getvalue() == ""
    soup = read_html(app, THREADED)
    thread = thread_of(soup)
    assert thread["id"] == "replies"
    assert thread.h2.get_text() == "5 Replies"
    assert tree(thread.ol) == [
        (
            "reply-wp-1",
            [("reply-wp-2", [("reply-ed-3", []), ("reply-ed-4", [])])],
        ),
        ("reply-ed-5", []),
    ]
    # Nesting stops at three levels: the fourth names the reply it answers.
    fourth = soup.find(id="reply-ed-4")
    answers = fourth.select_one(".broadsheet-reply-answers a")
    assert answers["href"] == "#reply-ed-3"
    assert answers.get_text() == "Third Level"
    first = soup.find(id="reply-wp-1")
    author = first.select_one(".broadsheet-reply-author a")
    assert (author.get_text(), author["href"], author["rel"]) == (
        "Jane Doe",
        "https://jane.example.org/",
        ["nofollow", "ugc"],
    )
    assert first.select_one("a.broadsheet-reply-permalink")["href"] == "#reply-wp-1"
    assert first.time["datetime"] == "2024-08-20T10:15:00+00:00"
    assert first.time.get_text() == "August 20, 2024"
    text = first.select_one(".broadsheet-reply-text")
    assert [t.name for t in text.find_all(["em", "strong", "code"])] == ["em", "strong", "code"]
    link = text.find("a")
    assert (link["href"], link["rel"]) == ("https://example.org/page", ["nofollow", "ugc"])
    second = soup.find(id="reply-wp-2").select_one(".broadsheet-reply-text")
    assert [c.name for c in second.find_all(recursive=False)] == ["blockquote", "p", "ul"]
    # The thread comes after the article's text and before the form.
    order = [s.get("id") for s in soup.select("section.broadsheet-reply-thread, #broadsheet-reply")]
    assert order == ["replies", "broadsheet-reply"]
    assert "The article’s text." in soup.select_one("section").get_text()


def test_counts_closed_and_quiet_articles(
    build: Callable[..., SphinxTestApp], copy_root: Any
) -> None:
    app = build(copy_root("replies"))
    closed = read_html(app, "articles/closed")
    assert thread_of(closed).h2.get_text() == "1 Reply"
    assert closed.select_one(".broadsheet-replies-closed").get_text() == "Replies are closed."
    assert thread_of(read_html(app, "articles/quiet")) is None
    index = read_html(app, "index")
    counts = {
        a.get_text(): a["href"]
        for a in index.select(".broadsheet-listing-meta a[href$='#replies']")
    }
    assert counts == {
        "1 Reply": "articles/closed.html#replies",
        "5 Replies": "articles/threaded.html#replies",
    }
    quiet = index.find("a", string="A Quiet Article").find_parent("li")
    assert "Repl" not in quiet.select_one(".broadsheet-listing-meta").get_text()


HOSTILE = """\
replies:
  - id: h-1
    author: "<img src=x onerror=alert(1)>"
    website: "javascript:alert(1)"
    date: 2024-08-20T10:00:00+00:00
    text: |
      <script>alert("x")</script> <b>bold?</b> [click](javascript:alert(2))
      ![img](https://evil.example/x.png) <a href="https://evil.example/">a</a>
  - id: h-2
    parent: nobody
    author: Orphan
    date: 2024-08-20T10:01:00+00:00
    text: "A bell\\x07 rings and \\u202e a direction flips."
  - id: h-3
    date: 2024-08-20T10:02:00+00:00
    text: "%(huge)s"
  - id: h-4
    author: Wordy
    date: 2024-08-20T10:03:00+00:00
    text: "%(long_word)s"
  - id: h-5
    author: Quoter
    date: 2024-08-20T10:04:00+00:00
    text: "%(quotes)s deep"
%(chain)s
"""


def hostile_file() -> str:
    chain = "\n".join(
        f"  - id: c-{n}\n    parent: {'h-4' if n == 0 else f'c-{n - 1}'}\n    author: Link {n}\n"
        f"    date: 2024-08-20T11:{n % 60:02d}:00+00:00\n    text: Level {n}."
        for n in range(40)
    )
    return HOSTILE % {
        "huge": "x" * 70_000,
        "long_word": "W" * 3000,
        "quotes": ">" * 300,
        "chain": chain,
    }


def test_hostile_replies_are_safe(build: Callable[..., SphinxTestApp], copy_root: Any) -> None:
    root = copy_root("replies")
    (root / "replies/articles/threaded.yaml").write_text(hostile_file(), "utf-8")
    app = build(root)
    warnings = app.warning.getvalue()
    path = re.escape(str(root / "replies/articles/threaded.yaml"))
    assert re.search(path + r":4: WARNING: reply 'h-1': 'website' must be an http", warnings)
    assert re.search(path + r":13: WARNING: reply 'h-2': control characters removed", warnings)
    assert re.search(path + r":16: WARNING: reply 'h-3': the text is longer", warnings)
    assert re.search(path + r":9: WARNING: reply 'h-2' answers 'nobody'", warnings)
    assert "[broadsheet.replies]" in warnings

    html = (Path(app.outdir) / f"{THREADED}.html").read_text("utf-8")
    soup = read_html(app, THREADED)
    thread = thread_of(soup)
    assert thread.find_all(["script", "img", "b", "iframe"]) == []
    assert not [t for t in soup.find_all(True) if any(a.startswith("on") for a in t.attrs)]
    hrefs = [a["href"] for a in thread.find_all("a", href=True)]
    assert [h for h in hrefs if not h.startswith(("#", "https://", "http://"))] == []
    assert not [t for t in soup.find_all(True) for v in t.attrs.values() if "javascript" in str(v)]
    # Written links are links with the reader's mark; the rest of what was typed is text.
    assert soup.find(id="reply-h-1").select_one(".broadsheet-reply-text a")["rel"] == [
        "nofollow",
        "ugc",
    ]
    assert "[click](javascript:alert(2))" in soup.find(id="reply-h-1").get_text()
    first = soup.find(id="reply-h-1")
    assert first.select_one(".broadsheet-reply-author").get_text() == "<img src=x onerror=alert(1)>"
    assert "<script>alert(“x”)</script>" in first.select_one(".broadsheet-reply-text").get_text()
    assert "\x07" not in html
    # The unknown parent's reply is shown as a reply to the article; the huge one is left out.
    top = [item.article["id"] for item in thread.ol.find_all("li", recursive=False)]
    assert top == ["reply-h-1", "reply-h-2", "reply-h-4", "reply-h-5"]
    assert soup.find(id="reply-h-3") is None
    assert thread.h2.get_text() == "44 Replies"
    # Forty answers in a chain: three levels of lists, no more.
    assert len(thread.select("ol ol ol")) == 1
    assert thread.select("ol ol ol ol") == []
    assert len(thread.select("ol ol ol > li")) == 39
    assert "deep" in soup.find(id="reply-h-5").get_text()


@pytest.mark.parametrize("builder", ["text", "latex"])
def test_other_builders_show_the_thread(
    build: Callable[..., SphinxTestApp], copy_root: Any, builder: str
) -> None:
    app = build(copy_root("replies"), builder)
    assert app.warning.getvalue() == ""
    suffix = ".txt" if builder == "text" else ".tex"
    name = "articles/threaded.txt" if builder == "text" else "articles-threaded.tex"
    text = (Path(app.outdir) / name).read_text("utf-8")
    assert suffix in name
    positions = [
        text.index(s) for s in ("article", "5 Replies", "Jane Doe", "Rui", "Leave a Reply")
    ]
    assert positions == sorted(positions)
    if builder == "text":
        # Answers are indented under the reply they answer.
        assert re.search(r"^\*\*Jane Doe\*\*", text, re.MULTILINE)
        assert re.search(r"^   \*\*Rui\*\*", text, re.MULTILINE)
        assert re.search(r"^      \*\*Third Level\*\*", text, re.MULTILINE)
    else:
        assert r"\sphinxhref{https://jane.example.org/}" in text
        assert text.count(r"\begin{quote}") >= 3


def test_pdf_shows_the_thread_after_the_article(
    build: Callable[..., SphinxTestApp], copy_root: Any
) -> None:
    app = build(copy_root("replies"))
    text = pdf_text(Path(app.outdir) / "pdf" / f"{THREADED}.pdf")
    order = [
        "The article’s text.",
        "5 Replies",
        "Jane Doe",
        "First! A paragraph",
        "Rui",
        "Third Level",
        "Fourth Level · August 20, 2024 · in reply to Third Level",
        "Later Reader",
        "Leave a Reply",
    ]
    positions = [text.index(s) for s in order]
    assert positions == sorted(positions)


def test_changed_added_and_removed_reply_files_rebuild(
    make_app: Callable[..., SphinxTestApp], copy_root: Any
) -> None:
    root = copy_root("replies")

    def build() -> SphinxTestApp:
        app = make_app("html", srcdir=root)
        app.build()
        return app

    build()
    threaded = root / "replies/articles/threaded.yaml"
    threaded.write_text(
        threaded.read_text("utf-8")
        + "  - id: isso-6\n    author: Newcomer\n    date: 2024-08-22T09:00:00+00:00\n"
        "    text: Just approved.\n",
        "utf-8",
    )
    quiet = root / "replies/articles/quiet.yaml"
    quiet.write_text(
        "replies:\n  - id: isso-8\n    author: First\n    date: 2024-08-23T09:00:00+00:00\n"
        "    text: Finally a reply.\n",
        "utf-8",
    )
    (root / "replies/articles/closed.yaml").unlink()
    app = build()
    assert thread_of(read_html(app, THREADED)).h2.get_text() == "6 Replies"
    assert read_html(app, THREADED).find(id="reply-isso-6") is not None
    assert thread_of(read_html(app, "articles/quiet")).h2.get_text() == "1 Reply"
    assert thread_of(read_html(app, "articles/closed")) is None
    counts = [a.get_text() for a in read_html(app, "index").select("a[href$='#replies']")]
    assert sorted(counts) == ["1 Reply", "6 Replies"]
    # Nothing changed: nothing is read again.
    app = build()
    assert "0 changed" in app.status.getvalue() or "no targets are out of date" in (
        app.status.getvalue()
    )


def test_a_publication_overrides_the_templates(
    build: Callable[..., SphinxTestApp], copy_root: Any
) -> None:
    root = copy_root("replies")
    templates = root / "_templates" / "broadsheet"
    templates.mkdir(parents=True)
    (templates / "reply-thread.html").write_text(
        '<div class="house-thread">{{ heading }}: '
        "{% for reply in replies %}[{{ reply.author }}]{% endfor %}</div>",
        "utf-8",
    )
    (templates / "reply-form.html").write_text(
        '<p class="house-form">{{ heading }} &mdash; {{ article_url }}</p>', "utf-8"
    )
    app = build(root, confoverrides={"templates_path": ["_templates"]})
    soup = read_html(app, THREADED)
    assert soup.select_one(".house-thread").get_text() == "5 Replies: [Jane Doe][Later Reader]"
    assert soup.select_one(".house-form").get_text() == (
        "Leave a Reply — https://gazette.example.org/articles/threaded.html"
    )
    assert soup.select(".broadsheet-reply-thread, form.broadsheet-reply-form") == []


def test_parallel_build_merges_the_counts(
    build: Callable[..., SphinxTestApp], copy_root: Any
) -> None:
    app = build(copy_root("replies"), parallel=2)
    counts = [a.get_text() for a in read_html(app, "index").select("a[href$='#replies']")]
    assert sorted(counts) == ["1 Reply", "5 Replies"]


def test_reply_files_of_no_document_and_links_outside_are_refused(
    build: Callable[..., SphinxTestApp], copy_root: Any, tmp_path: Path
) -> None:
    root = copy_root("replies")
    outside = tmp_path / "elsewhere.yaml"
    outside.write_text(
        (root / "replies/articles/threaded.yaml").read_text("utf-8").replace("text:", "text: Zx9")
    )
    (root / "replies/articles/threaded.yaml").unlink()
    (root / "replies/articles/threaded.yaml").symlink_to(outside)
    (root / "replies/articles/no-such-article.yaml").write_text("replies: []\n", "utf-8")
    app = build(root)
    warnings = app.warning.getvalue()
    assert "threaded.yaml:1: WARNING: reply file is a link to a file outside the sources" in (
        warnings
    )
    assert "no-such-article.yaml:1: WARNING: reply file for articles/no-such-article" in warnings
    assert "Zx9" not in (Path(app.outdir) / f"{THREADED}.html").read_text("utf-8")


def test_replies_past_the_limit_are_counted_not_shown(
    build: Callable[..., SphinxTestApp], copy_root: Any
) -> None:
    app = build(copy_root("replies"), confoverrides={"broadsheet_reply_limit": 3})
    warnings = app.warning.getvalue()
    # One warning, at the first reply left out (ed-4, in reading order).
    assert warnings.count("broadsheet_reply_limit") == 1
    assert re.search(
        r"threaded\.yaml:\d+: WARNING: 2 replies not shown: more than broadsheet_reply_limit "
        r"\(3\) \[broadsheet\.replies\]",
        warnings,
    )
    thread = thread_of(read_html(app, THREADED))
    assert thread.h2.get_text() == "5 Replies"
    assert tree(thread.ol) == [("reply-wp-1", [("reply-wp-2", [("reply-ed-3", [])])])]
    assert thread.select_one("p.broadsheet-reply-more").get_text() == (
        "2 more replies are not shown here."
    )
    pdf = pdf_text(Path(app.outdir) / "pdf" / f"{THREADED}.pdf")
    assert "2 more replies are not shown here." in pdf
    assert "Fourth Level" not in pdf


def test_one_reply_past_the_limit_is_singular(
    build: Callable[..., SphinxTestApp], copy_root: Any
) -> None:
    app = build(copy_root("replies"), confoverrides={"broadsheet_reply_limit": 4})
    thread = thread_of(read_html(app, THREADED))
    assert thread.select_one("p.broadsheet-reply-more").get_text() == (
        "1 more reply is not shown here."
    )


def test_a_huge_reply_file_makes_a_small_page(
    build: Callable[..., SphinxTestApp], copy_root: Any
) -> None:
    root = copy_root("replies")
    entries = "".join(
        f"  - id: r{i}\n    author: Reader {i}\n    date: 2024-08-21T10:00:00+00:00\n"
        f"    text: Reply number {i} with some words to fill the page.\n"
        for i in range(5_000)
    )
    (root / "replies/articles/threaded.yaml").write_text(f"replies:\n{entries}", "utf-8")
    app = build(root)  # the default limit, 200
    page = Path(app.outdir) / f"{THREADED}.html"
    thread = thread_of(read_html(app, THREADED))
    assert thread.h2.get_text() == "5000 Replies"
    assert len(thread.select("article.broadsheet-reply")) == 200
    assert "4800 more replies are not shown here." in thread.get_text()
    assert page.stat().st_size < 400_000
