"""An empty publication that tests import a WordPress export into."""

project = "Border Watch"
extensions = ["broadsheet"]
html_theme = "basic"
html_baseurl = "https://borderwatch.example.org/"
exclude_patterns = ["_build"]
