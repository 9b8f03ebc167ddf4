"""Chapter 7: clipping a list of gradients by their global norm."""

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import array_shapes, arrays

import backprop_lab as bl

values = st.floats(min_value=-1e3, max_value=1e3, allow_nan=False, allow_infinity=False)
gradient_lists = st.lists(
    arrays(np.float64, array_shapes(max_dims=2, max_side=4), elements=values),
    min_size=1,
    max_size=4,
)
thresholds = st.floats(min_value=1e-3, max_value=1e3)


def _norm(arrays):
    """The global norm by math.hypot, which scales its arguments (no underflow at 1e-239)."""
    return math.hypot(*(float(v) for a in arrays for v in np.ravel(a)))


def test_clipping_by_hand():
    # global norm sqrt(3^2 + 0^2 + 4^2) = 5; max_norm 2.5 halves every entry
    clipped = bl.clip_gradients([np.array([3.0, 0.0]), np.array([[4.0]])], max_norm=2.5)
    assert clipped.norm == 5.0 and clipped.scale == 0.5 and clipped.clipped
    np.testing.assert_allclose(clipped[0], [1.5, 0.0])
    np.testing.assert_allclose(clipped[1], [[2.0]])
    assert clipped.norm_after == pytest.approx(2.5)
    assert isinstance(clipped, list) and len(clipped) == 2


@given(gradient_lists, thresholds)
def test_norm_after_is_at_most_max_norm(gradients, max_norm):
    clipped = bl.clip_gradients(gradients, max_norm)
    assert clipped.norm == pytest.approx(_norm(gradients), rel=1e-12, abs=1e-300)
    assert _norm(clipped) <= max_norm * (1 + 1e-12)
    assert [g.shape for g in clipped] == [g.shape for g in gradients]


@given(gradient_lists, thresholds)
def test_direction_is_unchanged(gradients, max_norm):
    clipped = bl.clip_gradients(gradients, max_norm)
    for before, after in zip(gradients, clipped):
        np.testing.assert_allclose(after, before * clipped.scale, rtol=1e-15, atol=0)
    assert 0 < clipped.scale <= 1


@given(gradient_lists, thresholds)
def test_below_the_threshold_nothing_changes(gradients, max_norm):
    norm = _norm(gradients)
    clipped = bl.clip_gradients(gradients, norm * 1.01 + max_norm)
    assert not clipped.clipped and clipped.scale == 1.0
    for before, after in zip(gradients, clipped):
        np.testing.assert_array_equal(after, before)
        assert after is not before  # new arrays: the caller's stay as they were


def test_huge_gradients_do_not_overflow():
    clipped = bl.clip_gradients([np.array([3e200]), np.array([4e200])], max_norm=1.0)
    assert clipped.norm == pytest.approx(5e200)
    np.testing.assert_allclose(np.concatenate(clipped), [0.6, 0.8])


def test_zero_gradients_stay_zero():
    clipped = bl.clip_gradients([np.zeros(3)], 1.0)
    assert clipped.norm == 0.0 and not clipped.clipped
    np.testing.assert_array_equal(clipped[0], np.zeros(3))


def test_clipping_errors_name_the_argument():
    with pytest.raises(TypeError, match=r"gradients must be a list of arrays, e\.g\."):
        bl.clip_gradients(np.ones(3), 1.0)
    with pytest.raises(ValueError, match="gradients must hold at least one array"):
        bl.clip_gradients([], 1.0)
    with pytest.raises(ValueError, match=r"gradients\[1\] must contain only finite numbers"):
        bl.clip_gradients([np.ones(2), [np.nan]], 1.0)
    with pytest.raises(ValueError, match=r"max_norm must be a finite number > 0; got 0\.0"):
        bl.clip_gradients([np.ones(2)], 0)
    with pytest.raises(TypeError, match="max_norm must be a positive number; got '1'"):
        bl.clip_gradients([np.ones(2)], "1")
