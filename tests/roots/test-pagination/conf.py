"""A publication whose articles the tests write (tests/test_pagination.py): three a page."""

project = "Paged Post"
author = "Paged Post desk"
extensions = ["broadsheet"]
html_theme = "basic"
html_baseurl = "https://paged.example.org/"
exclude_patterns = ["_build"]
broadsheet_pdf = False
broadsheet_listing_page_size = 3
