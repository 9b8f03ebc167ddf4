# Two commands for a newcomer (see README.md):
#   make book   set everything up, then open the textbook in JupyterLab
#   make test   set everything up, then run the whole test suite (what CI runs)
# Everything lives in ./.venv and ./node_modules; nothing is installed globally.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: book lab site test lint clean setup

setup: $(STAMP)

$(STAMP): requirements.txt pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	touch $(STAMP)

book: lab

lab: $(STAMP)
	$(BIN)/jupyter lab book/

lint: $(STAMP)
	$(BIN)/ruff check backprop_lab tests benchmarks
	$(BIN)/ruff format --check backprop_lab tests benchmarks

test: $(STAMP)
	$(MAKE) lint
	$(BIN)/python -m pytest

clean:
	rm -rf _build .pytest_cache .hypothesis
