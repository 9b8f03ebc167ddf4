"""What the training tests share: a network's parameters, compared bit for bit, and a
playground explorer's settings as its page reads them."""

from __future__ import annotations

import dataclasses
from typing import Any

import numpy as np


def parameters(net) -> list[np.ndarray]:
    """Copies of every weight and bias, weights first."""
    return [p.copy() for p in net.weights + net.biases]


def assert_same_bits(a, b) -> None:
    """Two lists of arrays hold the same dtypes, shapes and bytes."""
    assert len(a) == len(b)
    for x, y in zip(a, b):
        assert x.dtype == y.dtype and x.shape == y.shape
        assert x.tobytes() == y.tobytes()


PAGE_NAMES = {
    "test_fraction": "testFraction",
    "hidden_layers": "hiddenLayers",
    "learning_rate": "learningRate",
    "batch_size": "batchSize",
    "max_iterations": "maxIterations",
    "n_samples": "nSamples",
}
"""The page's names of the playground's settings that Python spells differently."""


def page_settings(explorer) -> dict[str, Any]:
    """A ``TrainingExplorer``'s settings as the page's ``playgroundSettings`` reads them
    from the view's traits (camelCase, lists for tuples)."""
    page = {PAGE_NAMES.get(k, k): v for k, v in dataclasses.asdict(explorer.setting()).items()}
    page["features"] = list(page["features"])
    page["hiddenLayers"] = list(page["hiddenLayers"])
    return page
