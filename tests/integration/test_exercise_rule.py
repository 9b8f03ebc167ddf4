"""Every exercise of the book marks answers by one rule, in Python and in the page.

The rule (backprop_lab/exercises.py): the answer rounded to the significant digits the
question asks for is right; the answer times 1.01, 0 and the negated answer are not; fewer
digits than asked, if they are the answer rounded, are "Close". Each chapter proves it for
its own exercises in a hidden last cell, ``bl.Exercise.self_check(expected=N)``, which the
site build and nbval run; here we check that every chapter has that cell with the right N
(so no exercise escapes it), and that the page's JavaScript checker
(tools/site_static/backprop-lab.js, run by Node) marks a table of typed answers exactly as
the package does. The same JavaScript marks every exercise of the built site in Chromium in
tests/test_site_interaction.py.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess

import nbformat
import pytest
from browser import REPO
from test_site import toc_docnames

from backprop_lab.textbook.exercises import Exercise

CHAPTERS = [name for name in toc_docnames() if (REPO / f"{name}.ipynb").exists()]
SELF_CHECK = re.compile(r"bl\.Exercise\.self_check\(expected=(\d+)\)")
MADE = re.compile(r"\bbl\.Exercise\(")


@pytest.mark.parametrize("docname", CHAPTERS)
def test_every_chapter_checks_all_its_exercises(docname):
    notebook = nbformat.read(REPO / f"{docname}.ipynb", as_version=4)
    code = [cell for cell in notebook.cells if cell.cell_type == "code"]
    made = sum(len(MADE.findall(cell.source)) for cell in code)
    checks = [cell for cell in code if SELF_CHECK.search(cell.source)]
    if made == 0:
        assert not checks
        return
    assert len(checks) == 1, f"{docname}: one self-check cell, not {len(checks)}"
    cell = checks[0]
    assert cell is code[-1] or code.index(cell) > max(
        k for k, c in enumerate(code) if MADE.search(c.source)
    ), f"{docname}: the self-check must come after the last exercise"
    assert "remove-cell" in cell.metadata.get("tags", []), f"{docname}: hide the self-check"
    assert int(SELF_CHECK.search(cell.source).group(1)) == made, docname


# --- the page's checker, run by Node ---------------------------------------------------

NODE_HARNESS = """
const fs = require("fs");
global.document = {readyState: "complete", querySelectorAll: () => [],
                   addEventListener: () => {}};
global.window = {};
global.atob = (s) => Buffer.from(s, "base64").toString("binary");
eval(fs.readFileSync(process.argv[1], "utf8"));
const cases = JSON.parse(fs.readFileSync(0, "utf8"));
console.log(JSON.stringify(cases.map(([text, data]) => window.backpropLab.mark(text, data))));
"""

ANSWERS = [
    (0.530750719, 4, None),
    (0.25**10, 3, None),
    (-0.019049119, 4, None),
    (26, 4, None),
    (999.95, 4, None),
    (446470.6667, 4, None),
    ([0.25, 0.75], 3, None),
    ([0.5, -2.0], 4, None),
    (0.0, 4, 1e-9),
]
TYPED = [
    "0.5308",
    "0.5307",
    "0.53",
    "0.531",
    ".5",
    "5.308e-1",
    "0.53075",
    "1/2",
    "0",
    "-0.5308",
    "9.54e-7",
    "9.5e-7",
    "1e-6",
    "-5e-7",
    "1/1048576",
    "-0.01905",
    "-0.019",
    "0.01905",
    "26",
    "26.3",
    "1000",
    "999.9",
    "1e3",
    "4.465e5",
    "446500",
    "4.46e5",
    "0.25, 0.75",
    "1/4 3/4",
    "0.2, 0.8",
    "0.25,0.8",
    "0.5 -2",
    "0.5, -2.001",
    "0.5, 2",
    "1e-10",
    "0.001",
    "",
    "abc",
    "0.5 0.5 0.5",
    "-0",
    "+0.53075",
]


def page_marks(cases: list[tuple[str, dict]]) -> list[dict]:
    node = shutil.which("node")
    if node is None:
        pytest.skip("Node is not installed (npm brings it; make test installs node_modules)")
    script = REPO / "tools" / "site_static" / "backprop-lab.js"
    result = subprocess.run(
        [node, "-e", NODE_HARNESS, str(script)],
        input=json.dumps(cases),
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    return json.loads(result.stdout)


def exercise_data(exercise: Exercise) -> dict:
    return {
        "answer": exercise.answer,
        "choices": exercise.choices,
        "digits": exercise.digits,
        "absolute_tolerance": exercise.absolute_tolerance,
    }


def kind(message: str) -> str:
    return re.split(r"[:.]", message, maxsplit=1)[0]


def test_the_page_marks_as_the_package_does():
    cases, verdicts = [], []
    for answer, digits, floor in ANSWERS:
        exercise = Exercise(
            f"rule {answer!r}", answer, "s", digits=digits, absolute_tolerance=floor
        )
        probes = [text for text, _ in exercise.probes()]
        for text in [*TYPED, *probes]:
            cases.append([text, exercise_data(exercise)])
            verdicts.append(exercise.check(text))
    choice = Exercise("rule choice", "b", "s", choices=["a", "b"])
    for text in ["a", "b", "c", ""]:
        cases.append([text, exercise_data(choice)])
        verdicts.append(choice.check(text))
    marks = page_marks(cases)
    for (text, data), verdict, mark in zip(cases, verdicts, marks, strict=True):
        assert mark["correct"] == verdict.correct, (data["answer"], text, mark, verdict)
        assert kind(mark["message"]) == kind(verdict.message), (data["answer"], text, mark)


def test_the_probes_follow_the_rule_in_the_page():
    exercise = Exercise("rule probes", 0.000438567734, "s")
    marks = page_marks([[text, exercise_data(exercise)] for text, _ in exercise.probes()])
    assert [m["correct"] for m in marks] == [right for _, right in exercise.probes()]
