"""Small data sets for the chapters: XOR, the worked example, and seeded 2-D problems.

- :func:`xor` (chapters 1 and 5): the four points no single neuron can separate.
- :func:`worked_example` (chapters 2 to 4): the classic 2-2-2 sigmoid network with one
  training sample, whose every number the book computes by hand.
- :func:`two_moons`, :func:`circles`, :func:`spirals` (chapter 5): non-linearly
  separable point clouds for decision-boundary plots, two classes (spirals: up to eight).
- :func:`regression_1d` (chapter 1, universal approximation): a noisy sine curve.
- :func:`split` (generalisation): hold out part of a data set for validation.

Every generator draws from ``np.random.default_rng(seed)``, so one seed always gives the
same points, bitwise. :func:`load` builds any of them by name (for dataset drop-downs).
A generator refuses at once a number of samples whose arrays would not fit in the
machine's available memory, saying how much they would need.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from numbers import Real
from typing import Any

import numpy as np

from backprop_lab.checks.arguments import (
    available_memory,
    check_choice,
    check_integer,
    format_bytes,
)
from backprop_lab.nn.network import Network

__all__ = [
    "CLASSIFICATION_NAMES",
    "NAMES",
    "Dataset",
    "WorkedExample",
    "circles",
    "load",
    "regression_1d",
    "spirals",
    "split",
    "three_spirals",
    "two_moons",
    "worked_example",
    "xor",
]


@dataclass(frozen=True, eq=False)
class Dataset:
    """A data set: inputs, targets and what they are.

    Unpacks as ``X, Y = dataset``.

    Attributes
    ----------
    X : ndarray
        Inputs, shape ``(n_samples, n_inputs)``, float64.
    Y : ndarray
        Targets, shape ``(n_samples, n_outputs)``, float64. For a two-class set a single
        column of 0/1 labels (a sigmoid output); for more classes one-hot rows, one
        column per class (a softmax output with cross-entropy).
    name : str
        The name :func:`load` knows it by.
    task : {"classification", "regression"}
    description : str
        One sentence for a caption.
    target_function : callable or None
        For :func:`regression_1d`, the noise-free function the targets were drawn around.
    """

    X: np.ndarray
    Y: np.ndarray
    name: str
    task: str
    description: str
    target_function: Callable[[np.ndarray], np.ndarray] | None = field(default=None, repr=False)

    def __iter__(self) -> Iterator[np.ndarray]:
        yield self.X
        yield self.Y

    @property
    def n_samples(self) -> int:
        return int(self.X.shape[0])

    @property
    def n_inputs(self) -> int:
        return int(self.X.shape[1])

    @property
    def n_outputs(self) -> int:
        """Columns of ``Y``: the output neurons a network for this data needs."""
        return int(self.Y.shape[1])

    @property
    def n_classes(self) -> int | None:
        """Number of classes (2 for a single 0/1 column), or None for a regression set.

        More than two classes calls for a softmax output and the cross-entropy loss.
        """
        if self.task != "classification":
            return None
        return 2 if self.n_outputs == 1 else self.n_outputs

    @property
    def labels(self) -> np.ndarray:
        """Class labels as integers, shape ``(n_samples,)`` (classification sets only).

        The 0/1 column itself for two classes, the column of the 1 for one-hot rows.
        """
        if self.task != "classification":
            raise ValueError(f"labels are defined for classification data; {self.name!r} is not")
        if self.n_outputs == 1:
            return self.Y[:, 0].astype(np.int64)
        return np.argmax(self.Y, axis=1).astype(np.int64)

    def one_hot(self) -> np.ndarray:
        """Targets as one-hot rows ``(n_samples, n_classes)``, for a softmax/cross-entropy net."""
        labels = self.labels
        return np.eye(self.n_classes, dtype=np.float64)[labels]

    def __repr__(self) -> str:
        return (
            f"Dataset({self.name!r}, task={self.task!r}, X shape {self.X.shape}, "
            f"Y shape {self.Y.shape})"
        )


# ----------------------------------------------------------------------- checks


def _check_non_negative(argument: str, value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, Real):
        raise TypeError(f"{argument} must be a number >= 0; got {value!r} ({type(value).__name__})")
    value = float(value)
    if not np.isfinite(value) or value < 0:
        raise ValueError(f"{argument} must be a finite number >= 0; got {value}")
    return value


def _check_open_interval(argument: str, value: Any, low: float, high: float) -> float:
    if isinstance(value, bool) or not isinstance(value, Real):
        raise TypeError(
            f"{argument} must be a number strictly between {low:g} and {high:g}; "
            f"got {value!r} ({type(value).__name__})"
        )
    value = float(value)
    if not (np.isfinite(value) and low < value < high):
        raise ValueError(
            f"{argument} must be a number strictly between {low:g} and {high:g}; got {value}"
        )
    return value


def _check_fits_in_memory(n_samples: int, floats_per_sample: int) -> None:
    """Refuse ``n_samples`` whose arrays (``floats_per_sample`` float64s each, at the peak of
    the generator) would not fit in the memory available now."""
    needed = 8 * floats_per_sample * n_samples
    available = available_memory()
    if available is not None and needed > available:
        raise ValueError(
            f"n_samples={n_samples} needs about {format_bytes(needed)} of memory for its arrays at "
            f"once, and this machine has about {format_bytes(available)} available; "
            "choose fewer samples"
        )


def _common(
    n_samples: Any, noise: Any, seed: Any, minimum: int, floats_per_sample: int = 16
) -> tuple[int, float, int]:
    n_samples = check_integer("n_samples", n_samples, minimum=minimum)
    noise = _check_non_negative("noise", noise)
    seed = check_integer("seed", seed, minimum=0)
    _check_fits_in_memory(n_samples, floats_per_sample)
    return n_samples, noise, seed


def _classes(
    groups: list[np.ndarray], rng: np.random.Generator, noise: float
) -> tuple[np.ndarray, np.ndarray]:
    """Stack the classes' points, add Gaussian noise, and shuffle with ``rng``.

    Targets: one 0/1 column for two classes, one-hot rows for more.
    """
    X = np.concatenate(groups)
    labels = np.concatenate([np.full(len(g), float(k)) for k, g in enumerate(groups)])
    if len(groups) == 2:
        Y = labels[:, None]
    else:
        Y = np.eye(len(groups), dtype=np.float64)[labels.astype(np.int64)]
    X = X + noise * rng.standard_normal(X.shape)
    order = rng.permutation(len(X))
    return np.ascontiguousarray(X[order]), np.ascontiguousarray(Y[order])


def _two_classes(
    points_0: np.ndarray, points_1: np.ndarray, rng: np.random.Generator, noise: float
) -> tuple[np.ndarray, np.ndarray]:
    """Stack two classes, add Gaussian noise, and shuffle with ``rng``."""
    return _classes([points_0, points_1], rng, noise)


# --------------------------------------------------------------------- data sets


def xor() -> Dataset:
    """The XOR problem (chapters 1 and 5): output 1 when exactly one input is 1.

    Returns
    -------
    Dataset
        ``X = [[0, 0], [0, 1], [1, 0], [1, 1]]``, ``Y = [[0], [1], [1], [0]]``.
    """
    X = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
    Y = np.array([[0.0], [1.0], [1.0], [0.0]])
    return Dataset(
        X,
        Y,
        "xor",
        "classification",
        "XOR: the output is 1 when exactly one of the two inputs is 1; "
        "no single straight line separates the classes.",
    )


def two_moons(n_samples: int = 200, noise: float = 0.1, seed: int = 0) -> Dataset:
    """Two interleaving half circles (chapter 5, "Non-linear data").

    Class 0 lies on the upper half of the unit circle, class 1 on a lower half circle
    shifted right and down so the two moons interlock. The whole set is centred on the
    origin (shifted by ``(-0.5, -0.25)``), which suits zero-centred activations.

    Parameters
    ----------
    n_samples : int
        Number of points, at least 4; the classes differ in size by at most one.
    noise : float
        Standard deviation of the Gaussian noise added to every coordinate, >= 0.
    seed : int
        Seed of ``np.random.default_rng``.
    """
    n_samples, noise, seed = _common(n_samples, noise, seed, minimum=4)
    rng = np.random.default_rng(seed)
    n0 = n_samples // 2
    n1 = n_samples - n0
    t0 = np.linspace(0.0, np.pi, n0)
    t1 = np.linspace(0.0, np.pi, n1)
    outer = np.column_stack([np.cos(t0), np.sin(t0)])
    inner = np.column_stack([1.0 - np.cos(t1), 0.5 - np.sin(t1)])
    centre = np.array([0.5, 0.25])
    X, Y = _two_classes(outer - centre, inner - centre, rng, noise)
    return Dataset(
        X,
        Y,
        "two_moons",
        "classification",
        f"Two moons: {n_samples} points on two interlocking half circles "
        f"(noise {noise:g}, seed {seed}).",
    )


def circles(
    n_samples: int = 200, noise: float = 0.05, factor: float = 0.5, seed: int = 0
) -> Dataset:
    """A ring around a disc-shaped cluster (chapter 5, "Non-linear data").

    Class 0 lies on the unit circle, class 1 on a concentric circle of radius ``factor``.

    Parameters
    ----------
    n_samples : int
        Number of points, at least 4; the classes differ in size by at most one.
    noise : float
        Standard deviation of the Gaussian noise, >= 0.
    factor : float
        Radius of the inner circle relative to the outer one, strictly between 0 and 1.
    seed : int
        Seed of ``np.random.default_rng``.
    """
    n_samples, noise, seed = _common(n_samples, noise, seed, minimum=4)
    factor = _check_open_interval("factor", factor, 0.0, 1.0)
    rng = np.random.default_rng(seed)
    n0 = n_samples // 2
    n1 = n_samples - n0
    # endpoint=False: the angle 2*pi would repeat the point at angle 0
    t0 = np.linspace(0.0, 2.0 * np.pi, n0, endpoint=False)
    t1 = np.linspace(0.0, 2.0 * np.pi, n1, endpoint=False)
    outer = np.column_stack([np.cos(t0), np.sin(t0)])
    inner = factor * np.column_stack([np.cos(t1), np.sin(t1)])
    X, Y = _two_classes(outer, inner, rng, noise)
    return Dataset(
        X,
        Y,
        "circles",
        "classification",
        f"Circles: {n_samples} points on a ring and an inner circle of radius {factor:g} "
        f"(noise {noise:g}, seed {seed}).",
    )


def spirals(
    n_samples: int = 200,
    noise: float = 0.1,
    turns: float = 1.0,
    seed: int = 0,
    n_classes: int = 2,
) -> Dataset:
    """Interleaved spiral arms, one class per arm (chapter 5, a hard non-linear problem).

    Arm ``k`` (``k = 0, ..., K - 1`` for ``K = n_classes``) holds the points
    :math:`r\\,(\\cos(2\\pi\\,\\text{turns}\\,r + 2\\pi k/K),
    \\sin(2\\pi\\,\\text{turns}\\,r + 2\\pi k/K))`
    for radii :math:`r` evenly spaced in :math:`[0.1, 1]`: each arm is the first rotated by
    ``k / K`` of a turn. With two arms the second is the first rotated by half a turn.

    Parameters
    ----------
    n_samples : int
        Number of points, at least 4 and at least ``2 * n_classes``; the classes differ in
        size by at most one (the last classes get the extra points).
    noise : float
        Standard deviation of the Gaussian noise, >= 0 (neighbouring turns of two
        neighbouring arms lie ``1 / (n_classes * turns)`` apart).
    turns : float
        How many full turns each arm makes, > 0 and at most 5.
    seed : int
        Seed of ``np.random.default_rng``.
    n_classes : int
        Number of arms, 2 to 8.

    Returns
    -------
    Dataset
        ``X`` of shape ``(n_samples, 2)``. ``Y`` of shape ``(n_samples, 1)`` with 0/1
        labels for two classes (the same numbers, bitwise, as before ``n_classes``
        existed), one-hot rows ``(n_samples, n_classes)`` for more; ``n_classes`` says
        which.
    """
    n_classes = check_integer("n_classes", n_classes)
    if not 2 <= n_classes <= 8:
        raise ValueError(f"n_classes must be an integer from 2 to 8; got {n_classes}")
    n_samples = check_integer("n_samples", n_samples, minimum=4)
    if n_samples < 2 * n_classes:
        raise ValueError(
            f"n_samples must be at least 2 * n_classes = {2 * n_classes} (two points on each "
            f"arm); got {n_samples}"
        )
    n_samples, noise, seed = _common(
        n_samples, noise, seed, minimum=4, floats_per_sample=10 + 2 * n_classes
    )
    if isinstance(turns, bool) or not isinstance(turns, Real):
        raise TypeError(
            f"turns must be a number > 0 and <= 5; got {turns!r} ({type(turns).__name__})"
        )
    turns = float(turns)
    if not (np.isfinite(turns) and 0 < turns <= 5):
        raise ValueError(f"turns must be a number > 0 and <= 5; got {turns}")
    rng = np.random.default_rng(seed)
    base, extra = divmod(n_samples, n_classes)
    sizes = [base + (1 if k >= n_classes - extra else 0) for k in range(n_classes)]

    def arm(n: int, phase: float) -> np.ndarray:
        r = np.linspace(0.1, 1.0, n)
        angle = 2.0 * np.pi * turns * r + phase
        return r[:, None] * np.column_stack([np.cos(angle), np.sin(angle)])

    # phases 2 pi k / K; for K = 2 exactly 0 and pi, as the two-arm set always had
    phases = [0.0] + [2.0 * np.pi * k / n_classes for k in range(1, n_classes)]
    X, Y = _classes([arm(n, phase) for n, phase in zip(sizes, phases)], rng, noise)
    arms = "two interleaved arms" if n_classes == 2 else f"{n_classes} interleaved arms"
    return Dataset(
        X,
        Y,
        "spirals",
        "classification",
        f"Spirals: {n_samples} points on {arms} of {turns:g} turn(s) "
        f"(noise {noise:g}, seed {seed}).",
    )


def _sine(x: np.ndarray) -> np.ndarray:
    return np.sin(np.pi * np.asarray(x, dtype=np.float64))


def regression_1d(n_samples: int = 100, noise: float = 0.1, seed: int = 0) -> Dataset:
    """Noisy samples of :math:`f(x) = \\sin(\\pi x)` on :math:`[-1, 1]` (chapter 1).

    A smooth curve with one full wave: a network needs a few hidden neurons to bend its
    output this way (the universal approximation section).

    Parameters
    ----------
    n_samples : int
        Number of points, at least 2; ``X`` is sorted, so a line plot of the data works.
    noise : float
        Standard deviation of the Gaussian noise added to the targets, >= 0.
    seed : int
        Seed of ``np.random.default_rng``.

    Returns
    -------
    Dataset
        ``X`` and ``Y`` of shape ``(n_samples, 1)``; ``target_function`` is the noise-free
        :math:`\\sin(\\pi x)`.
    """
    n_samples, noise, seed = _common(n_samples, noise, seed, minimum=2, floats_per_sample=8)
    rng = np.random.default_rng(seed)
    x = np.sort(rng.uniform(-1.0, 1.0, n_samples))
    y = _sine(x) + noise * rng.standard_normal(n_samples)
    return Dataset(
        x[:, None],
        y[:, None],
        "regression_1d",
        "regression",
        f"Regression: {n_samples} noisy samples of sin(pi x) on [-1, 1] "
        f"(noise {noise:g}, seed {seed}).",
        target_function=_sine,
    )


def three_spirals(n_samples: int = 300, noise: float = 0.1, seed: int = 0) -> Dataset:
    """Three interleaved spiral arms, one class each, one-hot targets (chapters 5 and 6).

    :func:`spirals` with ``n_classes=3``, under its own name so that a menu can offer it
    (the training explorer gives it a softmax output with cross-entropy).
    """
    data = spirals(n_samples=n_samples, noise=noise, seed=seed, n_classes=3)
    return replace(data, name="three_spirals")


_GENERATORS: dict[str, Callable[..., Dataset]] = {
    "xor": xor,
    "two_moons": two_moons,
    "circles": circles,
    "spirals": spirals,
    "three_spirals": three_spirals,
    "regression_1d": regression_1d,
}

NAMES: tuple[str, ...] = tuple(_GENERATORS)
"""Every name :func:`load` accepts."""

CLASSIFICATION_NAMES: tuple[str, ...] = ("xor", "two_moons", "circles", "spirals", "three_spirals")
"""The two-input classification sets (for decision-boundary explorers); two classes
each, except ``spirals`` with ``n_classes=`` up to 8."""


def load(name: str, **kwargs: Any) -> Dataset:
    """Build a data set by name, e.g. ``load("two_moons", noise=0.2)`` (for drop-downs).

    Parameters
    ----------
    name : str
        One of :data:`NAMES`.
    **kwargs
        Passed to the generator (``xor`` takes none).
    """
    check_choice("name", name, NAMES)
    generator = _GENERATORS[name]
    try:
        return generator(**kwargs)
    except TypeError as error:
        if "unexpected keyword argument" not in str(error):
            raise
        import inspect

        accepted = list(inspect.signature(generator).parameters)
        allowed = (
            f"the keyword arguments {', '.join(accepted)}" if accepted else "no keyword arguments"
        )
        raise TypeError(
            f"load({name!r}) accepts {allowed}; got {', '.join(sorted(kwargs))}"
        ) from None


# ---------------------------------------------------------------------- holding out


def _split_sizes(counts: list[int], fraction: float) -> list[int]:
    """How many samples of each class go to validation: ``fraction`` of the whole, rounded
    half up, shared out in proportion to the classes' sizes (largest remainders first)."""
    total = sum(counts)
    n_validation = int(np.floor(fraction * total + 0.5))
    quotas = [fraction * c for c in counts]
    sizes = [int(np.floor(q)) for q in quotas]
    by_remainder = sorted(range(len(counts)), key=lambda k: (-(quotas[k] - sizes[k]), k))
    for k in by_remainder[: n_validation - sum(sizes)]:
        sizes[k] += 1
    return sizes


def split(data: Dataset, fraction: float = 0.25, seed: int = 0) -> tuple[Dataset, Dataset]:
    """Hold out part of a data set: a training and a validation set (generalisation).

    The validation set gets ``round(fraction * n_samples)`` samples (halves rounded up),
    drawn at random with ``np.random.default_rng(seed)``; the training set gets the rest.
    For a classification set the draw is *stratified*: each class gives its share, in
    proportion to its size (so a balanced set stays balanced on both sides). Both sets
    keep the samples in their original order (``regression_1d`` stays sorted).

    Parameters
    ----------
    data : Dataset
        What to split, e.g. ``bl.datasets.spirals(n_samples=300, n_classes=3)``.
    fraction : float
        Share of the samples held out for validation, strictly between 0 and 1; both
        sets must receive at least one sample.
    seed : int
        Seed of the random draw; one seed gives the same split every time.

    Returns
    -------
    (Dataset, Dataset)
        ``(train, validation)``, with the name, task and target function of ``data``.
        Every sample of ``data`` is in exactly one of them.

    Examples
    --------
    >>> train, validation = split(two_moons(n_samples=200), fraction=0.25, seed=0)
    >>> train.n_samples, validation.n_samples
    (150, 50)
    """
    if not isinstance(data, Dataset):
        raise TypeError(
            "data must be a Dataset (from backprop_lab.calc.datasets, e.g. two_moons()); "
            f"got {type(data).__name__}"
        )
    fraction = _check_open_interval("fraction", fraction, 0.0, 1.0)
    seed = check_integer("seed", seed, minimum=0)
    n = data.n_samples
    if data.task == "classification":
        labels = data.labels
        groups = [np.flatnonzero(labels == k) for k in range(int(labels.max()) + 1)]
    else:
        groups = [np.arange(n)]
    sizes = _split_sizes([len(g) for g in groups], fraction)
    n_validation = sum(sizes)
    if not 1 <= n_validation <= n - 1:
        raise ValueError(
            f"fraction={fraction:g} of {n} samples gives {n_validation} validation and "
            f"{n - n_validation} training samples; both need at least one"
        )
    rng = np.random.default_rng(seed)
    held_out = np.concatenate([rng.permutation(g)[:size] for g, size in zip(groups, sizes)])
    is_validation = np.zeros(n, dtype=bool)
    is_validation[held_out] = True

    def part(mask: np.ndarray, what: str) -> Dataset:
        count = int(mask.sum())
        return replace(
            data,
            X=np.ascontiguousarray(data.X[mask]),
            Y=np.ascontiguousarray(data.Y[mask]),
            description=f"{what} ({count} of {n} samples, split seed {seed}) of: "
            f"{data.description}",
        )

    return part(~is_validation, "Training set"), part(is_validation, "Validation set")


# ----------------------------------------------------------------- worked example


@dataclass(frozen=True, eq=False)
class WorkedExample:
    """The classic 2-2-2 worked example of backpropagation (chapters 2 to 4).

    Two inputs, two sigmoid hidden neurons, two sigmoid outputs, the squared error
    :math:`E = \\tfrac12\\sum_k (y_k - \\hat y_k)^2`, one training sample, and the
    walk-through's names for the parameters: ``w1..w4`` into the hidden layer, ``w5..w8``
    into the output layer, one bias ``b1`` shared by both hidden neurons and ``b2`` by
    both outputs.

    Attributes
    ----------
    network : Network
        A fresh network with the walk-through's starting parameters.
    x : ndarray
        The input ``[0.05, 0.10]``.
    y : ndarray
        The target ``[0.01, 0.99]``.
    learning_rate : float
        0.5.
    update_biases : bool
        False: the walk-through updates the eight weights and keeps the biases fixed.
    names : dict
        Classic name to the package's name: ``"w1" -> "W1[0,0]"`` (input 1 to hidden 1),
        ``"w2" -> "W1[1,0]"``, ``"w3" -> "W1[0,1]"``, ``"w4" -> "W1[1,1]"``,
        ``"w5" -> "W2[0,0]"``, ``"w6" -> "W2[1,0]"``, ``"w7" -> "W2[0,1]"``,
        ``"w8" -> "W2[1,1]"``, and ``"b1" -> "b1[0]"``, ``"b2" -> "b2[0]"`` (the package
        keeps one bias per neuron; both entries of each layer start equal).
    bias_units : dict
        ``"b1" -> ("b1[0]", "b1[1]")`` and ``"b2" -> ("b2[0]", "b2[1]")``: every package
        parameter a shared classic bias stands for.
    """

    network: Network
    x: np.ndarray
    y: np.ndarray
    learning_rate: float
    update_biases: bool
    names: dict[str, str]
    bias_units: dict[str, tuple[str, ...]]

    def __iter__(self) -> Iterator[np.ndarray]:
        yield self.x
        yield self.y

    @property
    def X(self) -> np.ndarray:
        """The one sample as a batch, shape ``(1, 2)``."""
        return self.x[None, :]

    @property
    def Y(self) -> np.ndarray:
        """The target as a batch, shape ``(1, 2)``."""
        return self.y[None, :]

    def value(self, classic_name: str) -> float:
        """The current value of a parameter by its classic name (``"w5"``, ``"b1"``)."""
        check_choice("classic_name", classic_name, tuple(self.names))
        return self.network.parameter(self.names[classic_name])

    def __repr__(self) -> str:
        return (
            f"WorkedExample(x={self.x.tolist()}, y={self.y.tolist()}, "
            f"learning_rate={self.learning_rate}, update_biases={self.update_biases})"
        )


_CLASSIC_NAMES = {
    "w1": "W1[0,0]",
    "w2": "W1[1,0]",
    "w3": "W1[0,1]",
    "w4": "W1[1,1]",
    "w5": "W2[0,0]",
    "w6": "W2[1,0]",
    "w7": "W2[0,1]",
    "w8": "W2[1,1]",
    "b1": "b1[0]",
    "b2": "b2[0]",
}


def worked_example() -> WorkedExample:
    """The classic worked example of backpropagation, with a fresh network (chapters 2-4).

    Starting weights ``w1..w8 = 0.15, 0.20, 0.25, 0.30, 0.40, 0.45, 0.50, 0.55``, biases
    ``b1 = 0.35`` and ``b2 = 0.60``, input ``[0.05, 0.10]``, target ``[0.01, 0.99]``,
    learning rate 0.5, biases fixed. Every call builds a new network, so a chapter that
    trains it never changes another chapter's starting point.
    """
    network = Network.from_weights(
        weights=[[[0.15, 0.25], [0.20, 0.30]], [[0.40, 0.50], [0.45, 0.55]]],
        biases=[[0.35, 0.35], [0.60, 0.60]],
        activation="sigmoid",
        output_activation="sigmoid",
        loss="squared_error",
    )
    return WorkedExample(
        network=network,
        x=np.array([0.05, 0.10]),
        y=np.array([0.01, 0.99]),
        learning_rate=0.5,
        update_biases=False,
        names=dict(_CLASSIC_NAMES),
        bias_units={"b1": ("b1[0]", "b1[1]"), "b2": ("b2[0]", "b2[1]")},
    )
