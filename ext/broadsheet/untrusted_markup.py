"""The directives and roles an untrusted article may use: an allow-list, nothing else.

Any loaded extension can add a directive that reads a file or runs code: ``graphviz`` reads
the file its argument names, ``ifconfig`` evaluates Python, ``automodule`` imports a module,
``inheritance-diagram`` imports classes, Jupyter and ``exec``-style directives run their
content. A deny-list would miss the next one, so while an untrusted article is parsed (also
inside ``{eval-rst}``) only the text directives and roles of docutils, Sphinx and MyST listed
here are looked up; any other is dropped where it is written, with a located warning naming
it. A publication adds names of its own with ``broadsheet_untrusted_markup``.

The lookup goes through Sphinx's :class:`~sphinx.util.docutils.CustomReSTDispatcher`, the same
door Sphinx's domains use, so Markdown and reStructuredText are both covered.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, ClassVar

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.util import logging
from sphinx.util.docutils import CustomReSTDispatcher, SphinxDirective

from broadsheet.translations import __

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Sequence
    from types import ModuleType

    from docutils.parsers.rst import Directive
    from docutils.utils import Reporter
    from sphinx.util.typing import RoleFunction

logger = logging.getLogger(__name__)

#: A role's ``title <target>``: the title is what a refused role leaves.
_EXPLICIT_TITLE = re.compile(r"(.+?)\s+<[^<>]*>\Z", re.DOTALL)

#: Directives that neither read a file nor run code (``image`` and ``figure`` are checked by
#: :mod:`broadsheet.images`; ``csv-table``'s ``:file:`` and ``:url:`` are off in the mode).
ALLOWED_DIRECTIVES = frozenset(
    {
        # docutils
        "admonition", "attention", "caution", "danger", "error", "hint", "important", "note",
        "tip", "warning", "topic", "sidebar", "line-block", "parsed-literal", "code", "math",
        "rubric", "epigraph", "highlights", "pull-quote", "compound", "container", "image",
        "figure", "table", "csv-table", "list-table", "replace", "unicode", "date", "class",
        # Sphinx
        "code-block", "sourcecode", "highlight", "seealso", "versionadded", "versionchanged",
        "deprecated", "versionremoved", "centered", "hlist", "only", "glossary", "rst-class",
        # MyST
        "figure-md",
        # Broadsheet
        "article-list", "edition-pdf",
    }
)  # fmt: skip
#: Roles that neither read a file nor run code (``download`` publishes a file: not here).
ALLOWED_ROLES = frozenset(
    {
        "",  # the project's default role
        # docutils
        "emphasis", "strong", "literal", "code", "math", "subscript", "sub", "superscript",
        "sup", "abbreviation", "ab", "acronym", "ac", "title-reference", "title", "t",
        "pep-reference", "pep", "rfc-reference", "rfc",
        # Sphinx
        "abbr", "command", "dfn", "file", "guilabel", "kbd", "mailheader", "makevar",
        "manpage", "menuselection", "mimetype", "newsgroup", "program", "regexp", "samp",
        "ref", "doc", "term", "numref", "keyword", "option", "envvar", "token", "any", "eq",
    }
)  # fmt: skip


def _allowed(name: str, allowed: frozenset[str]) -> bool:
    """Whether the directive or role written ``name`` may be looked up. Names are English
    (not the document language's aliases): a name that only looks like an allowed one might
    be another extension's."""
    return name.lower().removeprefix("std:") in allowed


class _AnyOption(dict[str, "Callable[[str | None], Any]"]):
    """An option spec that takes every option (as text), so a refused directive parses."""

    def __missing__(self, key: str) -> Callable[[str | None], Any]:
        return directives.unchanged

    def __bool__(self) -> bool:
        return True


class RefusedDirective(SphinxDirective):
    """What a directive an untrusted article may not use becomes: nothing, and a warning."""

    has_content = True
    optional_arguments = 1
    final_argument_whitespace = True
    option_spec: ClassVar[dict[str, Any]] = _AnyOption()

    def run(self) -> list[nodes.Node]:
        logger.warning(
            __("directive %r dropped: not allowed in untrusted articles"),
            self.name,
            type="broadsheet",
            subtype="untrusted",
            location=self.get_location(),
        )
        return []


def refused_role(
    name: str,
    rawtext: str,
    text: str,
    lineno: int,
    inliner: Any,
    options: dict[str, Any] | None = None,
    content: Sequence[str] = (),
) -> tuple[list[nodes.Node], list[nodes.system_message]]:
    """What a role an untrusted article may not use becomes: its text, and a warning."""
    env = inliner.document.settings.env
    logger.warning(
        __("role %r dropped: not allowed in untrusted articles"),
        name,
        type="broadsheet",
        subtype="untrusted",
        location=(env.docname, lineno),
    )
    explicit = _EXPLICIT_TITLE.match(text)
    return [nodes.Text(explicit[1] if explicit else text)], []


class UntrustedMarkup(CustomReSTDispatcher):
    """While active, every directive and role outside the allow-lists is refused."""

    def __init__(self, extra: Iterable[str] = ()) -> None:
        super().__init__()
        self.directives = ALLOWED_DIRECTIVES | frozenset(n.lower() for n in extra)
        self.roles = ALLOWED_ROLES | frozenset(n.lower() for n in extra)

    def directive(
        self, directive_name: str, language_module: ModuleType, document: nodes.document
    ) -> tuple[type[Directive] | None, list[nodes.system_message]]:
        if _allowed(directive_name, self.directives):
            return super().directive(directive_name, language_module, document)
        return RefusedDirective, []

    def role(
        self, role_name: str, language_module: ModuleType, lineno: int, reporter: Reporter
    ) -> tuple[RoleFunction, list[nodes.system_message]]:
        if _allowed(role_name, self.roles):
            return super().role(role_name, language_module, lineno, reporter)
        return refused_role, []
