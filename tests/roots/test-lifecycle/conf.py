"""A publication whose articles go through every step of their life: draft, scheduled,
published, retitled, retagged, redrafted, deleted and retracted (tests/test_publishing.py)."""

project = "Lifecycle Ledger"
author = "Ledger desk"
extensions = ["broadsheet"]
html_theme = "basic"
html_baseurl = "https://ledger.example.org/"
exclude_patterns = ["_build"]
broadsheet_feed_content = "full"
broadsheet_timezone = "Europe/Kyiv"
