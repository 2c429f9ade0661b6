"""The published replies under an article: read from its reply file, drawn above the form.

While an article is read, :class:`ReplyThreadTransform` reads ``replies/<docname>.yaml``
(:mod:`broadsheet.reply_files`) and puts one :class:`reply_thread` before the reply form: a
``rubric`` with the count ("3 Replies") and one :class:`reader_reply` per reply, each holding a
paragraph with the author, website and date, the reply's text as ordinary docutils nodes
(:mod:`broadsheet.reply_markdown`) and its answers; past ``broadsheet_reply_limit`` replies a
paragraph says how many more there are. Both nodes are containers, so every
builder draws them as it draws any container; HTML draws the thread from the
``broadsheet/reply-thread.html`` template, Typst, LaTeX and text indent the answers.

The reply file is a dependency of the article, so editing it rebuilds the page; the count is
kept per document in the domain for the listings.
"""

from __future__ import annotations

from collections.abc import Set
from pathlib import Path
from typing import TYPE_CHECKING, Any

from docutils import nodes
from markupsafe import Markup
from sphinx.transforms import SphinxTransform
from sphinx.util import logging

from broadsheet.articles import article_section, current_article, get_domain, is_article
from broadsheet.dates import format_date, iso, publication_zone
from broadsheet.listings import published_date, replies_label
from broadsheet.page_templates import render_template
from broadsheet.replies import reply_form
from broadsheet.reply_files import REPLIES_DIR, Reply, anchor, read_reply_file, reply_file
from broadsheet.reply_markdown import reader_link, reply_nodes
from broadsheet.reply_tree import ThreadedReply, shown, thread
from broadsheet.translations import _, __, ngettext
from broadsheet.typst import escape

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment
    from sphinx.writers.html5 import HTML5Translator
    from sphinx.writers.latex import LaTeXTranslator
    from sphinx.writers.text import TextTranslator

    from broadsheet.typst.translator import TypstTranslator

logger = logging.getLogger(__name__)

#: The anchor of the thread; listings link their reply count to it.
THREAD_ID = "replies"
#: Answers nest this deep at most, so a thread stays readable on a 375 px screen.
MAX_DEPTH = 3
#: The domain record of each article's number of published replies.
COUNTS = "reply_counts"


class reply_thread(nodes.container):  # noqa: N801 (docutils names node classes in lowercase)
    """The published replies: a ``rubric`` (the count) and :class:`reader_reply` nodes."""


class reader_reply(nodes.container):  # noqa: N801 (docutils names node classes in lowercase)
    """One reply: a paragraph of author and date, its text, then its answers.

    Attributes: ``reply_id``, ``author``, ``website``, ``date`` (RFC 3339), ``depth`` and,
    for an answer shown beside (not under) the reply it answers, ``answers_author`` and
    ``answers_anchor``.
    """


def make_thread(
    placed: list[ThreadedReply], count: int, date_text: Any, hidden: int = 0
) -> reply_thread:
    """The thread node of ``placed`` replies, of ``count`` in all, ``hidden`` of them left
    out (``broadsheet_reply_limit``); ``date_text`` formats a reply's date."""
    heading = replies_label(count)
    node = reply_thread(ids=[THREAD_ID], classes=["broadsheet-reply-thread"], count=count)
    node += nodes.rubric(heading, heading, classes=["broadsheet-reply-thread-title"])
    for item in placed:
        node += _reply_node(item, date_text)
    if hidden:
        more = ngettext(
            "%d more reply is not shown here.", "%d more replies are not shown here.", hidden
        )
        node += nodes.paragraph("", more % hidden, classes=["broadsheet-reply-more"])
    return node


def _reply_node(item: ThreadedReply, date_text: Any) -> reader_reply:
    reply: Reply = item.reply
    author = reply.author or _("Anonymous")
    node = reader_reply(
        ids=[anchor(reply.id)],
        classes=["broadsheet-reply", f"broadsheet-reply-depth-{item.depth}"],
        reply_id=reply.id,
        author=author,
        website=reply.website,
        date=iso(reply.date),
        depth=item.depth,
    )
    meta = nodes.paragraph(classes=["broadsheet-reply-meta"])
    if reply.website:
        meta += reader_link("", "", nodes.strong(author, author), refuri=reply.website)
    else:
        meta += nodes.strong(author, author)
    shown = date_text(reply.date)
    meta += nodes.Text(" · ")
    meta += published_date("", shown, datetime=iso(reply.date))
    if item.answers is not None:
        answered = item.answers.author or _("Anonymous")
        node["answers_author"] = answered
        node["answers_anchor"] = anchor(item.answers.id)
        meta += nodes.Text(" · " + _("in reply to") + " ")
        meta += nodes.reference("", answered, internal=True, refid=anchor(item.answers.id))
    node += meta
    node.extend(reply_nodes(reply.text))
    for child in item.children:
        node += _reply_node(child, date_text)
    return node


class ReplyThreadTransform(SphinxTransform):
    """Read the article's reply file and put the thread above the reply form."""

    # After ReplyTransform (640), which adds the form this goes in front of.
    default_priority = 645

    def apply(self, **kwargs: Any) -> None:
        article = current_article(self.env)
        if article is None or article.retracted is not None:
            return
        docname = self.env.docname
        path = reply_file(self.env.srcdir, docname)
        domain = get_domain(self.env)
        if not path.is_file():
            return
        # Noted only when the file exists: Sphinx re-reads a document whose dependency is
        # missing on every build. A reply file added later is found by outdated_by_replies.
        self.env.note_dependency(path)
        replies, problems = read_reply_file(path, publication_zone(self.config), self.env.srcdir)
        placed, thread_problems = thread(replies, MAX_DEPTH)
        for problem in [*problems, *thread_problems]:
            logger.warning(
                problem.message,
                type="broadsheet",
                subtype="replies",
                location=f"{path}:{problem.line}",
            )
        domain.note(docname, COUNTS, len(replies))
        if not replies:
            return
        config = self.config
        # However many replies a file holds, the page (and the PDF) stays small.
        placed, hidden = shown(placed, config.broadsheet_reply_limit)
        if hidden:
            logger.warning(
                __("%d replies not shown: more than broadsheet_reply_limit (%d)"),
                len(hidden),
                config.broadsheet_reply_limit,
                type="broadsheet",
                subtype="replies",
                location=f"{path}:{hidden[0].line}",
            )
        node = make_thread(
            placed, len(replies), lambda when: format_date(when, config), len(hidden)
        )
        # Replies can be answered from the page only where the form takes them.
        node["answerable"] = article.replies == "open"
        section = article_section(self.document)
        form = next(iter(section.findall(reply_form)), None)
        if form is not None and form.parent is section:
            section.insert(section.index(form), node)
        else:
            section += node


def outdated_by_replies(
    app: Sphinx, env: BuildEnvironment, added: Set[str], changed: Set[str], removed: Set[str]
) -> list[str]:
    """Articles whose reply file appeared since they were read, and the pages listing them.

    A reply file that changed or went away is a noted dependency: Sphinx finds those itself.
    """
    domain = get_domain(env)
    counts: dict[str, int] = domain.data.get(COUNTS, {})
    new = [
        docname
        for docname in domain.articles
        if docname not in counts
        and docname not in changed
        and docname not in removed
        and is_article(app.config, docname)
        and reply_file(env.srcdir, docname).is_file()
    ]
    _warn_orphan_reply_files(env)
    if not new:
        return []
    return sorted({*new, *domain.listing_docs} - set(removed))


def _warn_orphan_reply_files(env: BuildEnvironment) -> None:
    """A reply file with no source beside it (a typo, a renamed article) is published nowhere:
    say so. One whose article exists but is not live stays silent (it must not be named)."""
    folder = Path(env.srcdir, REPLIES_DIR)
    if not folder.is_dir():
        return
    for path in sorted(folder.rglob("*.yaml")):
        docname = path.relative_to(folder).with_suffix("").as_posix()
        if docname in env.found_docs or any(
            Path(env.srcdir, docname + suffix).is_file() for suffix in env.config.source_suffix
        ):
            continue
        logger.warning(
            __("reply file for %s, which is not a document: its replies are not published"),
            docname,
            type="broadsheet",
            subtype="replies",
            location=f"{path}:1",
        )


# -- renderings ----------------------------------------------------------------------------


def _body_html(self: HTML5Translator, node: reader_reply) -> Markup:
    """The HTML of a reply's text, made by Sphinx's translator from the reply's own nodes."""
    saved = self.body
    self.body = []
    try:
        for child in node.children:
            if isinstance(child, reader_reply) or (
                isinstance(child, nodes.Element) and "broadsheet-reply-meta" in child["classes"]
            ):
                continue
            child.walkabout(self)
        # Made by the translator from docutils nodes: escaped as the rest of the page.
        return Markup("".join(self.body))
    finally:
        self.body = saved


def _reply_context(self: HTML5Translator, node: reader_reply) -> dict[str, Any]:
    reply_id: str = node["reply_id"]
    date = next(iter(node.findall(published_date)))
    answers = None
    if node.get("answers_anchor"):
        answers = {"author": node["answers_author"], "anchor": node["answers_anchor"]}
    return {
        "id": reply_id,
        "anchor": node["ids"][0],
        "author": node["author"],
        "website": node["website"],
        "date": node["date"],
        "date_text": date.astext(),
        "depth": node["depth"],
        "answers": answers,
        # Isso threads answers under its own comments only.
        "isso_id": reply_id.removeprefix("isso-") if reply_id.startswith("isso-") else "",
        "text": _body_html(self, node),
        "replies": [_reply_context(self, c) for c in node.children if isinstance(c, reader_reply)],
    }


def visit_thread_html(self: HTML5Translator, node: reply_thread) -> None:
    """The thread, from the ``broadsheet/reply-thread.html`` template."""
    context = {
        "thread_id": node["ids"][0],
        "heading": node[0].astext(),
        "count": node["count"],
        "replies": [_reply_context(self, c) for c in node.children if isinstance(c, reader_reply)],
        "more": " ".join(
            c.astext()
            for c in node.children
            if isinstance(c, nodes.paragraph) and "broadsheet-reply-more" in c["classes"]
        ),
        "answer_label": _("Reply"),
        "in_reply_to_label": _("in reply to"),
        "answering": bool(self.builder.config.broadsheet_isso_url and node.get("answerable")),
    }
    self.body.append(render_template(self.builder, "broadsheet/reply-thread.html", context))
    raise nodes.SkipNode


def visit_reader_link_html(self: HTML5Translator, node: reader_link) -> None:
    """A reader's link: the search engines are told it is user content, not an endorsement."""
    href = self.attval(node["refuri"])
    self.body.append(f'<a class="reference external" href="{href}" rel="nofollow ugc">')


def depart_reader_link_html(self: HTML5Translator, node: reader_link) -> None:
    self.body.append("</a>")


def visit_reply_typst(self: TypstTranslator, node: reader_reply) -> None:
    """A reply block; an answer is indented under the reply it answers."""
    body = self.render_children(node)
    answer = node["depth"] > 1
    rule = {"paint": escape.expression("luma", 170), "thickness": escape.length(0.5, "pt")}
    self.block(
        escape.call(
            "block",
            above=escape.length(1.1, "em"),
            inset={"left": escape.length(0.8, "em")} if answer else None,
            stroke={"left": rule} if answer else None,
            breakable=True,
            body=body,
        )
    )
    raise nodes.SkipNode


def visit_thread_typst(self: TypstTranslator, node: reply_thread) -> None:
    """Space above the thread, which follows the article's last paragraph."""
    self.block(escape.call("v", escape.length(1.2, "em")))


def visit_reply_latex(self: LaTeXTranslator, node: reader_reply) -> None:
    if node["depth"] > 1:
        self.body.append("\n\\begin{quote}\n")


def depart_reply_latex(self: LaTeXTranslator, node: reader_reply) -> None:
    if node["depth"] > 1:
        self.body.append("\n\\end{quote}\n")


def visit_reply_text(self: TextTranslator, node: reader_reply) -> None:
    self.new_state(3 if node["depth"] > 1 else 0)


def depart_reply_text(self: TextTranslator, node: reader_reply) -> None:
    self.end_state()


def _pass(self: Any, node: nodes.Element) -> None:
    """The thread is a container: its children are drawn as they are."""


def setup_reply_thread(app: Sphinx) -> None:
    """Register the thread's nodes, their renderings, the transform and the invalidation."""
    # Other builders draw both as containers and reader_link as a reference (Sphinx's
    # translators find a visitor along the node's classes).
    app.add_node(
        reply_thread,
        html=(visit_thread_html, None),
        typst=(visit_thread_typst, _pass),
        latex=(_pass, _pass),
        text=(_pass, _pass),
    )
    app.add_node(
        reader_reply,
        typst=(visit_reply_typst, None),
        latex=(visit_reply_latex, depart_reply_latex),
        text=(visit_reply_text, depart_reply_text),
    )
    app.add_node(reader_link, html=(visit_reader_link_html, depart_reader_link_html))
    app.add_transform(ReplyThreadTransform)
    app.connect("env-get-outdated", outdated_by_replies)
