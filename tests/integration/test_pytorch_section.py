"""Chapter 5's "From this package to PyTorch": the numbers shown as text are the package's.

The section shows PyTorch code and what it printed as Markdown text, because PyTorch is not
a dependency of the book. Here the printed text is compared with what the package computes
for the worked example, printed the same way (numpy's default array printing of
``net.gradients(...).weights[l].T``, the layout of ``torch.nn.Linear``); where ``torch`` is
importable, the shown code itself is run and must print exactly the shown text.
"""

from __future__ import annotations

import contextlib
import io
import re

import nbformat
import numpy as np
import pytest
from browser import REPO

import backprop_lab as bl

CHAPTER = REPO / "book" / "05_putting_it_together.ipynb"
HEADING = "## From this package to PyTorch"
BLOCK = re.compile(r"```(python|text)\n(.*?)```", re.DOTALL)
NUMBER = re.compile(r"-?\d+\.\d+")


def section_blocks() -> list[tuple[str, str]]:
    """The section's code and output blocks, in order, as (kind, text) pairs."""
    notebook = nbformat.read(CHAPTER, as_version=4)
    cells = [c.source for c in notebook.cells if c.cell_type == "markdown"]
    sections = [source for source in cells if source.startswith(HEADING)]
    assert len(sections) == 1, f"one markdown cell starts with {HEADING!r}"
    blocks = BLOCK.findall(sections[0])
    kinds = [kind for kind, _ in blocks]
    assert kinds == ["python", "text", "python", "text"], kinds
    return blocks


def package_output() -> tuple[str, str]:
    """What the two code blocks must print, computed by the package."""
    example = bl.datasets.worked_example()
    net = example.network
    gradients = net.gradients(example.x, example.y)
    hidden, output = (g.T for g in gradients.weights)
    with np.printoptions(precision=8, floatmode="maxprec", suppress=False, legacy=False):
        first = f"E = {net.loss(example.x, example.y):.9f}\n{hidden}\n{output}\n"
        second = f"{2 * output}\n"
    return first, second


def test_the_printed_output_is_the_packages():
    blocks = section_blocks()
    shown = [text for kind, text in blocks if kind == "text"]
    assert shown == list(package_output())


def test_the_printed_numbers_are_the_gradients_of_chapter_3():
    _, first_output, _, second_output = (text for _, text in section_blocks())
    numbers = [float(n) for n in NUMBER.findall(first_output)]
    example = bl.datasets.worked_example()
    gradients = example.network.gradients(example.x, example.y)
    expected = [
        example.network.loss(example.x, example.y),
        *gradients.weights[0].T.ravel(),
        *gradients.weights[1].T.ravel(),
    ]
    # each shown to the digits printed: 9 decimals for E, numpy's 8 for the arrays
    np.testing.assert_allclose(numbers, expected, rtol=0, atol=0.5e-8 * (1 + 1e-9))
    # chapter 3's hand values, in its names: w1 (row 0 of hidden) and w5 (row 0 of output)
    assert numbers[1] == round(0.000438568, 8) and numbers[5] == round(0.082167041, 8)
    doubled = [float(n) for n in NUMBER.findall(second_output)]
    np.testing.assert_allclose(doubled, 2 * gradients.weights[1].T.ravel(), atol=0.5e-8)


def test_the_code_is_short():
    code = [text for kind, text in section_blocks() if kind == "python"]
    lines = [line for block in code for line in block.splitlines() if line.strip()]
    assert len(lines) <= 20, "the section promises about ten lines of PyTorch"


def test_the_shown_code_prints_the_shown_output():
    torch = pytest.importorskip("torch")
    blocks = section_blocks()
    namespace: dict = {}
    default_dtype = torch.get_default_dtype()
    try:
        for (_, code), (_, shown) in zip(blocks[0::2], blocks[1::2]):
            printed = io.StringIO()
            with contextlib.redirect_stdout(printed):
                exec(compile(code, str(CHAPTER), "exec"), namespace)
            assert printed.getvalue() == shown
    finally:
        torch.set_default_dtype(default_dtype)
