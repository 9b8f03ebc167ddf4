"""1-D gradient descent: the closed form on x^2, the regimes, divergence, bad arguments."""

import math
import warnings

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from backprop_lab.calc import descent
from backprop_lab.calc.descent import DOUBLE_WELL, QUADRATIC, gradient_descent_1d


@st.composite
def bounded_quadratic_runs(draw):
    """(eta, start, steps) whose closed-form path stays inside the descent's bound.

    x_t = (1 - 2 eta)^t x_0 grows when eta > 1; a run that leaves |x| <= 1e12 is, correctly,
    reported as diverging (tested below), so this law is only claimed where |x_t| stays
    <= 1e11 for every t <= steps: eta <= (1 + (1e11 / |x_0|)^(1 / steps)) / 2, and at most 1.5.
    """
    steps = draw(st.integers(0, 40))
    start = draw(st.floats(-10, 10).filter(lambda s: abs(s) > 1e-3))
    largest = 1.5 if steps == 0 else min(1.5, (1 + (1e11 / abs(start)) ** (1 / steps)) / 2)
    eta = draw(st.floats(1e-3, largest))
    return eta, start, steps


@given(bounded_quadratic_runs())
def test_quadratic_follows_the_closed_form(run):
    """On f(x) = x^2 the update is x_{t+1} = (1 - 2 eta) x_t, so x_t = (1 - 2 eta)^t x_0."""
    eta, start, steps = run
    path = gradient_descent_1d(QUADRATIC.f, QUADRATIC.df, start, eta, steps)
    assert not path.diverged and path.steps_run == steps and len(path.x) == steps + 1
    t = np.arange(steps + 1)
    np.testing.assert_allclose(path.x, (1 - 2 * eta) ** t * start, rtol=1e-9, atol=1e-300)
    np.testing.assert_allclose(path.fx, path.x**2, rtol=1e-12)
    np.testing.assert_allclose(path.dfx, 2 * path.x, rtol=1e-12)
    assert path.learning_rate == eta and path.steps_requested == steps


@given(eta=st.floats(0.05, 0.5))
def test_quadratic_small_enough_rate_is_good(eta):
    path = QUADRATIC.descend(eta, 200)
    assert path.regime == "good", path.message
    assert path.reversals == 0 and path.converged
    assert abs(path.dfx[path.converged_at]) <= 1e-2 * abs(path.dfx[0])
    assert path.message.startswith("Good")


@given(eta=st.floats(0.51, 1.0))
def test_quadratic_overshooting_rate_oscillates(eta):
    path = QUADRATIC.descend(eta, 30)
    assert path.regime == "oscillating", path.message
    assert path.reversals >= 1
    signs = np.sign(path.x[: (path.converged_at or path.steps_run) + 1])
    assert np.all(signs[1:] == -signs[:-1])  # every step crosses the minimum
    assert "Oscillating" in path.message


@given(eta=st.floats(1.01, 1e6), steps=st.integers(1, 60))
def test_quadratic_too_large_rate_diverges_and_stays_finite(eta, steps):
    path = QUADRATIC.descend(eta, steps)
    assert path.regime == "diverging", path.message
    assert np.all(np.isfinite(path.x)) and np.all(np.isfinite(path.fx))
    assert np.all(np.abs(path.x) <= 1e12)
    if path.diverged:
        assert path.diverged_at == path.steps_run + 1 <= steps
        assert f"step {path.diverged_at}" in path.message
        # the rejected position really was out of bounds
        assert abs((1 - 2 * eta) * path.x[-1]) > 1e12
    else:
        assert path.steps_run == steps
        assert abs(path.dfx[-1]) > abs(path.dfx[0])


def test_divergence_stops_at_the_bound():
    path = QUADRATIC.descend(5.0, 100)  # x is multiplied by -9 every step
    k = math.ceil(math.log(1e12 / 2.5, 9))  # first step with |x| > 1e12
    assert path.diverged and path.diverged_at == k
    assert path.steps_run == k - 1
    assert path.regime == "diverging"


def test_tiny_rate_is_too_small_and_zero_steps_too():
    path = QUADRATIC.descend(1e-3, 20)
    assert path.regime == "too small" and not path.converged
    assert "Too small" in path.message and "20 steps" in path.message
    none = QUADRATIC.descend(0.1, 0)
    assert none.regime == "too small" and none.steps_run == 0 and none.x.tolist() == [2.5]


def test_starting_at_the_minimum_is_good():
    path = gradient_descent_1d(QUADRATIC.f, QUADRATIC.df, 0.0, 0.3, 5)
    assert path.regime == "good" and path.converged_at == 0
    assert np.all(path.x == 0)


def test_a_function_that_becomes_nan_stops_before_it():
    def f(x):
        return x * x if x > -1 else float("nan")  # undefined left of -1

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        path = gradient_descent_1d(f, QUADRATIC.df, 0.5, 1.2, 10)
    # x: 0.5 -> -0.7 -> 0.98 -> -1.372 (f is NaN there: rejected)
    np.testing.assert_allclose(path.x, [0.5, -0.7, 0.98])
    assert path.diverged and path.diverged_at == 3 and path.regime == "diverging"
    assert np.all(np.isfinite(path.fx))


def test_overflowing_python_function_counts_as_divergence():
    path = gradient_descent_1d(lambda x: math.exp(x), lambda x: -math.exp(x), 0.0, 500.0, 5)
    assert path.diverged and np.all(np.isfinite(path.x))


def test_double_well_minimisers_are_minima():
    assert len(DOUBLE_WELL.minimisers) == 2
    for m in DOUBLE_WELL.minimisers:
        assert abs(DOUBLE_WELL.df(m)) < 1e-12
        assert 12 * m * m - 6 > 0  # second derivative positive
    left, right = DOUBLE_WELL.minimisers
    assert DOUBLE_WELL.global_minimiser == left
    assert DOUBLE_WELL.f(left) < DOUBLE_WELL.f(right)
    # finite differences agree with the stated derivative
    for x in np.linspace(-2, 2, 9):
        h = 1e-6
        fd = (DOUBLE_WELL.f(x + h) - DOUBLE_WELL.f(x - h)) / (2 * h)
        assert DOUBLE_WELL.df(x) == pytest.approx(fd, rel=1e-6, abs=1e-6)


def test_double_well_small_rate_settles_in_the_nearest_valley():
    path = DOUBLE_WELL.descend(0.01, 200)
    assert path.regime == "good"
    assert path.final_x == pytest.approx(DOUBLE_WELL.minimisers[1], abs=1e-6)
    path = DOUBLE_WELL.descend(0.01, 200, start=-1.9)
    assert path.final_x == pytest.approx(DOUBLE_WELL.minimisers[0], abs=1e-6)


def test_example_functions_work_on_arrays_and_by_name():
    x = np.linspace(*QUADRATIC.domain, 7)
    np.testing.assert_array_equal(QUADRATIC.f(x), x**2)
    assert descent.get_function("double_well") is DOUBLE_WELL
    assert set(descent.FUNCTIONS) == {"quadratic", "double_well"}
    assert descent.REGIMES == ("too small", "good", "oscillating", "diverging")


@pytest.mark.parametrize(
    ("kwargs", "error", "words"),
    [
        ({"learning_rate": 0.0}, ValueError, ["learning_rate", "> 0", "0.0"]),
        ({"learning_rate": -1}, ValueError, ["learning_rate", "-1"]),
        ({"learning_rate": float("inf")}, ValueError, ["learning_rate", "inf"]),
        ({"learning_rate": "fast"}, TypeError, ["learning_rate", "'fast'"]),
        ({"steps": -1}, ValueError, ["steps", ">= 0", "-1"]),
        ({"steps": 2.5}, TypeError, ["steps", "integer", "2.5"]),
        ({"f": 3}, TypeError, ["f must be", "callable", "3"]),
        ({"df": None}, TypeError, ["df must be", "None"]),
        ({"start": float("nan")}, ValueError, ["start", "finite", "nan"]),
        ({"start": "0"}, TypeError, ["start", "'0'"]),
        ({"start": 1e13}, ValueError, ["start", "1e+13"]),
        ({"f": lambda x: [x, x]}, ValueError, ["one number", "(2,)"]),
        ({"f": lambda x: float("inf")}, ValueError, ["finite at start", "inf"]),
    ],
)
def test_bad_arguments_are_named(kwargs, error, words):
    arguments = {
        "f": QUADRATIC.f,
        "df": QUADRATIC.df,
        "start": 1.0,
        "learning_rate": 0.1,
        "steps": 10,
        **kwargs,
    }
    with pytest.raises(error) as info:
        gradient_descent_1d(**arguments)
    for word in words:
        assert word in str(info.value)
    with pytest.raises(ValueError, match="name must be one of"):
        descent.get_function("cubic")
