"""Readers of built HTML shared by the tests: headings and table of contents entries."""

from __future__ import annotations

import re
from typing import Any

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
