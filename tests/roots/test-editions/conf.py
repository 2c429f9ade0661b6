"""A publication whose articles fall in several months, weeks and years: periodic editions."""

project = "Editions Gazette"
extensions = ["broadsheet"]
html_theme = "basic"
html_baseurl = "https://editions.example.org/"
exclude_patterns = ["_build"]
# midnight.md is dated 23:30 UTC on 31 August: 1 September in Berlin, so a September article.
broadsheet_timezone = "Europe/Berlin"
