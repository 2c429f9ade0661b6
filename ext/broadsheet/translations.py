"""The message catalog of Broadsheet's user-visible strings."""

from __future__ import annotations

from sphinx.locale import get_translation

MESSAGE_CATALOG = "broadsheet"

#: Strings shown to readers, translated into the publication's ``language``.
_ = get_translation(MESSAGE_CATALOG)
#: Strings shown to editors in the console, translated into the console locale.
__ = get_translation(MESSAGE_CATALOG, "console")
