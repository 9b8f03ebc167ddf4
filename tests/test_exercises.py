"""Exercises: typed answers are parsed, marked with a tolerance, and explained."""

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from backprop_lab.exercises import Exercise, parse_numbers


def test_parse_numbers_reads_decimals_fractions_and_exponents():
    assert parse_numbers("0.75, 3/4 7.5e-1 -1") == [0.75, 0.75, 0.75, -1.0]


@pytest.mark.parametrize("text", ["", "   ", "abc", "1/0", "nan", "inf"])
def test_parse_numbers_rejects_non_numbers(text):
    with pytest.raises(ValueError):
        parse_numbers(text)


def test_parse_numbers_names_the_bad_piece():
    with pytest.raises(ValueError, match="'x1' is not a number"):
        parse_numbers("0.5, x1")


def test_rounded_answer_accepted_and_wrong_answer_explained():
    ex = Exercise("out_o1?", 0.75136507, "sigma(1.10590597).")
    assert ex.check("0.7514").correct
    assert ex.check(0.75136507).correct
    wrong = ex.check("0.76")
    assert not wrong.correct
    assert "0.76" in wrong.message and "sigma(1.10590597)" in wrong.message


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
    assert ex.feedback.startswith("Not quite")
    ex.controls["check"].click()
    assert ex.feedback.startswith("Not quite")


def test_choice_widget_ignores_placeholder():
    ex = Exercise("q", "b", "e", choices=["a", "b"])
    ex.controls["answer"].value = "b"
    assert ex.feedback.startswith("Right")


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"question": "", "answer": 1.0, "explanation": "e"}, TypeError, "question"),
        ({"question": "q", "answer": "x", "explanation": "e"}, TypeError, "answer must be"),
        ({"question": "q", "answer": [], "explanation": "e"}, TypeError, "answer must be"),
        ({"question": "q", "answer": math.nan, "explanation": "e"}, ValueError, "finite"),
        (
            {"question": "q", "answer": 1.0, "explanation": "e", "tolerance": 0},
            ValueError,
            "tolerance",
        ),
        (
            {"question": "q", "answer": "c", "explanation": "e", "choices": ["a", "b"]},
            ValueError,
            "one of the choices",
        ),
    ],
)
def test_bad_exercise_definitions(kwargs, error, match):
    with pytest.raises(error, match=match):
        Exercise(**kwargs)
