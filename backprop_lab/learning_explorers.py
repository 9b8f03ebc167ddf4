"""Explorers and helpers of chapter 6, "Making it learn well".

==================================  ===========================================  =========
explorer                            what the reader moves                        section
==================================  ===========================================  =========
:class:`OverfittingExplorer`        hidden units, iterations (training vs        6.1
                                    validation loss, the fit)
:class:`GradientSizeExplorer`       hidden activation, weight scale, depth       6.2
                                    (per-layer gradient sizes)
:class:`MiniBatchExplorer`          batch size, learning rate (loss per update   6.3
                                    and per epoch)
:class:`MomentumExplorer`           momentum, learning rate, steps (paths on an  6.4
                                    elongated quadratic)
:class:`StoppingExplorer`           tolerance, patience (where each stopping     6.6
                                    rule ends a run)
==================================  ===========================================  =========

Every explorer follows :class:`backprop_lab.explorer.Explorer`: controls in ``controls``,
a figure redrawn in place, a status line that says what the picture shows, and
:meth:`~backprop_lab.explorer.Explorer.static_axes` naming the controls the website
precomputes. The training itself is :meth:`backprop_lab.network.Network.train`, called with
the explorer's settings; nothing here re-implements it.

:func:`elongated_quadratic` builds the data set whose loss, for a linear neuron, is exactly
the quadratic :math:`E(w) = \\tfrac12 (w - w^*)^\\top H (w - w^*)` with a chosen diagonal
:math:`H`: the textbook picture of a long narrow valley, trained by the package's own
gradient descent (with or without momentum).
"""

from __future__ import annotations

import math
from collections import OrderedDict
from typing import Any

import ipywidgets as widgets
import numpy as np

from backprop_lab import datasets
from backprop_lab.datasets import Dataset
from backprop_lab.explorer import Explorer, StaticAxis, check_slider_value, values_with
from backprop_lab.network import Network
from backprop_lab.validation import check_choice, check_integer, check_number

__all__ = [
    "GradientSizeExplorer",
    "MiniBatchExplorer",
    "MomentumExplorer",
    "OverfittingExplorer",
    "StoppingExplorer",
    "elongated_quadratic",
    "linear_neuron",
    "noise_floor",
]

TRAIN_COLOR = "#2166ac"
VALIDATION_COLOR = "#e08214"
REFERENCE_COLOR = "0.55"


def _rate(argument: str, value: Any, low: float, high: float) -> float:
    value = check_number(argument, value, minimum=0.0 if low == 0 else None)
    return check_slider_value(argument, float(value), low, high)


def _loss_axis_limits(ax: Any, *series: np.ndarray) -> None:
    """A log loss axis that shows every finite positive value of ``series``."""
    values = np.concatenate([np.asarray(s, dtype=float).ravel() for s in series])
    values = values[np.isfinite(values) & (values > 0)]
    if values.size:
        low, high = float(values.min()), float(values.max())
        ax.set_ylim(low / 1.5, high * 1.5)


# ------------------------------------------------------------------ helpers


def noise_floor(data: Dataset) -> float:
    """The loss of the noise-free curve on a regression data set (chapters 5 and 6).

    :math:`\\tfrac1n \\sum_s \\tfrac12 (y_s - f(x_s))^2` with :math:`f` the data set's
    ``target_function``: what even the true curve scores. A training loss below it means
    the network follows the noise of these particular samples.

    Raises
    ------
    ValueError
        If the data set has no ``target_function`` (a classification set).
    """
    if not isinstance(data, Dataset):
        raise TypeError(f"data must be a Dataset; got {type(data).__name__}")
    if data.target_function is None:
        raise ValueError(f"data must be a regression data set with a target_function; got {data}")
    truth = data.target_function(data.X[:, 0])
    return float(0.5 * np.mean((data.Y[:, 0] - truth) ** 2))


def elongated_quadratic(
    curvatures: tuple[float, float] = (1.0, 0.05),
    minimum: tuple[float, float] = (1.0, 1.0),
    n_samples: int = 20,
    seed: int = 0,
) -> Dataset:
    """Data on which a linear neuron's loss is a long narrow valley (chapter 6, momentum).

    For a neuron :math:`\\hat y = w_1 x_1 + w_2 x_2` (no bias) with the squared error
    :math:`E = \\frac1n \\sum_s \\tfrac12 (y_s - \\hat y_s)^2`, the loss is exactly

    .. math:: E(w) = \\tfrac12 (w - w^*)^\\top H (w - w^*), \\qquad H = \\tfrac1n X^\\top X .

    The inputs are drawn at random and then made exactly uncorrelated with
    :math:`\\tfrac1n \\sum_s x_{s1}^2 = \\lambda_1`, :math:`\\tfrac1n \\sum_s x_{s2}^2 =
    \\lambda_2` (so :math:`H = \\mathrm{diag}(\\lambda_1, \\lambda_2)`), and the targets are
    :math:`y = X w^*` with no noise, so the minimum is :math:`w^*` with loss 0.

    Parameters
    ----------
    curvatures : two positive numbers
        :math:`\\lambda_1, \\lambda_2`, the loss's curvature along each weight.
    minimum : two numbers
        :math:`w^*`.
    n_samples : int
        At least 2.
    seed : int

    Returns
    -------
    Dataset
        ``X`` of shape ``(n_samples, 2)``, ``Y`` of shape ``(n_samples, 1)``.
    """
    lam = [check_number("curvatures", c, minimum=1e-6, maximum=1e6) for c in _pair(curvatures)]
    w_star = np.array(
        [check_number("minimum", m, minimum=-1e3, maximum=1e3) for m in _pair(minimum)]
    )
    n_samples = check_integer("n_samples", n_samples, minimum=2)
    seed = check_integer("seed", seed, minimum=0)
    rng = np.random.default_rng(seed)
    q, _ = np.linalg.qr(rng.standard_normal((n_samples, 2)))  # orthonormal columns
    X = q * np.sqrt(n_samples * np.array(lam))
    Y = (X @ w_star)[:, None]
    return Dataset(
        X,
        Y,
        "elongated_quadratic",
        "regression",
        f"A linear neuron's quadratic valley: curvatures {lam[0]:g} and {lam[1]:g}, "
        f"minimum at ({w_star[0]:g}, {w_star[1]:g}) ({n_samples} samples, seed {seed}).",
    )


def _pair(value: Any) -> tuple[Any, Any]:
    try:
        a, b = value
    except (TypeError, ValueError):
        raise ValueError(f"expected two numbers; got {value!r}") from None
    return a, b


def linear_neuron(start: tuple[float, float] = (-1.5, -1.5)) -> Network:
    """A two-input linear neuron with no bias in use, starting at ``start`` (chapter 6).

    Train it with ``update_biases=False`` on :func:`elongated_quadratic` data: the bias
    stays 0 and the loss is the quadratic valley.
    """
    w = np.array([check_number("start", s, minimum=-1e3, maximum=1e3) for s in _pair(start)])
    return Network.from_weights(
        [w.reshape(2, 1)], [np.zeros(1)], output_activation="identity", loss="squared_error"
    )


# ------------------------------------------------------------------ overfitting


class OverfittingExplorer(Explorer):
    """Training and validation loss of a one-hidden-layer network on a few noisy points (6.1).

    Left, the fitted curve at the chosen iteration with the training points (filled), the
    held-out validation points (open) and the true curve (dashed); right, the training and
    validation losses over the run, the training set's noise floor, and the iteration shown.
    Each number of hidden units trains once (full batch, to ``max_iterations``, keeping
    snapshots); the iterations slider then shows a snapshot.

    Parameters
    ----------
    hidden_units : int
        Tanh neurons of the hidden layer, slider 1 to 50.
    iterations : int, optional
        The iteration shown (default ``max_iterations``).
    n_samples : int
        Points of ``regression_1d`` before the split (4 to 200).
    noise : float
        Their noise's standard deviation.
    validation_share : float
        The share held out for validation (``bl.datasets.split``), 0.1 to 0.9.
    learning_rate : float
    max_iterations : int
        10 to 20,000.
    seed : int
        Seed of the data (the split and the initial weights use seed 0).

    Attributes
    ----------
    controls : dict
        ``"hidden_units"``, ``"iterations"``.
    train_data, validation_data : Dataset
    floor : float
        :func:`noise_floor` of the training data.
    history : TrainingHistory
        The current run (``validation_loss`` set).
    network : Network
        The network at the iteration shown.
    """

    figsize = (8.6, 3.4)
    dpi = 72
    _cache_size = 12

    def __init__(
        self,
        hidden_units: int = 20,
        iterations: int | None = None,
        *,
        n_samples: int = 30,
        noise: float = 0.25,
        validation_share: float = 0.5,
        learning_rate: float = 0.2,
        max_iterations: int = 2000,
        seed: int = 3,
    ) -> None:
        super().__init__()
        hidden_units = check_integer("hidden_units", hidden_units, minimum=1)
        check_slider_value("hidden_units", hidden_units, 1, 50)
        n_samples = check_integer("n_samples", n_samples, minimum=4, maximum=200)
        share = check_number("validation_share", validation_share, minimum=0.1, maximum=0.9)
        self.learning_rate = check_number("learning_rate", learning_rate, minimum=1e-4, maximum=10)
        max_iterations = check_integer("max_iterations", max_iterations, minimum=10, maximum=20000)
        seed = check_integer("seed", seed, minimum=0)
        self.snapshot_every = max(1, max_iterations // 80)
        self.max_iterations = self.snapshot_every * math.ceil(max_iterations / self.snapshot_every)
        if iterations is None:
            iterations = self.max_iterations
        iterations = check_integer("iterations", iterations, minimum=0)
        check_slider_value("iterations", iterations, 0, self.max_iterations)
        data = datasets.regression_1d(n_samples=n_samples, noise=noise, seed=seed)
        self.train_data, self.validation_data = datasets.split(data, share, seed=0)
        self.target_function = data.target_function
        self.floor = noise_floor(self.train_data)
        self._grid = np.linspace(-1.0, 1.0, 161)[:, None]
        self._runs: OrderedDict[int, tuple[Network, Any]] = OrderedDict()
        self.history = self.network = None
        c = self.controls
        c["hidden_units"] = widgets.IntSlider(
            value=hidden_units, min=1, max=50, description="hidden units", continuous_update=False
        )
        c["iterations"] = widgets.IntSlider(
            value=iterations,
            min=0,
            max=self.max_iterations,
            step=self.snapshot_every,
            description="iterations",
        )
        self.fit_ax, self.loss_ax = self.figure.subplots(1, 2)
        self.figure.subplots_adjust(left=0.07, right=0.98, bottom=0.15, top=0.88, wspace=0.25)
        self._assemble([[c["hidden_units"], c["iterations"]]])

    STATIC_HIDDEN_UNITS = (1, 3, 5, 20, 50)
    STATIC_ITERATIONS = (0, 100, 250, 500, 1000, 2000)

    def static_axes(self) -> list[StaticAxis]:
        """On the website: five sizes of the hidden layer by six iterations."""
        c = self.controls
        iterations = [v for v in self.STATIC_ITERATIONS if v <= self.max_iterations]
        iterations = [
            self.snapshot_every * round(v / self.snapshot_every)
            for v in values_with(c["iterations"].value, iterations)
        ]
        return [
            StaticAxis(
                "hidden_units",
                [int(v) for v in values_with(c["hidden_units"].value, self.STATIC_HIDDEN_UNITS)],
            ),
            StaticAxis("iterations", sorted(set(iterations))),
        ]

    def run(self, hidden_units: int) -> tuple[Network, Any]:
        """The initial network and the history of ``hidden_units`` (trained once, cached)."""
        if hidden_units in self._runs:
            self._runs.move_to_end(hidden_units)
            return self._runs[hidden_units]
        net = Network([1, hidden_units, 1], activation="tanh", output_activation="identity", seed=0)
        history = net.copy().train(
            self.train_data.X,
            self.train_data.Y,
            learning_rate=self.learning_rate,
            iterations=self.max_iterations,
            validation=(self.validation_data.X, self.validation_data.Y),
            snapshot_every=self.snapshot_every,
            progress=False,
        )
        self._runs[hidden_units] = (net, history)
        while len(self._runs) > self._cache_size:
            self._runs.popitem(last=False)
        return net, history

    def _render(self) -> tuple[str, str]:
        hidden = int(self.controls["hidden_units"].value)
        net, history = self.run(hidden)
        t = min(int(self.controls["iterations"].value), history.iterations_run)
        snap = history.snapshot(t)
        t = snap.iteration
        model = net.copy()
        model.set_parameters(snap.weights, snap.biases)
        self.history, self.network = history, model
        ax = self.fit_ax
        ax.clear()
        grid = self._grid[:, 0]
        ax.plot(grid, self.target_function(grid), "--", color="0.4", lw=1.2, label="true curve")
        ax.plot(grid, model.forward(self._grid)[:, 0], color="black", lw=1.8, label="network")
        tr, va = self.train_data, self.validation_data
        ax.plot(tr.X[:, 0], tr.Y[:, 0], "o", color=TRAIN_COLOR, ms=5, label="training")
        ax.plot(
            va.X[:, 0],
            va.Y[:, 0],
            "o",
            mfc="white",
            mec=VALIDATION_COLOR,
            mew=1.5,
            ms=5,
            label="validation",
        )
        ax.set_ylim(-2.0, 2.0)
        ax.set_xlabel("$x$")
        ax.set_ylabel("$y$")
        ax.set_title(f"{hidden} hidden unit{'s' if hidden > 1 else ''}, iteration {t}", fontsize=10)
        ax.legend(fontsize=7, loc="lower right", frameon=False, ncol=2)
        ax = self.loss_ax
        ax.clear()
        steps = np.arange(len(history.loss))
        ax.plot(steps, history.loss, color=TRAIN_COLOR, lw=1.6, label="training loss")
        ax.plot(
            steps, history.validation_loss, color=VALIDATION_COLOR, lw=1.6, label="validation loss"
        )
        ax.axhline(self.floor, color="0.3", ls=":", lw=1.2, label="noise floor (training)")
        best = history.best_iteration
        ax.plot([best], [history.validation_loss[best]], "v", color=VALIDATION_COLOR, ms=7)
        ax.axvline(t, color="black", lw=0.8)
        ax.set_yscale("log")
        _loss_axis_limits(ax, history.loss, history.validation_loss, np.array([self.floor]))
        ax.set_xlabel("iteration")
        ax.set_ylabel("loss $E$")
        ax.legend(fontsize=7, frameon=False, loc="upper right")
        train_loss = float(history.loss[t])
        val_loss = float(history.validation_loss[t])
        message = (
            f"Iteration {t}: training loss {train_loss:.4g}, validation loss {val_loss:.4g} "
            f"(noise floor {self.floor:.4g}). The validation loss was lowest, "
            f"{history.best_validation_loss:.4g}, at iteration {best}."
        )
        if train_loss < self.floor:
            message += " The training loss is below the noise floor: the network fits the noise."
        return message, "ok"


# ------------------------------------------------------------------ vanishing gradients


class GradientSizeExplorer(Explorer):
    """How large each layer's weight gradient is in a deep network (6.2, vanishing gradients).

    A network with ``depth`` hidden layers of ``width`` neurons, a sigmoid output and the
    binary cross-entropy, on two moons (200 points), initialised by the package (Glorot for
    sigmoid and tanh, He for ReLU) and then every weight multiplied by ``weight_scale``.
    Left, :math:`\\lVert \\partial E/\\partial W^{(l)} \\rVert_F` layer by layer (log scale);
    right, the spread (standard deviation over the samples and neurons) of every hidden
    layer's activations: what the forward pass carries to the next layer.

    Parameters
    ----------
    activation : str
        ``"sigmoid"``, ``"tanh"`` or ``"relu"``.
    weight_scale : float
        Multiplies the package's initial weights: slider from 1/4 to 4 (log scale).
    depth : int
        Hidden layers, 1 to 12.
    width : int
        Neurons per hidden layer, 2 to 64.
    seed : int

    Attributes
    ----------
    controls : dict
        ``"activation"``, ``"weight_scale"``, ``"depth"``.
    network : Network
    sizes : ndarray
        The per-layer gradient sizes shown (:meth:`Gradients.layer_norms`).
    spreads : ndarray
        The standard deviation of each hidden layer's activations.
    """

    figsize = (8.6, 3.3)
    dpi = 72
    ACTIVATIONS = ("sigmoid", "tanh", "relu")

    def __init__(
        self,
        activation: str = "sigmoid",
        weight_scale: float = 1.0,
        depth: int = 8,
        *,
        width: int = 16,
        seed: int = 0,
    ) -> None:
        super().__init__()
        check_choice("activation", activation, self.ACTIVATIONS)
        weight_scale = _rate("weight_scale", weight_scale, 0.25, 4.0)
        depth = check_integer("depth", depth, minimum=1)
        check_slider_value("depth", depth, 1, 12)
        self.width = check_integer("width", width, minimum=2, maximum=64)
        self.seed = check_integer("seed", seed, minimum=0)
        self.data = datasets.two_moons(n_samples=200, noise=0.1, seed=0)
        self.network = None
        self.sizes = self.spreads = np.zeros(0)
        c = self.controls
        c["activation"] = widgets.Dropdown(
            options=list(self.ACTIVATIONS), value=activation, description="activation"
        )
        c["weight_scale"] = widgets.FloatLogSlider(
            value=weight_scale,
            base=2,
            min=-2,
            max=2,
            step=0.25,
            description="weight scale",
            readout_format=".3g",
        )
        c["depth"] = widgets.IntSlider(value=depth, min=1, max=12, description="hidden layers")
        self.grad_ax, self.spread_ax = self.figure.subplots(1, 2)
        self.figure.subplots_adjust(left=0.09, right=0.98, bottom=0.16, top=0.88, wspace=0.3)
        self._assemble([[c["activation"], c["weight_scale"], c["depth"]]])

    STATIC_SCALES = (0.25, 0.5, 1.0, 2.0, 4.0)

    def static_axes(self) -> list[StaticAxis]:
        """On the website: the three activations by five weight scales from 1/4 to 4."""
        c = self.controls
        return [
            StaticAxis("activation", list(self.ACTIVATIONS)),
            StaticAxis(
                "weight_scale",
                values_with(c["weight_scale"].value, self.STATIC_SCALES, digits=6),
                lambda values: [f"{v:.3g}" for v in values],
            ),
        ]

    def build(self, activation: str, weight_scale: float, depth: int) -> Network:
        """The network of a setting: the package's initialisation, weights times the scale."""
        net = Network(
            [2, *[self.width] * depth, 1],
            activation=activation,
            output_activation="sigmoid",
            loss="binary_cross_entropy",
            seed=self.seed,
        )
        net.set_parameters([w * weight_scale for w in net.weights], net.biases)
        return net

    def _render(self) -> tuple[str, str]:
        c = self.controls
        activation, scale, depth = (
            c["activation"].value,
            float(c["weight_scale"].value),
            int(c["depth"].value),
        )
        net = self.build(activation, scale, depth)
        X, Y = self.data
        self.network = net
        self.sizes = net.gradients(X, Y).layer_norms()
        hidden = net.forward_trace(X).activations[1:-1]
        self.spreads = np.array([float(np.std(a)) for a in hidden])
        layers = np.arange(1, len(self.sizes) + 1)
        ax = self.grad_ax
        ax.clear()
        ax.plot(layers, self.sizes, "o-", color=TRAIN_COLOR, lw=1.8)
        ax.set_yscale("log")
        low = max(float(self.sizes.min()), 1e-30)
        ax.set_ylim(min(low / 3, 1e-3), max(float(self.sizes.max()) * 3, 1.0))
        ax.set_xticks(layers)
        ax.set_xlabel("layer $l$ (1 = next to the inputs)")
        ax.set_ylabel("$\\Vert\\partial E/\\partial W^{(l)}\\Vert_F$")
        ax.set_title(f"gradient sizes: {activation}, weights x {scale:.3g}", fontsize=10)
        ax = self.spread_ax
        ax.clear()
        ax.bar(np.arange(1, depth + 1), self.spreads, color=VALIDATION_COLOR, width=0.6)
        ax.set_xticks(np.arange(1, depth + 1))
        ax.set_xlabel("hidden layer $l$")
        ax.set_ylabel("spread of $a^{(l)}$ (std)")
        top = max(float(self.spreads.max()) * 1.15, 0.05)
        ax.set_ylim(0, top)
        ax.set_title("what the forward pass carries", fontsize=10)
        first, last = float(self.sizes[0]), float(self.sizes[-1])
        ratio = first / last if last > 0 else math.inf
        message = (
            f"{activation}, {depth} hidden layer{'s' if depth > 1 else ''}, weights x "
            f"{scale:.3g}: layer 1's gradient is {first:.3g}, layer {len(self.sizes)}'s "
            f"{last:.3g} (ratio {ratio:.3g})."
        )
        largest = float(self.sizes.max())
        if ratio < 1e-2:
            message += " The gradient vanishes on its way back to the inputs."
        elif largest > 1e2:
            message += " Every gradient is huge: the signals explode through the layers."
        elif largest < 1e-3:
            message += " Every gradient is tiny: the signals die out in the forward pass."
        elif ratio > 10:
            message += " The gradient grows on its way back to the inputs."
        return message, "ok"


# ------------------------------------------------------------------ mini-batches


class MiniBatchExplorer(Explorer):
    """Mini-batch against full-batch gradient descent, per update and per epoch (6.3).

    Both runs train the same network (2-8-1, tanh hidden, sigmoid output, binary
    cross-entropy) from the same start on two moons (200 points) for ``epochs`` passes over
    the data. The curves are the loss on *all* the training data (recorded by a
    ``callback`` after every epoch and at about 60 update counts): left against updates,
    right against epochs, which is the same as against samples processed (one epoch is 200
    per-sample gradients, whatever the batch size).

    Parameters
    ----------
    batch_size : int
        One of :attr:`BATCH_SIZES` (200 is full batch).
    learning_rate : float
        Slider from 0.01 to 3 (log scale), used by both runs.
    epochs : int
        1 to 50.
    seed : int
        Seed of the initial weights and of the shuffling.

    Attributes
    ----------
    controls : dict
        ``"batch_size"``, ``"learning_rate"``, ``"epochs"``.
    mini, full : TrainingHistory
        The two runs.
    mini_curve, full_curve : ndarray
        Their loss on all the data, rows ``(updates, loss)``.
    """

    figsize = (8.6, 3.3)
    dpi = 72
    BATCH_SIZES = (1, 2, 5, 10, 20, 50, 100, 200)

    def __init__(
        self,
        batch_size: int = 10,
        learning_rate: float = 0.3,
        epochs: int = 10,
        *,
        seed: int = 0,
    ) -> None:
        super().__init__()
        batch_size = check_integer("batch_size", batch_size, minimum=1)
        if batch_size not in self.BATCH_SIZES:
            raise ValueError(
                f"batch_size must be one of {', '.join(map(str, self.BATCH_SIZES))}; "
                f"got {batch_size}"
            )
        learning_rate = _rate("learning_rate", learning_rate, 0.01, 3.0)
        epochs = check_integer("epochs", epochs, minimum=1)
        check_slider_value("epochs", epochs, 1, 50)
        self.seed = check_integer("seed", seed, minimum=0)
        self.data = datasets.two_moons(n_samples=200, noise=0.1, seed=0)
        self.start = Network(
            [2, 8, 1],
            activation="tanh",
            output_activation="sigmoid",
            loss="binary_cross_entropy",
            seed=self.seed,
        )
        self.mini = self.full = None
        self._full_runs: OrderedDict[tuple, Any] = OrderedDict()
        c = self.controls
        c["batch_size"] = widgets.SelectionSlider(
            options=list(self.BATCH_SIZES), value=batch_size, description="batch size"
        )
        c["learning_rate"] = widgets.FloatLogSlider(
            value=learning_rate,
            base=10,
            min=-2,
            max=math.log10(3.0),
            step=0.05,
            description="learning rate",
            readout_format=".2g",
        )
        c["epochs"] = widgets.IntSlider(
            value=epochs, min=1, max=50, description="epochs", continuous_update=False
        )
        self.update_ax, self.epoch_ax = self.figure.subplots(1, 2, sharey=True)
        self.figure.subplots_adjust(left=0.08, right=0.98, bottom=0.16, top=0.88, wspace=0.08)
        self._assemble([[c["batch_size"], c["learning_rate"], c["epochs"]]])

    STATIC_LEARNING_RATES = (0.1, 0.3, 1.0)

    def static_axes(self) -> list[StaticAxis]:
        """On the website: every batch size by three learning rates."""
        c = self.controls
        return [
            StaticAxis("batch_size", list(self.BATCH_SIZES)),
            StaticAxis(
                "learning_rate",
                values_with(c["learning_rate"].value, self.STATIC_LEARNING_RATES, digits=6),
                lambda values: [f"{v:.2g}" for v in values],
            ),
        ]

    def train(self, batch_size: int, learning_rate: float, epochs: int) -> tuple[Any, np.ndarray]:
        """One run of the setting: ``epochs`` passes over the data.

        Returns the history and the loss on all the data recorded along the run, as rows
        ``(updates, loss)``: after every epoch and at about 60 update counts spread evenly
        on a log scale (with mini-batches ``history.loss`` holds batch losses, noisier).
        """
        n = self.data.n_samples
        X, Y = self.data
        m = n // batch_size
        updates = epochs * m
        marks = set(range(0, updates + 1, m))
        marks |= {int(v) for v in np.geomspace(1, max(updates, 1), 60)}
        model = self.start.copy()
        recorded: list[tuple[int, float]] = []

        def record(t: int, _: float) -> None:
            if t in marks:
                recorded.append((t, model.loss(X, Y)))

        history = model.train(
            X,
            Y,
            learning_rate=learning_rate,
            iterations=updates,
            batch_size=batch_size,
            seed=self.seed,
            callback=record,
            progress=False,
        )
        curve = np.array(recorded, dtype=float).reshape(-1, 2)
        return history, curve

    def _render(self) -> tuple[str, str]:
        c = self.controls
        batch, eta, epochs = (
            int(c["batch_size"].value),
            float(c["learning_rate"].value),
            int(c["epochs"].value),
        )
        key = (round(eta, 12), epochs)
        if key not in self._full_runs:
            self._full_runs[key] = self.train(self.data.n_samples, eta, epochs)
            while len(self._full_runs) > 16:
                self._full_runs.popitem(last=False)
        n = self.data.n_samples
        full, full_curve = self._full_runs[key]
        mini, mini_curve = (full, full_curve) if batch == n else self.train(batch, eta, epochs)
        self.full, self.mini, self.full_curve, self.mini_curve = full, mini, full_curve, mini_curve
        for ax in (self.update_ax, self.epoch_ax):
            ax.clear()
        label = f"batches of {batch}" if batch < self.data.n_samples else "full batch (200)"
        runs = [(full, full_curve, "full batch (200)", REFERENCE_COLOR, 2.4)]
        if mini is not full:
            runs.append((mini, mini_curve, label, VALIDATION_COLOR, 1.4))
        for history, curve, name, color, width in runs:
            steps, losses = curve[:, 0], curve[:, 1]
            self.update_ax.plot(steps, losses, color=color, lw=width, label=name)
            epochs_done = steps / history.updates_per_epoch
            self.epoch_ax.plot(epochs_done, losses, color=color, lw=width, label=name)
        self.update_ax.set_xscale("symlog", linthresh=1.0)
        self.update_ax.set_xlabel("updates (log scale)")
        self.update_ax.set_ylabel("loss on all 200 points")
        self.update_ax.set_title("per update", fontsize=10)
        self.epoch_ax.set_xlabel("epochs = samples processed / 200")
        self.epoch_ax.set_title("per epoch (per unit of compute)", fontsize=10)
        self.epoch_ax.legend(fontsize=8, frameon=False)
        self.update_ax.set_yscale("log")
        _loss_axis_limits(self.update_ax, full_curve[:, 1], mini_curve[:, 1])
        level = "ok"
        parts = [
            f"After {epochs} epoch{'s' if epochs > 1 else ''} at learning rate {eta:.2g}: "
            f"full batch {full.iterations_run} updates, loss {full.final_loss:.4g}"
        ]
        if mini is not full:
            parts.append(
                f"batches of {batch}: {mini.iterations_run} updates, loss {mini.final_loss:.4g}"
            )
        message = "; ".join(parts) + "."
        for history in (full, mini):
            if history.diverged:
                level = "warning"
                message += f" {history.message} Try a smaller learning rate."
                break
        return message, level


# ------------------------------------------------------------------ momentum


class MomentumExplorer(Explorer):
    """Gradient descent with and without momentum in a long narrow valley (6.4).

    A linear neuron (:func:`linear_neuron`) trained by ``Network.train`` on
    :func:`elongated_quadratic` data, so its loss is
    :math:`E(w) = \\tfrac12 (\\lambda_1 (w_1 - 1)^2 + \\lambda_2 (w_2 - 1)^2)`. Left, the
    contours of :math:`E` with the path without momentum (grey) and with momentum
    :math:`\\mu` (orange); right, both losses against the step.

    Parameters
    ----------
    momentum : float
        :math:`\\mu`, slider from 0 to 0.99.
    learning_rate : float
        :math:`\\eta`, slider from 0.05 to 3 (log scale), used by both runs.
    steps : int
        5 to 200.
    curvatures : two numbers
        :math:`\\lambda_1, \\lambda_2` (default 1 and 0.05: a condition number of 20).

    Attributes
    ----------
    controls : dict
        ``"momentum"``, ``"learning_rate"``, ``"steps"``.
    plain, heavy : TrainingHistory
        The runs without and with momentum (snapshots at every step).
    """

    figsize = (8.6, 3.5)
    dpi = 72
    START = (-1.5, -1.5)

    def __init__(
        self,
        momentum: float = 0.8,
        learning_rate: float = 1.0,
        steps: int = 60,
        *,
        curvatures: tuple[float, float] = (1.0, 0.05),
    ) -> None:
        super().__init__()
        momentum = _rate("momentum", momentum, 0.0, 0.99)
        learning_rate = _rate("learning_rate", learning_rate, 0.05, 3.0)
        steps = check_integer("steps", steps, minimum=5)
        check_slider_value("steps", steps, 5, 200)
        self.data = elongated_quadratic(curvatures)
        self.curvatures = tuple(float(np.mean(self.data.X[:, k] ** 2)) for k in range(2))
        self.plain = self.heavy = None
        c = self.controls
        c["momentum"] = widgets.FloatSlider(
            value=momentum,
            min=0.0,
            max=0.99,
            step=0.01,
            description="momentum",
            readout_format=".2f",
        )
        c["learning_rate"] = widgets.FloatLogSlider(
            value=learning_rate,
            base=10,
            min=math.log10(0.05),
            max=math.log10(3.0),
            step=0.02,
            description="learning rate",
            readout_format=".2g",
        )
        c["steps"] = widgets.IntSlider(value=steps, min=5, max=200, description="steps")
        self.path_ax, self.loss_ax = self.figure.subplots(
            1, 2, gridspec_kw={"width_ratios": [1.25, 1]}
        )
        self.figure.subplots_adjust(left=0.07, right=0.98, bottom=0.15, top=0.88, wspace=0.22)
        self._limits = (-2.0, 2.5, -2.0, 4.0)
        u = np.linspace(self._limits[0], self._limits[1], 121)
        v = np.linspace(self._limits[2], self._limits[3], 121)
        self._u, self._v = np.meshgrid(u, v)
        self._assemble([[c["momentum"], c["learning_rate"], c["steps"]]])

    STATIC_MOMENTA = (0.0, 0.5, 0.8, 0.9, 0.95)
    STATIC_LEARNING_RATES = (0.3, 1.0, 1.9, 2.7)

    def static_axes(self) -> list[StaticAxis]:
        """On the website: five momenta by four learning rates."""
        c = self.controls
        return [
            StaticAxis(
                "momentum",
                values_with(c["momentum"].value, self.STATIC_MOMENTA, digits=6),
                lambda values: [f"{v:.2f}" for v in values],
            ),
            StaticAxis(
                "learning_rate",
                values_with(c["learning_rate"].value, self.STATIC_LEARNING_RATES, digits=6),
                lambda values: [f"{v:.2g}" for v in values],
            ),
        ]

    def loss(self, w1: Any, w2: Any) -> Any:
        """:math:`E(w)` from the curvatures, equal to the neuron's loss on the data."""
        l1, l2 = self.curvatures
        return 0.5 * (l1 * (np.asarray(w1) - 1.0) ** 2 + l2 * (np.asarray(w2) - 1.0) ** 2)

    def train(self, learning_rate: float, momentum: float, steps: int) -> Any:
        """``Network.train`` of the linear neuron from :attr:`START`, every step kept."""
        X, Y = self.data
        return linear_neuron(self.START).train(
            X,
            Y,
            learning_rate=learning_rate,
            iterations=steps,
            momentum=momentum,
            update_biases=False,
            snapshot_every=1,
            progress=False,
        )

    @staticmethod
    def path(history: Any) -> np.ndarray:
        """The weights after each step, shape ``(steps + 1, 2)``."""
        return np.array([s.weights[0][:, 0] for s in history.snapshots])

    def _render(self) -> tuple[str, str]:
        c = self.controls
        mu, eta, steps = (
            float(c["momentum"].value),
            float(c["learning_rate"].value),
            int(c["steps"].value),
        )
        self.plain = plain = self.train(eta, 0.0, steps)
        self.heavy = heavy = self.train(eta, mu, steps)
        ax = self.path_ax
        ax.clear()
        levels = 0.5 * np.geomspace(1e-3, 8.0, 12)
        ax.contour(
            self._u,
            self._v,
            self.loss(self._u, self._v),
            levels=levels,
            colors="0.75",
            linewidths=0.8,
        )
        ax.plot([1.0], [1.0], "*", color="black", ms=10)
        for history, color, name in (
            (plain, REFERENCE_COLOR, "no momentum"),
            (heavy, VALIDATION_COLOR, f"momentum {mu:.2f}"),
        ):
            p = self.path(history)
            inside = np.all(np.isfinite(p), axis=1)
            ax.plot(p[inside, 0], p[inside, 1], "o-", color=color, ms=2.5, lw=1.2, label=name)
        ax.set_xlim(*self._limits[:2])
        ax.set_ylim(*self._limits[2:])
        ax.set_xlabel(f"$w_1$ (steep: curvature {self.curvatures[0]:.3g})")
        ax.set_ylabel(f"$w_2$ (shallow: {self.curvatures[1]:.3g})")
        ax.legend(fontsize=8, frameon=False, loc="upper left")
        ax.set_title(f"$\\eta = {eta:.2g}$, {steps} steps", fontsize=10)
        ax = self.loss_ax
        ax.clear()
        for history, color, name in (
            (plain, REFERENCE_COLOR, "no momentum"),
            (heavy, VALIDATION_COLOR, f"momentum {mu:.2f}"),
        ):
            ax.plot(np.arange(len(history.loss)), history.loss, color=color, lw=1.6, label=name)
        ax.set_yscale("log")
        _loss_axis_limits(ax, plain.loss, heavy.loss)
        ax.set_xlabel("step")
        ax.set_ylabel("loss $E$")
        ax.legend(fontsize=8, frameon=False)
        level = "ok"
        message = (
            f"After {steps} steps at learning rate {eta:.2g}: loss {plain.final_loss:.3g} without "
            f"momentum, {heavy.final_loss:.3g} with momentum {mu:.2f}."
        )
        for history, name in ((plain, "Without momentum"), (heavy, "With momentum")):
            if history.diverged:
                level = "warning"
                message += f" {name} the run diverged at step {history.diverged_at}."
        return message, level


# ------------------------------------------------------------------ stopping rules


class StoppingExplorer(Explorer):
    """Where ``tolerance`` and ``patience`` stop a run (6.6, when to stop).

    The set-up of :class:`OverfittingExplorer` (a 1-20-1 tanh network on 15 noisy points,
    15 more held out) trained three times by ``Network.train``: to ``max_iterations``
    (the grey reference curves), with ``tolerance`` (stops when the training loss has
    converged), and with ``validation`` and ``patience`` (early stopping, which gives the
    network the parameters of the best validation loss back). The markers show where each
    rule stopped and which parameters it kept.

    Parameters
    ----------
    tolerance : float
        Slider from 1e-6 to 1e-2 (log scale).
    patience : int
        Slider from 10 to 2000 iterations (full batch: patience counts updates).
    hidden_units, max_iterations, learning_rate, seed
        As for :class:`OverfittingExplorer`.

    Attributes
    ----------
    controls : dict
        ``"tolerance"``, ``"patience"``.
    converging, early : TrainingHistory
        The runs with ``tolerance`` and with ``patience``.
    reference : TrainingHistory
        The run to ``max_iterations`` with validation.
    """

    figsize = (8.6, 3.3)
    dpi = 72

    def __init__(
        self,
        tolerance: float = 1e-4,
        patience: int = 100,
        *,
        hidden_units: int = 20,
        max_iterations: int = 2000,
        learning_rate: float = 0.2,
        seed: int = 3,
    ) -> None:
        super().__init__()
        tolerance = _rate("tolerance", tolerance, 1e-6, 1e-2)
        patience = check_integer("patience", patience, minimum=1)
        check_slider_value("patience", patience, 10, 2000)
        self.setup = OverfittingExplorer(
            hidden_units,
            0,
            learning_rate=learning_rate,
            max_iterations=max_iterations,
            seed=seed,
        )
        self.max_iterations = self.setup.max_iterations
        self.hidden_units = hidden_units
        self.start, self.reference = self.setup.run(hidden_units)
        self.converging = self.early = None
        c = self.controls
        c["tolerance"] = widgets.FloatLogSlider(
            value=tolerance,
            base=10,
            min=-6,
            max=-2,
            step=0.25,
            description="tolerance",
            readout_format=".1e",
        )
        c["patience"] = widgets.IntSlider(
            value=patience, min=10, max=2000, step=10, description="patience"
        )
        self.ax = self.figure.subplots()
        self.figure.subplots_adjust(left=0.08, right=0.98, bottom=0.16, top=0.9)
        self._assemble([[c["tolerance"], c["patience"]]])

    STATIC_TOLERANCES = (1e-2, 1e-3, 1e-4, 1e-6)
    STATIC_PATIENCES = (10, 100, 500, 1000)

    def static_axes(self) -> list[StaticAxis]:
        """On the website: four tolerances by four patiences."""
        c = self.controls
        return [
            StaticAxis(
                "tolerance",
                values_with(c["tolerance"].value, self.STATIC_TOLERANCES, digits=12),
                lambda values: [f"{v:.0e}" for v in values],
            ),
            StaticAxis(
                "patience",
                [int(v) for v in values_with(c["patience"].value, self.STATIC_PATIENCES)],
            ),
        ]

    def _train(self, **options: Any) -> Any:
        s = self.setup
        return self.start.copy().train(
            s.train_data.X,
            s.train_data.Y,
            learning_rate=s.learning_rate,
            iterations=self.max_iterations,
            progress=False,
            **options,
        )

    def _render(self) -> tuple[str, str]:
        c = self.controls
        tol, patience = float(c["tolerance"].value), int(c["patience"].value)
        s = self.setup
        val = (s.validation_data.X, s.validation_data.Y)
        self.converging = conv = self._train(tolerance=tol)
        self.early = early = self._train(validation=val, patience=patience)
        ref = self.reference
        ax = self.ax
        ax.clear()
        steps = np.arange(len(ref.loss))
        ax.plot(steps, ref.loss, color=TRAIN_COLOR, lw=1.0, alpha=0.45)
        ax.plot(steps, ref.validation_loss, color=VALIDATION_COLOR, lw=1.0, alpha=0.45)
        ax.plot(
            np.arange(len(conv.loss)),
            conv.loss,
            color=TRAIN_COLOR,
            lw=2.0,
            label="training loss (run with tolerance)",
        )
        ax.plot(
            np.arange(len(early.validation_loss)),
            early.validation_loss,
            color=VALIDATION_COLOR,
            lw=2.0,
            label="validation loss (run with patience)",
        )
        if conv.converged:
            ax.axvline(conv.iterations_run, color=TRAIN_COLOR, ls="--", lw=1.0)
            ax.plot(
                [conv.iterations_run],
                [conv.final_loss],
                "s",
                color=TRAIN_COLOR,
                ms=7,
                label=f"converged: stops at {conv.iterations_run}",
            )
        if early.stopped_early:
            ax.axvline(early.iterations_run, color=VALIDATION_COLOR, ls="--", lw=1.0)
            best = early.best_iteration
            ax.plot(
                [best],
                [early.best_validation_loss],
                "v",
                color=VALIDATION_COLOR,
                ms=8,
                label=f"early stopping: stops at {early.iterations_run}, keeps {best}",
            )
        ax.set_yscale("log")
        _loss_axis_limits(ax, ref.loss, ref.validation_loss)
        ax.set_xlim(-0.01 * self.max_iterations, self.max_iterations * 1.01)
        ax.set_xlabel("iteration")
        ax.set_ylabel("loss $E$")
        ax.set_title(
            f"{self.hidden_units} hidden units; faint: the whole run of {self.max_iterations}",
            fontsize=10,
        )
        ax.legend(fontsize=8, frameon=False, loc="upper right")
        if conv.converged:
            first = (
                f"tolerance {tol:.1e}: converged after {conv.iterations_run} iterations "
                f"(training loss {conv.final_loss:.4g})"
            )
        else:
            first = (
                f"tolerance {tol:.1e}: not converged within {self.max_iterations} iterations "
                f"(training loss {conv.final_loss:.4g})"
            )
        if early.stopped_early:
            second = (
                f"patience {patience}: stopped at iteration {early.iterations_run}, kept "
                f"iteration {early.best_iteration} (validation loss "
                f"{early.best_validation_loss:.4g})"
            )
        else:
            second = (
                f"patience {patience}: never stopped early; ran all {self.max_iterations} "
                f"iterations (best validation loss {early.best_validation_loss:.4g} at "
                f"{early.best_iteration})"
            )
        return f"{first}; {second}.", "ok"
