"""The playground's data sets, drawn from the generator Python and the page share (chapter 5).

:func:`playground_data` makes the noisy point clouds the chapter-5 playground offers, in the
manner of TensorFlow Playground's generators: points in the square :math:`[-6, 6]^2`, a
``noise`` level from 0 to 1 (the playground's slider goes to 0.5), and a random split into
a training and a test set. Every number comes from
:class:`~backprop_lab.nn.portable_random.PortableRandom`, which the JavaScript engine
implements too (``playgroundData`` in ``backprop_lab/explorers/js/engine.js``): one seed
gives the same points in the page and in Python (bit for bit, up to the last bit of
``sin``/``cos``, which may differ between libraries).

The sets (``n`` points; two classes are labelled 0 and 1 in one column, three classes
one-hot):

- ``"xor"``: ``x, y`` uniform in ``[-5, 5]``, each pushed 0.3 away from the axis it is
  nearest; the label is whether ``x y >= 0`` at the point moved by
  ``noise * uniform(-5, 5)`` in each coordinate (noise blurs the labels near the axes).
- ``"circles"``: ``n // 2`` points at a radius uniform in ``[0, 2.5]`` and the rest in
  ``[3.5, 5]``, at a uniform angle, ``(r sin a, r cos a)``; the label is whether the
  point moved as for xor lies within 2.5 of the centre.
- ``"two_moons"``: two interlocking half circles of radius 4, class 0
  ``(4 (cos t - 1/2), 4 (sin t - 1/4))`` and class 1 its mirror image through the
  centre, ``t`` uniform in ``[0, pi]``; each coordinate moved by
  ``4 noise uniform(-1, 1)``.
- ``"spirals"`` and ``"three_spirals"``: 2 or 3 arms, arm ``k`` of ``n_k`` points
  ``(r sin t, r cos t)`` with ``r = 5 i / n_k`` and ``t = 3.5 pi i / n_k + 2 pi k / K``,
  ``i = 0 .. n_k - 1`` (1.75 turns), each coordinate moved by ``noise * uniform(-1, 1)``.
  The arms share the points out as :func:`backprop_lab.calc.datasets.spirals` does (the
  last arms get one more).
- ``"regression_1d"``: one input ``x`` uniform in ``[-5, 5]`` and the target
  :math:`\\sin(\\pi x / 5) + 2\\,\\text{noise}\\,u`, ``u`` uniform in ``[-1, 1]``.

The draws: one generator seeded with ``seed`` gives every point's numbers in the order
listed (point by point, classes in order), then one permutation of the ``n`` points
(:meth:`~backprop_lab.nn.portable_random.PortableRandom.permutation`); the first
``n - n_test`` points of that order are the training set and the rest the test set,
``n_test = floor(test_fraction * n + 1/2)``.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from backprop_lab.calc.datasets import Dataset
from backprop_lab.checks.arguments import check_choice, check_integer, check_memory, check_number
from backprop_lab.nn.portable_random import MAX_SEED, PortableRandom

__all__ = ["PLAYGROUND_NAMES", "playground_data", "playground_points"]

PLAYGROUND_NAMES: tuple[str, ...] = (
    "xor",
    "two_moons",
    "circles",
    "spirals",
    "three_spirals",
    "regression_1d",
)
"""Every data set the playground offers, in the order of its menu."""

MAX_SAMPLES = 100_000
"""The most points :func:`playground_data` draws (a page draws a few hundred)."""

_CLASSES = {"spirals": 2, "three_spirals": 3, "regression_1d": 0}


def _n_classes(name: str) -> int:
    return _CLASSES.get(name, 2)


def _arm_sizes(n: int, k: int) -> list[int]:
    base, extra = divmod(n, k)
    return [base + (1 if arm >= k - extra else 0) for arm in range(k)]


def _xor(rng: PortableRandom, n: int, noise: float) -> tuple[np.ndarray, np.ndarray]:
    u = rng.random(4 * n).reshape(n, 4)
    x = -5.0 + 10.0 * u[:, 0]
    x = x + np.where(x > 0, 0.3, -0.3)
    y = -5.0 + 10.0 * u[:, 1]
    y = y + np.where(y > 0, 0.3, -0.3)
    nx = (-5.0 + 10.0 * u[:, 2]) * noise
    ny = (-5.0 + 10.0 * u[:, 3]) * noise
    labels = ((x + nx) * (y + ny) >= 0).astype(np.int64)
    return np.column_stack([x, y]), labels


def _circles(rng: PortableRandom, n: int, noise: float) -> tuple[np.ndarray, np.ndarray]:
    parts = []
    for count, low, high in ((n // 2, 0.0, 2.5), (n - n // 2, 3.5, 5.0)):
        u = rng.random(4 * count).reshape(count, 4)
        r = low + (high - low) * u[:, 0]
        angle = 0.0 + (2.0 * math.pi - 0.0) * u[:, 1]
        x = r * np.sin(angle)
        y = r * np.cos(angle)
        dx = x + (-5.0 + 10.0 * u[:, 2]) * noise
        dy = y + (-5.0 + 10.0 * u[:, 3]) * noise
        inside = np.sqrt(dx * dx + dy * dy) < 2.5
        parts.append((np.column_stack([x, y]), inside.astype(np.int64)))
    return np.concatenate([p[0] for p in parts]), np.concatenate([p[1] for p in parts])


def _two_moons(rng: PortableRandom, n: int, noise: float) -> tuple[np.ndarray, np.ndarray]:
    parts = []
    for label, count in enumerate((n // 2, n - n // 2)):
        u = rng.random(3 * count).reshape(count, 3)
        t = 0.0 + (math.pi - 0.0) * u[:, 0]
        if label == 0:
            x = 4.0 * (np.cos(t) - 0.5)
            y = 4.0 * (np.sin(t) - 0.25)
        else:
            x = 4.0 * (0.5 - np.cos(t))
            y = 4.0 * (0.25 - np.sin(t))
        x = x + 4.0 * noise * (-1.0 + 2.0 * u[:, 1])
        y = y + 4.0 * noise * (-1.0 + 2.0 * u[:, 2])
        parts.append((np.column_stack([x, y]), np.full(count, label, dtype=np.int64)))
    return np.concatenate([p[0] for p in parts]), np.concatenate([p[1] for p in parts])


def _spirals(rng: PortableRandom, n: int, noise: float, arms: int) -> tuple[np.ndarray, np.ndarray]:
    parts = []
    for k, count in enumerate(_arm_sizes(n, arms)):
        i = np.arange(count, dtype=np.float64)
        r = 5.0 * i / count
        t = 3.5 * math.pi * i / count + 2.0 * math.pi * k / arms
        u = rng.random(2 * count).reshape(count, 2)
        x = r * np.sin(t) + noise * (-1.0 + 2.0 * u[:, 0])
        y = r * np.cos(t) + noise * (-1.0 + 2.0 * u[:, 1])
        parts.append((np.column_stack([x, y]), np.full(count, k, dtype=np.int64)))
    return np.concatenate([p[0] for p in parts]), np.concatenate([p[1] for p in parts])


def _sine(x: Any) -> np.ndarray:
    return np.sin(math.pi * np.asarray(x, dtype=np.float64) / 5.0)


def _regression(rng: PortableRandom, n: int, noise: float) -> tuple[np.ndarray, np.ndarray]:
    u = rng.random(2 * n).reshape(n, 2)
    x = -5.0 + 10.0 * u[:, 0]
    y = np.sin(math.pi * x / 5.0) + 2.0 * noise * (-1.0 + 2.0 * u[:, 1])
    return x[:, None], y[:, None]


def playground_points(
    name: str, n_samples: int = 200, noise: float = 0.0, seed: int = 0
) -> tuple[np.ndarray, np.ndarray, PortableRandom]:
    """All the points of a playground data set before the split (chapter 5).

    Returns
    -------
    (ndarray, ndarray, PortableRandom)
        ``X`` of shape ``(n_samples, 2)`` (``(n_samples, 1)`` for ``"regression_1d"``),
        ``Y`` (0/1 labels in one column, one-hot rows for three classes, the target for
        regression), in drawing order, and the generator after the draws (the split
        continues from it).

    Raises
    ------
    TypeError, ValueError
        As :func:`playground_data`.
    """
    check_choice("name", name, PLAYGROUND_NAMES)
    k = _n_classes(name)
    minimum = max(4, 2 * k)
    n_samples = check_integer("n_samples", n_samples, minimum=minimum, maximum=MAX_SAMPLES)
    noise = check_number("noise", noise, minimum=0.0, maximum=1.0)
    seed = check_integer("seed", seed, minimum=0, maximum=MAX_SEED)
    check_memory(f"n_samples={n_samples:,}", 8 * 16 * n_samples, "choose fewer samples")
    rng = PortableRandom(seed)
    if name == "xor":
        X, labels = _xor(rng, n_samples, noise)
    elif name == "circles":
        X, labels = _circles(rng, n_samples, noise)
    elif name == "two_moons":
        X, labels = _two_moons(rng, n_samples, noise)
    elif name == "regression_1d":
        X, Y = _regression(rng, n_samples, noise)
        return X, Y, rng
    else:
        X, labels = _spirals(rng, n_samples, noise, k)
    if k == 2:
        Y = labels.astype(np.float64)[:, None]
    else:
        Y = np.eye(k, dtype=np.float64)[labels]
    return X, Y, rng


def playground_data(
    name: str,
    n_samples: int = 200,
    noise: float = 0.0,
    test_fraction: float = 0.5,
    seed: int = 0,
) -> tuple[Dataset, Dataset]:
    """A playground data set split into training and test data (chapter 5, the playground).

    The same points as the page's ``playgroundData`` for the same arguments (see the
    module's description for how each set is drawn).

    Parameters
    ----------
    name : str
        One of :data:`PLAYGROUND_NAMES`: ``"xor"``, ``"two_moons"``, ``"circles"``,
        ``"spirals"``, ``"three_spirals"``, ``"regression_1d"``.
    n_samples : int
        Points in all, from 4 (6 for three spirals) to 100,000.
    noise : float
        From 0 to 1 (TensorFlow Playground's slider goes to 0.5).
    test_fraction : float
        Share of the points held out as test data, strictly between 0 and 1; both sets
        get at least one point.
    seed : int
        From 0 to ``2**32 - 1``.

    Returns
    -------
    (Dataset, Dataset)
        ``(train, test)``, named ``name``, in the order of the split's permutation.

    Raises
    ------
    TypeError
        If an argument has the wrong type (``name`` not a string, ``n_samples`` not an
        integer...), naming it.
    ValueError
        If ``name`` is not a playground set, or a number is out of its range, naming it.

    Examples
    --------
    >>> from backprop_lab.calc.playground_data import playground_data
    >>> train, test = playground_data("xor", n_samples=100, noise=0.1, seed=3)
    >>> train.X.shape, test.X.shape
    ((50, 2), (50, 2))
    """
    X, Y, rng = playground_points(name, n_samples, noise, seed)
    n = X.shape[0]
    fraction = check_number("test_fraction", test_fraction, minimum=0.0, maximum=1.0)
    n_test = math.floor(fraction * n + 0.5)
    if not 1 <= n_test <= n - 1:
        raise ValueError(
            f"test_fraction must leave at least one point in each set (strictly between 0 "
            f"and 1, and {n} points times it rounded to 1 .. {n - 1}); got {test_fraction!r}, "
            f"which holds out {n_test} of {n}"
        )
    order = rng.permutation(n)
    train_rows, test_rows = order[: n - n_test], order[n - n_test :]
    task = "regression" if name == "regression_1d" else "classification"
    target = _sine if task == "regression" else None
    sets = []
    for part, rows in (("training", train_rows), ("test", test_rows)):
        sets.append(
            Dataset(
                np.ascontiguousarray(X[rows]),
                np.ascontiguousarray(Y[rows]),
                name,
                task,
                f"Playground {name}: {len(rows)} {part} points of {n} (noise {noise:g}, "
                f"seed {seed}).",
                target_function=target,
            )
        )
    return sets[0], sets[1]
