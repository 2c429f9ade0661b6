"""Sphinx configuration of the sample publication, *The Kursk Desk*."""

from __future__ import annotations

import os

project = "The Kursk Desk"
author = "The Kursk Desk editors"
copyright = "2024-2026, The Kursk Desk editors"
language = "en"

extensions = ["broadsheet"]

root_doc = "index"
exclude_patterns = ["_build"]
# Read the Docs tells each build its address; elsewhere the published one is used.
html_baseurl = os.environ.get(
    "READTHEDOCS_CANONICAL_URL", "https://broadsheet.readthedocs.io/en/latest/"
)

myst_enable_extensions = ["colon_fence", "deflist"]

html_theme = "furo"
html_title = "The Kursk Desk"
html_static_path: list[str] = []
# Readers of a publication have no use for a link to an article's Markdown source.
html_show_sourcelink = False
html_theme_options = {
    "sidebar_hide_name": False,
    "navigation_with_keys": True,
    "light_css_variables": {
        "color-brand-primary": "#9b1c1c",
        "color-brand-content": "#9b1c1c",
        "color-brand-visited": "#7a1616",
    },
    "dark_css_variables": {
        "color-brand-primary": "#f28b82",
        "color-brand-content": "#f28b82",
        "color-brand-visited": "#e8a29b",
    },
}

# Broadsheet: every default spelled out so editors see what they can change.
broadsheet_articles = ["articles/**"]
broadsheet_words_per_minute = 230
broadsheet_toc_depth = 2
broadsheet_toc_min_sections = 2
broadsheet_reply_action = ""
# The publication's Isso server: the reply form posts there and `make replies` fetches the
# approved replies into replies/ (see the authoring guide). Empty: the form is a placeholder.
broadsheet_isso_url = ""
# Dates without an offset are read in this zone; "Europe/Kyiv" would suit the desk as well.
broadsheet_timezone = "UTC"
