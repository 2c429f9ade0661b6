"""A source that is not UTF-8 is withheld with a located warning, never half-published."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sphinx.errors import ConfigError

ARTICLE = "---\ndate: 2024-01-10\ntags: [Encoding]\n---\n\n# Café society\n\nLine six.\n"


def test_a_source_that_turns_bad_is_withdrawn_and_comes_back_when_fixed(
    copy_root: Callable[..., Path], make_app: Any
) -> None:
    srcdir = copy_root("article")
    source = srcdir / "articles" / "cafe.md"
    source.write_text(ARTICLE, "utf-8")
    page = srcdir / "_build" / "html" / "articles" / "cafe.html"

    def build() -> str:
        app = make_app("html", srcdir=srcdir, freshenv=False)
        app.build()
        return app.warning.getvalue()

    assert "encoding" not in build()
    assert page.exists()
    # Saved by an editor in Windows-1252: "é" is one byte that is not UTF-8, on line 6.
    source.write_bytes(ARTICLE.replace("# Café", "# Caf\xe9").encode("cp1252"))
    warnings = build()
    assert "cafe.md:6: WARNING: not published: the source is not valid UTF-8 (byte 0xe9)" in (
        warnings
    )
    assert "[broadsheet.encoding]" in warnings
    assert "Traceback" not in warnings
    assert not page.exists()
    outdir = srcdir / "_build" / "html"
    for path in outdir.rglob("*"):
        if path.is_file() and path.suffix in {".html", ".xml", ".js", ".txt"}:
            assert "Caf" not in path.read_text("utf-8", "replace"), path
    # Saved again as UTF-8: published again.
    source.write_text(ARTICLE, "utf-8")
    assert "encoding" not in build()
    assert "Café society" in page.read_text("utf-8")


def test_a_front_page_that_is_not_utf8_is_explained(
    copy_root: Callable[..., Path], make_app: Any
) -> None:
    srcdir = copy_root("article")
    (srcdir / "index.md").write_bytes(b"# Front\n\nCaf\xe9\n")
    with pytest.raises(ConfigError, match=r"index\.md is not valid UTF-8 \(line 3, byte 0xe9\)"):
        make_app("html", srcdir=srcdir).build()
