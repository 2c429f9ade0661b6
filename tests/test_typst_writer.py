"""The Typst writer: escaping by construction, every node rendered or deliberately left out,
and snapshots of the Typst source of a few articles."""

from __future__ import annotations

import inspect
from pathlib import Path

import pytest
from docutils import nodes
from sphinx import addnodes
from sphinx.testing.util import SphinxTestApp

from broadsheet.articles import get_domain
from broadsheet.slugs import docname_stem
from broadsheet.typst import escape
from broadsheet.typst.document import RUNNING_HEAD_LENGTH, article_source, running_head
from broadsheet.typst.translator import RENDERED_BY_PARENT, TypstTranslator
from helpers import assert_matches_snapshot

HOSTILE = 'a "quote" \\ #read("/etc/passwd") ] ) [ ( $x$ <l> @r // c /* c */ \n\t\x01'


def node_classes() -> list[type[nodes.Node]]:
    """Every node class of docutils and of Sphinx."""
    found: list[type[nodes.Node]] = [getattr(nodes, name) for name in nodes.node_class_names]
    for _name, value in inspect.getmembers(addnodes, inspect.isclass):
        if issubclass(value, nodes.Element) and value.__module__ == "sphinx.addnodes":
            found.append(value)
    # Mixins, not nodes a document holds.
    return [c for c in found if not c.__name__.startswith("_")]


@pytest.mark.parametrize("node_class", node_classes(), ids=lambda c: c.__name__)
def test_every_node_renders_or_is_drawn_by_its_parent(node_class: type[nodes.Node]) -> None:
    visitor = next(
        (k for k in node_class.__mro__ if hasattr(TypstTranslator, f"visit_{k.__name__}")), None
    )
    assert visitor is not None or node_class in RENDERED_BY_PARENT, node_class.__name__
    if node_class in RENDERED_BY_PARENT:
        # The parent that draws it has a visitor of its own.
        for parent in RENDERED_BY_PARENT[node_class].split(", "):
            assert hasattr(TypstTranslator, f"visit_{parent}"), parent


def test_text_is_only_ever_a_literal() -> None:
    markup = escape.markup(HOSTILE)
    # Every ASCII punctuation character escaped: nothing left that Typst reads as syntax.
    assert "#read" not in markup.replace("\\#", "")
    assert escape.string(HOSTILE) == (
        '"a \\"quote\\" \\\\ #read(\\"/etc/passwd\\") ] ) [ ( $x$ <l> @r // c /* c */ \\n\\t\\u{1}"'
    )
    # A str given to a call is a string literal, never code; markup is a content block.
    call = escape.call("bs-reply", HOSTILE, title=escape.markup(HOSTILE), url=None)
    assert call == f"#bs-reply({escape.string(HOSTILE)}, title: [{markup}])"
    assert escape.value({"a": [1, 2.5, True, None], "b": escape.Label.of("x", HOSTILE)}) == (
        '(a: (1, 2.5, true, none, ), b: label("x-a-quote-read-etc-passwd-x-l-r-c-c"))'
    )


@pytest.mark.parametrize(
    ("maker", "argument"),
    [
        (escape.name, "left) + read(1"),
        (lambda n: escape.call(n), "emph[x]#read"),
        (lambda n: escape.length(1, n), "pt)#read("),
        (lambda n: escape.call("text", **{n: 1}), "size: 1, fill"),
    ],
)
def test_names_are_checked(maker: object, argument: str) -> None:
    with pytest.raises(ValueError, match="not a Typst"):
        maker(argument)  # type: ignore[operator]


def typst_source(app: SphinxTestApp, docname: str) -> str:
    """The whole Typst source of ``docname``'s PDF, as this build made it."""
    body_path = Path(app.doctreedir) / "broadsheet-typst" / "bodies"
    body = (body_path / f"{docname_stem(docname)}.typ").read_text("utf-8")
    article = get_domain(app.env).articles[docname]
    return article_source(app.config, article, body)


@pytest.mark.sphinx("html", testroot="pdf", srcdir="typst-snapshots")
def test_typst_source_of_articles(app: SphinxTestApp) -> None:
    app.build()
    for docname in ("articles/nodes", "articles/inject", "articles/fmtitle"):
        assert_matches_snapshot(typst_source(app, docname), f"{docname.replace('/', '-')}.typ")


@pytest.mark.sphinx("html", testroot="typst-extensions", srcdir="typst-snapshots-ext")
def test_typst_source_with_extensions(app: SphinxTestApp) -> None:
    app.build()
    assert_matches_snapshot(typst_source(app, "articles/stamped"), "articles-stamped.typ")


FAMILY = "\U0001f468\u200d\U0001f469\u200d\U0001f467\u200d\U0001f466"


@pytest.mark.parametrize(
    ("title", "shown"),
    [
        ("Night  Ferry\nReturns", "Night Ferry Returns"),
        ("w" * RUNNING_HEAD_LENGTH, "w" * RUNNING_HEAD_LENGTH),
        # Cut at the last space that keeps it within the length, a word that ends there kept.
        ("abcdefghi " * 7 + "abcdefghij more", "abcdefghi " * 7 + "abcdefghij…"),
        ("Harbour, " * 10, "Harbour, " * 8 + "Harbour…"),
        # One long word is cut inside it, never inside what is drawn as one character.
        ("x" * 100, "x" * RUNNING_HEAD_LENGTH + "…"),
        ("a" + "\U0001f1eb\U0001f1f7" * 40, "a" + "\U0001f1eb\U0001f1f7" * 39 + "…"),
        ("a" + "e\u0301" * 45, "a" + "e\u0301" * 39 + "…"),
        (FAMILY * 30, FAMILY * 11 + "…"),
        # Cut before it is escaped: markup in a title stays text.
        ("#set page(width: 1cm) " + "*" * 90, "#set page(width: 1cm) " + "*" * 58 + "…"),
    ],
)
def test_running_head_is_one_line_of_the_title(title: str, shown: str) -> None:
    assert running_head(title) == escape.markup(shown)


def test_running_head_escapes_the_title() -> None:
    assert running_head("#set page(width: 1cm) *bold*").startswith("\\#set page")
