"""A publication whose articles use every node the PDF writer must render."""

project = "PDF Gazette"
extensions = ["broadsheet"]
html_theme = "basic"
html_baseurl = "https://gazette.example.org/"
exclude_patterns = ["_build"]
myst_enable_extensions = ["dollarmath", "deflist", "colon_fence"]
# Keep ASCII quotes as written, so the injection test can compare text byte for byte.
smartquotes = False
