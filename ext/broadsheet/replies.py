"""The "Leave a Reply" form appended to every article.

Its mode follows ``broadsheet_reply_action`` (checked at start-up by :mod:`broadsheet.config`):
empty makes a placeholder with disabled fields and no action, an ``https:`` URL a form that
POSTs there, a ``mailto:`` address a form that composes an email. ``replies: closed`` in front
matter says replies are closed, ``replies: false`` leaves the form out. Field names, order and
length limits follow WordPress, so an existing comment service can take the posts.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, NamedTuple
from urllib.parse import quote

from docutils import nodes
from sphinx.transforms import SphinxTransform

from broadsheet.articles import article_section, canonical_url, current_article
from broadsheet.translations import _

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.writers.html5 import HTML5Translator

FORM_ID = "broadsheet-reply"


class reply_form(nodes.General, nodes.Element):  # noqa: N801 (docutils names node classes in lowercase)
    """The reply form; attributes: ``docname``, ``title`` and ``state`` (open or closed)."""


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


def _render_field(self: HTML5Translator, field: Field, disabled: bool) -> str:
    field_id = f"{FORM_ID}-{field.name}"
    mark = ' <span class="required" aria-hidden="true">*</span>' if field.required else ""
    attrs = [
        f'id="{field_id}"',
        f'name="{field.name}"',
        f'maxlength="{field.maxlength}"',
        f'autocomplete="{field.autocomplete}"',
    ]
    if field.required:
        attrs.append("required")
    if field.name == "email":
        attrs.append(f'aria-describedby="{FORM_ID}-email-note"')
    if disabled:
        attrs.append("disabled")
    if field.input_type == "textarea":
        control = f'<textarea {" ".join(attrs)} rows="8"></textarea>'
    else:
        control = f'<input type="{field.input_type}" {" ".join(attrs)}>'
    label = f'<label for="{field_id}">{self.encode(field.label)}{mark}</label>'
    return f'<p class="broadsheet-reply-field comment-form-{field.name}">{label}{control}</p>'


def _form_attributes(action: str, title: str) -> str:
    """The ``<form>`` attributes for the configured action ("" for the placeholder)."""
    if not action:
        return ""
    if action.lower().startswith("mailto:"):
        subject = quote(_("Reply to: %s") % title)
        separator = "&" if "?" in action else "?"
        target = f"{action}{separator}subject={subject}"
        return f' action="{_attr(target)}" method="post" enctype="text/plain"'
    return f' action="{_attr(action)}" method="post"'


def _attr(value: str) -> str:
    return value.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")


def visit_reply_html(self: HTML5Translator, node: reply_form) -> None:
    action: str = self.builder.config.broadsheet_reply_action
    heading = self.encode(_("Leave a Reply"))
    out = [
        f'<section class="broadsheet-replies" id="{FORM_ID}" aria-labelledby="{FORM_ID}-title">',
        f'<h2 class="broadsheet-replies-title" id="{FORM_ID}-title">{heading}</h2>',
    ]
    if node["state"] == "closed":
        closed = self.encode(_("Replies are closed."))
        out.append(f'<p class="broadsheet-replies-closed">{closed}</p>')
        out.append("</section>\n")
        self.body.append("\n".join(out))
        raise nodes.SkipNode

    placeholder = not action
    if placeholder:
        notice = _("Replies are not open yet. The form will work once a reply service is set up.")
        out.append(f'<p class="broadsheet-replies-notice" role="note">{self.encode(notice)}</p>')
    elif action.lower().startswith("mailto:"):
        notice = _("Posting a reply opens your email program with the reply written out.")
        out.append(f'<p class="broadsheet-replies-notice">{self.encode(notice)}</p>')
    out.append(f'<form class="broadsheet-reply-form"{_form_attributes(action, node["title"])}>')
    email_note = self.encode(_("Your email address will not be published."))
    required_note = self.encode(_("Required fields are marked"))
    out.append(
        f'<p class="broadsheet-reply-note"><span id="{FORM_ID}-email-note">{email_note}</span> '
        f'<span class="broadsheet-required-note">{required_note} '
        '<span class="required">*</span></span></p>'
    )
    out.extend(_render_field(self, field, placeholder) for field in fields())
    # A honeypot: hidden from people (display: none in the stylesheet, so out of the
    # accessibility tree and the tab order), filled in by bots; a reply service drops
    # posts that fill it.
    honeypot_label = self.encode(_("Leave this field empty"))
    out.append(
        '<p class="broadsheet-hp"><label for="broadsheet-reply-hp">'
        f"{honeypot_label}</label>"
        '<input type="text" id="broadsheet-reply-hp" name="broadsheet_hp" '
        'tabindex="-1" autocomplete="off"></p>'
    )
    article_url = canonical_url(self.builder, node["docname"])
    out.append(f'<input type="hidden" name="article" value="{self.attval(article_url)}">')
    disabled = " disabled" if placeholder else ""
    submit = self.attval(_("Post Reply"))
    out.append(
        f'<p class="form-submit"><input type="submit" class="broadsheet-reply-submit" '
        f'value="{submit}"{disabled}></p>'
    )
    out.append("</form>")
    # Print has no use for a form: a note with the address takes its place (see the CSS).
    note = self.encode(_("Replies to this article are taken on its web edition:"))
    href, shown = self.attval(article_url), self.encode(article_url)
    out.append(f'<p class="broadsheet-reply-print">{note} <a href="{href}">{shown}</a></p>')
    out.append("</section>\n")
    self.body.append("\n".join(out))
    raise nodes.SkipNode


def reply_as_note(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """For builders other than HTML, replace the form with a note pointing to the web edition."""
    if app.builder.format in ("html", "typst"):
        return
    for node in list(doctree.findall(reply_form)):
        heading = _("Leave a Reply")
        if node["state"] == "closed":
            text = _("Replies are closed.")
        else:
            url = canonical_url(app.builder, node["docname"])
            text = _("Replies to this article are taken on its web edition: %s") % url
        node.replace_self(
            [
                nodes.rubric(heading, heading, classes=["broadsheet-replies-title"]),
                nodes.paragraph(text, text, classes=["broadsheet-reply-note"]),
            ]
        )


def setup_replies(app: Sphinx) -> None:
    """Register the reply form node, its transform and its renderings."""
    app.add_node(reply_form, html=(visit_reply_html, None))
    app.add_transform(ReplyTransform)
    app.connect("doctree-resolved", reply_as_note)
