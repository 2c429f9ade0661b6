"""Every source parser, wrapped once all extensions added theirs: a body nested too deep to
read costs only its own text (and :func:`too_deep_notice` stands in for a text too deep for
a writer), and an untrusted article is parsed under the untrusted mode's
restrictions (:func:`broadsheet.untrusted.untrusted_parsing`).

docutils and myst-parser parse nested blocks by recursion, a dozen Python frames a level: a
few hundred nested directives, block quotes or lists (about 4 KB of text) exhaust Python's
stack and Sphinx stops the whole build with a ``RecursionError``. Here the error ends the
parsing of that one document: its body is left out, with a warning at the line the parser
had reached, and every other page is built.
"""

from __future__ import annotations

import re
from contextlib import nullcontext
from typing import TYPE_CHECKING, Any

from docutils import nodes
from sphinx.util import logging

from broadsheet.translations import _, __
from broadsheet.untrusted import untrusted_parsing

if TYPE_CHECKING:
    from contextlib import AbstractContextManager

    from docutils.parsers import Parser
    from sphinx.application import Sphinx
    from sphinx.config import Config

logger = logging.getLogger(__name__)

#: A front matter block at the start of a source.
_FRONT_MATTER = re.compile(r"---[ \t]*\n(?:.*\n)*?---[ \t]*\n")


def _drop_body(document: nodes.document) -> None:
    """Make ``document`` the empty document it was before parsing began."""
    fresh = nodes.document(document.settings, document.reporter, source=document["source"])
    kept = {"document", "settings", "reporter", "transformer"}
    document.__dict__.update({k: v for k, v in fresh.__dict__.items() if k not in kept})
    # Transforms the parser scheduled for its nodes (``contents``, ``sectnum``): gone too.
    transformer = document.transformer
    transformer.transforms = [t for t in transformer.transforms if t[2] is None]


def too_deep_notice(doctree: nodes.document) -> nodes.document:
    """A document of ``doctree``'s title and a notice in place of a text a writer cannot
    walk: nested past Python's stack (footnotes in footnotes, which a PDF prints inline)."""
    notice = nodes.document(doctree.settings, doctree.reporter, source=doctree["source"])
    section = next((n for n in doctree.children if isinstance(n, nodes.section)), None)
    copy = nodes.section("", ids=list(section["ids"]) if section else [])
    if section is not None and isinstance(section[0], nodes.title):
        copy += section[0].deepcopy()
    text = _("This text is nested too deep to be typeset here; read it in the web edition.")
    copy += nodes.paragraph(text, text)
    notice += copy
    return notice


def _guarded(parser_class: type[Parser]) -> type[Parser]:
    """``parser_class``, whose ``parse`` survives deep nesting and honours the untrusted mode."""

    def parse(self: Any, inputstring: Any, document: nodes.document) -> None:
        env = getattr(document.settings, "env", None)
        rules: AbstractContextManager[Any] = nullcontext()
        if env is not None:
            rules = untrusted_parsing(env, document.settings)
        try:
            with rules:
                parser_class.parse(self, inputstring, document)
        except RecursionError:
            line = document.current_line or 1  # inline markup leaves no line: the file's
            _drop_body(document)
            # Parsed again without the body, so the parser finishes its document as it does
            # every other (myst-parser sets what its transforms read at the end).
            front = _FRONT_MATTER.match(str(inputstring))
            with rules:
                parser_class.parse(self, front[0] if front else "", document)
            logger.warning(
                __("the text is nested too deep to read (a few hundred levels); left out"),
                type="broadsheet",
                subtype="nesting",
                location=(env.docname, line) if env is not None else None,
            )

    guarded = type(parser_class.__name__, (parser_class,), {"parse": parse})
    guarded.__module__ = parser_class.__module__
    guarded.__doc__ = parser_class.__doc__
    return guarded


def guard_parsers(app: Sphinx, config: Config) -> None:
    """Wrap every source parser registered by now."""
    parsers = app.registry.source_parsers
    for filetype, parser_class in list(parsers.items()):
        parsers[filetype] = _guarded(parser_class)


def setup_parsing(app: Sphinx) -> None:
    """Wrap the parsers once every extension's are registered."""
    app.connect("config-inited", guard_parsers, priority=900)
