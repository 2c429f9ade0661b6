# Broadsheet: build the sample publication and run the test suite.
# Only Python 3.11+ and make are needed; everything else is installed into .venv on first use.

PYTHON ?= python3
CHROMIUM := /usr/bin/chromium
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
VENV   ?= .venv
BIN    := $(VENV)/bin
SPHINXOPTS ?= -W --keep-going -n
SOURCEDIR  := docs
BUILDDIR   := docs/_build
# Doctrees and Broadsheet's caches (PDF sources, feed bodies) hold the text of every article
# read, drafts included in a preview: they live beside the published folders, never inside.
DOCTREES   := $(BUILDDIR)/doctrees

.PHONY: html pdf test check lint serve clean article bench help locale screenshots import replies

help:
	@echo "make html     build the web edition into $(BUILDDIR)/html (strict)"
	@echo "make pdf      build only the PDF editions into $(BUILDDIR)/pdf"
	@echo "make test     run the whole test suite (pytest, ruff, mypy)"
	@echo "make serve    live-reloading preview on http://127.0.0.1:8000"
	@echo "make article TITLE=\"...\"   start a new article"
	@echo "make import WXR=export.xml [UPLOADS=wp-content/uploads]   import a WordPress export"
	@echo "make replies  fetch the approved replies from Isso into docs/replies/"
	@echo "make bench    clean, one-edit and no-change builds against the plain Sphinx stack (N=100, 1000; BENCHOPTS=\"--n 10000\")"
	@echo "make lint     report debris left in articles (after an import), with file and line"
	@echo "make check    the strict build, the debris lint and a link check, for CI"
	@echo "make screenshots  PNGs of the front page and an article into $(BUILDDIR)/screenshots"
	@echo "make clean    remove build output"

# The venv is (re)made when pyproject.toml changes; the stamp records which extras it has.
$(BIN)/.stamp-base: pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e .
	@touch $@

$(BIN)/.stamp-test: pyproject.toml $(BIN)/.stamp-base
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@touch $@

$(BIN)/.stamp-serve: pyproject.toml $(BIN)/.stamp-base
	$(BIN)/python -m pip install --quiet -e '.[serve]'
	@touch $@

html: $(BIN)/.stamp-base
	$(BIN)/python -m sphinx -b html $(SPHINXOPTS) -d $(DOCTREES) $(SOURCEDIR) $(BUILDDIR)/html

pdf: $(BIN)/.stamp-base
	$(BIN)/python -m sphinx -b typst $(SPHINXOPTS) -d $(DOCTREES) $(SOURCEDIR) $(BUILDDIR)/pdf

# Debian's Chromium for the browser tests (Playwright never downloads a browser of its own).
$(CHROMIUM):
	$(SUDO) apt-get update -qq
	$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-liberation

test: $(BIN)/.stamp-test $(CHROMIUM)
	$(BIN)/ruff check ext tests
	$(BIN)/ruff format --check ext tests
	$(BIN)/mypy
	$(BIN)/python -m pytest

serve: $(BIN)/.stamp-serve
	$(BIN)/sphinx-autobuild --host 127.0.0.1 --port 8000 $(SOURCEDIR) $(BUILDDIR)/html \
	  -d $(DOCTREES) $(SPHINXOPTS)

article: $(BIN)/.stamp-base
	@test -n "$(TITLE)" || { echo 'usage: make article TITLE="Your headline"' >&2; exit 2; }
	@$(BIN)/broadsheet new --docs $(SOURCEDIR) "$(TITLE)"

# A WordPress export into the publication (safe to run again: edited articles are kept).
import: $(BIN)/.stamp-base
	@test -n "$(WXR)" || { echo 'usage: make import WXR=path/to/export.xml [UPLOADS=path/to/wp-content/uploads]' >&2; exit 2; }
	$(BIN)/broadsheet import-wordpress "$(WXR)" --docs $(SOURCEDIR) $(if $(UPLOADS),--uploads "$(UPLOADS)")

# The approved replies of every article from Isso (broadsheet_isso_url) into the reply files.
replies: $(BIN)/.stamp-base
	$(BIN)/broadsheet replies --docs $(SOURCEDIR)

# Debris in articles (a WordPress import's leftovers, scraping debris), one line per finding with
# its file and line; the exit status is non-zero when there is any, so CI fails on it. Code style
# (ruff, mypy) is checked by `make test`.
lint: $(BIN)/.stamp-base
	$(BIN)/broadsheet lint --docs $(SOURCEDIR)

# The strict build, the debris lint, then Sphinx's link check of every link within the publication (external
# addresses are skipped: CI machines may have no network, and they are not ours to fix).
check: $(BIN)/.stamp-base
	$(BIN)/broadsheet lint --docs $(SOURCEDIR)
	$(BIN)/python -m sphinx -b html $(SPHINXOPTS) -d $(DOCTREES) $(SOURCEDIR) $(BUILDDIR)/html
	$(BIN)/python -m sphinx -b linkcheck $(SPHINXOPTS) -d $(DOCTREES) -D 'linkcheck_ignore=^https?://' \
	  $(SOURCEDIR) $(BUILDDIR)/linkcheck

screenshots: html $(BIN)/.stamp-test $(CHROMIUM)
	$(BIN)/python tests/screenshots.py $(BUILDDIR)/screenshots --site $(BUILDDIR)/html

bench: $(BIN)/.stamp-test
	$(BIN)/python tests/benchmarks/bench.py $(BENCHOPTS)

clean:
	rm -rf $(BUILDDIR)

# Refresh the message catalog template and compile the translations (after changing strings).
locale: $(BIN)/.stamp-base
	$(BIN)/pybabel extract -k _ -k __ -k N_ -k ngettext:1,2 --no-location --sort-output --omit-header \
	  --project=broadsheet -o ext/broadsheet/locale/broadsheet.pot ext/broadsheet
	$(BIN)/pybabel update -i ext/broadsheet/locale/broadsheet.pot -d ext/broadsheet/locale \
	  -D broadsheet --no-fuzzy-matching
	$(BIN)/pybabel compile -d ext/broadsheet/locale -D broadsheet
