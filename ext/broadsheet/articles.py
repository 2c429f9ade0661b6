"""Articles: which documents are articles, their front matter, and the per-document state.

Data flows one way: the source's front matter (read in ``source-read``) and the doctree make an
:class:`Article` (in :class:`ArticleTransform`), which is kept in :class:`BroadsheetDomain`.
The header, table of contents, reply form and listings are all drawn from that record. The
domain purges and merges its data, so incremental and parallel (``-j``) builds stay correct.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import math
from collections.abc import Iterable, Set
from typing import TYPE_CHECKING, Any, ClassVar, Literal

from docutils import nodes
from docutils.utils.smartquotes import smartyPants
from sphinx.domains import Domain
from sphinx.transforms import SphinxTransform
from sphinx.util import logging
from sphinx.util.matching import Matcher
from sphinx.util.nodes import make_id

from broadsheet.dates import build_now, instant, publication_zone, sort_key
from broadsheet.frontmatter import FrontMatter, Replies, parse_front_matter
from broadsheet.titles import (
    first_heading_is_h1,
    plain_text,
    source_lines,
    spare_lines,
    with_title_heading,
)
from broadsheet.translations import __

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.config import Config
    from sphinx.environment import BuildEnvironment

logger = logging.getLogger(__name__)

_FRONT_MATTER_KEY = "broadsheet_front_matter"
_ARTICLE_KEY = "broadsheet_article"
_SOURCE_KEY = "broadsheet_source_lines"

#: Where an article is in its life: published, a draft, dated after the build's "now", or
#: without a valid date (never published by accident: it stays out until it has one).
Status = Literal["live", "draft", "scheduled", "undated"]


def status_of(draft: bool, date: dt.datetime | None, now: dt.datetime) -> Status:
    """The status of an article with these ``draft`` and ``date`` values at ``now``."""
    if draft:
        return "draft"
    if date is None:
        return "undated"
    return "scheduled" if date > now else "live"


@dataclasses.dataclass(frozen=True)
class Article:
    """Everything Broadsheet knows about one article; pickled in the environment."""

    docname: str
    title: str
    #: The id of the article's top section, the anchor of its title.
    anchor: str
    subtitle: str
    authors: tuple[str, ...]
    #: Publication and update instants, zone-aware, in the publication's zone.
    date: dt.datetime | None
    updated: dt.datetime | None
    tags: tuple[str, ...]
    summary: str
    image: str
    draft: bool
    #: 0 when the article has no table of contents, else the depth in heading levels.
    toc_depth: int
    replies: Replies
    words: int
    minutes: int
    #: Update notes from the ``changes`` front matter key: (date or None, note).
    changes: tuple[tuple[dt.datetime | None, str], ...] = ()
    #: Its status at the build that read it; only preview builds read articles not "live".
    status: Status = "live"
    #: When a retracted article was withdrawn, and the notice that replaces its text.
    retracted: dt.datetime | None = None
    retraction: str = ""
    #: Source line of each front matter key, for warnings found after reading.
    lines: tuple[tuple[str, int], ...] = ()
    #: What the lead image shows (``image_alt``); empty when the front matter does not say.
    image_alt: str = ""

    def line_of(self, key: str) -> tuple[str, int]:
        """A warning location: the line of front matter ``key``, else the first line."""
        return self.docname, dict(self.lines).get(key, 1)

    @property
    def last_modified(self) -> dt.datetime | None:
        """The latest of the publication, update and retraction instants."""
        dates = [d for d in (self.date, self.updated, self.retracted) if d is not None]
        return max(dates) if dates else None


class BroadsheetDomain(Domain):
    """Holds the articles and the documents that list them, per document."""

    name = "broadsheet"
    label = "Broadsheet"
    data_version = 4
    #: Per-document records other modules keep here: name -> {docname: value}.
    RECORDS = ("links", "lead_images", "reply_counts", "paginated")
    initial_data: ClassVar[dict[str, Any]] = {
        "articles": {},
        "listing_docs": set(),
        **{record: {} for record in RECORDS},
    }

    @property
    def articles(self) -> dict[str, Article]:
        """Articles by docname, drafts included."""
        articles: dict[str, Article] = self.data["articles"]
        return articles

    @property
    def listing_docs(self) -> set[str]:
        """Documents that contain an article listing and must follow article changes."""
        docs: set[str] = self.data["listing_docs"]
        return docs

    def note_article(self, article: Article) -> None:
        """Record the article read from ``article.docname``."""
        self.articles[article.docname] = article

    def note(self, docname: str, record: str, value: Any) -> None:
        """Keep ``value`` for ``docname`` in the per-document ``record`` (one of RECORDS)."""
        self.data.setdefault(record, {})[docname] = value

    def note_listing(self, docname: str) -> None:
        """Record that ``docname`` lists articles."""
        self.listing_docs.add(docname)

    def clear_doc(self, docname: str) -> None:
        """Forget what was recorded for ``docname`` before it is read again or removed."""
        self.articles.pop(docname, None)
        self.listing_docs.discard(docname)
        for record in self.RECORDS:
            self.data.setdefault(record, {}).pop(docname, None)

    def merge_domaindata(self, docnames: Set[str], otherdata: dict[str, Any]) -> None:
        """Take what a parallel reader recorded for ``docnames``."""
        for docname in docnames:
            if docname in otherdata["articles"]:
                self.articles[docname] = otherdata["articles"][docname]
            if docname in otherdata["listing_docs"]:
                self.listing_docs.add(docname)
            for record in self.RECORDS:
                if docname in otherdata.get(record, {}):
                    self.note(docname, record, otherdata[record][docname])

    def resolve_any_xref(self, *args: Any, **kwargs: Any) -> list[Any]:
        """Broadsheet defines no cross-reference roles."""
        return []


def get_domain(env: BuildEnvironment) -> BroadsheetDomain:
    """The Broadsheet domain of ``env``."""
    domain = env.domains["broadsheet"]
    assert isinstance(domain, BroadsheetDomain)
    return domain


def is_article(config: Config, docname: str) -> bool:
    """Whether ``docname`` is matched by ``broadsheet_articles``."""
    return _matcher(tuple(config.broadsheet_articles))(docname)


@functools.lru_cache(maxsize=8)
def _matcher(patterns: tuple[str, ...]) -> Matcher:
    # Compiling the patterns costs more than matching; every transform asks.
    return Matcher(patterns)


def article_section(document: nodes.document) -> nodes.section:
    """The article's top section (its title and everything under it), which
    :class:`ArticleTransform` guarantees every article has."""
    return next(n for n in document.children if isinstance(n, nodes.section))


def current_article(env: BuildEnvironment) -> Article | None:
    """The article being read, for the transforms that run after :class:`ArticleTransform`."""
    article: Article | None = env.current_document.get(_ARTICLE_KEY)
    return article


def current_front_matter(env: BuildEnvironment) -> FrontMatter | None:
    """The front matter of the article being read, once ``source-read`` has parsed it."""
    front: FrontMatter | None = env.current_document.get(_FRONT_MATTER_KEY)
    return front


def build_instant(env: BuildEnvironment) -> dt.datetime:
    """The "now" of this build, fixed once when it starts (see :mod:`broadsheet.publishing`),
    in the publication's zone."""
    now: dt.datetime | None = get_domain(env).data.get("now")
    return now or build_now(publication_zone(env.config))


def newest_first(articles: Iterable[Article]) -> list[Article]:
    """``articles`` newest first; undated ones last, then by title, then by docname."""
    return sorted(
        articles,
        key=lambda a: (a.date is None, -sort_key(a.date), a.title.casefold(), a.docname),
    )


def published(articles: Iterable[Article], *, show_drafts: bool = False) -> list[Article]:
    """The articles that listings, tag pages, feeds and editions show, newest first.

    A normal build never reads an article that is not live, so this only drops retracted
    ones; a preview build (``show_drafts``) shows drafts and scheduled articles too.
    """
    return newest_first(
        a for a in articles if a.retracted is None and (show_drafts or a.status == "live")
    )


def typeset(text: str, config: Config) -> str:
    """``text`` with the typographic quotes and dashes Sphinx gives the page's own text.

    Front matter values skip Sphinx's SmartQuotes transform; this keeps a deck or a listing
    title consistent with the headline on the page.
    """
    if not text or not config.smartquotes:
        return text
    language = (config.language or "en").replace("_", "-")
    return str(smartyPants(text, config.smartquotes_action, language))


def read_front_matter(app: Sphinx, docname: str, source: list[str]) -> None:
    """Parse an article's front matter while its source text is at hand."""
    if not is_article(app.config, docname):
        return
    lines = source_lines(source[0])
    front, problems = parse_front_matter(lines, publication_zone(app.config))
    for problem in problems:
        logger.warning(
            problem.message,
            type="broadsheet",
            subtype="front_matter",
            location=(docname, problem.line),
        )
    if front.dropped:
        # Values over a limit must not reach myst-parser's YAML reading either.
        for first, last in front.dropped:
            lines[first : last + 1] = [""] * (last + 1 - first)
        source[0] = "\n".join(lines) + "\n"
    app.env.current_document[_FRONT_MATTER_KEY] = front
    app.env.current_document[_SOURCE_KEY] = lines


def add_title_heading(app: Sphinx, docname: str, source: list[str]) -> None:
    """Give myst-parser the H1 the front matter implies, so it nests the H2s under it instead
    of warning that headings start at H2 ("myst.header"); every body line keeps its number.

    After the untrusted mode's filter (600), which blanks front matter lines by their place.
    """
    front = current_front_matter(app.env) if is_article(app.config, docname) else None
    if front is None or not front.title:
        return
    lines = source_lines(source[0])
    if first_heading_is_h1(lines, front.end + 1):
        return
    spare = spare_lines(lines, front)
    lines = with_title_heading(lines, front.end, front.title, spare)
    source[0] = "\n".join(lines) + "\n"
    app.env.current_document[_SOURCE_KEY] = lines


class ArticleTransform(SphinxTransform):
    """Give the article its title section and record it in the domain.

    Runs before Sphinx's collectors (``doctree-read``), so the page title, ``env.titles`` and
    the section tree all see the final title.
    """

    default_priority = 400

    def apply(self, **kwargs: Any) -> None:
        front: FrontMatter | None = self.env.current_document.get(_FRONT_MATTER_KEY)
        if front is None:
            return
        docname = self.env.docname
        section = self._title_section(front, docname)
        title = plain_text(section[0]) if section.children else ""
        if not title:
            # A heading of markup alone (say an empty HTML tag) gives a page with no headline.
            title = docname.rsplit("/", 1)[-1]
            logger.warning(
                __("the article's title has no text; using %r"),
                title,
                type="broadsheet",
                subtype="front_matter",
                location=section[0] if section.children else (docname, 1),
            )
            heading = section[0]
            assert isinstance(heading, nodes.title)
            heading.children = []
            heading.append(nodes.Text(title))
        words = sum(len(t.astext().split()) for t in self.document.findall(nodes.Text))
        config = self.config
        toc_depth = config.broadsheet_toc_depth if front.toc is None else front.toc
        retracted = front.retracted
        if retracted is not None:
            toc_depth = 0  # a retraction notice has no sections and takes no replies
        zone = publication_zone(config)
        date = instant(front.date, zone) if front.date else None
        article = Article(
            docname=docname,
            title=typeset(title, config),
            anchor=section["ids"][0] if section["ids"] else "",
            subtitle=typeset(front.subtitle, config),
            authors=front.authors,
            date=date,
            updated=instant(front.updated, zone) if front.updated else None,
            tags=front.tags,
            summary=typeset(front.summary, config),
            image=front.image,
            image_alt=typeset(front.image_alt, config),
            draft=front.draft,
            toc_depth=toc_depth,
            replies="off" if retracted else front.replies,
            words=words,
            minutes=max(1, math.ceil(words / config.broadsheet_words_per_minute)),
            changes=tuple(
                (instant(day, zone) if day else None, typeset(note, config))
                for day, note in front.changes
            ),
            lines=tuple(sorted(front.lines.items())),
            status=status_of(front.draft, date, build_instant(self.env)),
            retracted=instant(retracted.date, zone) if retracted else None,
            retraction=typeset(retracted.reason, config) if retracted else "",
        )
        self.env.current_document[_ARTICLE_KEY] = article
        get_domain(self.env).note_article(article)
        # Articles are reached through listings, not the toctree: marking them orphan keeps
        # furo's navigation (and so every page) from growing with the publication.
        self.env.metadata[docname]["orphan"] = True

    def _is_h1(self, section: nodes.section) -> bool:
        """Whether ``section`` was opened by a level-one heading in the source.

        A page without an H1 has its H2s at the top of the doctree too, so the doctree alone
        cannot tell "# Title" from "## First section"; the source line can.
        """
        lines: list[str] = self.env.current_document.get(_SOURCE_KEY) or []
        line = section[0].line if section.children else None
        if not line or line > len(lines):
            return True
        text = lines[line - 1].lstrip()
        if text.startswith("#"):
            return text.startswith("# ") or text.rstrip() == "#"
        underline = lines[line].strip() if line < len(lines) else ""
        return bool(underline) and set(underline) == {"="}

    def _title_section(self, front: FrontMatter, docname: str) -> nodes.section:
        """Return the article's top section, made or retitled from the front matter."""
        section = next((n for n in self.document.children if isinstance(n, nodes.section)), None)
        if section is not None and self._is_h1(section):
            if front.title:
                # The front matter names the article everywhere; keep the H1 in step with it.
                title = section[0]
                assert isinstance(title, nodes.title)
                title.children = []
                title.append(nodes.Text(front.title))
            return section
        text = front.title
        if not text:
            logger.warning(
                __("article has no title: give it a 'title' in front matter or an H1 heading"),
                type="broadsheet",
                subtype="front_matter",
                location=(docname, 1),
            )
            text = docname.rsplit("/", 1)[-1]
        section = nodes.section()
        section["ids"].append(make_id(self.env, self.document, "", text))
        section["names"].append(nodes.fully_normalize_name(text))
        section.append(nodes.title(text, text))
        # Sphinx's metadata collector expects the docinfo (the front matter) to stay at the top.
        keep = (nodes.PreBibliographic, nodes.docinfo)
        body = [n for n in self.document.children if not isinstance(n, keep)]
        for node in body:
            self.document.remove(node)
        section.extend(body)
        self.document += section
        return section


def setup_articles(app: Sphinx) -> None:
    """Register the domain, the front matter reader and the article transform."""
    app.add_domain(BroadsheetDomain)
    app.connect("source-read", read_front_matter)
    app.connect("source-read", add_title_heading, priority=700)
    app.add_transform(ArticleTransform)
