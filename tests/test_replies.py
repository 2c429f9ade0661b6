"""The "Leave a Reply" form: fields, modes and refused actions."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sphinx.errors import ConfigError
from sphinx.testing.util import SphinxTestApp

from conftest import read_html

FIELDS = {
    # name: (label, type, maxlength, required, autocomplete)
    "comment": ("Comment *", "textarea", "65525", True, "off"),
    "author": ("Name *", "text", "245", True, "name"),
    "email": ("Email *", "email", "100", True, "email"),
    "url": ("Website", "url", "200", False, "url"),
}


def reply_section(app: SphinxTestApp, docname: str = "articles/full") -> Any:
    soup = read_html(app, docname)
    sections = soup.select("section.broadsheet-replies")
    assert len(sections) == 1
    return sections[0]


def control(form: Any, name: str) -> Any:
    return form.find(["input", "textarea"], attrs={"name": name})


@pytest.mark.sphinx("html", testroot="article")
def test_placeholder_form(app: SphinxTestApp) -> None:
    app.build()
    section = reply_section(app)
    assert section.find("h2").get_text() == "Leave a Reply"
    assert section.select_one(".broadsheet-reply-note").get_text() == (
        "Your email address will not be published. Required fields are marked *"
    )
    assert "not open yet" in section.select_one(".broadsheet-replies-notice").get_text()
    form = section.find("form")
    assert not form.has_attr("action")
    assert not form.has_attr("method")
    visible = form.find_all(["input", "textarea"], attrs={"name": True})
    names = [c["name"] for c in visible if c.get("type") != "hidden"]
    assert names == [*FIELDS, "broadsheet_hp"]
    for name, (label, kind, maxlength, required, autocomplete) in FIELDS.items():
        field = control(form, name)
        assert (field.name if kind == "textarea" else field["type"]) == kind
        assert field["maxlength"] == maxlength
        assert field.has_attr("required") is required
        assert field["autocomplete"] == autocomplete
        assert field.has_attr("disabled")
        tag = form.find("label", attrs={"for": field["id"]})
        assert " ".join(tag.get_text().split()) == label
    submit = form.find("input", attrs={"type": "submit"})
    assert submit["value"] == "Post Reply"
    assert submit.has_attr("disabled")
    hidden = form.find("input", attrs={"type": "hidden", "name": "article"})
    assert hidden["value"] == "https://gazette.example.org/articles/full.html"


@pytest.mark.sphinx(
    "html",
    testroot="article",
    srcdir="reply-https",
    confoverrides={"broadsheet_reply_action": "https://replies.example.org/post"},
)
def test_https_action_makes_a_working_form(app: SphinxTestApp) -> None:
    app.build()
    section = reply_section(app)
    form = section.find("form")
    assert form["action"] == "https://replies.example.org/post"
    assert form["method"] == "post"
    assert section.select(".broadsheet-replies-notice") == []
    assert section.select("[disabled]") == []
    assert control(form, "comment").has_attr("required")


@pytest.mark.sphinx(
    "html",
    testroot="article",
    srcdir="reply-mailto",
    confoverrides={"broadsheet_reply_action": "mailto:letters@example.org"},
)
def test_mailto_action_composes_an_email(app: SphinxTestApp) -> None:
    app.build()
    form = reply_section(app).find("form")
    assert form["action"] == "mailto:letters@example.org?subject=Reply%20to%3A%20Full%20Article"
    assert form["method"] == "post"
    assert form["enctype"] == "text/plain"
    assert form.select("[disabled]") == []


@pytest.mark.sphinx("html", testroot="article")
def test_form_leaks_nothing(app: SphinxTestApp) -> None:
    app.build()
    soup = read_html(app, "articles/full")
    form = soup.select_one("form.broadsheet-reply-form")
    # No field carries a value, and nothing on the page runs inline script.
    fields = [
        c for c in form.find_all(["input", "textarea"]) if c.get("type") not in ("hidden", "submit")
    ]
    assert len(fields) == 5
    assert [c for c in fields if c.get("value") or c.get_text()] == []
    assert not [
        (tag.name, attr)
        for tag in soup.find_all(True)
        for attr in tag.attrs
        if attr.startswith("on")
    ]
    honeypot = form.select_one(".broadsheet-hp input")
    assert honeypot["name"] == "broadsheet_hp"
    assert honeypot["tabindex"] == "-1"
    assert not honeypot.has_attr("required")
    css = (Path(app.outdir) / "_static" / "broadsheet.css").read_text("utf-8")
    assert ".broadsheet-hp { display: none; }" in css


@pytest.mark.sphinx("html", testroot="article")
def test_closed_and_off(app: SphinxTestApp) -> None:
    app.build()
    closed = reply_section(app, "articles/depth1")
    assert closed.find("form") is None
    assert closed.select_one(".broadsheet-replies-closed").get_text() == "Replies are closed."
    off = read_html(app, "articles/depth3")
    assert off.select(".broadsheet-replies, form.broadsheet-reply-form") == []
    # Pages that are not articles get no form.
    assert read_html(app, "index").select(".broadsheet-replies") == []


@pytest.mark.parametrize(
    "action",
    [
        "javascript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "http://replies.example.org/post",
        "ftp://example.org/",
        "https://",
        "mailto:",
        'https://example.org/"onmouseover="x',
        "https://example.org/a b",
    ],
)
def test_unsafe_actions_stop_the_build(
    make_app: Callable[..., SphinxTestApp], copy_root: Callable[[str], Path], action: str
) -> None:
    with pytest.raises(ConfigError, match="broadsheet_reply_action"):
        make_app(
            "html", srcdir=copy_root("article"), confoverrides={"broadsheet_reply_action": action}
        )


@pytest.mark.parametrize(
    "action", ["http://localhost:8080/replies", "http://127.0.0.1/replies", "  https://x.org/r  "]
)
def test_local_http_and_padded_https_are_accepted(
    make_app: Callable[..., SphinxTestApp], copy_root: Callable[[str], Path], action: str
) -> None:
    app = make_app(
        "html", srcdir=copy_root("article"), confoverrides={"broadsheet_reply_action": action}
    )
    assert app.config.broadsheet_reply_action == action.strip()


@pytest.mark.sphinx(
    "html",
    testroot="article",
    srcdir="reply-isso",
    confoverrides={"broadsheet_isso_url": "https://comments.example.org"},
)
def test_isso_form_without_script(app: SphinxTestApp) -> None:
    app.build()
    soup = read_html(app, "articles/full")
    section = reply_section(app)
    form = section.find("form")
    assert not form.has_attr("action")
    assert form["data-isso"] == "https://comments.example.org/"
    assert form["data-isso-uri"] == "/articles/full.html"
    assert form["data-title"] == "Full Article"
    assert "awaits moderation" in form["data-msg-pending"]
    # No email is asked for; the fields wait for the script, and the page says so.
    names = [c["name"] for c in form.find_all(["input", "textarea"], attrs={"name": True})]
    assert names == ["parent", "comment", "author", "url", "broadsheet_hp", "article"]
    assert "@" not in str(section)
    assert all(control(form, n).has_attr("disabled") for n in ("comment", "author", "url"))
    assert control(form, "comment")["minlength"] == "3"
    notice = section.select_one(".broadsheet-replies-noscript").get_text()
    assert "needs JavaScript" in notice
    scripts = [s["src"].split("?")[0] for s in soup.find_all("script", src=True)]
    assert "../_static/broadsheet-replies.js" in scripts
    assert (Path(app.outdir) / "_static/broadsheet-replies.js").is_file()
    # Pages without an open form do not load it.
    for page in ("index", "articles/depth1", "articles/depth3"):
        others = [s["src"] for s in read_html(app, page).find_all("script", src=True)]
        assert not [s for s in others if "broadsheet-replies" in s]


@pytest.mark.parametrize(
    ("url", "error"),
    [
        ("http://comments.example.org/", "broadsheet_isso_url"),
        ("javascript:alert(1)", "broadsheet_isso_url"),
        ("https://comments.example.org/?x=1", "broadsheet_isso_url"),
        ("https://comments.example.org/", "both set"),
    ],
)
def test_isso_url_is_checked(
    make_app: Callable[..., SphinxTestApp], copy_root: Callable[[str], Path], url: str, error: str
) -> None:
    overrides = {"broadsheet_isso_url": url}
    if error == "both set":
        overrides["broadsheet_reply_action"] = "https://replies.example.org/post"
    with pytest.raises(ConfigError, match=error):
        make_app("html", srcdir=copy_root("article"), confoverrides=overrides)
