"""The chapters as files: every notebook is in the book, tested, and committed clean.

- every notebook in book/ is listed in _toc.yml (otherwise the site silently leaves it
  out) and every _toc.yml entry exists;
- plain `pytest` collects every notebook with nbval (so each one is executed by the tests);
- notebooks are committed stripped: no outputs, no execution counts, no saved widget state
  (`make strip` does it; cells marked # NBVAL_CHECK_OUTPUT keep the output nbval compares),
  and they run on the standard `python3` kernel.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from test_site import toc_docnames

REPO = next(p for p in Path(__file__).resolve().parents if (p / "pyproject.toml").is_file())
BOOK = REPO / "book"


def book_notebooks() -> list[Path]:
    """Notebooks under book/, skipping hidden and underscore folders (_build, _vendor)."""
    return sorted(
        path
        for path in BOOK.rglob("*.ipynb")
        if not any(part.startswith((".", "_")) for part in path.relative_to(BOOK).parts[:-1])
    )


def relative(path: Path) -> str:
    return path.relative_to(REPO).as_posix()


def test_every_notebook_is_in_the_table_of_contents():
    listed = set(toc_docnames())
    missing = [
        relative(nb) for nb in book_notebooks() if relative(nb.with_suffix("")) not in listed
    ]
    assert not missing, f"notebooks in book/ that _toc.yml does not list: {missing}"


def test_every_table_of_contents_entry_exists():
    absent = [
        name
        for name in toc_docnames()
        if not any((REPO / f"{name}{suffix}").exists() for suffix in (".ipynb", ".md"))
    ]
    assert not absent, f"_toc.yml lists pages that do not exist: {absent}"


def test_pytest_configuration_runs_nbval_on_the_book(pytestconfig):
    assert "book" in pytestconfig.getini("testpaths")
    addopts = pytestconfig.getini("addopts")
    assert "--nbval" in addopts or "--nbval-lax" in addopts
    assert "_build" in pytestconfig.getini("norecursedirs")


def test_nbval_collects_every_notebook():
    """What `pytest` (with the project's configuration) collects from book/."""
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "--collect-only", "-q", "book"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    collected = {line.split("::")[0] for line in result.stdout.splitlines() if "::" in line}
    notebooks = {relative(nb) for nb in book_notebooks()}
    assert notebooks, "no notebooks in book/"
    assert notebooks - collected == set(), "notebooks nbval did not collect"


@pytest.mark.parametrize("notebook", book_notebooks(), ids=lambda path: path.name)
def test_notebook_is_committed_stripped(notebook):
    nb = nbformat.read(notebook, as_version=4)
    dirty = [
        f"cell {index}: {'outputs' if cell.outputs else 'execution_count'}"
        for index, cell in enumerate(nb.cells)
        if cell.cell_type == "code"
        and "NBVAL_CHECK_OUTPUT" not in cell.source  # nbval compares these stored outputs
        and (cell.outputs or cell.execution_count is not None)
    ]
    if "widgets" in nb.metadata:
        dirty.append("saved widget state in the notebook metadata")
    assert not dirty, (
        f"{relative(notebook)} has stored results ({', '.join(dirty[:5])}"
        f"{', ...' if len(dirty) > 5 else ''}): run `make strip` before committing"
    )
    kernel = nb.metadata.get("kernelspec", {}).get("name")
    assert kernel == "python3", f"{relative(notebook)} uses kernel {kernel!r}, not 'python3'"


# --- figures: a caption, a name and an alt text through myst-nb's cell metadata ----------

# every chapter and the appendix: each figure has them (issue 16)
CAPTIONED = [path.stem for path in book_notebooks()]


def figure_cells(notebook: nbformat.NotebookNode) -> list[nbformat.NotebookNode]:
    return [c for c in notebook.cells if c.cell_type == "code" and "plt.show()" in c.source]


@pytest.mark.parametrize("name", CAPTIONED)
def test_every_figure_has_a_caption_and_an_alt_text(name):
    notebook = nbformat.read(BOOK / f"{name}.ipynb", as_version=4)
    for cell in figure_cells(notebook):
        options = cell.metadata.get("mystnb", {})
        figure, image = options.get("figure", {}), options.get("image", {})
        where = f"{name}: the figure of {cell.source[:60]!r}"
        assert figure.get("caption", "").strip(), f"{where} has no caption"
        assert figure.get("name", "").startswith("fig-"), f"{where} has no fig- name"
        assert len(image.get("alt", "")) > 40, f"{where} has no real alt text"


def test_figure_names_are_unique():
    names = [
        cell.metadata["mystnb"]["figure"]["name"]
        for path in book_notebooks()
        for cell in nbformat.read(path, as_version=4).cells
        if "name" in cell.metadata.get("mystnb", {}).get("figure", {})
    ]
    assert len(names) == len(set(names))
