"""Broadsheet: publish MyST articles as a themed web edition.

Add ``"broadsheet"`` to ``extensions``; it loads myst-parser and sphinx-copybutton itself. Each
feature lives in its own module and is registered here by its ``setup_<feature>`` function.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from broadsheet.articles import setup_articles
from broadsheet.assets import setup_assets
from broadsheet.config import setup_config
from broadsheet.feeds import setup_feeds
from broadsheet.generated import setup_generated
from broadsheet.header import setup_header
from broadsheet.latex import setup_latex
from broadsheet.listings import setup_listings
from broadsheet.neighbours import setup_neighbours
from broadsheet.pagination import setup_pagination
from broadsheet.parsing import setup_parsing
from broadsheet.publishing import setup_publishing
from broadsheet.redirects import setup_redirects
from broadsheet.renderings import setup_renderings
from broadsheet.replies import setup_replies
from broadsheet.reply_thread import setup_reply_thread
from broadsheet.retractions import setup_retractions
from broadsheet.safety import setup_safety
from broadsheet.social import setup_social
from broadsheet.taxonomy import setup_taxonomy
from broadsheet.toc import setup_toc
from broadsheet.translations import MESSAGE_CATALOG
from broadsheet.typst.pdf import setup_pdf
from broadsheet.untrusted import setup_untrusted

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.util.typing import ExtensionMetadata

__version__ = "0.1.0"

#: Bumped whenever the pickled article data or the node attributes change shape, so that Sphinx
#: re-reads every document instead of trusting an environment written by an older Broadsheet.
ENV_VERSION = 8


def setup(app: Sphinx) -> ExtensionMetadata:
    """Register Broadsheet's configuration, nodes, transforms and assets."""
    app.setup_extension("myst_parser")
    app.setup_extension("sphinx_copybutton")
    app.add_message_catalog(MESSAGE_CATALOG, str(Path(__file__).parent / "locale"))

    setup_config(app)
    setup_renderings(app)
    setup_articles(app)
    setup_publishing(app)
    setup_retractions(app)
    setup_safety(app)
    setup_untrusted(app)
    setup_parsing(app)
    setup_header(app)
    setup_toc(app)
    setup_replies(app)
    setup_reply_thread(app)
    setup_neighbours(app)
    setup_generated(app)
    setup_listings(app)
    setup_pagination(app)
    setup_taxonomy(app)
    setup_feeds(app)
    setup_social(app)
    setup_redirects(app)
    setup_latex(app)
    setup_pdf(app)
    setup_assets(app)

    return {
        "version": __version__,
        "env_version": ENV_VERSION,
        # Per-document state lives in BroadsheetDomain, which purges and merges it.
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
