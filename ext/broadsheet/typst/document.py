"""Typst sources of the PDF editions, and their compilation with the ``typst`` wheel.

An article's body is translated once, when its doctree is resolved, and kept under the
doctree folder; the per-article and edition sources wrap those bodies in a preamble. A PDF is
compiled again only when its full source changed, so rebuilds cost nothing for unchanged
articles and two builds of the same sources give byte-identical files.
"""

from __future__ import annotations

import unicodedata
from typing import TYPE_CHECKING

from sphinx.util import logging

from broadsheet.articles import Article
from broadsheet.dates import format_date, sort_key
from broadsheet.frontmatter import Date
from broadsheet.header import byline
from broadsheet.slugs import docname_stem
from broadsheet.translations import _, ngettext
from broadsheet.typst import escape
from broadsheet.typst.assets import TEMPLATE
from broadsheet.typst.escape import Code, Label, Markup

if TYPE_CHECKING:
    from sphinx.config import Config

logger = logging.getLogger(__name__)


def _date(value: Date | None) -> Code:
    if value is None:
        return escape.name("auto")
    return escape.expression("datetime", year=value.year, month=value.month, day=value.day)


def _language(config: Config) -> tuple[str, str | None]:
    language = (config.language or "en").replace("-", "_")
    lang, _sep, region = language.partition("_")
    return lang.lower(), region.upper() or None


def preamble(
    config: Config,
    *,
    title: str,
    authors: tuple[str, ...],
    date: Date | None,
    keywords: tuple[str, ...],
) -> str:
    """The opening of a PDF source: the template and the document's metadata."""
    lang, region = _language(config)
    document = escape.expression(
        "bs-document.with",
        publication=config.project,
        title=title,
        authors=authors,
        keywords=keywords,
        date=_date(date),
        lang=lang,
        region=region if region else escape.name("none"),
        paper=config.broadsheet_pdf_paper,
    )
    return f"#import {escape.string(TEMPLATE.name)}: *\n#show: {document}\n\n"


#: The longest running head, in characters: a longer title is cut at a word, with an ellipsis.
RUNNING_HEAD_LENGTH = 80


def running_head(title: str) -> Markup:
    """The title of an article as the heads of its pages show it: on one line."""
    title = " ".join(title.split())
    if len(title) > RUNNING_HEAD_LENGTH:
        end = title.rfind(" ", 0, RUNNING_HEAD_LENGTH + 1)  # a word that ends there is kept
        if end <= RUNNING_HEAD_LENGTH // 2:
            end = _cluster_start(title, RUNNING_HEAD_LENGTH)
        title = title[:end].rstrip(" ,;:") + "…"
    return escape.markup(title)


def _cluster_start(text: str, index: int) -> int:
    """``index``, moved back so as not to split what is drawn as one character: a letter and
    its combining accents, an emoji joined or modified, a flag's pair of letters."""
    while 0 < index < len(text) and (
        unicodedata.category(text[index]) in {"Mn", "Me", "Mc"}
        or text[index] in "\u200d\ufe0e\ufe0f"
        or "\U0001f3fb" <= text[index] <= "\U0001f3ff"
        or text[index - 1] == "\u200d"
    ):
        index -= 1
    regional = 0
    while index - regional > 0 and _regional(text[index - regional - 1]):
        regional += 1
    if regional % 2 and index < len(text) and _regional(text[index]):
        index -= 1
    return index


def _regional(char: str) -> bool:
    """Whether ``char`` is one of the letters a flag is written with."""
    return "\U0001f1e6" <= char <= "\U0001f1ff"


def article_source(config: Config, article: Article, body: str) -> str:
    """The whole Typst source of one article's PDF."""
    return (
        preamble(
            config,
            title=article.title,
            authors=article.authors,
            date=article.date,
            keywords=article.tags,
        )
        + escape.call("bs-running-head", running_head(article.title))
        + "\n\n"
        + body
    )


def _contents_entry(config: Config, article: Article) -> dict[str, escape.Value]:
    meta = [format_date(article.date, config)] if article.date else []
    if article.authors:
        meta.append(byline(article.authors))
    return {
        "title": escape.markup(article.title),
        "meta": escape.markup(" · ".join(meta)) if meta else None,
        "deck": escape.markup(article.subtitle) if article.subtitle else None,
        "target": Label.of(docname_stem(article.docname), article.anchor),
    }


def edition_source(
    config: Config,
    label: str,
    articles: list[Article],
    bodies: list[str],
    omitted: tuple[str, ...] = (),
) -> str:
    """The whole Typst source of an edition: cover, contents, then every article.

    ``label``: the edition's period ("August 2024"), which the cover names; nothing in the
    source depends on the day of the build or on articles of other editions, so the PDF is
    made again only when one of its own articles changed. ``omitted``: the titles of articles
    left out because their PDF could not be made; the edition says so under its contents.
    """
    publication = config.project
    authors = tuple(dict.fromkeys(a for article in articles for a in article.authors))
    tags = tuple(dict.fromkeys(t for article in articles for t in article.tags))
    summary = ngettext("%d article", "%d articles", len(articles)) % len(articles)
    dated = [a.date for a in articles if a.date is not None]
    last = max(dated, key=sort_key) if dated else None
    if last is not None:
        first, final = format_date(min(dated, key=sort_key), config), format_date(last, config)
        summary += f" · {first}" if first == final else f" · {first} – {final}"
    cover = escape.call(
        "bs-edition-cover",
        publication=escape.markup(publication),
        edition=escape.markup(label),
        summary=escape.markup(summary),
        address=config.html_baseurl or None,
    )
    contents = escape.call(
        "bs-edition-contents",
        title=escape.markup(_("Contents")),
        entries=[_contents_entry(config, a) for a in articles],
    )
    parts = [
        preamble(
            config, title=f"{publication} — {label}", authors=authors, date=last, keywords=tags
        ),
        cover + "\n\n",
        contents + "\n\n",
    ]
    if omitted:
        note = _("Not in this edition, because its PDF could not be made: %s") % ", ".join(omitted)
        parts.append(escape.call("emph", body=escape.markup(note)) + "\n\n")
    for article, body in zip(articles, bodies, strict=True):
        parts.append(escape.call("bs-edition-article", title=running_head(article.title)))
        parts.append("\n\n" + body)
    return "".join(parts)
