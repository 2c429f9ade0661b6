"""LaTeX editions: one ``.tex`` document per article for Sphinx's own ``latex`` builder.

Articles are kept out of the toctree (so web pages stay small), which also keeps them out of
the LaTeX document of the root page. With ``broadsheet_latex_articles`` on, each published
article gets its own entry in ``latex_documents`` once all articles are read.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from broadsheet.articles import get_domain, published
from broadsheet.header import join_names

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment


def add_article_documents(app: Sphinx, env: BuildEnvironment) -> None:
    """Append a ``latex_documents`` entry for every published article not listed yet."""
    if app.builder.name != "latex" or not app.config.broadsheet_latex_articles:
        return
    documents = list(app.config.latex_documents)
    listed = {entry[0] for entry in documents}
    for article in sorted(published(get_domain(env).articles.values()), key=lambda a: a.docname):
        if article.docname in listed:
            continue
        target = article.docname.replace("/", "-") + ".tex"
        documents.append(
            (article.docname, target, article.title, join_names(article.authors), "howto")
        )
    app.config.latex_documents = documents


def setup_latex(app: Sphinx) -> None:
    """Register the LaTeX hook."""
    app.connect("env-updated", add_article_documents)
