"""The web edition in a real browser: Debian's Chromium through Playwright, against the built
``docs/`` served on 127.0.0.1 (see ``tests/browser.py``).

Two builds: the sample publication as it is (placeholder reply form), and the same with
``broadsheet_reply_action`` pointing at a local server that records what the form posts.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, Page, sync_playwright
from pypdf import PdfReader

from browser import (
    ARTICLE,
    CONTRAST_JS,
    DESKTOP,
    DOCS,
    FRONT,
    LISTING,
    PHONE,
    TAG_PAGE,
    RecordingServer,
    launch,
    recording_server,
    run_axe,
    serve_site,
    set_theme,
)
from conftest import DocsBuild, sphinx_build_docs

NewPage = Callable[..., Page]

FIELDS = ("comment", "author", "email", "url")
FORM = "form.broadsheet-reply-form"
SUBMIT = "input.broadsheet-reply-submit"
#: What the contrast checks cover on an article page.
CONTRAST_AREAS = [
    "#furo-main-content > section > h1",
    "header.broadsheet-header",
    "nav.broadsheet-toc",
    "section.broadsheet-replies",
]
REPLY = {
    "comment": "The shaded areas on the 12 September map look too generous.",
    "author": "Olena Reader",
    "email": "olena@example.org",
    "url": "https://example.org/olena",
}


@pytest.fixture(scope="module")
def chromium() -> Iterator[Browser]:
    """One headless Chromium for the module; each test opens its own contexts."""
    with sync_playwright() as playwright:
        browser = launch(playwright)
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def site(docs_build: DocsBuild) -> Iterator[str]:
    """Base URL of ``docs/`` built as it is (the session's shared build), placeholder form."""
    with serve_site(docs_build.html) as base:
        yield base


@pytest.fixture(scope="module")
def reply_service() -> Iterator[RecordingServer]:
    """A local stand-in for a reply service; the open edition's form posts to it."""
    with recording_server() as server:
        yield server


@pytest.fixture(scope="module")
def open_site(
    tmp_path_factory: pytest.TempPathFactory, reply_service: RecordingServer, docs_build: DocsBuild
) -> Iterator[str]:
    """Base URL of ``docs/`` built with replies posted to the local recording server: the
    shared build, copied and built again with the new setting (pages rewritten, none re-read)."""
    out = docs_build.copy(tmp_path_factory.mktemp("open-site") / "build")
    action = f"broadsheet_reply_action={reply_service.url}replies"
    result = sphinx_build_docs(out, "-D", action)
    assert result.returncode == 0, result.stderr
    with serve_site(out / "html") as base:
        yield base


@pytest.fixture
def replies(reply_service: RecordingServer) -> RecordingServer:
    """The recording server, with nothing recorded yet."""
    with reply_service.lock:
        reply_service.requests.clear()
    return reply_service


@pytest.fixture
def new_page(chromium: Browser) -> Iterator[NewPage]:
    """Open a page in a fresh browser context (desktop-sized unless told otherwise)."""
    contexts = []

    def make(**options: Any) -> Page:
        options.setdefault("viewport", DESKTOP)
        context = chromium.new_context(**options)
        context.set_default_timeout(10_000)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


def record_requests(page: Page) -> list[str]:
    """The URLs of every request that the page's context makes from now on."""
    urls: list[str] = []
    page.context.on("request", lambda request: urls.append(request.url))
    return urls


def canonical(page: Page) -> str:
    """The page's canonical address: what the reply form and the print note must give."""
    href = page.get_attribute('link[rel="canonical"]', "href")
    assert href
    return href


# --- Table of contents ------------------------------------------------------------------------


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_toc_entry_scrolls_to_its_section(
    site: str, new_page: NewPage, viewport: dict[str, int]
) -> None:
    page = new_page(viewport=viewport)
    page.goto(site + ARTICLE)
    target = "from-lines-to-numbers"
    page.locator(f'nav.broadsheet-toc a[href="#{target}"]').click()
    page.wait_for_function("(id) => location.hash === '#' + id", arg=target)
    # Near the top of the viewport, and below furo's sticky header on phones (not under it);
    # furo leaves 2.5rem (40 px) of room above the target.
    page.wait_for_function(
        """(id) => {
            const header = document.querySelector(".mobile-header");
            const offset = header && header.checkVisibility() ?
                header.getBoundingClientRect().bottom : 0;
            const top = document.getElementById(id).getBoundingClientRect().top;
            return top >= offset - 2 && top <= offset + 64;
        }""",
        arg=target,
    )
    assert page.evaluate("window.scrollY") > 0
    assert page.url == f"{site}{ARTICLE}#{target}"


# --- The reply form ---------------------------------------------------------------------------


def test_reply_form_blocks_empty_and_malformed_fields(
    open_site: str, replies: RecordingServer, new_page: NewPage
) -> None:
    page = new_page()
    page.goto(open_site + ARTICLE)
    requests = record_requests(page)
    form = page.locator(FORM)

    page.click(SUBMIT)
    assert form.evaluate("f => f.checkValidity()") is False
    assert page.eval_on_selector("#broadsheet-reply-comment", "e => e.validationMessage")
    # The browser reports the first invalid field: it takes the focus.
    assert page.evaluate("document.activeElement.name") == "comment"

    page.fill("#broadsheet-reply-comment", REPLY["comment"])
    page.fill("#broadsheet-reply-author", REPLY["author"])
    page.fill("#broadsheet-reply-email", "not-an-email")
    page.click(SUBMIT)
    email = page.locator("#broadsheet-reply-email")
    assert email.evaluate("e => e.validity.typeMismatch") is True
    assert email.evaluate("e => e.validationMessage")
    assert form.evaluate("f => f.checkValidity()") is False
    assert page.evaluate("document.activeElement.name") == "email"

    page.wait_for_timeout(300)  # a submission would have started by now
    assert requests == []
    assert replies.requests == []
    assert page.url == open_site + ARTICLE


def test_reply_form_posts_its_fields(
    open_site: str, replies: RecordingServer, new_page: NewPage
) -> None:
    page = new_page()
    page.goto(open_site + ARTICLE)
    article_url = canonical(page)
    assert article_url.endswith(ARTICLE)
    for name, value in REPLY.items():
        page.fill(f"#broadsheet-reply-{name}", value)
    with page.expect_navigation(url=f"{replies.url}replies"):
        page.click(SUBMIT)
    assert "Reply received." in page.content()

    assert len(replies.requests) == 1
    method, path, fields = replies.requests[0]
    assert (method, path) == ("POST", "/replies")
    assert fields == {
        **{name: [value] for name, value in REPLY.items()},
        "article": [article_url],
        "broadsheet_hp": [""],  # the honeypot, left empty by a person
    }


def test_placeholder_form_submits_nothing(site: str, new_page: NewPage) -> None:
    page = new_page()
    page.goto(site + ARTICLE)
    form = page.locator(FORM)
    assert form.get_attribute("action") is None
    for name in FIELDS:
        assert page.locator(f'{FORM} [name="{name}"]').is_disabled()
    assert page.locator(SUBMIT).is_disabled()

    # Nothing in the form takes the focus, so there is no field to press Enter in...
    reachable = form.evaluate(
        "f => [...f.elements].filter(e => !e.disabled && e.checkVisibility()).map(e => e.name)"
    )
    assert reachable == []
    # ...and clicking the greyed-out button does nothing.
    requests = record_requests(page)
    page.locator(SUBMIT).click(force=True)
    page.wait_for_timeout(300)
    assert requests == []
    assert page.url == site + ARTICLE


def test_tab_reaches_every_field_in_order(open_site: str, new_page: NewPage) -> None:
    page = new_page()
    page.goto(open_site + ARTICLE)
    focused = 'document.activeElement.name || document.activeElement.className || ""'
    for _ in range(200):
        page.keyboard.press("Tab")
        if page.evaluate(focused) == "comment":
            break
    else:
        pytest.fail("Tab never reached the comment field")
    order = ["comment"]
    for _ in range(4):
        page.keyboard.press("Tab")
        order.append(page.evaluate(focused))
        # Where the focus is must be visible: Chromium's focus ring, not removed by a style.
        outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
        assert outline != "none", f"no focus indicator on {order[-1]}"
    assert order == [*FIELDS, "broadsheet-reply-submit"]


# --- Code blocks ------------------------------------------------------------------------------


def test_copy_button_copies_the_code(site: str, new_page: NewPage) -> None:
    source = (DOCS / "articles" / "reading-the-front-line-maps.md").read_text("utf-8")
    match = re.search(r"^```python\n(.*?)^```$", source, re.MULTILINE | re.DOTALL)
    assert match
    page = new_page(permissions=["clipboard-read", "clipboard-write"])
    page.goto(site + ARTICLE)
    block = page.locator("#furo-main-content div.highlight").first
    block.hover()
    block.locator(".copybtn").click()
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied.rstrip("\n") == match.group(1).rstrip("\n")


# --- Themes and contrast ----------------------------------------------------------------------


def test_theme_toggle_switches_light_and_dark(site: str, new_page: NewPage) -> None:
    page = new_page()
    page.goto(site + ARTICLE)
    assert page.evaluate("document.body.dataset.theme") == "auto"
    background = "getComputedStyle(document.body).backgroundColor"
    set_theme(page, "dark")
    assert page.evaluate("localStorage.getItem('theme')") == "dark"
    dark = page.evaluate(background)
    set_theme(page, "light")
    assert page.evaluate("localStorage.getItem('theme')") == "light"
    assert page.evaluate(background) == "rgb(255, 255, 255)"
    assert dark != "rgb(255, 255, 255)"
    # The choice is remembered on the next page.
    set_theme(page, "dark")
    page.goto(site + FRONT)
    assert page.evaluate("document.body.dataset.theme") == "dark"
    assert page.evaluate(background) == dark


@pytest.mark.parametrize("theme", ["light", "dark"])
@pytest.mark.parametrize("edition", ["placeholder", "open"])
def test_contrast_meets_wcag_aa(
    site: str, open_site: str, new_page: NewPage, theme: str, edition: str
) -> None:
    page = new_page()
    page.goto((site if edition == "placeholder" else open_site) + ARTICLE)
    set_theme(page, theme)
    if edition == "open":  # text typed into the fields must be readable too
        for name, value in REPLY.items():
            page.fill(f"#broadsheet-reply-{name}", value)
    page.mouse.move(0, 0)

    found = page.evaluate(CONTRAST_JS, CONTRAST_AREAS)
    checked = {item["element"] for item in found["text"]}
    assert {"h2#broadsheet-toc-title.broadsheet-toc-title", "p.broadsheet-deck", "label"} <= checked
    if edition == "open":
        assert {"input.broadsheet-reply-submit", "textarea#broadsheet-reply-comment"} <= checked
        assert len(found["borders"]) == len(FIELDS)
    low = [item for item in found["text"] + found["borders"] if item["ratio"] < item["required"]]
    assert low == [], "\n".join(
        f"{i['element']} {i.get('text', '(border)')!r}: {i['fg']} on {i['bg']} "
        f"= {i['ratio']:.2f} < {i['required']}"
        for i in low
    )

    results = run_axe(
        page,
        {"runOnly": {"type": "rule", "values": ["color-contrast"]}},
        {"include": [[area] for area in CONTRAST_AREAS]},
    )
    assert results["passes"], "axe checked no text for contrast"
    assert [(v["id"], [n["target"] for n in v["nodes"]]) for v in results["violations"]] == []


# --- Accessibility ----------------------------------------------------------------------------


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
@pytest.mark.parametrize("path", [FRONT, ARTICLE, LISTING])
def test_axe_finds_no_serious_violations(
    site: str, new_page: NewPage, path: str, viewport: dict[str, int]
) -> None:
    page = new_page(viewport=viewport)
    page.goto(site + path)
    results = run_axe(page)
    serious = [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']]}"
        for v in results["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert serious == []


# --- Small screens ----------------------------------------------------------------------------


@pytest.mark.parametrize("path", [ARTICLE, FRONT, LISTING])
def test_phone_width_needs_no_sideways_scrolling(site: str, new_page: NewPage, path: str) -> None:
    page = new_page(viewport=PHONE)
    page.goto(site + path)
    sizes = page.evaluate(
        "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    assert sizes[0] <= sizes[1] == PHONE["width"]
    # Nothing in the content sticks out of the screen (or hides in a box that scrolls).
    sticking_out = page.evaluate(
        """(width) => [...document.querySelectorAll("#furo-main-content, #furo-main-content *")]
            .filter((e) => e.checkVisibility() && e.getBoundingClientRect().right > width + 0.5)
            .map((e) => e.tagName + "." + e.className)""",
        PHONE["width"],
    )
    assert sticking_out == []
    if path == ARTICLE:
        for selector in ("nav.broadsheet-toc", FORM, "#broadsheet-reply-comment", SUBMIT):
            box = page.locator(selector).bounding_box()
            assert box
            assert box["x"] >= 0
            assert box["x"] + box["width"] <= PHONE["width"], selector


# --- Print ------------------------------------------------------------------------------------


def test_print_keeps_the_article_and_drops_the_form(
    site: str, new_page: NewPage, tmp_path: Path
) -> None:
    page = new_page()
    page.goto(site + ARTICLE)
    article_url = canonical(page)
    page.emulate_media(media="print")

    def display(selector: str) -> str:
        return str(page.eval_on_selector(selector, "e => getComputedStyle(e).display"))

    for hidden in (".sidebar-drawer", ".toc-drawer", ".mobile-header", FORM, ".skip-to-content"):
        assert display(hidden) == "none", hidden
    rendered_controls = page.evaluate(
        """[...document.querySelectorAll("input, textarea, button, select")]
            .filter((e) => e.checkVisibility()).map((e) => e.outerHTML)"""
    )
    assert rendered_controls == []
    assert display("nav.broadsheet-toc") != "none"
    note = page.locator(".broadsheet-reply-print")
    assert note.is_visible()
    assert article_url in note.inner_text()

    pdf = tmp_path / "article.pdf"
    page.pdf(path=str(pdf))
    text = " ".join(sheet.extract_text() or "" for sheet in PdfReader(pdf).pages)
    folded = " ".join(text.split())
    assert "Table of Contents" in folded
    assert "Replies to this article are taken on its web edition" in folded
    assert article_url in "".join(text.split())  # a long address may wrap
    assert "Post Reply" not in folded
    assert "Skip to content" not in folded


# --- Privacy ----------------------------------------------------------------------------------


@pytest.mark.parametrize("path", [FRONT, ARTICLE, TAG_PAGE, LISTING])
def test_pages_request_nothing_from_other_hosts(site: str, new_page: NewPage, path: str) -> None:
    page = new_page()
    requests = record_requests(page)
    page.goto(site + path, wait_until="networkidle")
    page.evaluate("window.scrollTo(0, document.body.scrollHeight)")  # lazy images, if any
    page.wait_for_load_state("networkidle")
    origin = urlsplit(site).netloc
    assert requests
    elsewhere = [
        url
        for url in requests
        if urlsplit(url).scheme not in ("data", "blob") and urlsplit(url).netloc != origin
    ]
    assert elsewhere == []


# --- PDF editions ----------------------------------------------------------------------------


def test_pdf_links_download_pdfs(site: str, new_page: NewPage) -> None:
    page = new_page()
    for path, selector in [
        (ARTICLE, ".broadsheet-pdf a"),
        (FRONT, ".broadsheet-edition-pdf a[download]"),
    ]:
        page.goto(site + path)
        link = page.locator(selector)
        assert link.get_attribute("download") is not None
        href = link.evaluate("a => a.href")
        assert urlsplit(href).netloc == urlsplit(site).netloc
        response = page.request.get(href)
        assert response.status == 200
        assert response.headers["content-type"] == "application/pdf"
        assert response.body().startswith(b"%PDF-")
