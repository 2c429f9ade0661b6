"""Retractions: a withdrawn article becomes a notice at the same address.

Front matter ``retracted: {date: ..., reason: ...}`` keeps the article's page (so shared links
still lead somewhere that explains), but the page holds only the title, the header with its
dates, and the notice: the body is dropped when the document is read, so no builder, feed or
search index ever sees it. The article has no PDF and leaves listings, editions and related
links (:func:`broadsheet.articles.published`); its feed entry becomes the notice.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from docutils import nodes
from sphinx.transforms import SphinxTransform

from broadsheet.articles import Article, article_section, current_article
from broadsheet.dates import format_date, iso
from broadsheet.translations import _

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.config import Config


def notice_label(article: Article, config: Config) -> str:
    """The lead-in of the notice: "Retracted on <date>:"."""
    assert article.retracted is not None
    return _("Retracted on %s:") % format_date(article.retracted, config)


def notice(article: Article, config: Config) -> nodes.container:
    """The retraction notice, made of plain docutils nodes so every builder draws it."""
    label = notice_label(article, config)
    box = nodes.container(classes=["broadsheet-retraction"])
    box["datetime"] = iso(article.retracted) if article.retracted else ""
    box += nodes.paragraph("", "", nodes.strong(label, label), nodes.Text(" " + article.retraction))
    return box


class RetractionTransform(SphinxTransform):
    """Replace a retracted article's body with its notice, keeping the title.

    Runs after :class:`~broadsheet.articles.ArticleTransform` (400), before the header (410)
    is put under the title, and before the table of contents and reply form are added.
    """

    default_priority = 405

    def apply(self, **kwargs: Any) -> None:
        article = current_article(self.env)
        if article is None or article.retracted is None:
            return
        section = article_section(self.document)
        title = section[0]
        withdrawn = section.children[1:]
        section.children = [title]
        section += notice(article, self.config)
        _forget_targets(self.document, withdrawn)
        # Nothing of the withdrawn text, not even its title, in the search index.
        self.env.metadata[self.env.docname]["nosearch"] = True


def _forget_targets(document: nodes.document, withdrawn: list[nodes.Node]) -> None:
    """Forget the labels and ids of the withdrawn text, so no reference or inventory keeps
    them: Sphinx collects labels from the document's name tables, not from the tree."""
    gone = {id(node) for top in withdrawn for node in top.findall(nodes.Element)}
    ids = {key for key, node in document.ids.items() if id(node) in gone}
    for key in ids:
        del document.ids[key]
    for name in [name for name, key in document.nameids.items() if key in ids]:
        del document.nameids[name]
        document.nametypes.pop(name, None)


def setup_retractions(app: Sphinx) -> None:
    """Register the transform."""
    app.add_transform(RetractionTransform)
