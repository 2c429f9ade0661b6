"""A small publication exercising every article feature."""

project = "Test Gazette"
extensions = ["broadsheet"]
html_theme = "basic"
html_baseurl = "https://gazette.example.org/"
exclude_patterns = ["_build"]
