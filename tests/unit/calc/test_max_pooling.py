"""Chapter 7: max pooling routes the gradient to each window's maximum (chapter 3's max node)."""

import numpy as np
import pytest
from finite_differences import central_differences as numerical_gradient
from hypothesis import assume, given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

import backprop_lab as bl

small = st.floats(min_value=-2, max_value=2, allow_nan=False, allow_infinity=False)


@st.composite
def pool_case(draw):
    n = draw(st.integers(1, 10))
    size = draw(st.integers(1, n))
    stride = draw(st.one_of(st.none(), st.integers(1, 4)))
    x = draw(arrays(np.float64, n, elements=small))
    n_out = (n - size) // (size if stride is None else stride) + 1
    g = draw(arrays(np.float64, n_out, elements=small))
    return x, size, stride, g


def test_max_pool_by_hand():
    x = [1.0, 3.0, -2.0, 0.5, 5.0, 4.0]
    np.testing.assert_array_equal(bl.max_pool1d(x, 2), [3.0, 0.5, 5.0])
    np.testing.assert_array_equal(bl.max_pool1d_backward(x, 2, [1.0, 2.0, 3.0]), [0, 1, 0, 2, 3, 0])
    # overlapping windows (size 3, stride 1): 3 wins twice, 5 wins twice, and each collects both
    np.testing.assert_array_equal(bl.max_pool1d(x, 3, stride=1), [3.0, 3.0, 5.0, 5.0])
    grad = bl.max_pool1d_backward(x, 3, [1.0, 10.0, 100.0, 1000.0], stride=1)
    np.testing.assert_array_equal(grad, [0, 11, 0, 0, 1100, 0])


def test_a_tie_sends_the_gradient_to_the_first_maximum():
    grad = bl.max_pool1d_backward([2.0, 2.0, 1.0, 1.0], 2, [5, 7])
    np.testing.assert_array_equal(grad, [5, 0, 7, 0])


def test_windows_that_run_past_the_end_are_dropped():
    assert bl.max_pool1d([1, 2, 3, 4, 5], 2).tolist() == [2.0, 4.0]
    assert bl.max_pool1d_backward([1, 2, 3, 4, 5], 2, [1, 1]).tolist() == [0, 1, 0, 1, 0]


@given(pool_case())
def test_max_pool_backward_equals_finite_differences(case):
    x, size, stride, g = case
    x = x.copy()
    # a maximum is differentiable only where it is unique by a margin wider than the nudge
    for start in range(0, x.size - size + 1, size if stride is None else stride):
        window = np.sort(x[start : start + size])
        assume(window.size == 1 or window[-1] - window[-2] > 1e-3)
    expected = numerical_gradient(lambda: float(g @ bl.max_pool1d(x, size, stride)), x)
    np.testing.assert_allclose(bl.max_pool1d_backward(x, size, g, stride), expected, atol=1e-6)


@given(pool_case())
def test_max_pool_backward_equals_a_value_graph(case):
    """The max node of chapter 3: the output is the winning Value itself (ties: the first)."""
    x, size, stride, g = case
    xs = [bl.Value(v) for v in x]
    loss = bl.Value(0.0)
    starts = range(0, x.size - size + 1, size if stride is None else stride)
    for g_j, start in zip(g, starts):
        winner = max(xs[start : start + size], key=lambda v: v.data)  # max keeps the first
        loss = loss + g_j * winner
    loss.backward()
    grad = bl.max_pool1d_backward(x, size, g, stride)
    np.testing.assert_allclose(grad, [v.grad for v in xs], atol=1e-12)


def test_max_pool_errors_name_the_argument():
    with pytest.raises(ValueError, match="size must be an integer <= 3; got 4"):
        bl.max_pool1d([1, 2, 3], 4)
    with pytest.raises(ValueError, match="size must be an integer >= 1; got 0"):
        bl.max_pool1d([1, 2, 3], 0)
    with pytest.raises(TypeError, match=r"size must be an integer; got 2.0 \(float\)"):
        bl.max_pool1d([1, 2, 3], 2.0)
    with pytest.raises(ValueError, match="stride must be an integer >= 1; got 0"):
        bl.max_pool1d([1, 2, 3], 2, stride=0)
    with pytest.raises(ValueError, match=r"grad_out must have the shape of the pooled outputs"):
        bl.max_pool1d_backward([1, 2, 3], 2, [1, 2])
    with pytest.raises(ValueError, match="x must contain only finite numbers; found inf"):
        bl.max_pool1d([1, np.inf], 1)
