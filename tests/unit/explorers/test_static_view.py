"""What remains of the precomputed-frame mechanism (``backprop_lab.explorers.base``).

Every explorer of the book now computes in the page (issue 15); the last one that
precomputed frames for the website, the training explorer, became the live playground
(tests/unit/explorers/test_playground_view.py). No explorer subclasses ``base.Explorer`` any more: the
module can go, with this file (``bl.explorers.Explorer`` is still exported); until then its
grid helpers stay checked here.
"""

from __future__ import annotations

from backprop_lab.explorers.base import grid_around, values_with


def test_grids_go_through_the_default():
    assert grid_around(0.5, -5, 5, 1.0) == [-4.5 + k for k in range(10)]
    assert grid_around(1.0, -5, 5, 1.0) == [float(k) for k in range(-5, 6)]
    assert values_with(0.3, [0.1, 1.0]) == [0.1, 0.3, 1.0]
    assert values_with(1.0, [0.1, 1.0]) == [0.1, 1.0]
