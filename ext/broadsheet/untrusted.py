"""The untrusted mode (``broadsheet_untrusted = True``): an article publishes its own text and
the image files under the source folder, nothing else.

For publications that take articles from contributors they do not trust. In every article:

- docutils' own switches for reading files and raw markup are off while the article is parsed
  (``file_insertion_enabled`` and ``raw_enabled``, which ``include``, ``literalinclude``,
  ``csv-table :file:``/``:url:``, ``raw`` and MyST's ``{include}`` all honour): each such
  directive is dropped with docutils' located warning;
- raw blocks of every format (HTML, Typst, LaTeX) that the Markdown itself makes, ``meta``
  tags and ``{download}`` links are dropped with a located warning (:mod:`broadsheet.safety`);
- the front matter keys that reach past the article's text are dropped before myst-parser
  reads them: ``html_meta`` (``<meta http-equiv="refresh">`` redirects), ``myst`` (per-file
  MyST settings) and ``substitutions`` (Jinja, evaluated with the build environment at hand).

MyST's ``substitution`` extension evaluates Jinja expressions anywhere in the text with the
build environment in scope, so it cannot be used together with this mode (a ``ConfigError``
says so). ``broadsheet_raw_html = False`` keeps its narrower meaning: raw HTML only.
"""

from __future__ import annotations

from contextlib import nullcontext
from typing import TYPE_CHECKING, Any

from sphinx.errors import ConfigError
from sphinx.util import logging

from broadsheet.articles import current_front_matter, is_article
from broadsheet.frontmatter import ARTICLE_KEYS
from broadsheet.images import is_remote
from broadsheet.translations import __
from broadsheet.untrusted_markup import UntrustedMarkup

if TYPE_CHECKING:
    from contextlib import AbstractContextManager

    from sphinx.application import Sphinx
    from sphinx.config import Config
    from sphinx.environment import BuildEnvironment

logger = logging.getLogger(__name__)

#: Front matter keys an untrusted article may not use: read by myst-parser, not Broadsheet.
REFUSED_KEYS = ("html_meta", "myst", "substitutions")
#: The keys myst-parser may still see: Broadsheet's own, and Sphinx's harmless metadata.
ALLOWED_KEYS = ARTICLE_KEYS | {"orphan", "nocomments", "nosearch", "tocdepth"}


def is_untrusted(config: Config, docname: str) -> bool:
    """Whether ``docname`` is an article of a publication in the untrusted mode."""
    return bool(config.broadsheet_untrusted) and is_article(config, docname)


def untrusted_parsing(env: BuildEnvironment, settings: Any) -> AbstractContextManager[Any]:
    """What parsing the current document takes place under: for an untrusted article, file
    insertion and raw markup off and only the allowed directives and roles
    (:mod:`broadsheet.untrusted_markup`); for any other document, nothing."""
    if not is_untrusted(env.config, env.docname):
        return nullcontext()
    settings.file_insertion_enabled = False
    settings.raw_enabled = False
    return UntrustedMarkup(env.config.broadsheet_untrusted_markup)


def check_untrusted_config(app: Sphinx, config: Config) -> None:
    """The untrusted mode cannot be used with MyST's Jinja substitutions."""
    if not config.broadsheet_untrusted:
        return
    extensions = getattr(config, "myst_enable_extensions", ()) or ()
    if "substitution" in extensions:
        raise ConfigError(
            __(
                "broadsheet_untrusted cannot be used with MyST's 'substitution' extension: its "
                "Jinja expressions can read the build's environment and files. Remove "
                "'substitution' from myst_enable_extensions."
            )
        )


def drop_refused_keys(app: Sphinx, docname: str, source: list[str]) -> None:
    """Hand myst-parser only the front matter Broadsheet vetted, with a warning for the rest.

    An allow-list, not a deny-list: every line of the block that is not part of a key
    Broadsheet reads is blanked. A refused key can come in under many spellings (a second
    ``myst:`` that YAML readers resolve differently, a ``<<`` merge key, a flow mapping on
    one line), so the block is blanked whole when a refused key shares a line with a kept one.
    """
    if not is_untrusted(app.config, docname):
        return
    front = current_front_matter(app.env)
    if front is None or not front.end:
        return
    lines = source[0].split("\n")
    # markdown-it closes the block at a ``---`` line only; Broadsheet also at ``...``.
    close = next((i for i in range(1, len(lines)) if lines[i].rstrip() == "---"), front.end)
    last = max(close, front.end)
    kept: set[int] = set()
    refused: set[int] = set()
    for key, (first, final) in front.spans.items():
        (kept if key in ALLOWED_KEYS else refused).update(range(first, final + 1))
        if key in REFUSED_KEYS:
            logger.warning(
                __("front matter key %r dropped: not allowed in untrusted articles"),
                key,
                type="broadsheet",
                subtype="untrusted",
                location=(docname, first + 1),
            )
    if kept & refused:
        kept = set()
    blanked = [i for i in range(1, last) if i not in kept and lines[i].strip()]
    stray = [i for i in blanked if i not in refused and not lines[i].lstrip().startswith("#")]
    if stray:
        logger.warning(
            __("front matter lines Broadsheet does not read dropped (untrusted article)"),
            type="broadsheet",
            subtype="untrusted",
            location=(docname, stray[0] + 1),
        )
    for i in blanked:
        lines[i] = ""
    if front.end < close:
        lines[front.end] = ""
    source[0] = "\n".join(lines)


def refuse_remote_lead_image(app: Sphinx, docname: str, source: list[str]) -> None:
    """An untrusted article's lead image must be a file of the sources: a remote one would
    tell its server who reads (and be the page's preview picture wherever it is shared)."""
    if not is_untrusted(app.config, docname):
        return
    front = current_front_matter(app.env)
    if front is None or not front.image or not is_remote(front.image):
        return
    logger.warning(
        __("lead image %r refused: remote images are not allowed in untrusted articles"),
        front.image[:80],
        type="broadsheet",
        subtype="image",
        location=(docname, front.lines.get("image", 1)),
    )
    front.image = ""


def setup_untrusted(app: Sphinx) -> None:
    """Register the configuration check and the front matter filter (the parsers are wrapped
    by :mod:`broadsheet.parsing`)."""
    app.connect("config-inited", check_untrusted_config, priority=900)
    # After articles.read_front_matter (500), which records where each key is.
    app.connect("source-read", drop_refused_keys, priority=600)
    app.connect("source-read", refuse_remote_lead_image, priority=600)
