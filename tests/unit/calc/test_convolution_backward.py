"""Chapter 7: a convolution's backward pass, by hand, by finite differences, by bl.Value,
and as chapter 3's dense layer with tied weights."""

import numpy as np
import pytest
from finite_differences import central_differences as numerical_gradient
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

import backprop_lab as bl

small = st.floats(min_value=-2, max_value=2, allow_nan=False, allow_infinity=False)


@st.composite
def conv1d_case(draw):
    n = draw(st.integers(1, 8))
    k = draw(st.integers(1, n))
    x = draw(arrays(np.float64, n, elements=small))
    w = draw(arrays(np.float64, k, elements=small))
    g = draw(arrays(np.float64, n - k + 1, elements=small))
    return x, w, g, draw(small)


@st.composite
def conv2d_case(draw):
    rows, cols = draw(st.integers(1, 5)), draw(st.integers(1, 5))
    kr, kc = draw(st.integers(1, rows)), draw(st.integers(1, cols))
    x = draw(arrays(np.float64, (rows, cols), elements=small))
    w = draw(arrays(np.float64, (kr, kc), elements=small))
    g = draw(arrays(np.float64, (rows - kr + 1, cols - kc + 1), elements=small))
    return x, w, g, draw(small)


# ------------------------------------------------------------------ by hand


def test_conv1d_two_taps_by_hand():
    x, w = [1.0, 2.0, 0.0, -1.0, 3.0], [2.0, -1.0]
    # z_j = 2 x_j - x_{j+1} + 0.5
    np.testing.assert_allclose(bl.conv1d(x, w, bias=0.5), [0.5, 4.5, 1.5, -4.5])
    g = [1.0, 0.0, -1.0, 2.0]
    grad_x, grad_w, grad_b = bl.conv1d_backward(x, w, g)
    # dE/dw_0 = sum_j g_j x_j = 1 + 0 + 0 - 2; dE/dw_1 = sum_j g_j x_{j+1} = 2 + 0 + 1 + 6
    np.testing.assert_allclose(grad_w, [-1.0, 9.0])
    # dE/dx_i = g_i w_0 + g_{i-1} w_1: 2, 0 - 1, -2 + 0, 4 + 1, -2
    np.testing.assert_allclose(grad_x, [2.0, -1.0, -2.0, 5.0, -2.0])
    assert grad_b == 2.0


def test_conv1d_three_taps_by_hand():
    x, w = [1.0, 2.0, 0.0, -1.0, 3.0], [1.0, 0.0, -1.0]
    np.testing.assert_allclose(bl.conv1d(x, w), [1.0, 3.0, -3.0])  # x_j - x_{j+2}
    grad_x, grad_w, grad_b = bl.conv1d_backward(x, w, [1.0, 1.0, 1.0])
    np.testing.assert_allclose(grad_w, [3.0, 1.0, 2.0])  # sums of x_0..2, x_1..3, x_2..4
    # the flipped kernel (-1, 0, 1) slid over the zero-padded g = (0, 0, 1, 1, 1, 0, 0)
    np.testing.assert_allclose(grad_x, [1.0, 1.0, 0.0, -1.0, -1.0])
    assert grad_b == 3.0


def test_conv2d_four_by_four_by_hand():
    x = np.arange(16.0).reshape(4, 4)
    w = [[1.0, 0.0], [0.0, -1.0]]
    # z_ij = x_ij - x_{i+1,j+1} + 1 = -5 + 1 everywhere
    np.testing.assert_allclose(bl.conv2d(x, w, bias=1.0), np.full((3, 3), -4.0))
    grad_x, grad_w, grad_b = bl.conv2d_backward(x, w, np.ones((3, 3)))
    # dE/dw_mn sums the 3x3 block of x starting at (m, n)
    np.testing.assert_allclose(grad_w, [[45.0, 54.0], [81.0, 90.0]])
    assert grad_b == 9.0
    expected = [[1, 1, 1, 0], [1, 0, 0, -1], [1, 0, 0, -1], [0, -1, -1, -1]]
    np.testing.assert_allclose(grad_x, expected)
    corners = np.zeros((3, 3))
    corners[0, 0], corners[2, 2] = 1.0, 2.0
    _, grad_w, _ = bl.conv2d_backward(x, w, corners)
    # x_mn + 2 x_{2+m, 2+n}
    np.testing.assert_allclose(grad_w, [[0 + 20, 1 + 22], [4 + 28, 5 + 30]])


def test_conv1d_agrees_with_chapter_1():
    signal, kernel = [0, 0, 1, 1, 1, 0, 0, 1, 0], [-1, 0, 1]
    np.testing.assert_array_equal(bl.conv1d(signal, kernel), [1, 1, 0, -1, -1, 1, 0])
    np.testing.assert_array_equal(
        bl.conv1d(signal, kernel, 0.25), bl.conv1d_run(signal, kernel, 0.25).outputs
    )


# ----------------------------------------------------------- against references


@given(conv1d_case())
def test_conv1d_forward_is_numpys_correlation(case):
    x, w, _, b = case
    np.testing.assert_allclose(bl.conv1d(x, w, b), np.correlate(x, w, "valid") + b, atol=1e-12)


@given(conv1d_case())
def test_conv1d_backward_equals_finite_differences(case):
    x, w, g, b = case
    x, w = x.copy(), w.copy()
    grad_x, grad_w, grad_b = bl.conv1d_backward(x, w, g)

    def loss():
        return float(g @ bl.conv1d(x, w, b))

    np.testing.assert_allclose(grad_x, numerical_gradient(loss, x), atol=1e-6)
    np.testing.assert_allclose(grad_w, numerical_gradient(loss, w), atol=1e-6)
    bias = np.array([b])
    assert grad_b == pytest.approx(
        numerical_gradient(lambda: float(g @ bl.conv1d(x, w, bias[0])), bias)[0], abs=1e-6
    )


@given(conv1d_case())
def test_conv1d_backward_equals_a_value_graph(case):
    x, w, g, b = case
    xs = [bl.Value(v) for v in x]
    ws = [bl.Value(v) for v in w]
    bias = bl.Value(b)
    loss = bl.Value(0.0)
    for j, g_j in enumerate(g):
        z_j = bias
        for m, w_m in enumerate(ws):
            z_j = z_j + w_m * xs[j + m]
        loss = loss + g_j * z_j
    loss.backward()
    grad_x, grad_w, grad_b = bl.conv1d_backward(x, w, g)
    np.testing.assert_allclose(grad_x, [v.grad for v in xs], atol=1e-12)
    np.testing.assert_allclose(grad_w, [v.grad for v in ws], atol=1e-12)
    assert grad_b == pytest.approx(bias.grad, abs=1e-12)


@given(conv1d_case())
def test_conv1d_backward_equals_the_dense_layer_with_tied_weights(case):
    """Chapter 3's dense backward pass on chapter 1's matrix: dE/dx = g W^T, and dE/dW = x^T g,
    whose entries on each diagonal add up to the kernel's gradient."""
    x, w, g, _ = case
    matrix = bl.convolution_matrix(w, x.size)
    grad_x, grad_w, _ = bl.conv1d_backward(x, w, g)
    np.testing.assert_allclose(grad_x, g @ matrix.T, atol=1e-12)
    dense = np.outer(x, g)
    tied = [sum(dense[j + m, j] for j in range(g.size)) for m in range(w.size)]
    np.testing.assert_allclose(grad_w, tied, atol=1e-12)


@given(conv2d_case())
def test_conv2d_backward_equals_finite_differences(case):
    x, w, g, b = case
    x, w = x.copy(), w.copy()
    grad_x, grad_w, grad_b = bl.conv2d_backward(x, w, g)

    def loss():
        return float(np.sum(g * bl.conv2d(x, w, b)))

    np.testing.assert_allclose(grad_x, numerical_gradient(loss, x), atol=1e-6)
    np.testing.assert_allclose(grad_w, numerical_gradient(loss, w), atol=1e-6)
    assert grad_b == pytest.approx(float(np.sum(g)))


@given(conv2d_case())
def test_conv2d_backward_equals_a_value_graph(case):
    x, w, g, b = case
    xs = [[bl.Value(v) for v in row] for row in x]
    ws = [[bl.Value(v) for v in row] for row in w]
    loss = bl.Value(0.0)
    for i, j in np.ndindex(g.shape):
        z = bl.Value(b)
        for m, n in np.ndindex(w.shape):
            z = z + ws[m][n] * xs[i + m][j + n]
        loss = loss + g[i, j] * z
    loss.backward()
    grad_x, grad_w, _ = bl.conv2d_backward(x, w, g)
    np.testing.assert_allclose(grad_x, [[v.grad for v in row] for row in xs], atol=1e-12)
    np.testing.assert_allclose(grad_w, [[v.grad for v in row] for row in ws], atol=1e-12)


@given(conv2d_case())
def test_conv2d_with_one_row_is_conv1d(case):
    x, w, _, b = case
    np.testing.assert_allclose(bl.conv2d(x[:1], w[:1], b)[0], bl.conv1d(x[0], w[0], b))


# -------------------------------------------------------------------- errors


def test_conv1d_errors_name_the_argument():
    with pytest.raises(ValueError, match=r"kernel must not be larger than x \(2,\); got .*\(3,\)"):
        bl.conv1d([1, 2], [1, 2, 3])
    with pytest.raises(ValueError, match=r"x must be a non-empty 1-D list of numbers; got \(2, 2"):
        bl.conv1d([[1, 2], [3, 4]], [1])
    with pytest.raises(TypeError, match="bias must be a number; got 'a'"):
        bl.conv1d([1, 2], [1], bias="a")
    with pytest.raises(ValueError, match="kernel must contain only finite numbers; found nan"):
        bl.conv1d([1, 2], [np.nan])
    with pytest.raises(ValueError, match=r"grad_out must have the shape of the outputs, \(2,\)"):
        bl.conv1d_backward([1, 2, 3], [1, 1], [1, 1, 1])
    with pytest.raises(TypeError, match="grad_out must be an array of numbers; got None"):
        bl.conv1d_backward([1, 2, 3], [1, 1], None)


def test_conv2d_errors_name_the_argument():
    with pytest.raises(ValueError, match=r"x must be a non-empty 2-D array .*got shape \(3,\)"):
        bl.conv2d([1, 2, 3], [[1]])
    with pytest.raises(ValueError, match=r"kernel must be a non-empty 2-D array .*shape \(0,\)"):
        bl.conv2d(np.ones((2, 2)), [])
    with pytest.raises(ValueError, match=r"kernel must not be larger than x \(2, 3\)"):
        bl.conv2d(np.ones((2, 3)), np.ones((3, 1)))
    with pytest.raises(ValueError, match=r"grad_out must have the shape of the outputs, \(1, 2\)"):
        bl.conv2d_backward(np.ones((2, 3)), np.ones((2, 2)), np.ones((2, 2)))
