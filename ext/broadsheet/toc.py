"""The per-article table of contents, made from the article's own sections.

It is built while the article is read (so editing a heading rebuilds it with the page) and
holds ordinary docutils nodes, a title and a nested bullet list of internal references, inside
one :class:`article_toc` container. HTML draws the container as a ``<nav>``, the PDF as the
template's ``bs-toc`` with links to the headings; other builders get the title and list as
they are, its plain form (:mod:`broadsheet.renderings`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from docutils import nodes
from sphinx import addnodes
from sphinx.transforms import SphinxTransform

from broadsheet.articles import article_section, current_article
from broadsheet.header import article_header
from broadsheet.renderings import PLAIN_FORM, PlainForm, plain_form_node
from broadsheet.translations import _
from broadsheet.typst import escape

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.writers.html5 import HTML5Translator

    from broadsheet.typst.translator import TypstTranslator

TOC_TITLE_ID = "broadsheet-toc-title"


@plain_form_node
class article_toc(PlainForm, nodes.General):  # noqa: N801 (docutils names node classes in lowercase)
    """The table of contents: a ``rubric`` (its title) and a ``bullet_list``; its plain form
    is those two."""


def entry_text(title: nodes.title) -> list[nodes.Node]:
    """A copy of a section title's inline content, without its links, targets and notes."""
    content: list[nodes.Node] = []
    for child in title.children:
        # Node.deepcopy, unlike copy.deepcopy, does not follow .parent into the whole document.
        content.extend(_strip_links(child.deepcopy()))
    return content


def _strip_links(node: nodes.Node) -> list[nodes.Node]:
    if isinstance(node, nodes.footnote_reference | nodes.citation_reference | nodes.target):
        return []
    if isinstance(node, nodes.reference | addnodes.pending_xref):
        # An entry is itself a link: nested links would be invalid HTML.
        return [grand for child in node.children for grand in _strip_links(child)]
    if isinstance(node, nodes.Element):
        node["ids"] = []
        node.children = [grand for child in node.children for grand in _strip_links(child)]
        for child in node.children:
            child.parent = node
    return [node]


def section_list(section: nodes.section, depth: int) -> tuple[nodes.bullet_list | None, int]:
    """The nested list of ``section``'s subsections down to ``depth``, and its entry count."""
    if depth < 1:
        return None, 0
    items = nodes.bullet_list()
    count = 0
    for child in section.children:
        if not isinstance(child, nodes.section) or not child["ids"]:
            continue
        reference = nodes.reference("", "", internal=True, refid=child["ids"][0])
        heading = child[0]
        assert isinstance(heading, nodes.title)
        reference += entry_text(heading)
        item = nodes.list_item("", nodes.paragraph("", "", reference))
        sublist, subcount = section_list(child, depth - 1)
        if sublist is not None:
            item += sublist
        items += item
        count += 1 + subcount
    return (items if count else None), count


def make_toc(section: nodes.section, depth: int, title: str) -> article_toc | None:
    """The table of contents of the article whose top section is ``section``."""
    sections, _count = section_list(section, depth)
    if sections is None:
        return None
    toc = article_toc()
    toc["classes"].append("broadsheet-toc")
    toc["entries"] = _count
    toc += nodes.rubric(title, title, classes=["broadsheet-toc-title"])
    toc += sections
    return toc


class TocTransform(SphinxTransform):
    """Insert the table of contents under the article header."""

    default_priority = 420

    def apply(self, **kwargs: Any) -> None:
        article = current_article(self.env)
        if article is None or article.toc_depth == 0:
            return
        section = article_section(self.document)
        toc = make_toc(section, article.toc_depth, _(self.config.broadsheet_toc_title))
        if toc is None or toc["entries"] < self.config.broadsheet_toc_min_sections:
            return
        # Under the title and the header (when there is one), before the first paragraph.
        position = 1
        while position < len(section) and isinstance(section[position], article_header):
            position += 1
        section.insert(position, toc)


def visit_toc_html(self: HTML5Translator, node: article_toc) -> None:
    title = node[0].astext()
    self.body.append(
        f'<nav class="broadsheet-toc" aria-labelledby="{TOC_TITLE_ID}">\n'
        f'<h2 class="broadsheet-toc-title" id="{TOC_TITLE_ID}">{self.encode(title)}</h2>\n'
    )
    for child in node.children[1:]:
        child.walkabout(self)
    self.body.append("</nav>\n")
    raise nodes.SkipNode


def visit_toc_typst(self: TypstTranslator, node: article_toc) -> None:
    entries: list[escape.Value] = []
    for child in node.children[1:]:
        assert isinstance(child, nodes.Element)
        _typst_entries(self, child, 1, entries)
    title = escape.markup(node[0].astext())
    self.block(escape.call("bs-toc", title=title, entries=entries))
    raise nodes.SkipNode


def _typst_entries(
    self: TypstTranslator, bullet_list: nodes.Element, level: int, out: list[escape.Value]
) -> None:
    for item in bullet_list.children:
        assert isinstance(item, nodes.Element)
        reference = next(item.findall(nodes.reference), None)
        target = self.label_of(reference.get("refid", "")) if reference else None
        if reference is not None and target:
            body = self.render_children(reference)
            out.append({"level": level, "body": body, "target": target})
        for sub in item.children:
            if isinstance(sub, nodes.bullet_list):
                _typst_entries(self, sub, level + 1, out)


def setup_toc(app: Sphinx) -> None:
    """Register the table of contents node, its transform and its renderings."""
    app.add_node(
        article_toc,
        html=(visit_toc_html, None),
        typst=(visit_toc_typst, None),
        latex=PLAIN_FORM,
        text=PLAIN_FORM,
    )
    app.add_transform(TocTransform)
