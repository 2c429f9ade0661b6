"""A publication with published replies."""

project = "Reply Gazette"
extensions = ["broadsheet"]
html_theme = "basic"
html_baseurl = "https://gazette.example.org/"
exclude_patterns = ["_build"]
