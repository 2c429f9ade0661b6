"""Old WordPress addresses keep working: ``redirects.json`` built into redirect pages."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from sphinx.testing.util import SphinxTestApp

from broadsheet.redirects import page_name
from broadsheet.wordpress.importer import Options, import_export

EXPORT = Path(__file__).parent / "data" / "wordpress" / "kursk-desk.xml"
FLAGSHIP = "articles/moscow-moves-units-north"


def refresh_target(page: Path) -> Path:
    """The file a redirect page sends the reader to, checked to be the one its link names."""
    soup = BeautifulSoup(page.read_text("utf-8"), "html.parser")
    meta = soup.find("meta", attrs={"http-equiv": "refresh"})
    assert meta is not None, page
    url = re.fullmatch(r"0; url=(.+)", str(meta["content"]))
    assert url is not None
    link = soup.find("a", href=url[1])
    assert link is not None  # the same address as a link, for readers without the refresh
    assert soup.find("meta", attrs={"name": "robots", "content": "noindex"}) is not None
    return (page.parent / url[1]).resolve()


@pytest.mark.parametrize("builder", ["html", "dirhtml"])
def test_every_old_address_reaches_the_article_in_a_strict_build(
    copy_root: Callable[..., Path], build: Callable[..., SphinxTestApp], builder: str
) -> None:
    srcdir = copy_root("wordpress")
    import_export(EXPORT, Options(docs=srcdir))
    app = build(srcdir, builder, warningiserror=True, confoverrides={"nitpicky": True})
    assert app.statuscode == 0
    out = Path(app.outdir)
    article = out / (f"{FLAGSHIP}.html" if builder == "html" else f"{FLAGSHIP}/index.html")
    assert article.is_file()
    for old in ("2024/08/24/moscow-moves-units-north", "moscow-moves-units-north"):
        # One page serves /old/ and, through the host's slash redirect, /old as well.
        page = out / old / "index.html"
        target = refresh_target(page)
        assert target == article.resolve() or target == article.parent.resolve(), old
    soup = BeautifulSoup(
        (out / "moscow-moves-units-north" / "index.html").read_text(), "html.parser"
    )
    canonical = soup.find("link", rel="canonical")
    assert canonical is not None
    assert "moscow-moves-units-north" in str(canonical["href"])
    # ?p=ID reaches the front page of a static host: it looks the query up in the map.
    queries = json.loads((out / "redirects-query.json").read_text("utf-8"))
    assert (out / queries["p=30"]).resolve() in (article.resolve(), article.parent.resolve())
    assert "redirects-query.json" in (out / "index.html").read_text("utf-8")
    # Unpublished articles (a draft, a post scheduled for 2099) get no redirect yet.
    assert "p=40" not in queries
    assert not (out / "2099").exists()


def test_a_redirect_never_replaces_a_page_and_unknown_targets_warn(
    copy_root: Callable[..., Path], build: Callable[..., SphinxTestApp]
) -> None:
    srcdir = copy_root("wordpress")
    (srcdir / "about.md").write_text("---\norphan: true\n---\n# About us\n\nWho we are.\n")
    (srcdir / "redirects.json").write_text(
        json.dumps(
            {
                "about": "written by hand",
                "redirects": {
                    "/about/": "index",  # "about" is a page of its own (about.html): kept
                    "/index.html": "about",  # the front page itself: never replaced
                    "/tags/": "about",  # Broadsheet's tag index: never replaced
                    "/old-about/": "about",
                    "/gone/": "articles/never-written",
                },
            },
            indent=1,
        ),
        "utf-8",
    )
    app = build(srcdir)
    out = Path(app.outdir)
    assert refresh_target(out / "old-about" / "index.html") == (out / "about.html").resolve()
    assert "http-equiv" not in (out / "index.html").read_text("utf-8")
    assert "Tags" in (out / "tags" / "index.html").read_text("utf-8")
    assert refresh_target(out / "about" / "index.html") == (out / "index.html").resolve()
    warnings = app.warning.getvalue()
    message = "redirects.json:8: WARNING: redirect from /gone/ to articles/never-written"
    assert message in warnings
    assert not (out / "redirects-query.json").exists()
    assert "redirects-query.json" not in (out / "index.html").read_text("utf-8")


@pytest.mark.parametrize(
    ("old", "name"),
    [
        ("/2024/08/24/slug/", "2024/08/24/slug/index"),
        ("/2024/08/24/slug", "2024/08/24/slug/index"),
        ("/archives/123.html", "archives/123"),
        ("/%D0%BA%D1%83%D1%80%D1%81%D0%BA/", "курск/index"),
        ("/?p=30", None),
        ("/", None),
        ("/../etc/", None),
        ("/tags/", None),
        ("https://elsewhere.example/x/", None),
    ],
)
def test_page_names(old: str, name: str | None) -> None:
    assert page_name(old) == name
