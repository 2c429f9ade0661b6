"""One post's stored content to a MyST body, step by step.

Editor markup off, shortcodes handled, paragraphs made (classic posts only: block-editor posts
carry their own ``<p>``), embeds turned into links, the HTML sanitized, table-of-contents boxes
removed, headings evened out, images located, then the Markdown conversion.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping

from bs4 import BeautifulSoup

from broadsheet.wordpress import cleanup
from broadsheet.wordpress.markdown import MystConverter
from broadsheet.wordpress.shortcodes import Shortcodes


def convert_body(
    content: str,
    *,
    attachments: Mapping[str, str],
    children: list[str],
    locate: Callable[[str], str],
    report: Callable[[str], None],
    link: Callable[[str], str | None] = lambda url: None,
) -> str:
    """The MyST Markdown of a post's ``content``; problems go to ``report``.

    ``locate`` says where an image is after the import; ``link`` gives the new address of a
    link to another post of the old site (None to keep it as it is).
    """
    is_block_post = "<!-- wp:" in content
    text = cleanup.strip_editor_markup(content)
    text = Shortcodes(attachments, children, report).rewrite(text)
    if not is_block_post:
        text = cleanup.autop(text)
    text = cleanup.link_embeds(text)
    text = cleanup.sanitize(text)
    soup = BeautifulSoup(text, "html.parser")
    cleanup.remove_debris(soup, report)
    if cleanup.remove_toc_boxes(soup):
        report("table of contents box removed (Broadsheet makes its own)")
    cleanup.even_headings(soup, report)
    cleanup.rewrite_images(soup, locate, link)
    markdown = str(MystConverter().convert_soup(soup))
    blocks = [block.strip("\n") for block in re.split(r"\n\s*\n", markdown) if block.strip()]
    blocks = _without_stray_rules(blocks)
    text = "\n\n".join("\n".join(line.rstrip() for line in b.splitlines()) for b in blocks)
    return text + "\n" if text else ""


def _without_stray_rules(blocks: list[str]) -> list[str]:
    """Horizontal rules only between two blocks of text (docutils refuses any other place)."""
    kept: list[str] = []
    for index, block in enumerate(blocks):
        if block.strip() == "---":
            following = blocks[index + 1] if index + 1 < len(blocks) else ""
            after_text = bool(kept) and not _is_rule_or_heading(kept[-1])
            if not after_text or not following or _is_rule_or_heading(following):
                continue
        kept.append(block)
    return kept


def _is_rule_or_heading(block: str) -> bool:
    return block.strip() == "---" or block.startswith("#")
