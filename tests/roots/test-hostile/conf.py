"""Hostile articles in the untrusted mode, with extensions that read files and run code loaded
(tests/test_hostile.py says what each must give)."""

project = "Hostile Gazette"
extensions = ["broadsheet", "sphinx.ext.graphviz", "sphinx.ext.ifconfig", "sphinx.ext.autodoc",
              "sphinx.ext.inheritance_diagram", "sphinx.ext.autosummary"]
html_theme = "basic"
html_baseurl = "https://hostile.example.org/"
exclude_patterns = ["_build"]
broadsheet_untrusted = True
broadsheet_feed_content = "full"
myst_enable_extensions = ["colon_fence"]
