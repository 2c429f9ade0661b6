"""The article header: deck, byline, dates, reading time and tags under the title.

The header is one node whose attributes hold the data. Its renderings are registered together
in :func:`setup_header`: HTML draws it from the Jinja template ``broadsheet/article-header.html``
(package data; a publication's own ``templates_path`` copy takes its place, see
:mod:`broadsheet.page_templates`), the PDF with the template's ``bs-article-head``, and every
other builder gets its plain form, a few paragraphs (:mod:`broadsheet.renderings`).
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from docutils import nodes
from markupsafe import Markup
from markupsafe import escape as html_escape
from sphinx.transforms import SphinxTransform

from broadsheet.articles import Article, article_section, current_article
from broadsheet.dates import format_date, format_moment, iso
from broadsheet.frontmatter import Date
from broadsheet.page_templates import render_template
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


def change_label(day: Date | None, config: Config) -> str:
    """The lead-in of an update note."""
    return _("Update, %s:") % format_date(day, config) if day else _("Update:")


HEADER_TEMPLATE = "broadsheet/article-header.html"


def _byline_html(authors: list[str]) -> Markup:
    """ "By A, B and C" with each name escaped in its own ``<span>``; the words are escaped too."""
    names = [Markup('<span class="broadsheet-author">{}</span>').format(n) for n in authors]
    if len(names) <= 1:
        joined = Markup("").join(names)
    else:
        pair = html_escape(_("%(first)s and %(last)s"))
        joined = pair % {"first": Markup(", ").join(names[:-1]), "last": names[-1]}
    return html_escape(_("By %s")) % joined if names else Markup("")


def header_context(builder: Builder, docname: str, node: article_header) -> dict[str, Any]:
    """What the ``broadsheet/article-header.html`` template is given on page ``docname``
    (the template's comment says what each value is)."""
    config = builder.config

    def moment(kind: str, label: str, value: Date | None) -> dict[str, str] | None:
        if not value:
            return None
        return {"kind": kind, "label": label, "iso": iso(value), "text": format_date(value, config)}

    published = moment("published", _("Published"), node["date"])
    updated = moment("updated", _("Updated"), node["updated"])
    pages = config.broadsheet_taxonomy_pages
    changes: list[tuple[Date | None, str]] = node.get("changes", [])
    # A PDF Typst could not make is not linked (the page is written again once that is known).
    failed = failed_articles(builder.doctreedir, builder.format)
    show_pdf = config.broadsheet_pdf and not node["retracted"] and docname not in failed
    return {
        "docname": docname,
        "status": status_label(node["status"], node["date"], config),
        "deck": node["subtitle"],
        "authors": list(node["authors"]),
        "byline": _byline_html(node["authors"]),
        "published": published,
        "updated": updated,
        "dates": [d for d in (published, updated) if d],
        "reading_time": reading_time(node["minutes"]),
        "tags": [
            {"name": tag, "href": builder.get_relative_uri(docname, tag_page(tag)) if pages else ""}
            for tag in node["tags"]
        ],
        "changes": [
            {"label": change_label(day, config), "iso": iso(day) if day else "", "note": note}
            for day, note in changes
        ],
        "pdf": {"href": pdf_link(builder, docname), "label": _("Download PDF")}
        if show_pdf
        else None,
        "labels": {"tags": _("Tags"), "updates": _("Updates")},
    }


def visit_header_html(self: HTML5Translator, node: article_header) -> None:
    context = header_context(self.builder, self.builder.current_docname, node)
    html = render_template(self.builder, HEADER_TEMPLATE, context)
    self.body.append(html + "\n")
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
