"""A fixture the plotting and explorer tests share: no test leaves matplotlib changed."""

from __future__ import annotations

import matplotlib
import matplotlib.pyplot as plt
import pytest


@pytest.fixture(autouse=True)
def no_global_state():
    """No pyplot figure left open and no rcParams changed by the test."""
    before, figures = dict(matplotlib.rcParams), plt.get_fignums()
    yield
    assert plt.get_fignums() == figures
    assert {k for k in before if before[k] != matplotlib.rcParams[k]} == set()
