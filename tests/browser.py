"""What the browser tests and ``tests/screenshots.py`` share: the site, its servers, Chromium.

The built site is served by a threaded ``http.server`` on an ephemeral port of 127.0.0.1, in
this process; a second server records what the reply form posts. Chromium is Debian's
(``/usr/bin/chromium``), driven by Playwright: Playwright's own browser downloads are never used.
"""

from __future__ import annotations

import functools
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple
from urllib.parse import parse_qs

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page, Playwright

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
AXE_JS = "axe_playwright_python/axe.min.js"

#: The article with a code block, and every other kind of page the tests visit.
ARTICLE = "articles/reading-the-front-line-maps.html"
FRONT = "index.html"
LISTING = "all-articles.html"
TAG_PAGE = "tags/maps.html"

DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 375, "height": 740}


class _QuietFiles(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        """Keep the test output clean."""


@contextmanager
def _serving(server: ThreadingHTTPServer) -> Iterator[ThreadingHTTPServer]:
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@contextmanager
def serve_site(directory: Path) -> Iterator[str]:
    """Serve ``directory`` on 127.0.0.1; yields the base URL, ending in a slash."""
    handler = functools.partial(_QuietFiles, directory=str(directory))
    with _serving(ThreadingHTTPServer(("127.0.0.1", 0), handler)) as server:
        yield f"http://127.0.0.1:{server.server_address[1]}/"


class Request(NamedTuple):
    """One request that reached the recording server; ``fields`` is the decoded form body."""

    method: str
    path: str
    fields: dict[str, list[str]]


class RecordingServer(ThreadingHTTPServer):
    """Answers every request with a short page and remembers it in ``requests``."""

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Recorder)
        self.requests: list[Request] = []
        self.lock = threading.Lock()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/"


class _Recorder(SimpleHTTPRequestHandler):
    server: RecordingServer

    def _record(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length).decode("utf-8") if length else ""
        fields = parse_qs(body, keep_blank_values=True)
        with self.server.lock:
            self.server.requests.append(Request(self.command, self.path, fields))
        page = b"<!DOCTYPE html><title>Thanks</title><link rel=icon href=data:,><p>Reply received."
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(page)))
        self.end_headers()
        self.wfile.write(page)

    do_GET = do_POST = _record  # noqa: N815 (http.server's names)

    def log_message(self, format: str, *args: Any) -> None:
        """Keep the test output clean."""


@contextmanager
def recording_server() -> Iterator[RecordingServer]:
    """A local stand-in for a reply service, running until the block ends."""
    with _serving(RecordingServer()) as server:
        assert isinstance(server, RecordingServer)
        yield server


def launch(playwright: Playwright) -> Browser:
    """Debian's headless Chromium; fails with a clear message where it is not installed."""
    if not CHROMIUM.exists():
        raise RuntimeError(
            f"{CHROMIUM} is missing: install Debian's chromium package (`make test` does)"
        )
    return playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)


def axe_script() -> Path:
    """axe-core's ``axe.min.js``, as bundled by the ``axe-playwright-python`` package."""
    for entry in sys.path:
        candidate = Path(entry) / AXE_JS
        if candidate.is_file():
            return candidate
    raise RuntimeError("axe.min.js not found: pip install axe-playwright-python")


def run_axe(page: Page, options: dict[str, Any] | None = None, context: Any = None) -> Any:
    """Run axe-core on the page as it is now and return its results."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(axe_script()))
    return page.evaluate(
        "([context, options]) => axe.run(context ?? document, options ?? {})",
        [context, options or {}],
    )


def set_theme(page: Page, theme: str) -> None:
    """Switch furo's theme ("light", "dark" or "auto") the way a reader does: the toggle."""
    seen = [page.evaluate("document.body.dataset.theme")]
    while seen[-1] != theme and len(seen) <= 3:  # furo cycles through three modes
        page.locator(".theme-toggle:visible").first.click()
        seen.append(page.evaluate("document.body.dataset.theme"))
    assert seen[-1] == theme, f"the theme toggle went {seen}, never to {theme!r}"


#: Contrast of every piece of visible text under the given selectors, computed the WCAG way
#: from computed colours: the text's colour (with its alpha and the opacity of its ancestors)
#: over its effective background, found by walking up to the first opaque background and
#: compositing any translucent ones on the way. Disabled controls are skipped: WCAG exempts
#: inactive components. Also the borders of text fields against their surroundings (non-text
#: contrast, 3:1).
CONTRAST_JS = """
(selectors) => {
  const canvas = document.createElement("canvas");
  canvas.width = canvas.height = 1;
  const ctx = canvas.getContext("2d", { willReadFrequently: true });
  const parse = (css) => {
    const m = css.match(/^rgba?\\(([\\d.]+),\\s*([\\d.]+),\\s*([\\d.]+)(?:,\\s*([\\d.]+))?\\)$/);
    if (m) return [+m[1], +m[2], +m[3], m[4] === undefined ? 1 : +m[4]];
    ctx.clearRect(0, 0, 1, 1);
    ctx.fillStyle = css;
    ctx.fillRect(0, 0, 1, 1);
    const d = ctx.getImageData(0, 0, 1, 1).data;
    return [d[0], d[1], d[2], d[3] / 255];
  };
  const over = (top, bottom) => {
    const a = top[3] + bottom[3] * (1 - top[3]);
    if (a === 0) return [0, 0, 0, 0];
    const mix = (i) => (top[i] * top[3] + bottom[i] * bottom[3] * (1 - top[3])) / a;
    return [mix(0), mix(1), mix(2), a];
  };
  const background = (element) => {
    const layers = [];
    for (let e = element; e; e = e.parentElement) {
      const colour = parse(getComputedStyle(e).backgroundColor);
      if (colour[3] > 0) layers.push(colour);
      if (colour[3] >= 1) break;
    }
    let result = [255, 255, 255, 1];  // the canvas, where nothing is opaque
    for (const layer of layers.reverse()) result = over(layer, result);
    return result;
  };
  const opacity = (element) => {
    let product = 1;
    for (let e = element; e; e = e.parentElement) product *= +getComputedStyle(e).opacity;
    return product;
  };
  const luminance = (c) => {
    const [r, g, b] = c.slice(0, 3).map((v) => {
      v /= 255;
      return v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const ratio = (a, b) => {
    const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
    return (hi + 0.05) / (lo + 0.05);
  };
  const css = (c) => `rgb(${c.slice(0, 3).map(Math.round).join(", ")})`;
  const describe = (e) =>
    e.tagName.toLowerCase() + (e.id ? "#" + e.id : "") +
    [...e.classList].map((c) => "." + c).join("");
  const shown = (e) =>
    e.checkVisibility({ checkOpacity: true, checkVisibilityCSS: true }) &&
    e.getClientRects().length > 0;
  const field = "input:not([type=hidden]):not([type=submit]):not([type=button]), textarea";
  const text = [];
  const borders = [];
  for (const root of selectors.flatMap((s) => [...document.querySelectorAll(s)])) {
    for (const e of [root, ...root.querySelectorAll("*")]) {
      if (!shown(e) || e.matches(":disabled")) continue;
      const own = [...e.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim());
      const value = e.matches("input[type=submit], input[type=button]") ||
        (e.matches(field) && e.value !== "");
      const style = getComputedStyle(e);
      const bg = background(e);
      if (own || value) {
        const colour = parse(style.color);
        const fg = over([colour[0], colour[1], colour[2], colour[3] * opacity(e)], bg);
        const size = parseFloat(style.fontSize);
        const large = size >= 24 || (size >= 18.66 && parseInt(style.fontWeight) >= 700);
        text.push({
          element: describe(e),
          text: (value ? e.value : e.textContent).trim().slice(0, 40),
          fg: css(fg), bg: css(bg), size, large,
          ratio: ratio(fg, bg), required: large ? 3 : 4.5,
        });
      }
      if (e.matches(field)) {
        const around = background(e.parentElement);
        const edge = over(parse(style.borderTopColor), around);
        borders.push({
          element: describe(e), fg: css(edge), bg: css(around),
          ratio: ratio(edge, around), required: 3,
        });
      }
    }
  }
  return { text, borders };
}
"""
