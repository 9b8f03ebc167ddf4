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


@given(
    st.floats(min_value=-1e6, max_value=1e6, allow_nan=False).filter(lambda v: abs(v) > 1e-3),
    st.integers(min_value=3, max_value=8),
)
def test_the_digits_law(value, digits):
    """The answer rounded to the asked digits is right; 1 % off, 0 and the negation are not."""
    ex = Exercise("q", value, "e", digits=digits)
    assert ex.check(f"{value:.{digits}g}").correct
    assert ex.check(value).correct
    for wrong in (value * 1.01, value * 0.99, 0.0, -value):
        assert not ex.check(wrong).correct


def test_the_last_asked_digit_decides():
    """ch4 ex1 once rejected 0.5308 for 0.530750719 (tolerance 1e-6)."""
    ex = Exercise("b2[0] after one update?", 0.530750719, "0.60 - 0.5 * 0.138498562.")
    assert ex.check("0.5308").correct and ex.check("0.53075").correct
    assert not ex.check("0.5307").correct and not ex.check("0.5309").correct
    assert ex.allowed_error(0.530750719) == pytest.approx(5e-5)


def test_small_answers_are_not_swallowed_by_an_absolute_floor():
    """ch6 ex1 ((1/4)^10) once accepted 0, -5e-7 and 1e-6: its absolute tolerance was
    larger than the answer."""
    ex = Exercise("(1/4)^10?", 0.25**10, "ten factors of 1/4.", digits=3)
    assert ex.check("9.54e-7").correct and ex.check("1/1048576").correct
    for wrong in ("0", "-5e-7", "1e-6", "-9.54e-7"):
        assert not ex.check(wrong).correct, wrong
    with pytest.raises(ValueError, match="absolute_tolerance"):
        Exercise("q", 0.25**10, "s", absolute_tolerance=1e-6)


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("0.53", "Close"),
        ("0.531", "Close"),
        (".5", "Close"),
        ("0.5", "Close"),
        ("0.54", "Not yet"),
        ("0.5", "Close"),
        ("1/2", "Not yet"),
        ("0.5308", "Right"),
    ],
)
def test_fewer_digits_than_asked_are_close_not_wrong(typed, message):
    ex = Exercise("q", 0.530750719, "s")
    feedback = ex.check(typed)
    assert feedback.message.startswith(message) and feedback.correct == (message == "Right")
    if message == "Close":
        assert "more digits" in feedback.message


def test_typed_precision():
    from backprop_lab.textbook.exercises import typed_precision

    assert typed_precision("0.0530") == (3, -4)
    assert typed_precision("-1.20e3") == (3, 1)
    assert typed_precision("1300") == (4, 0)
    assert typed_precision("0") == (0, 0)
    assert typed_precision("3/4") is None


def test_the_question_states_the_digits():
    assert "4 significant digits" in Exercise("What is x?", 0.25, "s").shown_question
    assert "3 significant" in Exercise("x?", 0.25, "s", digits=3).shown_question
    assert Exercise("How many?", 26, "s").shown_question == "How many?"
    said = "Give x to 5 significant digits."
    assert Exercise(said, 0.25, "s", digits=5).shown_question == said
    with pytest.raises(ValueError, match="3 to 12"):
        Exercise("q", 0.25, "s", digits=2)


def test_answer_zero_is_compared_absolutely():
    ex = Exercise("dE/dw when a_i = 0?", 0.0, "The factor a_i is zero.", absolute_tolerance=1e-9)
    assert ex.check("0").correct
    assert ex.check("1e-10").correct
    assert not ex.check("0.01").correct
    with pytest.raises(ValueError, match="absolute_tolerance"):
        Exercise("q", 0.0, "s")


def test_self_check_marks_every_exercise_made_by_the_rule():
    Exercise._made.clear()
    Exercise("self-check a", 0.75, "s")
    Exercise("self-check b", [1.5, -2.25], "s")
    Exercise("self-check c", "b", "s", choices=["a", "b"])
    assert Exercise.self_check(expected=3).startswith("3 exercises")
    with pytest.raises(AssertionError, match="expected 4"):
        Exercise.self_check(expected=4)
    Exercise._made.clear()


def test_inputmode_gives_a_phone_keypad_that_can_type_the_answer():
    assert Exercise("q", 0.75, "s").inputmode == "decimal"
    assert Exercise("q", -0.75, "s").inputmode == "text"  # decimal keypads lack a minus
    assert Exercise("q", [0.75, 1.0], "s").inputmode == "text"  # ... and a comma
    assert 'inputmode="decimal"' in Exercise("q", 0.75, "s")._answer_html()


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
    assert ex.feedback == ""  # nothing shown before the reader types
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
    assert question == "What is $\\sigma(0)$? *(Give at least 4 significant digits.)*"
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


def test_an_unwritten_function_is_not_marked_wrong():
    """The chapter's check cell runs before the reader has written anything: no 'Not yet'."""

    def unwritten(x): ...  # your code: return x squared

    ex = CodeExercise("Write f.", lambda f: f(3) == 9, "s", usage="ex.check(f)")
    feedback = ex.check(unwritten)
    assert feedback.pending and not feedback.correct
    assert "Not yet" not in feedback.message and "Nothing to check yet" in feedback.message
    assert "Not yet" not in feedback._repr_html_()


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
            {"question": "q", "answer": 1.0, "solution": "e", "absolute_tolerance": 0},
            ValueError,
            "absolute_tolerance",
        ),
        ({"question": "q", "answer": 1.0, "solution": "e", "digits": 2.5}, TypeError, "digits"),
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
