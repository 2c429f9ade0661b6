"""The article header: deck, byline, dates, reading time and tags under the title.

The header is one node whose attributes hold the data. Its renderings are registered together
in :func:`setup_header`: HTML draws it with ``<time>`` elements, the PDF with the template's
``bs-article-head``, and every other builder gets its plain form, a few paragraphs
(:mod:`broadsheet.renderings`).
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from docutils import nodes
from sphinx.transforms import SphinxTransform

from broadsheet.articles import Article, article_section, current_article
from broadsheet.dates import format_date, format_moment, iso
from broadsheet.frontmatter import Date
from broadsheet.renderings import PLAIN_FORM, PlainForm, plain_form_node
from broadsheet.translations import _
from broadsheet.typst import escape
from broadsheet.typst.compiler import failed_articles
from broadsheet.urls import pdf_link, tag_page

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.builders import Builder
    from sphinx.config import Config
    from sphinx.writers.html5 import HTML5Translator

    from broadsheet.typst.translator import TypstTranslator


@plain_form_node
class article_header(PlainForm, nodes.General):  # noqa: N801 (docutils names node classes in lowercase)
    """The header of an article; attributes: subtitle, authors, date, updated, minutes, tags."""

    def plain_form(self, builder: Builder) -> list[nodes.Node]:
        """Status, deck, byline, dates, tags and update notes as paragraphs."""
        config = builder.config
        paragraphs: list[nodes.Node] = []
        status = status_label(self["status"], self["date"], config)
        if status:
            paragraphs.append(nodes.paragraph("", "", nodes.strong(status, status)))
        if self["subtitle"]:
            paragraphs.append(nodes.paragraph("", "", nodes.emphasis("", self["subtitle"])))
        if self["authors"]:
            paragraphs.append(nodes.paragraph("", byline(self["authors"])))
        paragraphs.append(nodes.paragraph("", meta_line(self, config)))
        if self["tags"]:
            paragraphs.append(nodes.paragraph("", _("Tags: %s") % ", ".join(self["tags"])))
        changes: list[tuple[Date | None, str]] = self.get("changes", [])
        for day, note in changes:
            label = nodes.strong("", change_label(day, config))
            paragraphs.append(nodes.paragraph("", "", label, nodes.Text(" " + note)))
        return paragraphs


def status_label(status: str, date: dt.datetime | None, config: Config) -> str:
    """What a preview build writes on an article that is not live; ``""`` for a live one."""
    if status == "draft":
        return _("Draft")
    if status == "scheduled" and date is not None:
        return _("Scheduled for %s") % format_moment(date, config)
    if status == "undated":
        return _("Not published: no valid date")
    return ""


def join_names(names: tuple[str, ...] | list[str]) -> str:
    """``A``, ``A and B``, ``A, B and C``."""
    if len(names) <= 1:
        return "".join(names)
    return _("%(first)s and %(last)s") % {"first": ", ".join(names[:-1]), "last": names[-1]}


def byline(authors: tuple[str, ...] | list[str]) -> str:
    """The byline text, empty when there are no authors."""
    return _("By %s") % join_names(authors) if authors else ""


def reading_time(minutes: int) -> str:
    """The reading time as shown to readers."""
    return _("%d min read") % minutes


def meta_line(node: article_header, config: Config) -> str:
    """Dates and reading time as one line of plain text, for builders other than HTML."""
    meta = []
    if node["date"]:
        meta.append(_("Published") + " " + format_date(node["date"], config))
    if node["updated"]:
        meta.append(_("Updated") + " " + format_date(node["updated"], config))
    meta.append(reading_time(node["minutes"]))
    return " · ".join(meta)


def make_header(article: Article) -> article_header:
    """The header node of ``article``."""
    node = article_header()
    # A retraction notice keeps the title and dates, nothing of what the story claimed.
    node["subtitle"] = "" if article.retracted else article.subtitle
    node["authors"] = list(article.authors)
    node["date"] = article.date
    node["updated"] = article.updated
    node["minutes"] = article.minutes
    node["tags"] = list(article.tags)
    node["status"] = article.status
    node["retracted"] = article.retracted is not None
    node["changes"] = [] if article.retracted else list(article.changes)
    node["classes"].append("broadsheet-header")
    return node


class HeaderTransform(SphinxTransform):
    """Put the header right under the article's title."""

    default_priority = 410

    def apply(self, **kwargs: Any) -> None:
        article = current_article(self.env)
        if article is None:
            return
        section = article_section(self.document)
        section.insert(1, make_header(article))


def _time(self: HTML5Translator, label: str, value: Date, css_class: str) -> str:
    shown = self.encode(format_date(value, self.builder.config))
    return (
        f'<span class="{css_class}">{self.encode(label)} '
        f'<time datetime="{iso(value)}">{shown}</time></span>'
    )


def change_label(day: Date | None, config: Config) -> str:
    """The lead-in of an update note."""
    return _("Update, %s:") % format_date(day, config) if day else _("Update:")


def _changes_html(self: HTML5Translator, changes: list[tuple[Date | None, str]]) -> list[str]:
    if not changes:
        return []
    out = ['<aside class="broadsheet-changes" aria-label="' + self.attval(_("Updates")) + '">']
    for day, note in changes:
        label = self.encode(change_label(day, self.builder.config))
        if day:
            label = f'<time datetime="{iso(day)}">{label}</time>'
        out.append(f"<p><strong>{label}</strong> {self.encode(note)}</p>")
    out.append("</aside>")
    return out


def _tag_html(self: HTML5Translator, tag: str) -> str:
    """A tag, linked to its page when the publication has tag pages."""
    text = self.encode(tag)
    if not self.builder.config.broadsheet_taxonomy_pages:
        return text
    page = self.builder.current_docname
    href = self.builder.get_relative_uri(page, tag_page(tag))
    return f'<a href="{self.attval(href)}" rel="tag">{text}</a>'


def visit_header_html(self: HTML5Translator, node: article_header) -> None:
    out = ['<header class="broadsheet-header">']
    label = status_label(node["status"], node["date"], self.builder.config)
    if label:
        out.append(f'<p class="broadsheet-draft">{self.encode(label)}</p>')
    if node["subtitle"]:
        out.append(f'<p class="broadsheet-deck">{self.encode(node["subtitle"])}</p>')
    if node["authors"]:
        names = [
            f'<span class="broadsheet-author">{self.encode(name)}</span>'
            for name in node["authors"]
        ]
        # join_names and byline only join: the names are already escaped.
        out.append(f'<p class="broadsheet-byline">{byline(names)}</p>')
    meta = []
    if node["date"]:
        meta.append(_time(self, _("Published"), node["date"], "broadsheet-published"))
    if node["updated"]:
        meta.append(_time(self, _("Updated"), node["updated"], "broadsheet-updated"))
    minutes = self.encode(reading_time(node["minutes"]))
    meta.append(f'<span class="broadsheet-reading-time">{minutes}</span>')
    out.append('<p class="broadsheet-meta">' + " ".join(meta) + "</p>")
    if node["tags"]:
        items = "".join(
            f'<li class="broadsheet-tag">{_tag_html(self, t)}</li>' for t in node["tags"]
        )
        label = self.attval(_("Tags"))
        out.append(f'<ul class="broadsheet-tags" aria-label="{label}">{items}</ul>')
    out.extend(_changes_html(self, node.get("changes", [])))
    # A PDF Typst could not make is not linked (the page is written again once that is known).
    failed = failed_articles(self.builder.doctreedir, self.builder.format)
    docname = self.builder.current_docname
    if self.builder.config.broadsheet_pdf and not node["retracted"] and docname not in failed:
        href = self.attval(pdf_link(self.builder, self.builder.current_docname))
        download = self.encode(_("Download PDF"))
        out.append(
            f'<p class="broadsheet-pdf"><a href="{href}" type="application/pdf" download>'
            f"{download}</a></p>"
        )
    out.append("</header>\n")
    self.body.append("".join(out))
    raise nodes.SkipNode


def visit_header_typst(self: TypstTranslator, node: article_header) -> None:
    config = self.config
    label = status_label(node["status"], node["date"], config)
    self.block(
        escape.call(
            "bs-article-head",
            draft=escape.markup(label) if label else None,
            deck=escape.markup(node["subtitle"]) if node["subtitle"] else None,
            byline=escape.markup(byline(node["authors"])) if node["authors"] else None,
            meta=escape.markup(meta_line(node, config)),
            tags=[escape.markup(tag) for tag in node["tags"]],
        )
    )
    changes: list[tuple[Date | None, str]] = node.get("changes", [])
    for day, note in changes:
        lead = escape.call("strong", body=escape.markup(change_label(day, config)))
        self.block(escape.call("bs-change", body=escape.join([lead, escape.markup(" " + note)])))
    raise nodes.SkipNode


def setup_header(app: Sphinx) -> None:
    """Register the header node, its transform and its renderings."""
    app.add_node(
        article_header,
        html=(visit_header_html, None),
        typst=(visit_header_typst, None),
        latex=PLAIN_FORM,
        text=PLAIN_FORM,
    )
    app.add_transform(HeaderTransform)
