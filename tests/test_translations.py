"""User-visible strings follow the publication's ``language``."""

from __future__ import annotations

import pytest
from sphinx.testing.util import SphinxTestApp

from conftest import read_html


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
