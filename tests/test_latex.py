"""Other builders: LaTeX and plain text render the header, the TOC and the reply note."""

from __future__ import annotations

from pathlib import Path

import pytest
from sphinx.testing.util import SphinxTestApp


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
    # Entries are hyperlinks to the sections of the same article.
    assert r"\sphinxsamedocref{" in tex or r"\hyperref[\detokenize{articles/full:" in tex
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
