"""Articles whose front matter is wrong in every way an editor might get it wrong."""

project = "Errata"
extensions = ["broadsheet"]
html_theme = "basic"
exclude_patterns = ["_build"]
