"""A small publication for listings, tag and author pages, reading order, feeds and metadata."""

project = "Tag Times"
author = "Tag Times desk"
extensions = ["broadsheet"]
html_theme = "basic"
html_baseurl = "https://tagtimes.example.org/"
exclude_patterns = ["_build"]
broadsheet_pdf = False
broadsheet_feed_content = "full"
