"""Exercises whose answers the reader types in and the book checks (every chapter).

An :class:`Exercise` holds a question, the right answer (a number, several numbers, or one
of a few choices), how close a typed number must be, a hint and a worked solution. A
:class:`CodeExercise` asks the reader to write code and checks it with a function.

Where the reader meets them:

- **JupyterLab and Binder**: a widget with the question, an answer box and a *Check*
  button (marked in Python by :meth:`Exercise.check`), then *Hint* and *Solution* panels
  that stay closed until the reader opens them.
- **The static website** (chapters executed with ``BACKPROP_LAB_SITE=1``, see
  :mod:`backprop_lab.textbook.site`): the same question as page text, an answer box that the page
  marks in JavaScript (``tools/site_static/backprop-lab.js``) with the same rules, and the
  hint and solution as closed dropdowns. The answer travels in the page as encoded data, so
  nothing shows it before the reader asks.

Typed numbers may be written as ``0.7514``, ``7.514e-1``, ``3/4`` or ``-0.5``; several
numbers are separated by commas, semicolons or spaces.

The marking rule (the same in Python and in the page's JavaScript):

- A number exercise asks for ``digits`` significant digits (3 or more; 4 by default) and
  says so in its question. A typed number is right when it is within half a unit of the
  answer's last asked digit (for 0.530750719 and 4 digits, within 0.00005): the answer
  rounded to that many digits is always right, and 0, the wrong sign or an answer 1 % off
  never are.
- An absolute tolerance is only for answers that are exactly 0, and may never exceed the
  relative one for any non-zero answer (checked when the exercise is made).
- A typed decimal with fewer significant digits than asked that is the answer rounded to
  those digits gets "Close: give more digits", not "Not yet".
"""

from __future__ import annotations

import inspect
import math
import numbers
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from fractions import Fraction
from html import escape
from typing import Any, ClassVar

import ipywidgets as widgets
import numpy as np

from backprop_lab.checks.arguments import check_positive_number
from backprop_lab.textbook.site import building_site, encode_data

__all__ = ["CodeExercise", "Exercise", "Feedback", "parse_numbers", "typed_precision"]

_SEPARATORS = re.compile(r"[,;\s]+")
# The grammar of one typed number; tools/site_static/backprop-lab.js uses the same two.
_DECIMAL = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?")
_FRACTION = re.compile(r"[+-]?\d+/\d+")


def parse_numbers(text: str) -> list[float]:
    """Read the numbers a reader typed, e.g. ``"0.75, 3/4 -1e-3"`` (chapter exercises).

    A number is a decimal (``0.75``, ``-.5``, ``7.5e-1``) or a fraction of two whole
    numbers (``3/4``); pieces are separated by commas, semicolons or spaces.

    Raises
    ------
    TypeError
        If ``text`` is not a string.
    ValueError
        If there is nothing to read, or a piece is not a finite number; the message quotes it.
    """
    if not isinstance(text, str):
        raise TypeError(f"answer must be text typed by the reader; got {type(text).__name__}")
    pieces = [p for p in _SEPARATORS.split(text.strip()) if p]
    if not pieces:
        raise ValueError("answer is empty: type a number")
    values = []
    for piece in pieces:
        if _FRACTION.fullmatch(piece):
            numerator, denominator = piece.split("/")
            if int(denominator) == 0:
                raise ValueError(f"{piece!r} divides by zero")
            value = float(Fraction(int(numerator), int(denominator)))
        elif _DECIMAL.fullmatch(piece):
            value = float(piece)
        else:
            raise ValueError(f"{piece!r} is not a number (write e.g. 0.25, 1/4 or 2.5e-1)")
        if not math.isfinite(value):
            raise ValueError(f"{piece!r} is not a finite number")
        values.append(value)
    return values


def typed_precision(piece: str) -> tuple[int, int] | None:
    """How precisely a typed decimal is given: (significant digits, exponent of its last digit).

    ``"0.0530"`` is given to 3 significant digits, its last digit in the place 10^-4:
    ``(3, -4)``. A fraction such as ``"3/4"`` is exact (``None``), and so is anything that
    is not a decimal. Zeros before the first non-zero digit do not count; zeros after it do.
    """
    piece = piece.strip()
    if not _DECIMAL.fullmatch(piece):
        return None
    mantissa, _, exponent = piece.lstrip("+-").lower().partition("e")
    whole, _, fraction = mantissa.partition(".")
    significant = (whole + fraction).lstrip("0")
    return len(significant), (int(exponent) if exponent else 0) - len(fraction)


def _given_numbers(answer: Any) -> list[float]:
    """The numbers of an answer given as text, a number, a numpy scalar or a sequence."""
    if isinstance(answer, str):
        return parse_numbers(answer)
    if isinstance(answer, bool | np.bool_):
        raise TypeError(f"{answer!r} is a truth value, not a number")
    if isinstance(answer, numbers.Real) or (isinstance(answer, np.ndarray) and answer.ndim == 0):
        values = [float(answer)]
    elif isinstance(answer, np.ndarray | Sequence):
        values = []
        for item in np.asarray(answer, dtype=object).reshape(-1):
            if isinstance(item, bool | np.bool_) or not isinstance(item, numbers.Real):
                raise TypeError(f"{item!r} is not a number")
            values.append(float(item))
    else:
        raise TypeError(f"expected text or numbers; got {type(answer).__name__}")
    if not values:
        raise ValueError("no number given")
    for value in values:
        if not math.isfinite(value):
            raise ValueError(f"{value} is not a finite number")
    return values


@dataclass(frozen=True)
class Feedback:
    """The verdict on one answer: right or not, and a sentence that says why.

    ``pending`` is true when there was nothing to mark yet (a code exercise whose function
    still holds its ``...`` placeholder): neither right nor wrong.
    """

    correct: bool
    message: str
    pending: bool = False

    def __bool__(self) -> bool:
        return self.correct

    def _repr_html_(self) -> str:
        if self.pending:
            return f'<span style="color:#555"><b>&#8230;</b> {escape(self.message)}</span>'
        colour = "#1a7f37" if self.correct else "#b35900"
        mark = "&#10004;" if self.correct else "&#10008;"
        return f'<span style="color:{colour}"><b>{mark}</b> {escape(self.message)}</span>'


def _html(text: str) -> str:
    """A little Markdown for widgets: paragraphs, ``code``, **bold**, fenced code; $math$ kept."""
    blocks = re.split(r"(```[a-z]*\n.*?```)", text.strip(), flags=re.DOTALL)
    out = []
    for block in blocks:
        if block.startswith("```"):
            code = block.split("\n", 1)[1].rsplit("```", 1)[0]
            out.append(f"<pre><code>{escape(code)}</code></pre>")
            continue
        for paragraph in re.split(r"\n\s*\n", block.strip()):
            if not paragraph.strip():
                continue
            part = escape(paragraph, quote=False)
            part = re.sub(r"`([^`]+)`", r"<code>\1</code>", part)
            part = re.sub(r"\*\*([^*]+)\*\*", r"<b>\1</b>", part)
            out.append(f"<p>{part}</p>")
    return "".join(out)


def _check_text(argument: str, value: Any, optional: bool = False) -> str | None:
    if value is None and optional:
        return None
    if not isinstance(value, str) or not value.strip():
        raise TypeError(f"{argument} must be non-empty text; got {value!r}")
    return value


class _Shown:
    """The display shared by both kinds of exercise: question, hint, solution."""

    question: str
    hint: str | None
    solution: str

    def _panels(self) -> widgets.Accordion:
        names = [("Hint", self.hint), ("Solution", self.solution)]
        names = [(title, text) for title, text in names if text]
        panels = widgets.Accordion(
            children=[widgets.HTMLMath(value=_html(text)) for _, text in names],
            titles=tuple(title for title, _ in names),
        )
        panels.selected_index = None  # closed until the reader opens one
        return panels

    def _dropdowns(self) -> str:
        parts = []
        for title, text in (("Hint", self.hint), ("Solution", self.solution)):
            if text:
                parts.append(f"::::{{dropdown}} {title}\n:class-container: bpl-{title.lower()}\n\n")
                parts[-1] += f"{text.strip()}\n::::\n"
        return "\n".join(parts)

    @property
    def shown_question(self) -> str:
        """The question as the reader sees it (an :class:`Exercise` adds the digits asked)."""
        return self.question.strip()

    def _site_markdown(self, answer_html: str) -> str:
        return f"{self.shown_question}\n\n{answer_html}\n\n{self._dropdowns()}"

    def _repr_mimebundle_(self, **kwargs: Any) -> dict[str, Any]:
        if building_site():
            return {
                "text/markdown": self._site_markdown(self._answer_html()),
                "text/plain": self.shown_question,
            }
        bundle = dict(self.widget._repr_mimebundle_(**kwargs) or {})
        bundle["text/plain"] = self.shown_question
        return bundle

    def _answer_html(self) -> str:  # pragma: no cover - both kinds override it
        raise NotImplementedError

    @property
    def widget(self) -> widgets.Widget:  # pragma: no cover - both kinds override it
        raise NotImplementedError


class Exercise(_Shown):
    """A question with an answer the reader types in and the book marks (every chapter).

    Parameters
    ----------
    question : str
        The question, in Markdown with ``$...$`` math.
    answer : float, sequence of float, or str
        The right number, the right numbers in order, or (with ``choices``) the right choice.
    solution : str
        The worked solution: how to get the answer, and why. Shown only when the reader
        opens it.
    hint : str, optional
        A nudge towards the method, shown (when asked) before the solution.
    digits : int
        The significant digits asked for (at least 3; default 4). A number is right within
        half a unit of the answer's last asked digit (:meth:`allowed_error`).
        The question is shown with "(Give at least 4 significant digits.)" unless it
        mentions significant digits itself, or every answer is a whole number.
    absolute_tolerance : float, optional
        Only for an answer that is exactly 0: how far from 0 a typed number may be. It must
        not exceed the allowed error of any non-zero answer.
    choices : sequence of str, optional
        For a multiple-choice question: the options; ``answer`` must be one of them.

    Examples
    --------
    >>> ex = Exercise("What is $\\sigma(0)$?", 0.5, "$e^0 = 1$, so $1/(1+1) = 1/2$.",
    ...               hint="Put $z = 0$ into $1/(1+e^{-z})$.")
    >>> ex.check("1/2").correct
    True
    >>> ex.check("0.6").message
    'Not yet: 0.6 is not it. Try the hint.'
    """

    # question -> exercise, for the hidden self-check at the end of a chapter (a cell run
    # twice replaces its exercise instead of adding a second one)
    _made: ClassVar[dict[str, Exercise]] = {}

    def __init__(
        self,
        question: str,
        answer: float | Sequence[float] | str,
        solution: str,
        *,
        hint: str | None = None,
        digits: int = 4,
        absolute_tolerance: float | None = None,
        choices: Sequence[str] | None = None,
    ) -> None:
        self.question = _check_text("question", question)
        self.solution = _check_text("solution", solution)
        self.hint = _check_text("hint", hint, optional=True)
        if isinstance(digits, bool) or not isinstance(digits, numbers.Integral):
            raise TypeError(f"digits must be a whole number; got {digits!r}")
        if not 3 <= digits <= 12:
            raise ValueError(f"digits must be from 3 to 12 significant digits; got {digits}")
        self.digits = int(digits)
        self.absolute_tolerance = (
            0.0
            if absolute_tolerance is None
            else check_positive_number("absolute_tolerance", absolute_tolerance)
        )
        if choices is not None:
            if isinstance(choices, str) or not isinstance(choices, Sequence) or len(choices) < 2:
                raise TypeError(f"choices must be a list of at least two options; got {choices!r}")
            choices = [str(c) for c in choices]
            if answer not in choices:
                raise ValueError(f"answer must be one of the choices {choices}; got {answer!r}")
            self.choices: list[str] | None = choices
            self.answer: Any = answer
        else:
            self.choices = None
            if isinstance(answer, str):
                raise TypeError(
                    "answer must be a number or a non-empty list of numbers (or a choice "
                    f"with choices=...); got {answer!r}"
                )
            try:
                self.answer = _given_numbers(answer)
            except (TypeError, ValueError) as error:
                raise type(error)(
                    "answer must be a finite number or a non-empty list of finite numbers; "
                    f"got {answer!r} ({error})"
                ) from None
            self._check_absolute_tolerance()
        self._widget: widgets.Widget | None = None
        self._feedback_text = ""
        Exercise._made[self.question] = self

    def _check_absolute_tolerance(self) -> None:
        nonzero = [self.allowed_error(a) for a in self.answer if a != 0]
        if len(nonzero) < len(self.answer) and self.absolute_tolerance == 0:
            raise ValueError(
                "an answer of exactly 0 needs absolute_tolerance (how far from 0 a typed "
                "number may be); relative digits mean nothing at 0"
            )
        if nonzero and self.absolute_tolerance > min(nonzero):
            raise ValueError(
                f"absolute_tolerance {self.absolute_tolerance:g} exceeds half a unit of the "
                f"last of {self.digits} significant digits of a non-zero answer "
                f"({min(nonzero):g}): it would accept answers the digits reject"
            )

    def allowed_error(self, expected: float) -> float:
        """How far a typed number may be from ``expected``: half a unit of its
        ``digits``-th significant digit (with a hair of slack for binary rounding), or
        ``absolute_tolerance`` for an answer of 0."""
        if expected == 0:
            return self.absolute_tolerance
        # the decimal exponent of |expected|, read from its 17-digit decimal form (the
        # page's JavaScript reads it the same way, with toExponential(16))
        exponent = int(f"{abs(expected):.16e}".split("e")[1])
        return 0.5 * 10.0 ** (exponent - self.digits + 1) * (1 + 1e-9)

    @property
    def exact(self) -> bool:
        """Whether every answer is a whole number (then no digits need to be asked for)."""
        return self.choices is None and all(float(a).is_integer() for a in self.answer)

    @property
    def shown_question(self) -> str:
        """The question with the precision it asks for, unless it says so itself."""
        question = self.question.strip()
        if self.choices is not None or self.exact or "significant digit" in question:
            return question
        return f"{question} *(Give at least {self.digits} significant digits.)*"

    # ----------------------------------------------------------------- marking

    def _close(self, given: float, expected: float) -> bool:
        return abs(given - expected) <= self.allowed_error(expected)

    def _rounded_from(self, piece: str | None, given: float, expected: float) -> bool:
        """Whether a typed decimal with fewer digits than asked is the answer rounded."""
        precision = typed_precision(piece) if piece is not None else None
        if precision is None:
            return False
        count, last_place = precision
        if count == 0 or count >= self.digits:
            return False
        return abs(given - expected) <= 0.5 * 10.0**last_place * (1 + 1e-9)

    def check(self, answer: Any) -> Feedback:
        """Mark an answer: a :class:`Feedback` saying right or not yet, and why.

        Text is parsed with :func:`parse_numbers`; numbers (Python or numpy scalars, 0-d
        arrays, sequences) are accepted directly. Nothing the reader gives raises:
        unreadable input gets a feedback message instead. The feedback never gives the
        answer away: the solution is there for that.
        """
        if self.choices is not None:
            given = str(answer).strip()
            if given == self.answer:
                return Feedback(True, "Right.")
            if given not in self.choices:
                return Feedback(False, f"Pick one of: {', '.join(self.choices)}.")
            return Feedback(False, f"Not yet: it is not {given!r}. Try the hint.")
        try:
            given_numbers = _given_numbers(answer)
        except (TypeError, ValueError) as error:
            return Feedback(False, f"Could not read that answer: {error}.")
        expected = self.answer
        if len(given_numbers) != len(expected):
            plural = "s" if len(expected) > 1 else ""
            return Feedback(
                False, f"Expected {len(expected)} number{plural}, got {len(given_numbers)}."
            )
        pieces: list[str | None] = [None] * len(expected)
        if isinstance(answer, str):
            pieces = [p for p in _SEPARATORS.split(answer.strip()) if p]
        wrong = [
            k for k, (g, e) in enumerate(zip(given_numbers, expected)) if not self._close(g, e)
        ]
        if not wrong:
            return Feedback(True, "Right.")
        more = f"give more digits ({self.digits} significant digits)."
        if all(self._rounded_from(pieces[k], given_numbers[k], expected[k]) for k in wrong):
            if len(expected) == 1:
                return Feedback(False, f"Close: {more}")
            places = ", ".join(str(k + 1) for k in wrong)
            return Feedback(False, f"Close: for number(s) {places}, {more}")
        if len(expected) == 1:
            return Feedback(False, f"Not yet: {given_numbers[0]:.6g} is not it. Try the hint.")
        places = ", ".join(str(k + 1) for k in wrong)
        return Feedback(False, f"Not yet: number(s) {places} are off. Try the hint.")

    # ----------------------------------------------------------------- self-check

    def probes(self) -> list[tuple[str, bool]]:
        """Typed answers that must be marked right (True) or not (False) under the rule.

        The answer rounded to the asked digits is right; the answer times 1.01, 0 and the
        negated answer are not (0 and the negation only for a non-zero answer); for a
        choice question, the right choice is right and every other one is not.
        """
        if self.choices is not None:
            return [(c, c == self.answer) for c in self.choices]

        def typed(values: list[float]) -> str:
            return ", ".join(f"{v:.{self.digits}g}" for v in values)

        probes = [(typed(self.answer), True), (typed([1.01 * a for a in self.answer]), False)]
        if any(a != 0 for a in self.answer):
            probes.append((typed([-a for a in self.answer]), False))
            probes.append((typed([0.0 for _ in self.answer]), False))
        return probes

    @classmethod
    def self_check(cls, expected: int) -> str:
        """Mark every exercise made in this kernel with its :meth:`probes` (a chapter's
        hidden last cell); raise if one is marked against the rule or ``expected`` is not
        the number of exercises made."""
        made = list(cls._made.values())
        if len(made) != expected:
            raise AssertionError(f"{len(made)} exercises were made, expected {expected}")
        problems = []
        for exercise in made:
            for text, right in exercise.probes():
                feedback = exercise.check(text)
                if feedback.correct != right:
                    problems.append(f"{exercise.question[:50]!r}: {text!r} -> {feedback.message}")
        if problems:
            raise AssertionError("exercises marked against the rule:\n" + "\n".join(problems))
        return f"{len(made)} exercises mark their answers by the rule"

    # ----------------------------------------------------------------- display

    def _answer_html(self) -> str:
        """The answer box the website marks in JavaScript, the answer encoded inside."""
        data = {
            "answer": self.answer,
            "choices": self.choices,
            "digits": self.digits,
            "absolute_tolerance": self.absolute_tolerance,
        }
        if self.choices is not None:
            options = "".join(f"<option>{escape(c)}</option>" for c in self.choices)
            box = f'<select class="bpl-answer"><option value="">(choose)</option>{options}</select>'
        else:
            box = (
                f'<input type="text" inputmode="{self.inputmode}" class="bpl-answer" '
                f'placeholder="{self._placeholder()}" autocomplete="off" spellcheck="false">'
            )
        return (
            f'<div class="bpl-exercise" data-bpl-exercise="{encode_data(data)}">'
            f"<label>Answer: {box}</label> "
            '<button type="button" class="bpl-check">Check</button> '
            '<span class="bpl-feedback" role="status" aria-live="polite"></span></div>'
        )

    def _placeholder(self) -> str:
        return "a number" if len(self.answer) == 1 else "numbers, comma separated"

    @property
    def inputmode(self) -> str:
        """The keyboard a phone shows for the answer box: ``"decimal"`` (digits and a point)
        for one number, ``"text"`` where a minus sign or a comma must be typable too (phone
        decimal keypads often have neither)."""
        if self.choices is None and len(self.answer) == 1 and self.answer[0] >= 0:
            return "decimal"
        return "text"

    @property
    def controls(self) -> dict[str, widgets.Widget]:
        """The answer box, the Check button and the hint/solution panels, keyed by name."""
        self._build()
        return self._controls

    @property
    def widget(self) -> widgets.Widget:
        """The ipywidgets view: question, answer box, Check button, feedback, panels."""
        self._build()
        return self._widget

    @property
    def feedback(self) -> str:
        """The feedback line currently shown (empty before the first check)."""
        return self._feedback_text

    def _build(self) -> None:
        if self._widget is not None:
            return
        if self.choices is not None:
            box: widgets.Widget = widgets.Dropdown(
                options=["(choose)", *self.choices], value="(choose)", description="Answer:"
            )
        else:
            box = widgets.Text(
                value="",
                placeholder=self._placeholder(),
                description="Answer:",
                continuous_update=False,
            )
        button = widgets.Button(description="Check", button_style="primary")
        feedback = widgets.HTML(value="")
        panels = self._panels()
        self._controls = {"answer": box, "check": button, "panels": panels}

        def on_check(_: Any = None) -> None:
            result = self.check(box.value)
            self._feedback_text = result.message
            feedback.value = result._repr_html_()

        def on_change(change: dict[str, Any]) -> None:
            if change["new"] not in ("", "(choose)"):
                on_check()

        button.on_click(on_check)
        box.observe(on_change, names="value")
        question = widgets.HTMLMath(value=_html(self.shown_question))
        self._widget = widgets.VBox([question, widgets.HBox([box, button]), feedback, panels])
        self._widget.add_class("bpl-exercise-widget")

    def __repr__(self) -> str:
        return f"Exercise({self.question!r})"


# the placeholder line of a chapter's stub, alone or after a one-line def (ruff formats so)
_PLACEHOLDER = re.compile(r"(?:^|:)\s*\.\.\.\s*#\s*your code", re.MULTILINE)


def _unwritten(submission: Any) -> bool:
    """Whether ``submission`` is a function the reader has not written yet (it still holds
    the placeholder line ``...  # your code``)."""
    if not callable(submission):
        return False
    try:
        source = inspect.getsource(submission)
    except (OSError, TypeError):
        return False
    return bool(_PLACEHOLDER.search(source))


class CodeExercise(_Shown):
    """An exercise whose answer is code: the reader writes it, a function checks it.

    Parameters
    ----------
    question : str
        What to write, in Markdown with ``$...$`` math.
    checker : callable
        Called with what the reader submits (usually their function); returns a
        :class:`Feedback`, a ``(correct, message)`` pair, or a bool.
    solution : str
        A worked solution (Markdown; code in a fenced block), shown only on request.
    usage : str
        The call that checks the reader's code, e.g. ``"ex_tanh.check(backward_tanh)"``;
        shown with the question.
    hint : str, optional
        Shown, when asked, before the solution.

    Notes
    -----
    On the static website no Python runs, so the page shows the question, the hint and
    the solution, and says that the check runs in JupyterLab or on Binder.
    """

    def __init__(
        self,
        question: str,
        checker: Callable[[Any], Any],
        solution: str,
        *,
        usage: str,
        hint: str | None = None,
    ) -> None:
        self.question = _check_text("question", question)
        if not callable(checker):
            raise TypeError(f"checker must be a function; got {type(checker).__name__}")
        self.checker = checker
        self.solution = _check_text("solution", solution)
        self.usage = _check_text("usage", usage)
        self.hint = _check_text("hint", hint, optional=True)
        self._widget: widgets.Widget | None = None

    def check(self, submission: Any) -> Feedback:
        """Run the checker on the reader's code; an error in that code becomes feedback.

        A function that still holds the chapter's placeholder line (``...  # your code``)
        is not marked: the feedback says there is nothing to check yet.
        """
        if _unwritten(submission):
            return Feedback(
                False,
                "Nothing to check yet: write your code in place of the `...` line in the "
                "cell above, run that cell, then this one.",
                pending=True,
            )
        try:
            result = self.checker(submission)
        except Exception as error:
            return Feedback(False, f"Your code raised {type(error).__name__}: {error}")
        if isinstance(result, Feedback):
            return result
        if isinstance(result, tuple) and len(result) == 2:
            return Feedback(bool(result[0]), str(result[1]))
        return Feedback(bool(result), "Right." if result else "Not yet. Try the hint.")

    def _instructions(self) -> str:
        return f"Write your code in a new cell below, run it, then run `{self.usage}`."

    def _answer_html(self) -> str:
        return (
            '<p class="bpl-code-exercise"><em>Write and check your code in JupyterLab or on '
            "Binder (the rocket button at the top of this page): there, "
            f"<code>{escape(self.usage)}</code> marks it.</em></p>"
        )

    @property
    def widget(self) -> widgets.Widget:
        """The ipywidgets view: question, how to check, hint and solution panels."""
        if self._widget is None:
            self._widget = widgets.VBox(
                [
                    widgets.HTMLMath(value=_html(self.shown_question)),
                    widgets.HTML(value=_html(self._instructions())),
                    self._panels(),
                ]
            )
            self._widget.add_class("bpl-exercise-widget")
        return self._widget

    def __repr__(self) -> str:
        return f"CodeExercise({self.question!r})"
