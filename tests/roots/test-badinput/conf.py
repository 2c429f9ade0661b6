"""The corpus of bad and hostile inputs (tests/test_badinput.py says what each must give)."""

project = "Bad Input Gazette"
extensions = ["broadsheet"]
html_theme = "basic"
html_baseurl = "https://bad.example.org/"
exclude_patterns = ["_build"]
broadsheet_feed_content = "full"
