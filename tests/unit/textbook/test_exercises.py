"""Exercises: typed answers are parsed, marked with a tolerance, and explained."""

import base64
import json
import math
import re

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from backprop_lab.textbook.exercises import CodeExercise, Exercise, parse_numbers


def test_parse_numbers_reads_decimals_fractions_and_exponents():
    assert parse_numbers("0.75, 3/4 7.5e-1 -1") == [0.75, 0.75, 0.75, -1.0]


@pytest.mark.parametrize("text", ["", "   ", "abc", "1/0", "nan", "inf"])
def test_parse_numbers_rejects_non_numbers(text):
    with pytest.raises(ValueError):
        parse_numbers(text)


def test_parse_numbers_names_the_bad_piece():
    with pytest.raises(ValueError, match="'x1' is not a number"):
        parse_numbers("0.5, x1")


def test_rounded_answer_accepted_and_wrong_answer_does_not_give_it_away():
    ex = Exercise("out_o1?", 0.75136507, "sigma(1.10590597).", hint="A sigmoid.")
    assert ex.check("0.7514").correct
    assert ex.check(0.75136507).correct
    wrong = ex.check("0.76")
    assert not wrong.correct
    assert "0.76" in wrong.message and "hint" in wrong.message
    assert "0.7513" not in wrong.message and "sigma(1.10590597)" not in wrong.message


@pytest.mark.parametrize("given", [math.inf, -math.inf, math.nan, "inf", "1e999"])
def test_non_finite_answers_are_never_right(given):
    """inf once passed: |inf - 0.5| <= 1e-3 * inf."""
    result = Exercise("q", 0.5, "s").check(given)
    assert not result.correct
    assert "finite" in result.message or "not a number" in result.message


@pytest.mark.parametrize(
    "given", [np.float32(0.5), np.float64(0.5), np.array(0.5), np.int64(1) / 2, [np.float32(0.5)]]
)
def test_numpy_scalars_and_0d_arrays_are_numbers(given):
    assert Exercise("q", 0.5, "s").check(given).correct
    assert Exercise("q", 3, "s").check(np.int64(3)).correct


@pytest.mark.parametrize("given", [True, [True], None, object()])
def test_truth_values_and_other_objects_are_feedback(given):
    result = Exercise("q", 1.0, "s").check(given)
    assert not result.correct and "Could not read" in result.message


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("3/4", [0.75]),
        ("-1/4", [-0.25]),
        (".5", [0.5]),
        ("+2E1", [20.0]),
        ("1; 2,3  4", [1, 2, 3, 4]),
    ],
)
def test_the_number_grammar(text, expected):
    assert parse_numbers(text) == expected


@pytest.mark.parametrize("text", ["1.5/2", "1/2/3", "0x10", "1_000", "infinity", "--1", "1e"])
def test_outside_the_grammar(text):
    """Python's float() accepts some of these; the page's JavaScript does not, so neither
    does the package (the two must mark the same way)."""
    with pytest.raises(ValueError):
        parse_numbers(text)


@given(st.floats(min_value=-1e6, max_value=1e6, allow_nan=False).filter(lambda v: abs(v) > 1e-3))
def test_relative_tolerance_law(value):
    ex = Exercise("q", value, "e", tolerance=1e-3)
    assert ex.check(value * (1 + 5e-4)).correct
    assert not ex.check(value * (1 + 5e-3)).correct


def test_answer_zero_is_compared_absolutely():
    ex = Exercise("dE/dw when a_i = 0?", 0.0, "The factor a_i is zero.")
    assert ex.check("0").correct
    assert ex.check("1e-9").correct
    assert not ex.check("0.01").correct


def test_several_numbers_in_order():
    ex = Exercise("outputs?", [0.75136507, 0.772928465], "Both sigmoids.")
    assert ex.check("0.7514, 0.7729").correct
    assert not ex.check("0.7729, 0.7514").correct
    assert "Expected 2 numbers, got 1" in ex.check("0.75").message
    assert "number(s) 2" in ex.check("0.7514, 0.5").message


def test_unreadable_input_is_feedback_not_an_exception():
    ex = Exercise("q", 1.0, "e")
    result = ex.check("one")
    assert not result.correct and "Could not read" in result.message


def test_choice_question():
    ex = Exercise(
        "Which regime?", "oscillating", "Steps overshoot.", choices=["good", "oscillating"]
    )
    assert ex.check("oscillating").correct
    assert not ex.check("good").correct
    assert "Pick one of" in ex.check("banana").message


def test_widget_marks_what_is_typed():
    ex = Exercise("sigma(0)?", 0.5, "1/(1+e^0).")
    ex.controls["answer"].value = "1/2"
    assert ex.feedback.startswith("Right")
    ex.controls["answer"].value = "0.6"
    assert ex.feedback.startswith("Not yet")
    ex.controls["check"].click()
    assert ex.feedback.startswith("Not yet")


def test_hint_and_solution_panels_start_closed():
    ex = Exercise("sigma(0)?", 0.5, "Because 1/(1+1).", hint="Put z = 0.")
    panels = ex.controls["panels"]
    assert panels.selected_index is None
    assert panels.titles == ("Hint", "Solution")
    assert "Put z = 0." in panels.children[0].value
    assert "Because 1/(1+1)." in panels.children[1].value
    assert [p.titles for p in [Exercise("q", 1, "s").controls["panels"]]] == [("Solution",)]


def test_on_the_site_the_answer_is_encoded_and_the_solution_folded(monkeypatch):
    monkeypatch.setenv("BACKPROP_LAB_SITE", "1")
    ex = Exercise("What is $\\sigma(0)$?", 0.123456, "It is 0.123456.", hint="Look.")
    bundle = ex._repr_mimebundle_()
    assert set(bundle) == {"text/markdown", "text/plain"}
    page = bundle["text/markdown"]
    question = page.split("\n\n", 1)[0]
    assert question == "What is $\\sigma(0)$?"
    data = re.search(r'data-bpl-exercise="([^"]+)"', page).group(1)
    assert json.loads(base64.b64decode(data))["answer"] == [0.123456]
    outside_dropdowns = re.sub(r"::::\{dropdown\}.*?::::", "", page, flags=re.S)
    assert "0.123456" not in outside_dropdowns.replace(data, "")
    assert page.index("{dropdown} Hint") < page.index("{dropdown} Solution")
    monkeypatch.setenv("BACKPROP_LAB_SITE", "")
    assert "application/vnd.jupyter.widget-view+json" in ex._repr_mimebundle_()


def test_code_exercise_checks_code_and_turns_errors_into_feedback():
    def checker(f):
        return (f(3) == 9, "Right: 3 squared is 9." if f(3) == 9 else "f(3) should be 9.")

    ex = CodeExercise(
        "Write f.",
        checker,
        "```python\ndef f(x):\n    return x * x\n```",
        usage="ex.check(f)",
        hint="Multiply.",
    )
    assert ex.check(lambda x: x * x).correct
    assert not ex.check(lambda x: x + 6 if x != 3 else 8).correct
    crashed = ex.check(lambda x: 1 / 0)
    assert not crashed.correct and "ZeroDivisionError" in crashed.message
    assert "ex.check(f)" in ex.widget.children[1].value
    assert CodeExercise("q", lambda f: True, "s", usage="u").check(None).message == "Right."
    with pytest.raises(TypeError, match="checker must be a function"):
        CodeExercise("q", 3, "s", usage="u")


def test_choice_widget_ignores_placeholder():
    ex = Exercise("q", "b", "e", choices=["a", "b"])
    ex.controls["answer"].value = "b"
    assert ex.feedback.startswith("Right")


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"question": "", "answer": 1.0, "solution": "e"}, TypeError, "question"),
        ({"question": "q", "answer": "x", "solution": "e"}, TypeError, "answer must be"),
        ({"question": "q", "answer": [], "solution": "e"}, ValueError, "answer must be"),
        ({"question": "q", "answer": math.nan, "solution": "e"}, ValueError, "finite"),
        ({"question": "q", "answer": True, "solution": "e"}, TypeError, "truth value"),
        ({"question": "q", "answer": 1.0, "solution": ""}, TypeError, "solution"),
        ({"question": "q", "answer": 1.0, "solution": "s", "hint": 3}, TypeError, "hint"),
        (
            {"question": "q", "answer": 1.0, "solution": "e", "tolerance": 0},
            ValueError,
            "tolerance",
        ),
        (
            {"question": "q", "answer": "c", "solution": "e", "choices": ["a", "b"]},
            ValueError,
            "one of the choices",
        ),
        ({"question": "q", "answer": "a", "solution": "e", "choices": "ab"}, TypeError, "choices"),
    ],
)
def test_bad_exercise_definitions(kwargs, error, match):
    with pytest.raises(error, match=match):
        Exercise(**kwargs)
