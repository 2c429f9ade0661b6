"""Articles: which documents are articles, their front matter, and the per-document state.

Data flows one way: the source's front matter (read in ``source-read``) and the doctree make an
:class:`Article` (in :class:`ArticleTransform`), which is kept in :class:`BroadsheetDomain`.
The header, table of contents, reply form and listings are all drawn from that record. The
domain purges and merges its data, so incremental and parallel (``-j``) builds stay correct.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
import os
from collections.abc import Iterable, Set
from typing import TYPE_CHECKING, Any, ClassVar

from docutils import nodes
from docutils.utils.smartquotes import smartyPants
from sphinx.domains import Domain
from sphinx.transforms import SphinxTransform
from sphinx.util import logging
from sphinx.util.matching import Matcher
from sphinx.util.nodes import make_id
from sphinx.util.osutil import relative_uri

from broadsheet.frontmatter import Date, FrontMatter, Replies, parse_front_matter
from broadsheet.titles import first_heading_is_h1, plain_text, with_title_heading
from broadsheet.translations import __

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.builders import Builder
    from sphinx.config import Config
    from sphinx.environment import BuildEnvironment

logger = logging.getLogger(__name__)

_FRONT_MATTER_KEY = "broadsheet_front_matter"
_ARTICLE_KEY = "broadsheet_article"
_SOURCE_KEY = "broadsheet_source_lines"


@dataclasses.dataclass(frozen=True)
class Article:
    """Everything Broadsheet knows about one article; pickled in the environment."""

    docname: str
    title: str
    #: The id of the article's top section, the anchor of its title.
    anchor: str
    subtitle: str
    authors: tuple[str, ...]
    date: Date | None
    updated: Date | None
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
    changes: tuple[tuple[Date | None, str], ...] = ()
    #: Source line of each front matter key, for warnings found after reading.
    lines: tuple[tuple[str, int], ...] = ()

    def line_of(self, key: str) -> tuple[str, int]:
        """A warning location: the line of front matter ``key``, else the first line."""
        return self.docname, dict(self.lines).get(key, 1)

    @property
    def last_modified(self) -> Date | None:
        """The latest of the publication and update dates."""
        dates = [d for d in (self.date, self.updated) if d is not None]
        return max(dates, key=sort_key) if dates else None


class BroadsheetDomain(Domain):
    """Holds the articles and the documents that list them, per document."""

    name = "broadsheet"
    label = "Broadsheet"
    data_version = 1
    initial_data: ClassVar[dict[str, Any]] = {"articles": {}, "listing_docs": set()}

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

    def note_listing(self, docname: str) -> None:
        """Record that ``docname`` lists articles."""
        self.listing_docs.add(docname)

    def clear_doc(self, docname: str) -> None:
        """Forget what was recorded for ``docname`` before it is read again or removed."""
        self.articles.pop(docname, None)
        self.listing_docs.discard(docname)

    def merge_domaindata(self, docnames: Set[str], otherdata: dict[str, Any]) -> None:
        """Take what a parallel reader recorded for ``docnames``."""
        for docname in docnames:
            if docname in otherdata["articles"]:
                self.articles[docname] = otherdata["articles"][docname]
            if docname in otherdata["listing_docs"]:
                self.listing_docs.add(docname)

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
    matcher: Matcher | None = getattr(config, "_broadsheet_matcher", None)
    if matcher is None:
        matcher = Matcher(config.broadsheet_articles)
        config._broadsheet_matcher = matcher
    return matcher(docname)


def article_section(document: nodes.document) -> nodes.section:
    """The article's top section (its title and everything under it), which
    :class:`ArticleTransform` guarantees every article has."""
    return next(n for n in document.children if isinstance(n, nodes.section))


def current_article(env: BuildEnvironment) -> Article | None:
    """The article being read, for the transforms that run after :class:`ArticleTransform`."""
    article: Article | None = env.temp_data.get(_ARTICLE_KEY)
    return article


def publication_day() -> dt.date:
    """Today, or the day ``SOURCE_DATE_EPOCH`` names, so reproducible builds agree."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
    if epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.UTC).date()
    return dt.date.today()


def is_live(article: Article, today: dt.date) -> bool:
    """Published: not a draft, and not dated after ``today`` (a scheduled article)."""
    if article.draft:
        return False
    if article.date is None:
        return True
    day = article.date.date() if isinstance(article.date, dt.datetime) else article.date
    return day <= today


def newest_first(articles: Iterable[Article]) -> list[Article]:
    """``articles`` newest first; undated ones last, then by title."""
    return sorted(articles, key=lambda a: (a.date is None, -sort_key(a.date), a.title.casefold()))


def published(
    articles: Iterable[Article], *, show_drafts: bool = False, today: dt.date | None = None
) -> list[Article]:
    """The published articles (all of them with ``show_drafts``), newest first."""
    day = today or publication_day()
    return newest_first(a for a in articles if show_drafts or is_live(a, day))


def sort_key(value: Date | None) -> float:
    """A number that orders dates and datetimes together."""
    if value is None:
        return 0.0
    if isinstance(value, dt.datetime):
        seconds = value.hour * 3600 + value.minute * 60 + value.second
        return value.toordinal() + seconds / 86400
    return float(value.toordinal())


def typeset(text: str, config: Config) -> str:
    """``text`` with the typographic quotes and dashes Sphinx gives the page's own text.

    Front matter values skip Sphinx's SmartQuotes transform; this keeps a deck or a listing
    title consistent with the headline on the page.
    """
    if not text or not config.smartquotes:
        return text
    language = (config.language or "en").replace("_", "-")
    return str(smartyPants(text, config.smartquotes_action, language))


#: Folder of the PDF editions inside the HTML output.
PDF_DIR = "pdf"


def article_pdf(docname: str) -> str:
    """Where the PDF of ``docname`` lives, relative to the HTML output folder."""
    return f"{PDF_DIR}/{docname}.pdf"


def pdf_link(builder: Builder, docname: str) -> str:
    """The link from ``docname``'s page to its PDF."""
    return relative_uri(builder.get_target_uri(docname), article_pdf(docname))


def canonical_url(builder: Builder, docname: str) -> str:
    """The address of ``docname`` in the web edition: absolute when ``html_baseurl`` is set."""
    config = builder.config
    if builder.format == "html":
        target = builder.get_target_uri(docname)
    else:
        target = docname + (config.html_file_suffix or ".html")
    base = config.html_baseurl
    return f"{base.rstrip('/')}/{target}" if base else target


def read_front_matter(app: Sphinx, docname: str, source: list[str]) -> None:
    """Parse an article's front matter while its source text is at hand."""
    if not is_article(app.config, docname):
        return
    lines = source[0].splitlines()
    front, problems = parse_front_matter(lines)
    for problem in problems:
        logger.warning(
            problem.message,
            type="broadsheet",
            subtype="front_matter",
            location=(docname, problem.line),
        )
    if front.title and not first_heading_is_h1(lines, front.end + 1):
        # Give myst-parser the H1 the front matter implies, so it nests the H2s under it
        # instead of warning that headings start at H2 ("myst.header").
        lines = with_title_heading(lines, front.end + 1, front.title)
        source[0] = "\n".join(lines) + "\n"
    app.env.temp_data[_FRONT_MATTER_KEY] = front
    app.env.temp_data[_SOURCE_KEY] = lines


class ArticleTransform(SphinxTransform):
    """Give the article its title section and record it in the domain.

    Runs before Sphinx's collectors (``doctree-read``), so the page title, ``env.titles`` and
    the section tree all see the final title.
    """

    default_priority = 400

    def apply(self, **kwargs: Any) -> None:
        front: FrontMatter | None = self.env.temp_data.get(_FRONT_MATTER_KEY)
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
        article = Article(
            docname=docname,
            title=typeset(title, config),
            anchor=section["ids"][0] if section["ids"] else "",
            subtitle=typeset(front.subtitle, config),
            authors=front.authors,
            date=front.date,
            updated=front.updated,
            tags=front.tags,
            summary=typeset(front.summary, config),
            image=front.image,
            draft=front.draft,
            toc_depth=toc_depth,
            replies=front.replies,
            words=words,
            minutes=max(1, math.ceil(words / config.broadsheet_words_per_minute)),
            changes=tuple((day, typeset(note, config)) for day, note in front.changes),
            lines=tuple(sorted(front.lines.items())),
        )
        self.env.temp_data[_ARTICLE_KEY] = article
        get_domain(self.env).note_article(article)
        # Articles are reached through listings, not the toctree: marking them orphan keeps
        # furo's navigation (and so every page) from growing with the publication.
        self.env.metadata[docname]["orphan"] = True

    def _is_h1(self, section: nodes.section) -> bool:
        """Whether ``section`` was opened by a level-one heading in the source.

        A page without an H1 has its H2s at the top of the doctree too, so the doctree alone
        cannot tell "# Title" from "## First section"; the source line can.
        """
        lines: list[str] = self.env.temp_data.get(_SOURCE_KEY) or []
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
    app.add_transform(ArticleTransform)
