"""A publication that restyles the article header with a template of its own."""

project = "Template Times"
extensions = ["broadsheet"]
html_theme = "basic"
exclude_patterns = ["_build"]
templates_path = ["_templates"]
broadsheet_pdf = False
broadsheet_feeds = False
