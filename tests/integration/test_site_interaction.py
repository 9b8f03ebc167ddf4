"""The built site answers the reader, in headless Chromium, with no kernel and no network.

The explorers' cells are found here (``explorer_cells``, ``build_explorer``) for
tests/integration/test_live_explorers.py, which moves every control of every explorer.
For every exercise: a right and a wrong answer typed into the box get their verdicts from
the page, the page marks typed text as the package does, and hint and solution stay
closed until opened.
"""

from __future__ import annotations

import base64
import json
import re
from pathlib import Path
from typing import Any

import nbformat
import pytest
import test_site
from browser import REPO, PageWatch
from test_site import toc_docnames

from backprop_lab.textbook.exercises import Exercise

site, site_url = test_site.site, test_site.site_url  # the built site's fixtures

CHAPTERS = [name for name in toc_docnames() if (REPO / f"{name}.ipynb").exists()]
EXPLORER_CELL = re.compile(r"bl\.(?:\w+\.)?\w+(?:Explorer|Stepper)\(")


def explorer_cells(docname: str) -> tuple[list[str], list[str]]:
    """The chapter's code cells, and those of them that build an explorer shown on the page
    (not the hidden checks, tagged ``remove-cell``, which may build more), in page order."""
    notebook = nbformat.read(REPO / f"{docname}.ipynb", as_version=4)
    cells = [cell for cell in notebook.cells if cell.cell_type == "code"]
    shown = [
        cell.source
        for cell in cells
        if EXPLORER_CELL.search(cell.source) and "remove-cell" not in cell.metadata.get("tags", [])
    ]
    return [cell.source for cell in cells], shown


def build_explorer(code: list[str], cell: str) -> Any:
    """The explorer a cell builds, as the chapter builds it (imports first, then the cell;
    every earlier cell if the cell needs their names)."""
    name = re.search(r"^(\w+)\s*=\s*" + EXPLORER_CELL.pattern, cell, flags=re.M).group(1)
    namespace: dict[str, Any] = {}
    try:
        exec(code[0], namespace)
        exec(cell, namespace)
    except NameError:
        namespace = {}
        for source in code[: code.index(cell) + 1]:
            exec(
                "\n".join(line for line in source.splitlines() if not line.startswith("%")),
                namespace,
            )
    return namespace[name]


def open_page(chromium: Any, url: str) -> tuple[Any, Any, PageWatch]:
    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    watch = PageWatch().attach(page)
    page.goto(url, wait_until="load", timeout=60_000)
    return context, page, watch


# --- exercises ---------------------------------------------------------------------------

EXERCISES = """
() => Array.from(document.querySelectorAll(".bpl-exercise[data-bpl-exercise]")).map((box) => ({
  data: JSON.parse(atob(box.getAttribute("data-bpl-exercise"))),
  ready: box.classList.contains("bpl-ready"),
}))
"""


def right_and_wrong(data: dict[str, Any]) -> tuple[str, list[str]]:
    """The right answer as a reader types it and the wrong ones every exercise must reject:
    the answer rounded to the digits asked; times 1.01, 0 and negated (the rule of
    backprop_lab/exercises.py, Exercise.probes)."""
    if data["choices"]:
        return data["answer"], [c for c in data["choices"] if c != data["answer"]]

    def typed(values: list[float]) -> str:
        return ", ".join(f"{v:.{data['digits']}g}" for v in values)

    wrong = [typed([1.01 * v for v in data["answer"]])]
    if any(v != 0 for v in data["answer"]):
        wrong += [typed([0.0] * len(data["answer"])), typed([-v for v in data["answer"]])]
    return typed(data["answer"]), wrong


def answer(box: Any, text: str, choice: bool) -> tuple[bool, str]:
    if choice:
        box.locator("select").select_option(label=text)
    else:
        box.locator("input").fill(text)
        box.locator("button.bpl-check").click()
    classes = box.get_attribute("class").split()
    return "bpl-right" in classes, box.locator(".bpl-feedback").inner_text()


@pytest.mark.browser
@pytest.mark.parametrize("docname", CHAPTERS)
def test_exercises_mark_answers_in_the_page(chromium, site_url, docname):
    context, page, watch = open_page(chromium, site_url + f"{docname}.html")
    try:
        exercises = page.evaluate(EXERCISES)
        if not exercises:
            pytest.skip(f"{docname} has no answer-box exercise")
        boxes = page.locator(".bpl-exercise[data-bpl-exercise]")
        for k, exercise in enumerate(exercises):
            data = exercise["data"]
            assert exercise["ready"], f"exercise {k + 1}: the page did not set it up"
            right, wrongs = right_and_wrong(data)
            box = boxes.nth(k)
            box.scroll_into_view_if_needed()
            assert box.locator(".bpl-feedback").inner_text().strip() == "", k  # before typing
            for wrong in wrongs:
                correct, feedback = answer(box, wrong, bool(data["choices"]))
                assert not correct and "Right" not in feedback, (k, wrong, feedback)
            correct, feedback = answer(box, right, bool(data["choices"]))
            assert correct and "Right" in feedback, (k, right, feedback)
        assert not watch.problems(), watch.problems()
    finally:
        context.close()


# Typed text the page and the package must mark alike (the number grammar, the tolerance).
TYPED = [
    "0.5",
    "1/2",
    "2/4",
    ".5",
    "+0.5",
    "5e-1",
    "0.5004",
    "0.5006",
    "0.51",
    "-0.5",
    "1/0",
    "inf",
    "nan",
    "",
    "  ",
    "0.5 0.5",
    "abc",
    "0x1",
    "1_0",
    "1.5/3",
    "0.5;",
    "5E-1",
]


@pytest.mark.browser
def test_the_page_marks_typed_text_as_the_package_does(chromium, site_url):
    context, page, _ = open_page(chromium, site_url + f"{CHAPTERS[0]}.html")
    try:
        for answer_value, digits, floor in (
            (0.5, 4, None),
            (0.0, 4, 1e-3),
            ([0.5, -2.0], 3, None),
            (0.530750719, 4, None),
        ):
            exercise = Exercise("q", answer_value, "s", digits=digits, absolute_tolerance=floor)
            data = {
                "answer": exercise.answer,
                "choices": None,
                "digits": exercise.digits,
                "absolute_tolerance": exercise.absolute_tolerance,
            }
            for text in [
                *TYPED,
                "0.5, -2",
                "1/2 -2.01",
                "0.5,-2.03",
                "0.53",
                "0.5308",
                "0.5, -2.1",
            ]:
                page_verdict = page.evaluate(
                    "([text, data]) => window.backpropLab.mark(text, data)", [text, data]
                )
                verdict = exercise.check(text)
                assert page_verdict["correct"] == verdict.correct, (answer_value, text)
                kind = verdict.message.split(":")[0].split(".")[0]
                assert page_verdict["message"].startswith(kind), (answer_value, text)
    finally:
        context.close()


@pytest.mark.browser
@pytest.mark.parametrize("docname", CHAPTERS)
def test_hints_and_solutions_stay_closed_until_opened(chromium, site_url, docname):
    context, page, _ = open_page(chromium, site_url + f"{docname}.html")
    try:
        panels = page.locator("details.bpl-hint, details.bpl-solution")
        if not panels.count():
            pytest.skip(f"{docname} has no exercise")
        for k in range(panels.count()):
            panel = panels.nth(k)
            body = panel.locator(".sd-summary-content")
            assert panel.get_attribute("open") is None and not body.is_visible(), k
            panel.scroll_into_view_if_needed()
            panel.locator("summary").click()
            body.wait_for(state="visible", timeout=2_000)
            assert body.inner_text().strip(), f"panel {k + 1} is empty"
        exercises = page.locator(".bpl-exercise, .bpl-code-exercise").count()
        solutions = page.locator("details.bpl-solution").count()
        assert solutions == exercises, "every exercise has exactly one solution panel"
    finally:
        context.close()


def test_no_exercise_answer_is_visible_in_a_page_source(site):
    """The cell that builds an exercise is hidden (remove-input), so the page's text never
    holds bl.Exercise(...) with its answer."""
    for docname in CHAPTERS:
        html = (Path(site) / f"{docname}.html").read_text(encoding="utf-8")
        assert 'Exercise</span><span class="p">(' not in html, docname


def test_every_page_has_an_icon(site):
    for docname in [*toc_docnames()]:
        html = (Path(site) / f"{docname}.html").read_text(encoding="utf-8")
        icon = re.search(r'<link rel="icon" href="([^"]+)"', html)
        assert icon, f"{docname}: no icon"
        assert (Path(site) / Path(docname).parent / icon.group(1)).resolve().is_file()


def test_exercise_data_is_well_formed(site):
    for docname in CHAPTERS:
        html = (Path(site) / f"{docname}.html").read_text(encoding="utf-8")
        for encoded in re.findall(r'data-bpl-exercise="([^"]+)"', html):
            data = json.loads(base64.b64decode(encoded))
            assert set(data) == {"answer", "choices", "digits", "absolute_tolerance"}
