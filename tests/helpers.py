"""Readers of built HTML shared by the tests: headings and table of contents entries."""

from __future__ import annotations

import difflib
import os
import re
from pathlib import Path
from typing import Any

import pytest

HEADING = re.compile(r"^h[1-6]$")

Entry = tuple[int, str, str]


def text_of(tag: Any) -> str:
    """Visible text of ``tag`` without Sphinx's permalink marks, spaces folded."""
    parts = [
        s
        for s in tag.find_all(string=True)
        if not any("headerlink" in (p.get("class") or []) for p in s.parents if p is not tag)
    ]
    return " ".join("".join(parts).split())


def article_sections(soup: Any, depth: int) -> list[Entry]:
    """(level, heading text, section id) of the article's sections down to ``depth``."""
    top = soup.select_one("section")
    found: list[Entry] = []

    def walk(section: Any, level: int) -> None:
        for child in section.find_all("section", recursive=False):
            if "broadsheet-replies" in (child.get("class") or []):
                continue
            heading = child.find(HEADING, recursive=False)
            found.append((level, text_of(heading), child["id"]))
            if level < depth:
                walk(child, level + 1)

    walk(top, 1)
    return found


def toc_entries(soup: Any) -> list[Entry]:
    """(level, text, target id) of every entry of the table of contents, in order."""
    nav = soup.select_one("nav.broadsheet-toc")
    found: list[Entry] = []

    def walk(ul: Any, level: int) -> None:
        for li in ul.find_all("li", recursive=False):
            link = li.find("a")
            found.append((level, text_of(link), link["href"].removeprefix("#")))
            for sub in li.find_all("ul", recursive=False):
                walk(sub, level + 1)

    walk(nav.find("ul"), 1)
    return found


SNAPSHOTS = Path(__file__).parent / "snapshots"


def assert_matches_snapshot(text: str, name: str) -> None:
    """``text`` equals the stored snapshot ``tests/snapshots/<name>``.

    A missing snapshot is written and the test fails, so a new one is looked at before it is
    committed; ``BROADSHEET_UPDATE_SNAPSHOTS=1`` rewrites them after a deliberate change.
    """
    path = SNAPSHOTS / name
    if os.environ.get("BROADSHEET_UPDATE_SNAPSHOTS") == "1" or not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        existed = path.exists()
        path.write_text(text, "utf-8")
        if not existed:
            pytest.fail(f"snapshot {name} written: check it and commit it")
        return
    expected = path.read_text("utf-8")
    if text != expected:
        diff = "".join(
            difflib.unified_diff(
                expected.splitlines(keepends=True),
                text.splitlines(keepends=True),
                f"snapshots/{name}",
                "this build",
            )
        )
        pytest.fail(f"the Typst source differs from snapshots/{name}:\n{diff}")
