"""Remove outputs, execution counts and saved widget state from notebooks (`make strip`).

The chapters are committed without outputs: the site build and the tests execute them, so
stored outputs would only be stale copies (and large images in the history).
tests/integration/test_notebooks.py fails when a notebook in book/ still has any. The one
exception is a cell marked ``# NBVAL_CHECK_OUTPUT``: nbval compares its stored output, so it
is kept.

Usage: python tools/strip_notebooks.py [PATH ...]   (notebooks or folders; default book/)
"""

from __future__ import annotations

import sys
from pathlib import Path

import nbformat

# Cell metadata JupyterLab adds while running cells; tags and other metadata are kept.
VOLATILE_CELL_METADATA = ("execution", "collapsed", "scrolled")
CHECKED = "NBVAL_CHECK_OUTPUT"


def strip(notebook: nbformat.NotebookNode) -> bool:
    """Strip ``notebook`` in place; return whether anything changed."""
    changed = False
    if "widgets" in notebook.metadata:
        del notebook.metadata["widgets"]
        changed = True
    for cell in notebook.cells:
        for key in VOLATILE_CELL_METADATA:
            if key in cell.metadata:
                del cell.metadata[key]
                changed = True
        if cell.cell_type != "code" or CHECKED in cell.source:
            continue
        if cell.outputs:
            cell.outputs = []
            changed = True
        if cell.execution_count is not None:
            cell.execution_count = None
            changed = True
    return changed


def notebooks(paths: list[Path]) -> list[Path]:
    found = []
    for path in paths:
        if path.is_dir():
            found += sorted(
                p
                for p in path.rglob("*.ipynb")
                if not any(part.startswith((".", "_")) for part in p.relative_to(path).parts)
            )
        else:
            found.append(path)
    return found


def main(argv: list[str]) -> int:
    paths = [Path(arg) for arg in argv] or [Path(__file__).resolve().parents[1] / "book"]
    for path in notebooks(paths):
        notebook = nbformat.read(path, as_version=nbformat.NO_CONVERT)
        if strip(notebook):
            nbformat.write(notebook, path)
            print(f"stripped {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
