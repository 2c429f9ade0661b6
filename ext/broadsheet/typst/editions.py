"""Periodic editions: which articles each edition PDF holds, its file, the name of its period,
and the Editions page that lists them.

A newspaper prints one edition a day, not the whole archive again: an edition here is the PDF
of one period (``broadsheet_pdf_edition_period``: a month by default, an ISO week, a year, or
``"all"`` for one edition of everything). An article belongs to the period of its publication
date in the publication's zone (``broadsheet_timezone``). Only published articles are in
editions, and a published article always has a date (one without is never published), so each
is in exactly one edition. An edition's source depends on its own articles only (its cover names
the period, not the day of the build), so an edit recompiles that article's edition and no
other (see :mod:`broadsheet.typst.compiler`).

Files, relative to the PDF folder: ``editions/2024-08.pdf`` (month), ``editions/2024-W35.pdf``
(week), ``editions/2024.pdf`` (year); and ``<broadsheet_pdf_edition>`` (by default the
project's name, ``the-kursk-desk.pdf``), which is the single edition for ``"all"`` and a copy of
the latest edition otherwise, so one stable address always has the newest paper.

The Editions page lists the editions newest first with their article counts and file sizes,
each a link to its PDF. Sizes are known once the PDFs are made, so the page is written at the
end of the build (:func:`write_editions_page`), from the files a clean build would leave.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from babel.core import Locale, UnknownLocaleError
from babel.numbers import format_decimal
from docutils import nodes
from sphinx.builders.html import StandaloneHTMLBuilder
from sphinx.util import logging
from sphinx.util.osutil import relative_uri

from broadsheet.articles import Article, published
from broadsheet.dates import format_period, publication_zone
from broadsheet.fragments import render_fragment
from broadsheet.slugs import slugify
from broadsheet.translations import _, __, ngettext
from broadsheet.urls import PDF_DIR, url_path

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.config import Config

logger = logging.getLogger(__name__)

#: The values of ``broadsheet_pdf_edition_period``.
PERIODS = ("month", "week", "year", "all")
#: The folder of the periodic editions, inside the PDF folder.
EDITIONS_DIR = "editions"
#: The name of the page listing the editions.
EDITIONS_PAGE = "editions"


@dataclasses.dataclass(frozen=True)
class Edition:
    """One edition PDF: its period, its file, and its articles in the order it prints them."""

    #: ``"2024-08"``, ``"2024-W35"``, ``"2024"`` or ``"all"``; later periods sort higher.
    key: str
    #: The period as readers name it: "August 2024", "Week 35, 2024", "2024".
    label: str
    #: Where the PDF is, relative to the PDF folder.
    file: str
    articles: tuple[Article, ...]

    @functools.cached_property
    def docnames(self) -> frozenset[str]:
        """The documents of its articles."""
        return frozenset(a.docname for a in self.articles)


def edition_file(config: Config) -> str:
    """The single edition's file name (``"all"``), else that of the copy of the latest."""
    return str(config.broadsheet_pdf_edition or f"{slugify(config.project)}.pdf")


def period_key(moment: dt.datetime, period: str) -> str:
    """The key of the ``period`` (month, week or year) that holds ``moment``."""
    if period == "week":
        year, week, _day = moment.isocalendar()
        return f"{year}-W{week:02d}"
    if period == "year":
        return f"{moment.year:04d}"
    return f"{moment.year:04d}-{moment.month:02d}"


def period_label(key: str, period: str, config: Config) -> str:
    """The period of ``key`` as readers of the publication's language name it."""
    if period == "all":
        return str(_("Complete edition"))
    if period == "week":
        year, _sep, week = key.partition("-W")
        return str(_("Week %(week)d, %(year)d") % {"week": int(week), "year": int(year)})
    if period == "year":
        return format_period(dt.date(int(key), 1, 1), "y", config)
    year, _sep, month = key.partition("-")
    return format_period(dt.date(int(year), int(month), 1), "yMMMM", config)


def editions_of(config: Config, articles: Iterable[Article]) -> list[Edition]:
    """The editions of the published ``articles``, newest first; none without articles."""
    chosen = published(articles)
    if config.broadsheet_pdf_order == "oldest":
        chosen.reverse()
    period = config.broadsheet_pdf_edition_period
    if period == "all":
        label = period_label("all", period, config)
        return [Edition("all", label, edition_file(config), tuple(chosen))] if chosen else []
    zone = publication_zone(config)
    groups: dict[str, list[Article]] = {}
    for article in chosen:
        if article.date is not None:  # always: an undated article is never published
            groups.setdefault(period_key(article.date.astimezone(zone), period), []).append(article)
    return [
        Edition(key, period_label(key, period, config), f"{EDITIONS_DIR}/{key}.pdf", tuple(group))
        for key, group in sorted(groups.items(), reverse=True)
    ]


def remove_stale(pdf_dir: Path, editions: list[Edition]) -> list[Path]:
    """Delete the periodic edition files no edition has any more (a period whose last article
    moved away or was withdrawn, or another ``broadsheet_pdf_edition_period``); return them."""
    pdf_dir = Path(pdf_dir)
    folder = pdf_dir / EDITIONS_DIR
    current = {pdf_dir / e.file for e in editions}
    stale = [p for p in sorted(folder.glob("*.pdf")) if p not in current]
    for path in stale:
        path.unlink()
    if folder.is_dir() and not any(folder.iterdir()):
        folder.rmdir()
    return stale


def format_size(size: int, config: Config) -> str:
    """A file size as readers write it: "840 KB", "1.2 MB" (units of 1,024)."""
    locale = _locale(config.language or "en")
    if size < 1024 * 1024:
        return str(_("%s KB") % format_decimal(max(1, round(size / 1024)), locale=locale))
    megabytes = format_decimal(round(size / 1024 / 1024, 1), format="#,##0.#", locale=locale)
    return str(_("%s MB") % megabytes)


def _locale(language: str) -> Locale:
    try:
        return Locale.parse(language)
    except (UnknownLocaleError, ValueError):
        return Locale.parse("en")


def articles_label(count: int) -> str:
    """ "1 article", "2 articles", in the catalog's plural forms."""
    return ngettext("%d article", "%d articles", count) % count


def write_editions_page(app: Sphinx, made: list[tuple[Edition, int]], pdf_dir: Path) -> None:
    """Write the Editions page: ``made``, the editions whose PDF exists with the number of
    articles each holds, newest first, each with its size read from ``pdf_dir``."""
    builder = app.builder
    if not isinstance(builder, StandaloneHTMLBuilder):
        return
    if EDITIONS_PAGE in app.env.found_docs:
        logger.warning(
            __(
                "this page has the address of the Editions page, which is not made: rename the "
                "file to have both"
            ),
            type="broadsheet",
            subtype="collision",
            location=(EDITIONS_PAGE, 1),
        )
        return
    config = app.config
    title = str(_("Editions"))
    section = nodes.section(ids=[EDITIONS_PAGE], names=[title])
    section += nodes.title(title, title)
    section += nodes.paragraph("", _intro(config.broadsheet_pdf_edition_period))
    if not made:
        section += nodes.paragraph("", str(_("No edition yet: nothing is published.")))
    items = nodes.bullet_list(classes=["broadsheet-editions"])
    page = builder.get_target_uri(EDITIONS_PAGE)
    for edition, count in made:
        uri = relative_uri(page, url_path(f"{PDF_DIR}/{edition.file}"))
        link = nodes.reference("", edition.label, internal=False, refuri=uri)
        size = format_size((pdf_dir / edition.file).stat().st_size, config)
        details = f" · {articles_label(count)} · {size}"
        items += nodes.list_item("", nodes.paragraph("", "", link, nodes.Text(details)))
    if made:
        section += items
    body = render_fragment(builder, section, EDITIONS_PAGE)
    context = {"title": title, "body": body, "broadsheet_generated": True}
    # Rendered beside the page and put in its place only when it differs: a rebuild that
    # changed no edition leaves the page (and its time) as it was.
    page_path = Path(builder.get_outfilename(EDITIONS_PAGE))
    rendered = page_path.with_name(f".{page_path.name}.new")
    builder.handle_page(EDITIONS_PAGE, context, "page.html", outfilename=rendered)
    if page_path.is_file() and page_path.read_bytes() == rendered.read_bytes():
        rendered.unlink()
    else:
        rendered.replace(page_path)


def edition_outputs(app: Sphinx, articles: Iterable[Article]) -> set[str]:
    """The files, relative to the output folder, that the editions of ``articles`` make in
    this build: each edition's PDF, the copy of the latest, and the Editions page. None when
    the build makes no PDF (a rebuild with ``broadsheet_pdf`` turned off removes them)."""
    builder = app.builder
    if builder.format == "typst":
        folder = ""
    elif builder.format == "html" and app.config.broadsheet_pdf:
        folder = f"{PDF_DIR}/"
    else:
        return set()
    editions = editions_of(app.config, articles)
    made = {f"{folder}{e.file}" for e in editions}
    if editions:
        made.add(f"{folder}{edition_file(app.config)}")
    if writes_editions_page(app):
        page = Path(builder.get_outfilename(EDITIONS_PAGE))  # type: ignore[attr-defined]
        made.add(page.relative_to(builder.outdir).as_posix())
    return made


def writes_editions_page(app: Sphinx) -> bool:
    """Whether this build writes the Editions page: an HTML build making PDFs, in a publication
    without a page of its own at that address (see :func:`write_editions_page`)."""
    return (
        bool(app.config.broadsheet_pdf)
        and isinstance(app.builder, StandaloneHTMLBuilder)
        and EDITIONS_PAGE not in app.env.found_docs
    )


def editions_pages(app: Sphinx) -> list[str]:
    """The Editions page's name when this build writes it, for the sitemap."""
    return [EDITIONS_PAGE] if writes_editions_page(app) else []


def _intro(period: str) -> str:
    """The sentence opening the Editions page, saying what an edition holds."""
    intros = {
        "month": _("Each edition is one PDF of the articles published in a month."),
        "week": _("Each edition is one PDF of the articles published in a week."),
        "year": _("Each edition is one PDF of the articles published in a year."),
    }
    if period in intros:
        return str(intros[period])
    return str(_("The edition is one PDF of every published article."))
