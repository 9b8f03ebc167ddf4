"""The playground's input features (backprop_lab.calc.features) against hand computations."""

from __future__ import annotations

import math

import numpy as np
import pytest

from backprop_lab.calc.features import FEATURES, check_features, input_features


def test_each_feature_is_its_formula():
    X = np.array([[2.0, -3.0], [0.5, 1.5]])
    got = input_features(X, FEATURES)
    for row, (a, b) in zip(got, X, strict=True):
        expected = [a, b, a * a, b * b, a * b, math.sin(a), math.sin(b)]
        np.testing.assert_allclose(row, expected, rtol=1e-15)


def test_columns_come_in_the_playgrounds_order():
    X = np.array([[2.0, 3.0]])
    assert input_features(X, ["x1*x2", "x1^2"]).tolist() == [[4.0, 6.0]]
    assert check_features(["sin(x2)", "x1"]) == ("x1", "sin(x2)")


def test_one_input_has_only_x1s_features():
    X = np.array([[1.0], [-2.0]])
    assert input_features(X, ["x1^2", "x1"]).tolist() == [[1.0, 1.0], [-2.0, 4.0]]
    with pytest.raises(ValueError, match=r"features \['x1\*x2'\] need x2"):
        input_features(X, ["x1*x2"])


@pytest.mark.parametrize(
    ("X", "names", "error", "words"),
    [
        ([[1.0, 2.0]], "x1", TypeError, "features must be a list"),
        ([[1.0, 2.0]], [], ValueError, "at least one input feature"),
        ([[1.0, 2.0]], ["x1", "x1"], ValueError, "must not repeat"),
        ([[1.0, 2.0]], ["cos(x1)"], ValueError, "features must be names from"),
        ([[1.0, 2.0, 3.0]], ["x1"], ValueError, r"shape \(1, 3\)"),
        ([1.0, 2.0], ["x1"], ValueError, r"shape \(2,\)"),
        ([[1.0, float("nan")]], ["x1"], ValueError, "X"),
        ("abc", ["x1"], TypeError, "X must be an array"),
    ],
)
def test_bad_inputs_are_refused_naming_the_argument(X, names, error, words):
    with pytest.raises(error, match=words):
        input_features(X, names)
