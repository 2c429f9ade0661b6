"""The message catalog of Broadsheet's user-visible strings."""

from __future__ import annotations

from sphinx.locale import get_translation, get_translator

MESSAGE_CATALOG = "broadsheet"

#: Strings shown to readers, translated into the publication's ``language``.
_ = get_translation(MESSAGE_CATALOG)
#: Strings shown to editors in the console, translated into the console locale.
__ = get_translation(MESSAGE_CATALOG, "console")


def ngettext(singular: str, plural: str, count: int) -> str:
    """The reader-facing plural form for ``count`` ("1 Reply", "3 Replies")."""
    return str(get_translator(MESSAGE_CATALOG).ngettext(singular, plural, count))
