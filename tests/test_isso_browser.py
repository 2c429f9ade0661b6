"""A reader replies in Chromium; Isso holds it for moderation; it is approved, fetched, built."""

from __future__ import annotations

import contextlib
import io
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from isso_server import free_port, isso_server
from sphinx.testing.util import SphinxTestApp

from broadsheet.cli import main
from browser import PHONE, launch, serve_site
from conftest import pdf_text, read_html

playwright = pytest.importorskip("playwright.sync_api")

URI = "/articles/threaded.html"
TEXT = "Replying from the browser, with *emphasis*."


def configure(root: Path, isso_url: str) -> None:
    conf = root / "conf.py"
    conf.write_text(conf.read_text("utf-8") + f"\nbroadsheet_isso_url = {isso_url!r}\n", "utf-8")


def fetch(root: Path) -> str:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert main(["replies", "--docs", str(root)]) == 0
    return out.getvalue()


def post_in_browser(page: object, author: str, text: str, website: str = "") -> None:
    page.fill("#broadsheet-reply-comment", text)  # type: ignore[attr-defined]
    page.fill("#broadsheet-reply-author", author)  # type: ignore[attr-defined]
    if website:
        page.fill("#broadsheet-reply-url", website)  # type: ignore[attr-defined]
    page.click(".broadsheet-reply-submit")  # type: ignore[attr-defined]


def test_a_reply_from_the_page_to_the_page(
    tmp_path: Path,
    copy_root: Callable[[str], Path],
    make_app: Callable[..., SphinxTestApp],
) -> None:
    root = copy_root("replies")
    site = root / "_build" / "html"
    site.mkdir(parents=True)

    def build() -> SphinxTestApp:
        app = make_app("html", srcdir=root)
        app.build()
        assert app.warning.getvalue() == ""
        # Forget the registrations, as a fresh sphinx-build would, before the next build.
        app.cleanup()
        return app

    with (
        serve_site(site) as site_url,
        isso_server(tmp_path / "isso", [site_url.rstrip("/")]) as isso,
        playwright.sync_playwright() as driver,
    ):
        configure(root, isso.url)
        build()
        browser = launch(driver)
        page = browser.new_page(viewport=PHONE)
        page.goto(site_url + "articles/threaded.html")
        # The script took the form over: fields on, the no-script notice gone.
        assert page.locator(".broadsheet-replies-noscript").count() == 0
        assert page.locator("#broadsheet-reply-comment").is_enabled()
        post_in_browser(page, "Test Reader", TEXT, "https://reader.example.org/")
        status = page.locator(".broadsheet-reply-status")
        status.filter(has_text="awaits moderation").wait_for(timeout=15_000)
        assert page.input_value("#broadsheet-reply-comment") == ""

        # Pending: no reader sees it; the moderator finds it in the queue and approves it.
        assert isso.public(URI) == []
        (pending,) = isso.queue()
        isso.approve(pending)
        assert [c["text"] for c in isso.public(URI)] == [TEXT]

        report = fetch(root)
        assert f"added isso-{pending}" in report
        written = yaml.safe_load((root / "replies/articles/threaded.yaml").read_text("utf-8"))
        mine = [e for e in written["replies"] if e["id"] == f"isso-{pending}"]
        assert mine == [
            {
                "id": f"isso-{pending}",
                "author": "Test Reader",
                "website": "https://reader.example.org/",
                "date": mine[0]["date"],
                "text": TEXT,
            }
        ]

        app = build()
        shown = read_html(app, "articles/threaded").find(id=f"reply-isso-{pending}")
        assert shown.select_one(".broadsheet-reply-text em").get_text() == "emphasis"
        author = shown.select_one(".broadsheet-reply-author a")
        assert (author["href"], author["rel"]) == (
            "https://reader.example.org/",
            ["nofollow", "ugc"],
        )
        assert "Replying from the browser, with emphasis." in pdf_text(
            Path(app.outdir) / "pdf/articles/threaded.pdf"
        )

        # An answer to that reply, from its "Reply" link: the thread is kept.
        page.goto(site_url + "articles/threaded.html")
        page.click(f"#reply-isso-{pending} a[data-parent]")
        assert page.locator(".broadsheet-reply-answering").is_visible()
        assert "Test Reader" in page.inner_text(".broadsheet-reply-answering")
        post_in_browser(page, "Second Reader", "An answer in the thread.")
        status.filter(has_text="awaits moderation").wait_for(timeout=15_000)
        (answer,) = isso.queue()
        isso.approve(answer)
        fetch(root)
        app = build()
        soup = read_html(app, "articles/threaded")
        parent_item = soup.find(id=f"reply-isso-{pending}").find_parent("li")
        assert parent_item.find(id=f"reply-isso-{answer}") is not None
        # The form never asks for an email: Isso has none, and so has nothing built from it.
        assert isso.stored_emails() == [None, None]
        browser.close()


def test_the_text_stays_when_isso_cannot_be_reached(
    copy_root: Callable[[str], Path], make_app: Callable[..., SphinxTestApp]
) -> None:
    root = copy_root("replies")
    configure(root, f"http://127.0.0.1:{free_port()}/")
    app = make_app("html", srcdir=root)
    app.build()
    with serve_site(Path(app.outdir)) as site_url, playwright.sync_playwright() as driver:
        browser = launch(driver)
        page = browser.new_page(viewport=PHONE)
        page.goto(site_url + "articles/threaded.html")
        post_in_browser(page, "Patient Reader", "Words worth keeping.")
        status = page.locator(".broadsheet-reply-status")
        status.filter(has_text="cannot be reached").wait_for(timeout=15_000)
        assert page.input_value("#broadsheet-reply-comment") == "Words worth keeping."
        assert page.input_value("#broadsheet-reply-author") == "Patient Reader"
        assert page.locator(".broadsheet-reply-submit").is_enabled()
        browser.close()


def test_without_script_the_form_says_what_to_do(
    copy_root: Callable[[str], Path], make_app: Callable[..., SphinxTestApp]
) -> None:
    root = copy_root("replies")
    configure(root, f"http://127.0.0.1:{free_port()}/")
    app = make_app("html", srcdir=root)
    app.build()
    with serve_site(Path(app.outdir)) as site_url, playwright.sync_playwright() as driver:
        browser = launch(driver)
        context = browser.new_context(java_script_enabled=False, viewport=PHONE)
        page = context.new_page()
        page.goto(site_url + "articles/threaded.html")
        assert "needs JavaScript" in page.inner_text(".broadsheet-replies-noscript")
        assert page.locator("#broadsheet-reply-comment").is_disabled()
        assert page.locator(".broadsheet-reply-submit").is_disabled()
        browser.close()
