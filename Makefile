# Two commands for a newcomer (see README.md):
#   make book   set everything up, then open the textbook in JupyterLab
#   make test   set everything up, then run the whole test suite (what CI runs)
# Everything lives in ./.venv and ./node_modules; nothing is installed globally.
#
# Other targets:
#   make site    build the website into _build/html (executes every chapter)
#   make vendor  copy MathJax, RequireJS and the widget manager into book/_vendor
#                (a plain `jupyter-book build .` does it too: tools/sphinx_site.py)
#   make strip   remove outputs from the chapter notebooks before committing them
#   make lint    ruff, and import-linter's layer contracts (pyproject.toml)
#   make unit    the unit tests alone (tests/unit, on two workers; under a minute)
#   make clean   remove build products

PYTHON ?= python3
NPM    ?= npm
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
NODE_STAMP   := node_modules/.installed
VENDOR_STAMP := book/_vendor/.vendored
LINTED := backprop_lab tests benchmarks tools

.PHONY: book lab site test unit lint clean setup vendor strip

setup: $(STAMP)

# The matplotlib import builds its font cache once, so that the first notebook executed on
# a fresh machine does not print "building the font cache" (stderr fails the site build).
$(STAMP): requirements.txt pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	$(BIN)/python -c "import matplotlib.pyplot"
	touch $(STAMP)

# Pinned JavaScript for the website (package.json, package-lock.json).
$(NODE_STAMP): package.json package-lock.json
	$(NPM) ci --ignore-scripts --no-audit --no-fund
	touch $(NODE_STAMP)

$(VENDOR_STAMP): $(NODE_STAMP) tools/vendor_js.py $(wildcard tools/site_static/*) | $(STAMP)
	$(BIN)/python tools/vendor_js.py

vendor: $(VENDOR_STAMP)

book: lab

# (book/_vendor holds the website's JavaScript; the file browser need not show it.)
# As root (containers, CI machines) JupyterLab refuses to start without --allow-root.
ALLOW_ROOT := $(if $(filter 0,$(shell id -u)),--allow-root,)

lab: $(STAMP)
	$(BIN)/jupyter lab book/ $(ALLOW_ROOT) \
	    --ContentsManager.hide_globs='["__pycache__", "*.pyc", "*.pyo", ".DS_Store", "*~", "_vendor"]' \
	    $(LAB_ARGS)

# --all: re-read and re-execute every page, so the site always shows what today's code
# computes (Sphinx alone would skip notebooks that did not change).
BUILD_SITE := $(BIN)/jupyter-book build . -W --keep-going --all

site: $(STAMP) $(VENDOR_STAMP)
	$(BUILD_SITE)

lint: $(STAMP)
	$(BIN)/ruff check $(LINTED)
	$(BIN)/ruff format --check $(LINTED)
	$(BIN)/lint-imports

strip: $(STAMP)
	$(BIN)/python tools/strip_notebooks.py book

# Lint; then build the site (executing every chapter; its log in _build/site.log) while
# the tests that do not need it run beside it (the package's tests, nbval on every chapter,
# a fresh Binder-like environment and wheel: the machine has two cores, and the build uses
# about one); then the tests that need the site, a browser or JupyterLab (marked after_site
# by tests/conftest.py): the built site in headless Chromium, the chapters in JupyterLab,
# on two pytest-xdist workers (a test file stays on one worker: JupyterLab on one, the
# site's pages on the other; both mostly wait on the browser and the kernel).
test: $(STAMP) $(VENDOR_STAMP)
	$(MAKE) lint
	@mkdir -p _build
	@echo "make test: building the site (log: _build/site.log) beside the tests that do not need it"
	@$(BUILD_SITE) > _build/site.log 2>&1 & build=$$!; \
	$(BIN)/python -m pytest -m "not after_site" --durations=10; tests=$$?; \
	wait $$build; built=$$?; \
	if [ $$built -ne 0 ]; then tail -n 80 _build/site.log; echo "make test: the site build failed; see _build/site.log"; fi; \
	[ $$built -eq 0 ] && [ $$tests -eq 0 ]
	$(BIN)/python -m pytest -m after_site -n 2 --dist loadfile --durations=15

# The package's unit and property tests, without the site, the browser or JupyterLab.
unit: $(STAMP)
	$(BIN)/python -m pytest tests/unit -q -n 2 --durations=5

clean:
	rm -rf _build .pytest_cache .hypothesis book/_vendor build dist
