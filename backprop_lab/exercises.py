"""Exercises whose answers the reader types in and the book checks (every chapter).

An :class:`Exercise` holds a question, the right answer (a number, several numbers, or one
of a few choices), how close a typed number must be, and an explanation. Displayed in a
notebook it is a text box, a *Check* button and a feedback line; :meth:`Exercise.check`
does the marking without any widget, so it is tested like any other function.

Typed numbers may be written as ``0.7514``, ``7.514e-1``, ``3/4`` or ``-0.5``; several
numbers are separated by commas or spaces. Answers are compared with a tolerance so that
rounding to the shown number of digits is accepted.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from html import escape
from typing import Any

import ipywidgets as widgets

from backprop_lab.validation import check_positive_number

__all__ = ["Exercise", "Feedback", "parse_numbers"]

_SEPARATORS = re.compile(r"[,;\s]+")


def parse_numbers(text: str) -> list[float]:
    """Read the numbers a reader typed, e.g. ``"0.75, 3/4 -1e-3"`` (chapter exercises).

    Raises
    ------
    ValueError
        If a piece is not a number; the message quotes it.
    """
    if not isinstance(text, str):
        raise TypeError(f"answer must be text typed by the reader; got {type(text).__name__}")
    pieces = [p for p in _SEPARATORS.split(text.strip()) if p]
    if not pieces:
        raise ValueError("answer is empty: type a number")
    numbers = []
    for piece in pieces:
        try:
            value = float(Fraction(piece)) if "/" in piece else float(piece)
        except (ValueError, ZeroDivisionError):
            raise ValueError(
                f"{piece!r} is not a number (write e.g. 0.25, 1/4 or 2.5e-1)"
            ) from None
        if not math.isfinite(value):
            raise ValueError(f"{piece!r} is not a finite number")
        numbers.append(value)
    return numbers


@dataclass(frozen=True)
class Feedback:
    """The verdict on one answer: right or not, and a sentence that says why."""

    correct: bool
    message: str

    def __bool__(self) -> bool:
        return self.correct


class Exercise:
    """A question with an answer the reader types in and the book marks (every chapter).

    Parameters
    ----------
    question : str
        The question, in Markdown/LaTeX (shown above the text box).
    answer : float, sequence of float, or str
        The right number, the right numbers in order, or (with ``choices``) the right choice.
    explanation : str
        Why that is the answer; shown after a right answer and after a wrong one.
    tolerance : float
        Accepted relative difference for numbers (default 1e-3: four significant digits are
        enough). Numbers whose size is below ``absolute_tolerance`` are compared absolutely.
    absolute_tolerance : float
        Accepted absolute difference near zero (default 1e-6).
    choices : sequence of str, optional
        For a multiple-choice question: the options; ``answer`` must be one of them.

    Examples
    --------
    >>> ex = Exercise("What is sigma(0)?", 0.5, "e^0 = 1, so 1/(1+1) = 1/2.")
    >>> ex.check("1/2").correct
    True
    """

    def __init__(
        self,
        question: str,
        answer: float | Sequence[float] | str,
        explanation: str,
        tolerance: float = 1e-3,
        absolute_tolerance: float = 1e-6,
        choices: Sequence[str] | None = None,
    ) -> None:
        if not isinstance(question, str) or not question.strip():
            raise TypeError(f"question must be non-empty text; got {question!r}")
        if not isinstance(explanation, str):
            raise TypeError(f"explanation must be text; got {type(explanation).__name__}")
        self.question = question
        self.explanation = explanation
        self.tolerance = check_positive_number("tolerance", tolerance)
        self.absolute_tolerance = check_positive_number("absolute_tolerance", absolute_tolerance)
        if choices is not None:
            choices = [str(c) for c in choices]
            if answer not in choices:
                raise ValueError(f"answer must be one of the choices {choices}; got {answer!r}")
            self.choices: list[str] | None = choices
            self.answer: Any = answer
        else:
            self.choices = None
            values = [answer] if isinstance(answer, int | float) else answer
            if isinstance(values, str) or not isinstance(values, Sequence) or not values:
                raise TypeError(
                    "answer must be a number or a non-empty list of numbers (or a choice "
                    f"with choices=...); got {answer!r}"
                )
            numbers = [float(v) for v in values]
            if not all(math.isfinite(v) for v in numbers):
                raise ValueError(f"answer must hold finite numbers; got {answer!r}")
            self.answer = numbers
        self._widget: widgets.Widget | None = None

    # ----------------------------------------------------------------- marking

    def _close(self, given: float, expected: float) -> bool:
        scale = max(abs(expected), abs(given))
        if scale < self.absolute_tolerance:
            return True
        return abs(given - expected) <= max(self.tolerance * scale, self.absolute_tolerance)

    def check(self, answer: str | float | Sequence[float]) -> Feedback:
        """Mark an answer: a :class:`Feedback` saying right or wrong, and why.

        Text is parsed with :func:`parse_numbers`; numbers are accepted directly. Nothing
        the reader types raises: unreadable input gets a feedback message instead.
        """
        if self.choices is not None:
            given = str(answer).strip()
            if given == self.answer:
                return Feedback(True, f"Right. {self.explanation}")
            if given not in self.choices:
                return Feedback(False, f"Pick one of: {', '.join(self.choices)}.")
            return Feedback(False, f"Not quite: it is not {given!r}. {self.explanation}")
        try:
            if isinstance(answer, str):
                numbers = parse_numbers(answer)
            elif isinstance(answer, int | float):
                numbers = [float(answer)]
            else:
                numbers = [float(v) for v in answer]
        except (TypeError, ValueError) as error:
            return Feedback(False, f"Could not read that answer: {error}.")
        expected = self.answer
        if len(numbers) != len(expected):
            return Feedback(
                False,
                f"Expected {len(expected)} number{'s' if len(expected) > 1 else ''}, "
                f"got {len(numbers)}.",
            )
        wrong = [k for k, (g, e) in enumerate(zip(numbers, expected)) if not self._close(g, e)]
        if not wrong:
            return Feedback(True, f"Right. {self.explanation}")
        if len(expected) == 1:
            return Feedback(False, f"Not quite: {numbers[0]:.6g} is not it. {self.explanation}")
        places = ", ".join(str(k + 1) for k in wrong)
        return Feedback(False, f"Not quite: number(s) {places} are off. {self.explanation}")

    # ----------------------------------------------------------------- display

    @property
    def controls(self) -> dict[str, widgets.Widget]:
        """The answer box and the Check button, keyed by name (built on first use)."""
        self._build()
        return self._controls

    @property
    def widget(self) -> widgets.Widget:
        """The ipywidgets view: question, answer box, Check button, feedback."""
        self._build()
        return self._widget

    @property
    def feedback(self) -> str:
        """The feedback line currently shown (empty before the first check)."""
        self._build()
        return self._feedback_text

    def _build(self) -> None:
        if self._widget is not None:
            return
        if self.choices is not None:
            box: widgets.Widget = widgets.Dropdown(
                options=["(choose)", *self.choices], value="(choose)", description="Answer:"
            )
        else:
            placeholder = "a number" if len(self.answer) == 1 else "numbers, comma separated"
            box = widgets.Text(value="", placeholder=placeholder, description="Answer:")
        button = widgets.Button(description="Check", button_style="primary")
        self._feedback_text = ""
        feedback = widgets.HTML(value="")
        self._controls = {"answer": box, "check": button}

        def on_check(_: Any = None) -> None:
            result = self.check(box.value)
            self._feedback_text = result.message
            colour = "#1a7f37" if result.correct else "#b35900"
            mark = "&#10004;" if result.correct else "&#10008;"
            feedback.value = (
                f'<span style="color:{colour}"><b>{mark}</b> {escape(result.message)}</span>'
            )

        def on_change(change: dict[str, Any]) -> None:
            if change["new"] not in ("", "(choose)"):
                on_check()

        button.on_click(on_check)
        if isinstance(box, widgets.Text):
            box.continuous_update = False
        box.observe(on_change, names="value")
        question = widgets.HTMLMath(value=escape(self.question).replace("\n", "<br>"))
        self._widget = widgets.VBox([question, widgets.HBox([box, button]), feedback])

    def _ipython_display_(self) -> None:
        from IPython.display import display

        display(self.widget)

    def __repr__(self) -> str:
        return f"Exercise({self.question!r})"
