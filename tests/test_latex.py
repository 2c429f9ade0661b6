"""Other builders: LaTeX and plain text render the header, the TOC and the reply note; man and
Texinfo through the one fallback (broadsheet.renderings)."""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from sphinx.testing.util import SphinxTestApp

from broadsheet.renderings import PLAIN_FORM_NODES
from conftest import ROOTS


@pytest.mark.sphinx("latex", testroot="article", srcdir="article-latex")
def test_latex_build_shows_toc_and_reply_note(app: SphinxTestApp) -> None:
    app.build()
    assert app.warning.getvalue() == ""
    outdir = Path(app.outdir)
    # One document per published article, besides the root document; drafts get none.
    assert (outdir / "articles-depth1.tex").exists()
    assert not (outdir / "articles-draft.tex").exists()
    tex = (outdir / "articles-full.tex").read_text("utf-8")
    assert r"\title{Full Article}" in tex
    assert "Table of Contents" in tex
    # Every entry is a hyperlink to a section of the article, in the order of the sections.
    toc = tex[tex.index("Table of Contents") :]
    toc = toc[: toc.index(r"\label{")]
    targets = re.findall(r"\\hyperref\[\\detokenize\{articles/full:([^}]*)\}\]", toc)
    labels = re.findall(r"\\label\{\\detokenize\{articles/full:([^}:]+)\}\}", tex)
    assert targets == [label for label in labels if label != "deep-heading"]
    assert targets[:2] == ["introduction-with-emphasis-and-code", "details-a-l-est"]
    assert "Leave a Reply" in tex
    assert "https://gazette.example.org/articles/full.html" in tex
    assert "Replies are closed." in (outdir / "articles-depth1.tex").read_text("utf-8")
    assert "By Ada Lovelace" in tex
    assert "Published August 24, 2024" in tex


@pytest.mark.sphinx("text", testroot="article")
def test_text_build(app: SphinxTestApp) -> None:
    app.build()
    text = (Path(app.outdir) / "articles" / "full.txt").read_text("utf-8")
    assert text.index("Table of Contents") < text.index("Opening paragraph")
    assert '* Introduction with *emphasis* and "code"' in text
    assert "Leave a Reply" in text
    flat = " ".join(text.split())
    assert "web edition: https://gazette.example.org/articles/full.html" in flat
    assert "By Ada Lovelace, Zoë Ñúñez and Grace Hopper" in flat


@pytest.mark.parametrize(("buildername", "output"), [("man", "*.1"), ("texinfo", "*.texi")])
def test_other_builders_get_the_plain_form(
    buildername: str, output: str, make_app: Callable[..., SphinxTestApp], tmp_path: Path
) -> None:
    # man and texinfo have no rendering of Broadsheet's nodes: the one fallback gives them the
    # plain form (their translators raise on a node they do not know).
    srcdir = tmp_path / buildername
    shutil.copytree(ROOTS / "test-article", srcdir)
    with (srcdir / "conf.py").open("a", encoding="utf-8") as conf:
        conf.write("\nroot_doc = 'articles/full'\n")
    app = make_app(buildername, srcdir=srcdir)
    app.build()
    assert "Unknown node" not in app.warning.getvalue()
    (written,) = Path(app.outdir).glob(output)
    flat = " ".join(written.read_text("utf-8").split())
    assert "Table of Contents" in flat
    assert "Leave a Reply" in flat
    assert "gazette.example.org/articles/full.html" in flat
    assert "Lovelace" in flat


def test_every_node_has_every_rendering(
    make_app: Callable[..., SphinxTestApp], tmp_path: Path
) -> None:
    app = make_app("html", srcdir=ROOTS / "test-article", builddir=tmp_path)
    handlers = app.registry.translation_handlers
    assert PLAIN_FORM_NODES
    for node_class in PLAIN_FORM_NODES:
        for builder in ("html", "typst", "latex", "text"):
            assert node_class.__name__ in handlers[builder], (node_class, builder)
