"""Reply files read like front matter: bad entries dropped with their line, the rest kept."""

from __future__ import annotations

import datetime as dt
import textwrap

from docutils import nodes

from broadsheet.reply_files import Reply, parse_replies
from broadsheet.reply_markdown import reader_link, reply_nodes
from broadsheet.reply_tree import thread

UTC = dt.UTC


def parse(text: str) -> tuple[list[Reply], list[tuple[str, int]]]:
    replies, problems = parse_replies(textwrap.dedent(text), UTC)
    return replies, [(p.message, p.line) for p in problems]


def test_a_valid_file() -> None:
    replies, problems = parse(
        """\
        replies:
          - id: isso-1
            author: "  Jane   Doe "
            website: https://jane.example.org/
            date: 2024-08-22T10:15:00+02:00
            text: |
              Hello.
          - id: wp-2
            parent: isso-1
            author: Rui
            date: "2024-08-23 09:00"
            text: Answer.
        """
    )
    assert problems == []
    first, second = replies
    assert (first.id, first.author, first.website, first.text, first.line) == (
        "isso-1",
        "Jane Doe",
        "https://jane.example.org/",
        "Hello.",
        2,
    )
    assert first.date == dt.datetime(2024, 8, 22, 8, 15, tzinfo=UTC)
    # A time without an offset is read in the publication's zone.
    assert second.date == dt.datetime(2024, 8, 23, 9, 0, tzinfo=UTC)
    assert second.parent == "isso-1"


def test_bad_entries_are_dropped_with_their_line() -> None:
    replies, problems = parse(
        """\
        replies:
          - id: ok-1
            author: Kept
            date: 2024-08-22T10:15:00+00:00
            text: Kept.
          - author: No id
            date: 2024-08-22T10:15:00+00:00
            text: Dropped.
          - id: ok-1
            date: 2024-08-22T10:15:00+00:00
            text: Same id twice.
          - id: no-date
            text: Dropped.
          - id: "bad id!"
            date: 2024-08-22T10:15:00+00:00
            text: Dropped.
          - id: no-text
            date: 2024-08-22T10:15:00+00:00
          - just a string
          - id: bad-site
            website: "javascript:alert(1)"
            colour: red
            date: 2024-08-22T10:15:00+00:00
            text: Kept without the website.
        """
    )
    assert [r.id for r in replies] == ["ok-1", "bad-site"]
    assert replies[1].website == ""
    lines = [line for _message, line in problems]
    assert lines == [6, 9, 12, 14, 17, 19, 22, 21]
    assert "colour" in problems[-2][0]
    assert "website" in problems[-1][0]


def test_an_email_is_never_kept() -> None:
    replies, problems = parse(
        """\
        replies:
          - id: isso-1
            author: Jane
            email: jane@example.org
            date: 2024-08-22T10:15:00+00:00
            text: Hello.
        """
    )
    assert len(replies) == 1
    assert "jane@example.org" not in repr(replies)
    assert problems == [(problems[0][0], 4)]
    assert "email" in problems[0][0]


def test_broken_yaml_and_wrong_shapes() -> None:
    assert parse("replies: [\n  - id: x\n")[0] == []
    assert parse("replies: [\n  - id: x\n")[1][0][1] in (1, 2, 3)
    assert parse("- a list\n") == ([], [(parse("- a list\n")[1][0][0], 1)])
    assert parse("replies: 3\n")[0] == []
    assert parse("") == ([], [])
    assert parse("replies:\n") == ([], [])
    # Nesting deep enough to exhaust a recursive reader is refused, not a crash.
    replies, problems = parse("replies: " + "[" * 5000 + "]" * 5000 + "\n")
    assert replies == []
    assert "nested more than" in problems[0][0]
    # Aliases could expand a few lines into billions of values: a reply file has none.
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + n)}: &{chr(98 + n)} [*{chr(97 + n)}, *{chr(97 + n)}, *{chr(97 + n)}]\n"
        for n in range(20)
    )
    replies, problems = parse(bomb + "replies: [*u]\n")
    assert replies == []
    assert problems == [(problems[0][0], 2)]
    assert "aliases" in problems[0][0]


def test_control_characters_and_huge_text() -> None:
    replies, problems = parse(
        """\
        replies:
          - id: a
            author: "Bell\\a Ringer"
            date: 2024-08-22T10:15:00+00:00
            text: "Ding\\x07 dong\\x1b[31m"
          - id: b
            date: 2024-08-22T10:15:00+00:00
            text: "%s"
        """
        % ("x" * 70_000)
    )
    assert [r.id for r in replies] == ["a"]
    assert replies[0].text == "Ding dong[31m"
    assert replies[0].author == "Bell Ringer"
    assert any("control characters" in m for m, _line in problems)
    assert any("longer than" in m and line == 8 for m, line in problems)


def reply(reply_id: str, parent: str = "", minute: int = 0) -> Reply:
    when = dt.datetime(2024, 8, 22, 10, minute, tzinfo=UTC)
    return Reply(reply_id, parent, reply_id.upper(), "", when, "text", 1)


def shape(placed: list, out: list | None = None) -> list[tuple[str, int, str]]:
    out = [] if out is None else out
    for item in placed:
        out.append((item.reply.id, item.depth, item.answers.id if item.answers else ""))
        shape(item.children, out)
    return out


def test_threads_nest_up_to_the_cap() -> None:
    replies = [
        reply("a", minute=0),
        reply("b", "a", 1),
        reply("c", "b", 2),
        reply("d", "c", 3),
        reply("e", "d", 4),
        reply("f", minute=5),
        reply("g", "a", 6),
    ]
    placed, problems = thread(replies, 3)
    assert problems == []
    assert shape(placed) == [
        ("a", 1, ""),
        ("b", 2, ""),
        ("c", 3, ""),
        ("d", 3, "c"),
        ("e", 3, "d"),
        ("g", 2, ""),
        ("f", 1, ""),
    ]


def test_unknown_parents_loops_and_very_deep_chains() -> None:
    placed, problems = thread([reply("a", "ghost"), reply("b", "c", 1), reply("c", "b", 2)], 3)
    assert [(i.reply.id, i.depth) for i in placed] == [("a", 1), ("b", 1)]
    assert [i.reply.id for i in placed[1].children] == ["c"]
    assert len(problems) == 2
    chain = [reply("r0")] + [reply(f"r{n}", f"r{n - 1}") for n in range(1, 5000)]
    placed, problems = thread(chain, 3)
    assert problems == []
    assert len(shape(placed)) == 5000
    assert max(depth for _id, depth, _answers in shape(placed)) == 3


def test_markdown_subset() -> None:
    blocks = reply_nodes(
        "A *b* **c** `d` [e](https://e.example/) [f](javascript:alert(1)) <script>x</script>\n\n"
        "> quote\n\n- one\n- two\n\n# not a heading\n\n![img](https://x/y.png)"
    )
    kinds = [type(b).__name__ for b in blocks]
    assert kinds == ["paragraph", "block_quote", "bullet_list", "paragraph", "paragraph"]
    first = blocks[0]
    assert [type(n).__name__ for n in first.children if isinstance(n, nodes.Element)] == [
        "emphasis",
        "strong",
        "literal",
        "reader_link",
    ]
    links = list(first.findall(reader_link))
    assert [link["refuri"] for link in links] == ["https://e.example/"]
    # Markup a reader typed is text, never markup.
    assert "<script>x</script>" in first.astext()
    assert blocks[3].astext() == "# not a heading"
    for deep in (">" * 500 + " deep\n", "- " * 40 + "deep\n", "> " * 11 + "deep\n"):
        assert "deep" in "".join(b.astext() for b in reply_nodes(deep))


def test_an_email_address_is_never_published_as_a_website_or_a_name() -> None:
    replies, problems = parse(
        """\
        replies:
          - id: isso-1
            author: Jane <jane@example.org>
            website: https://jane@gmail.com
            date: 2024-08-22T10:15:00+00:00
            text: Hello.
          - id: isso-2
            author: jane@example.org
            website: https://user:secret@example.org/
            date: 2024-08-22T10:16:00+00:00
            text: Hello again.
        """
    )
    assert "@" not in repr([(r.author, r.website) for r in replies])
    assert [(r.author, r.website) for r in replies] == [("Jane", ""), ("", "")]
    lines = sorted(line for _message, line in problems)
    assert lines == [3, 4, 8, 9]


def test_bidirectional_overrides_are_dropped() -> None:
    replies, problems = parse(
        """\
        replies:
          - id: isso-1
            author: "Eve\\u202emoc.elgoog"
            date: 2024-08-22T10:15:00+00:00
            text: "Harmless \\u2066text\\u2069 here."
        """
    )
    assert replies[0].author == "Evemoc.elgoog"
    assert replies[0].text == "Harmless text here."
    assert any("control characters" in message for message, _line in problems)
