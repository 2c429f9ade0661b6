"""The small Markdown subset of replies, parsed straight to docutils nodes.

Readers write paragraphs, ``*emphasis*``, ``**strong**``, ```code```, ``[links](https://...)``,
``> quotes`` and lists. Everything else is text: markdown-it is run with only those rules (its
``zero`` preset, HTML off), and the tokens become ordinary docutils nodes, so every builder
draws a reply as it draws the article's own paragraphs and no markup from a reader ever
reaches a page. A link whose address is not http(s) keeps its text and loses its link.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from docutils import nodes
from markdown_it import MarkdownIt
from markdown_it.tree import SyntaxTreeNode

#: The rules a reply may use; everything else stays text.
RULES = ["emphasis", "backticks", "link", "blockquote", "list", "escape", "newline"]
#: Nesting of quotes and lists; markdown-it stops nesting deeper and keeps the rest as text.
MAX_NESTING = 12

_PARSER = MarkdownIt("zero", {"maxNesting": MAX_NESTING, "html": False}).enable(RULES)


class reader_link(nodes.reference):  # noqa: N801 (docutils names node classes in lowercase)
    """A link a reader wrote: HTML gives it ``rel="nofollow ugc"``; other builders draw it as
    any reference (Sphinx's translators dispatch along the node's classes)."""


def is_web_address(url: str) -> bool:
    """Whether ``url`` is an absolute http(s) address, the only links readers may give."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    return parts.scheme.lower() in ("http", "https") and bool(parts.hostname)


def reply_nodes(text: str) -> list[nodes.Element]:
    """The block nodes of a reply's ``text``."""
    tokens = _PARSER.parse(text)
    if any(token.level >= MAX_NESTING - 1 for token in tokens):
        # markdown-it drops what lies deeper than its nesting limit; such a text (a
        # hostile one, ">>>>>>>>>>>>") is shown as it was typed, paragraph by paragraph.
        return [nodes.paragraph(p, p) for p in re.split(r"\n\s*\n", text) if p.strip()]
    tree = SyntaxTreeNode(tokens)
    return [block for child in tree.children for block in _block(child)]


def _block(node: SyntaxTreeNode) -> list[nodes.Element]:
    kind = node.type
    if kind == "paragraph":
        paragraph = nodes.paragraph()
        for child in node.children:
            paragraph.extend(_inlines(child))
        return [paragraph]
    if kind == "blockquote":
        quote = nodes.block_quote()
        for child in node.children:
            quote.extend(_block(child))
        return [quote]
    if kind in ("bullet_list", "ordered_list"):
        items: nodes.Element = (
            nodes.bullet_list(bullet="-")
            if kind == "bullet_list"
            else nodes.enumerated_list(enumtype="arabic", prefix="", suffix=".")
        )
        for item in node.children:
            list_item = nodes.list_item()
            for child in item.children:
                list_item.extend(_block(child))
            items += list_item
        return [items]
    if kind == "inline":
        paragraph = nodes.paragraph()
        paragraph.extend(_inlines(node))
        return [paragraph]
    # Nothing else is enabled; should markdown-it hand over another block, keep its text.
    text = node.content if node.content else ""
    return [nodes.paragraph(text, text)] if text.strip() else []


def _inlines(node: SyntaxTreeNode) -> list[nodes.Node]:
    kind = node.type
    if kind == "inline":
        return [out for child in node.children for out in _inlines(child)]
    if kind == "text":
        return [nodes.Text(node.content)]
    if kind == "softbreak":
        return [nodes.Text("\n")]
    if kind == "hardbreak":
        return [nodes.Text("\n")]
    if kind == "code_inline":
        return [nodes.literal(node.content, node.content)]
    if kind in ("em", "strong"):
        wrapper: nodes.Element = nodes.emphasis() if kind == "em" else nodes.strong()
        for child in node.children:
            wrapper.extend(_inlines(child))
        return [wrapper]
    if kind == "link":
        content = [out for child in node.children for out in _inlines(child)]
        href = str(node.attrs.get("href", ""))
        if not is_web_address(href):
            return content
        link = reader_link("", "", refuri=href)
        link.extend(content)
        return [link]
    return [nodes.Text(node.content)] if node.content else []
