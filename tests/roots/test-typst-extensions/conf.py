"""A publication with third-party extensions that render their own nodes in the PDFs."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

project = "Extension Gazette"
extensions = ["broadsheet", "stamps"]
html_theme = "basic"
html_baseurl = "https://ext.example.org/"
exclude_patterns = ["_build"]
myst_enable_extensions = ["dollarmath", "amsmath", "colon_fence"]
numfig = True
broadsheet_taxonomy_pages = False
