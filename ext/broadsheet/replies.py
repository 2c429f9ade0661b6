"""The "Leave a Reply" form appended to every article.

Its mode follows ``broadsheet_isso_url`` and ``broadsheet_reply_action`` (checked at start-up
by :mod:`broadsheet.config`): an Isso server makes a form that ``broadsheet-replies.js`` posts
to Isso (disabled, with a note saying why, where scripts do not run); otherwise an empty action
makes a placeholder with disabled fields and no action, an ``https:`` URL a form that POSTs
there, a ``mailto:`` address a form that composes an email. The markup comes from the
``broadsheet/reply-form.html`` template, which a publication may override. ``replies: closed``
in front matter says replies are closed, ``replies: false`` leaves the form out. Field names,
order and length limits follow WordPress, so an existing comment service can take the posts.
The form's renderings are registered together in :func:`setup_replies`: the HTML form; in the
PDF, a note with the article's address and its QR code; for every other builder, the note as a
plain paragraph (:mod:`broadsheet.renderings`).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple
from urllib.parse import urlsplit

from docutils import nodes
from sphinx.transforms import SphinxTransform
from sphinx.util.fileutil import copy_asset_file

from broadsheet.articles import article_section, current_article
from broadsheet.page_templates import render_template
from broadsheet.renderings import PLAIN_FORM, PlainForm, plain_form_node
from broadsheet.translations import _
from broadsheet.typst import escape
from broadsheet.urls import canonical_url, with_subject

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.builders import Builder
    from sphinx.writers.html5 import HTML5Translator

    from broadsheet.typst.translator import TypstTranslator

FORM_ID = "broadsheet-reply"
STATIC_DIR = Path(__file__).parent / "static"
#: The script that posts the form to Isso.
SCRIPT = "broadsheet-replies.js"
#: Isso refuses a reply shorter than this.
ISSO_MIN_TEXT = 3


@plain_form_node
class reply_form(PlainForm, nodes.General):  # noqa: N801 (docutils names node classes in lowercase)
    """The reply form; attributes: ``docname``, ``title`` and ``state`` (open or closed)."""

    def plain_form(self, builder: Builder) -> list[nodes.Node]:
        """A heading and a note: replies are closed, or taken on the web edition."""
        heading = _("Leave a Reply")
        if self["state"] == "closed":
            text = _("Replies are closed.")
        else:
            url = canonical_url(builder, self["docname"])
            text = _("Replies to this article are taken on its web edition: %s") % url
        return [
            nodes.rubric(heading, heading, classes=["broadsheet-replies-title"]),
            nodes.paragraph(text, text, classes=["broadsheet-reply-note"]),
        ]


class Field(NamedTuple):
    """One input of the form, as WordPress names and limits it."""

    name: str
    label: str
    input_type: str
    maxlength: int
    required: bool
    autocomplete: str


def fields() -> list[Field]:
    """The form's inputs in reading order, labels translated."""
    return [
        Field("comment", _("Comment"), "textarea", 65525, True, "off"),
        Field("author", _("Name"), "text", 245, True, "name"),
        Field("email", _("Email"), "email", 100, True, "email"),
        Field("url", _("Website"), "url", 200, False, "url"),
    ]


class ReplyTransform(SphinxTransform):
    """Append the reply form at the end of the article."""

    # After myst-parser's CollectFootnotes (623), which appends the footnotes to the document.
    default_priority = 640

    def apply(self, **kwargs: Any) -> None:
        article = current_article(self.env)
        if article is None or article.replies == "off":
            return
        section = article_section(self.document)
        # myst-parser puts the footnotes after the article's section; they belong to the
        # article, above its reply form.
        trailing = self.document.children[self.document.index(section) + 1 :]
        for node in list(trailing):
            self.document.remove(node)
            section += node
        section += reply_form(docname=article.docname, title=article.title, state=article.replies)


def _form_attributes(action: str, title: str) -> dict[str, str]:
    """The ``<form>`` attributes for the configured action (none for the placeholder)."""
    if not action:
        return {}
    if action.lower().startswith("mailto:"):
        target = with_subject(action, _("Reply to: %s") % title)
        return {"action": target, "method": "post", "enctype": "text/plain"}
    return {"action": action, "method": "post"}


def isso_uri(builder: Builder, docname: str) -> str:
    """The thread of ``docname`` in Isso: the path of its page on the web (``/articles/x.html``).

    ``broadsheet replies`` asks Isso for the same path, so both agree whatever serves the page.
    """
    path = urlsplit(canonical_url(builder, docname)).path
    return path if path.startswith("/") else "/" + path


def form_context(builder: Builder, node: reply_form) -> dict[str, Any]:
    """What the ``broadsheet/reply-form.html`` template is given."""
    config = builder.config
    isso_url: str = config.broadsheet_isso_url
    action: str = "" if isso_url else config.broadsheet_reply_action
    mode = (
        "isso"
        if isso_url
        else "placeholder"
        if not action
        else "mailto"
        if action.lower().startswith("mailto:")
        else "post"
    )
    notices = {
        "placeholder": _(
            "Replies are not open yet. The form will work once a reply service is set up."
        ),
        "mailto": _("Posting a reply opens your email program with the reply written out."),
        # Shown until the script takes the form over: it posts to Isso, which takes JSON only.
        "isso": _(
            "Posting a reply needs JavaScript, which is off or blocked in this browser. "
            "Turn it on for this site to post a reply."
        ),
    }
    shown = [f for f in fields() if not (mode == "isso" and f.name == "email")]
    article_url = canonical_url(builder, node["docname"])
    return {
        "form_id": FORM_ID,
        "heading": _("Leave a Reply"),
        "state": node["state"],
        "closed_text": _("Replies are closed."),
        "mode": mode,
        "notice": notices.get(mode, ""),
        "attributes": _form_attributes(action, node["title"]),
        "disabled": mode in ("placeholder", "isso"),
        "email_note": _("Your email address will not be published.") if mode != "isso" else "",
        "moderation_note": _("Replies are read by an editor before they are published.")
        if mode == "isso"
        else "",
        "required_note": _("Required fields are marked"),
        "fields": [f._asdict() for f in shown],
        "honeypot_label": _("Leave this field empty"),
        "article_url": article_url,
        "submit_label": _("Post Reply"),
        "print_note": _("Replies to this article are taken on its web edition:"),
        "isso": {
            "url": isso_url,
            "uri": isso_uri(builder, node["docname"]) if isso_url else "",
            "title": node["title"],
            "minlength": ISSO_MIN_TEXT,
        },
        "messages": {
            "sending": _("Sending your reply…"),
            "pending": _(
                "Thank you. Your reply awaits moderation: it appears here once an editor "
                "has approved it."
            ),
            "published": _(
                "Thank you. Your reply is published; it appears here at the next update of "
                "the page."
            ),
            "offline": _(
                "The reply service cannot be reached just now. Your text is still in the form: "
                "try again in a moment."
            ),
            "refused": _(
                "The reply service did not take the reply: %s. Your text is still in the form."
            ),
            "answering": _("Replying to %s."),
            "cancel": _("Cancel"),
        },
    }


def visit_reply_html(self: HTML5Translator, node: reply_form) -> None:
    """The form, from the ``broadsheet/reply-form.html`` template."""
    context = form_context(self.builder, node)
    self.body.append(render_template(self.builder, "broadsheet/reply-form.html", context))
    raise nodes.SkipNode


def visit_reply_typst(self: TypstTranslator, node: reply_form) -> None:
    title = escape.markup(_("Leave a Reply"))
    if node["state"] == "closed":
        closed = escape.markup(_("Replies are closed."))
        self.block(escape.call("bs-reply", title=title, note=closed))
        raise nodes.SkipNode
    note = escape.markup(_("Replies to this article are taken on its web edition:"))
    url = self.page_url if self.page_url.startswith(("https://", "http://")) else None
    qr = self.assets.qr(url) if url else None
    self.block(escape.call("bs-reply", title=title, note=note, url=url, qr=qr))
    raise nodes.SkipNode


def copy_script(app: Sphinx) -> None:
    """Ship the form's script with HTML builds of a publication that uses Isso.

    Copied before any page is written (see :mod:`broadsheet.assets`), so Sphinx adds its
    checksum to the address and browsers fetch a changed script.
    """
    if app.builder.format != "html" or not app.config.broadsheet_isso_url:
        return
    static = Path(app.outdir) / "_static"
    static.mkdir(parents=True, exist_ok=True)
    copy_asset_file(STATIC_DIR / SCRIPT, static, force=True)


def script_on_form_pages(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    """Link the script from the pages that have an open form, and from no other."""
    if not app.config.broadsheet_isso_url or doctree is None:
        return
    if any(node["state"] == "open" for node in doctree.findall(reply_form)):
        app.add_js_file(SCRIPT, loading_method="defer")


def setup_replies(app: Sphinx) -> None:
    """Register the reply form node, its transform, its renderings and its script."""
    app.add_node(
        reply_form,
        html=(visit_reply_html, None),
        typst=(visit_reply_typst, None),
        latex=PLAIN_FORM,
        text=PLAIN_FORM,
    )
    app.add_transform(ReplyTransform)
    app.connect("builder-inited", copy_script)
    app.connect("html-page-context", script_on_form_pages)
