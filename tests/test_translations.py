"""User-visible strings follow the publication's ``language``."""

from __future__ import annotations

import ast
import datetime as dt
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po
from sphinx.testing.util import SphinxTestApp

from conftest import read_html

BuildFn = Callable[..., SphinxTestApp]
PACKAGE = Path(__file__).resolve().parents[1] / "ext" / "broadsheet"


@pytest.mark.sphinx(
    "html", testroot="article", srcdir="article-fr", confoverrides={"language": "fr"}
)
def test_french_publication(app: SphinxTestApp) -> None:
    app.build()
    soup = read_html(app, "articles/full")
    assert soup.select_one(".broadsheet-toc-title").get_text() == "Table des matières"
    assert soup.select_one(".broadsheet-replies-title").get_text() == "Laisser une réponse"
    assert soup.select_one(".broadsheet-published").get_text() == "Publié le 24 août 2024"
    byline = " ".join(soup.select_one(".broadsheet-byline").get_text().split())
    assert byline == "Par Ada Lovelace, Zoë Ñúñez et Grace Hopper"
    submit = soup.select_one(".broadsheet-reply-submit")
    assert submit["value"] == "Publier la réponse"
    assert soup.select_one(".broadsheet-pdf a").get_text() == "Télécharger le PDF"
    nav = soup.select_one("nav.broadsheet-reading")
    assert nav["aria-label"] == "Autres articles"


def reader_strings() -> dict[str, str]:
    """Every string a reader sees (``_`` and ``ngettext`` in the code), with its file."""
    found: dict[str, str] = {}
    keywords = {"_": None, "ngettext": (1, 2)}
    for filename, _line, message, _notes, _context in extract_from_dir(
        PACKAGE, keywords=keywords, method_map=[("**.py", "python")]
    ):
        found[message if isinstance(message, str) else message[0]] = filename
    return found


def test_every_reader_string_is_in_the_catalog_and_translated() -> None:
    """A string pybabel cannot see (inside an f-string, say) is never translated: each one a
    reader sees is in the template and has a French translation."""
    with (PACKAGE / "locale" / "broadsheet.pot").open("rb") as file:
        template = read_po(file)
    with (PACKAGE / "locale" / "fr" / "LC_MESSAGES" / "broadsheet.po").open("rb") as file:
        french = read_po(file, locale="fr")
    strings = reader_strings()
    assert len(strings) > 50
    for message, filename in strings.items():
        assert template.get(message) is not None, (filename, message)
        translation = french.get(message)
        assert translation is not None, (filename, message)
        forms = [translation.string] if isinstance(translation.string, str) else translation.string
        assert all(forms), (filename, message)
    # Calls inside f-strings: pybabel on Python 3.11 does not look there.
    for path in PACKAGE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.JoinedStr):
                calls = [n for n in ast.walk(node) if isinstance(n, ast.Call)]
                names = {c.func.id for c in calls if isinstance(c.func, ast.Name)}
                assert not names & {"_", "__", "ngettext"}, (path.name, node.lineno)


def write_article(srcdir: Path, number: int) -> None:
    date = dt.date(2024, 8, 1) + dt.timedelta(days=number)
    text = f"---\ntitle: Story {number}\ndate: {date.isoformat()}\ntags: [Alpha]\n---\n\nText.\n"
    (srcdir / "articles").mkdir(exist_ok=True)
    (srcdir / "articles" / f"a{number}.md").write_text(text, "utf-8")


def test_french_pagination(copy_root: Callable[..., Path], build: BuildFn) -> None:
    srcdir = copy_root("pagination", "pagination-fr")
    for number in range(1, 5):  # four articles, three a page
        write_article(srcdir, number)
    app = build(srcdir, confoverrides={"language": "fr"})
    newest = read_html(app, "archive")
    assert newest.select_one(".broadsheet-pager-older").get_text() == "Plus anciens →"
    assert newest.select_one(".broadsheet-pager-number").get_text() == "Page 2"
    oldest = read_html(app, "archive/page-1")
    assert oldest.select_one(".broadsheet-pager-newer").get_text() == "← Plus récents"
    assert oldest.find("title").get_text().startswith("Archive, page 1")


def test_french_editions(copy_root: Callable[..., Path], build: BuildFn) -> None:
    app = build(copy_root("editions", "editions-fr"), confoverrides={"language": "fr"})
    page = read_html(app, "editions")
    assert page.find("h1").get_text().rstrip("¶") == "Éditions"
    intro = "Chaque édition est un PDF des articles publiés au cours d’un mois."
    assert intro in page.get_text()
    rows = [li.get_text(" ", strip=True) for li in page.select(".broadsheet-editions li")]
    assert re.fullmatch(r"janvier 2025 · 1 article · \d+ Ko", rows[0]), rows
    assert re.fullmatch(r"septembre 2024 · 2 articles · \d+ Ko", rows[1]), rows
    latest, every = read_html(app, "index").select(".broadsheet-edition-pdf a")
    assert latest.get_text() == "Télécharger la dernière édition, janvier 2025 (PDF)"
    assert every.get_text() == "Toutes les éditions"
