"""Chapter 7: a shared weight's gradient written as a sum over its uses, step by step."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

import backprop_lab as bl

small = st.floats(min_value=-2, max_value=2, allow_nan=False, allow_infinity=False)


@st.composite
def conv_case(draw):
    n = draw(st.integers(1, 7))
    k = draw(st.integers(1, n))
    x = draw(arrays(np.float64, n, elements=small))
    w = draw(arrays(np.float64, k, elements=small))
    g = draw(arrays(np.float64, n - k + 1, elements=small))
    return x, w, g, draw(st.integers(0, k - 1))


@st.composite
def rnn_case(draw):
    steps, n_in, n_hidden = (
        draw(st.integers(1, 4)),
        draw(st.integers(1, 2)),
        draw(st.integers(1, 3)),
    )
    xs = draw(arrays(np.float64, (steps, n_in), elements=small))
    w_x = draw(arrays(np.float64, (n_in, n_hidden), elements=small))
    w_h = draw(arrays(np.float64, (n_hidden, n_hidden), elements=small))
    b = draw(arrays(np.float64, n_hidden, elements=small))
    g = draw(arrays(np.float64, (steps, n_hidden), elements=small))
    j = draw(st.integers(0, n_hidden - 1))
    param = draw(
        st.sampled_from(
            [
                f"W_h[{draw(st.integers(0, n_hidden - 1))},{j}]",
                f"W_x[{draw(st.integers(0, n_in - 1))},{j}]",
                f"b[{j}]",
            ]
        )
    )
    return xs, w_x, w_h, b, g, param


def test_kernel_entry_by_hand():
    steps = bl.conv1d_chain_rule([1, 2, 0, -1, 3], [2, -1], [1, 0, -1, 2], m=1)
    # dE/dw_1 = sum_j g_j x_{j+1} = 1*2 + 0*0 + (-1)(-1) + 2*3
    assert [u.value for u in steps.uses] == [2.0, 0.0, 1.0, 6.0]
    assert steps.value == 9.0
    assert [f.value for f in steps.uses[3].factors] == [2.0, 3.0]
    assert steps.param == "w[1]" and steps.index_name == "j"
    latex = steps.to_latex()
    assert "\\sum_{j=0}^{3} g_j\\, x_{j+1}" in latex
    assert "\\left(2 \\cdot 3\\right)" in latex and "&= 9" in latex
    text = repr(steps)
    assert "j=3: dE/dz_3 * dz_3/dw_1 = 2 * 3 = 6" in text and "= 9" in text
    markdown = steps._repr_markdown_()
    assert "| $j$ | term | numbers | value |" in markdown and "input x_4" in markdown


def test_recurrent_weight_by_hand():
    steps = bl.rnn_chain_rule([1, 0, 0], 0.8, 0.5, 0.0, [0, 0, 1], "W_h[0,0]")
    grads = bl.rnn_backward([1, 0, 0], 0.8, 0.5, 0.0, [0, 0, 1])
    assert [u.index for u in steps.uses] == [1, 2, 3]
    h = grads.states[:, 0]
    last = steps.uses[2].factors  # dE/dh_3 = 1, tanh'(z_3) = 1 - h_3^2, h_2
    assert [f.value for f in last] == pytest.approx([1.0, 1 - h[3] ** 2, h[2]])
    assert steps.value == pytest.approx(grads.W_h[0, 0], rel=1e-14)
    assert round(steps.value, 4) == 0.6027
    first = steps.uses[0].factors[0]
    assert "back through h_2" in first.meaning and "\\delta_{2,k}" in first.formula
    assert "back through" not in last[0].meaning
    markdown = steps._repr_markdown_()
    assert "$$" in markdown and "(W_h)_{0,0}" in markdown and "h_{2,0}" in markdown
    # nine factors do not fit on one line of a page: one term per row
    assert steps.to_latex().count("&\\quad + ") == 4


@given(conv_case())
def test_kernel_sum_equals_conv1d_backward(case):
    x, w, g, m = case
    steps = bl.conv1d_chain_rule(x, w, g, m)
    assert steps.value == pytest.approx(bl.conv1d_backward(x, w, g)[1][m], abs=1e-12)
    assert len(steps.uses) == g.size


@given(rnn_case())
def test_recurrent_sum_equals_rnn_backward(case):
    xs, w_x, w_h, b, g, param = case
    steps = bl.rnn_chain_rule(xs, w_x, w_h, b, g, param)
    grads = bl.rnn_backward(xs, w_x, w_h, b, g)
    kind, index = param.split("[")
    index = tuple(int(i) for i in index.rstrip("]").split(","))
    assert steps.value == pytest.approx(getattr(grads, kind)[index], abs=1e-12)
    assert len(steps.uses) == len(xs)
    if kind == "W_h":  # each step's term is that step's contribution
        contributions = grads.W_h_steps[(slice(None), *index)]
        np.testing.assert_allclose([u.value for u in steps.uses], contributions, atol=1e-12)


def test_display_errors_name_the_argument():
    with pytest.raises(ValueError, match="m must be an integer <= 1; got 2"):
        bl.conv1d_chain_rule([1, 2, 3], [1, 1], [1, 1], m=2)
    with pytest.raises(TypeError, match=r"m must be an integer; got 0.5 \(float\)"):
        bl.conv1d_chain_rule([1, 2, 3], [1, 1], [1, 1], m=0.5)
    args = ([1, 0, 0], 0.8, 0.5, 0.0, [0, 0, 1])
    with pytest.raises(ValueError, match=r"param must look like 'W_h\[i,j\]'.*got 'W2\[0,0\]'"):
        bl.rnn_chain_rule(*args, param="W2[0,0]")
    with pytest.raises(ValueError, match="param must look like"):
        bl.rnn_chain_rule(*args, param="b[0,0]")
    with pytest.raises(TypeError, match=r"param must be a string such as 'W_h\[0,0\]'"):
        bl.rnn_chain_rule(*args, param=0)
    with pytest.raises(ValueError, match="names row 1, but W_h has 1 row"):
        bl.rnn_chain_rule(*args, param="W_h[1,0]")
    with pytest.raises(ValueError, match="names hidden unit 2, but there are 1"):
        bl.rnn_chain_rule(*args, param="b[2]")
