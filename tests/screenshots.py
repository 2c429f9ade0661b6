"""Screenshots of the web edition: the front page and an article, light and dark, desktop and phone.

    python tests/screenshots.py OUTDIR [--site docs/_build/html] [--full-page]

The site is served on 127.0.0.1 by this script and photographed with Debian's Chromium
(see ``tests/browser.py``). Writes ``{front,article}-{light,dark}-{desktop,phone}.png``.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parent))

from browser import ARTICLE, DESKTOP, FRONT, PHONE, ROOT, launch, serve_site, set_theme

PAGES = {"front": FRONT, "article": ARTICLE}
SIZES = {"desktop": DESKTOP, "phone": PHONE}
THEMES = ("light", "dark")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("outdir", type=Path, help="where to write the PNGs")
    parser.add_argument(
        "--site",
        type=Path,
        default=ROOT / "docs" / "_build" / "html",
        help="the built web edition (default: docs/_build/html, as `make html` makes it)",
    )
    parser.add_argument("--full-page", action="store_true", help="whole pages, not one screen")
    args = parser.parse_args(argv)
    if not (args.site / FRONT).is_file():
        parser.error(f"{args.site} has no {FRONT}: run `make html` first or pass --site")
    args.outdir.mkdir(parents=True, exist_ok=True)

    with serve_site(args.site) as base, sync_playwright() as playwright:
        browser = launch(playwright)
        try:
            for size_name, viewport in SIZES.items():
                for theme in THEMES:
                    # Scale 2 on phones, as their screens are; 1 on desktops keeps files small.
                    scale = 2 if size_name == "phone" else 1
                    context = browser.new_context(viewport=viewport, device_scale_factor=scale)
                    page = context.new_page()
                    for page_name, path in PAGES.items():
                        page.goto(base + path, wait_until="networkidle")
                        set_theme(page, theme)
                        target = args.outdir / f"{page_name}-{theme}-{size_name}.png"
                        page.screenshot(path=str(target), full_page=args.full_page)
                        print(target)
                    context.close()
        finally:
            browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
