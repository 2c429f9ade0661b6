"""Jinja templates for markup a publication may restyle: the reply thread and the reply form.

The templates are package data under ``templates/broadsheet/``. They are looked up through the
HTML builder's own template loader first, so a file of the same name in one of the
publication's ``templates_path`` folders (``_templates/broadsheet/reply-thread.html``) or in
its theme takes their place, as it does for Sphinx's templates. Unlike Sphinx's page templates
they are autoescaped: a value is HTML only when the code that passes it says so with
:class:`markupsafe.Markup` (the HTML of doctree nodes made by Sphinx's own translator).
"""

from __future__ import annotations

import weakref
from pathlib import Path
from typing import TYPE_CHECKING, Any

from jinja2 import BaseLoader, ChoiceLoader, FileSystemLoader, StrictUndefined
from jinja2.sandbox import SandboxedEnvironment

if TYPE_CHECKING:
    from sphinx.builders import Builder

TEMPLATES_DIR = Path(__file__).parent / "templates"

#: One environment per builder (it caches compiled templates); gone with the builder.
_ENVIRONMENTS: weakref.WeakKeyDictionary[Builder, SandboxedEnvironment] = (
    weakref.WeakKeyDictionary()
)


def template_environment(builder: Builder) -> SandboxedEnvironment:
    """The Jinja environment that finds the publication's templates, then Broadsheet's."""
    environment = _ENVIRONMENTS.get(builder)
    if environment is None:
        loaders: list[BaseLoader] = []
        # HTML builders have Sphinx's loader (templates_path, then the theme's folders).
        sphinx_loader = getattr(builder, "templates", None)
        if isinstance(sphinx_loader, BaseLoader):
            loaders.append(sphinx_loader)
        loaders.append(FileSystemLoader(TEMPLATES_DIR))
        environment = SandboxedEnvironment(
            loader=ChoiceLoader(loaders),
            autoescape=True,
            undefined=StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=False,
        )
        _ENVIRONMENTS[builder] = environment
    return environment


def render_template(builder: Builder, name: str, context: dict[str, Any]) -> str:
    """Render the template ``name`` (such as ``broadsheet/reply-form.html``)."""
    return template_environment(builder).get_template(name).render(context)
