"""A fully connected feed-forward network: forward and backward passes (chapters 2 and 3).

Notation (the book's): layer 0 holds the inputs, layers ``1..L`` compute
:math:`z^{(l)} = a^{(l-1)} W^{(l)} + b^{(l)}` and :math:`a^{(l)} = f(z^{(l)})`, with
:math:`W^{(l)}` stored as ``weights[l - 1]`` of shape ``(n_{l-1}, n_l)``: entry ``[i, j]``
is the weight from neuron ``i`` of layer ``l-1`` to neuron ``j`` of layer ``l``.
Samples are rows, so a whole batch goes through one matrix product per layer.
"""

from __future__ import annotations

import copy as _copy
import itertools
import json
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from backprop_lab.activations import get_activation
from backprop_lab.losses import get_loss, softmax_cross_entropy
from backprop_lab.parameters import parameter_names, parse_parameter
from backprop_lab.traces import BackwardTrace, ForwardTrace, Gradients
from backprop_lab.validation import check_choice, check_finite_array, check_integer

if TYPE_CHECKING:
    from backprop_lab.training import TrainingHistory

__all__ = ["Network"]

_DTYPES = {"float64": np.float64, "float32": np.float32}
_INITS = ("auto", "glorot", "he")
_FORMAT = "backprop_lab.Network/1"


def _check_dtype(dtype: Any) -> type:
    try:
        name = np.dtype(dtype).name
    except TypeError:
        name = None
    if name not in _DTYPES:
        raise TypeError(f"dtype must be np.float64 or np.float32; got {dtype!r}")
    return _DTYPES[name]


def _shown(value: Any) -> str:
    """A short description of a wrong argument, for error messages."""
    if isinstance(value, np.ndarray):
        return f"an array of shape {value.shape}"
    text = repr(value)
    return (text[:57] + "...") if len(text) > 60 else text


def _hidden_delta(activation: Any, z: np.ndarray, a: np.ndarray, grad_a: np.ndarray) -> np.ndarray:
    """``activation.backward(z, a, grad_a)`` for an element-wise activation, computed in
    ``grad_a``'s own memory (the backward pass owns it), with the same numbers."""
    if activation.name == "relu":
        # f'(z) is 1 where a > 0, else 0: multiplying by the mask is multiplying by 1.0/0.0
        return np.multiply(grad_a, a > 0, out=grad_a)
    if activation.name == "identity":
        return grad_a
    if activation.derivative_from_output is not None:
        grad_a *= activation.derivative_from_output(a)
        return grad_a
    return activation.backward(z, a, grad_a)


def _check_layer_sizes(layer_sizes: Any) -> list[int]:
    if isinstance(layer_sizes, str | bytes) or not isinstance(layer_sizes, Sequence):
        raise TypeError(
            "layer_sizes must be a list of at least two positive integers, e.g. [2, 2, 1]; "
            f"got {layer_sizes!r}"
        )
    if len(layer_sizes) < 2:
        raise ValueError(
            "layer_sizes must list at least two layers (inputs and outputs), e.g. [2, 2, 1]; "
            f"got {list(layer_sizes)!r}"
        )
    sizes = []
    for position, size in enumerate(layer_sizes):
        if isinstance(size, bool) or not isinstance(size, int | np.integer) or size < 1:
            raise ValueError(
                f"layer_sizes must hold positive integers; layer_sizes[{position}] is {size!r}"
            )
        sizes.append(int(size))
    return sizes


class Network:
    """A fully connected feed-forward neural network (chapters 1 to 5).

    Parameters
    ----------
    layer_sizes : list of int
        Neurons per layer, inputs first, e.g. ``[2, 2, 2]``.
    activation : str
        Hidden-layer activation: ``"sigmoid"``, ``"tanh"``, ``"relu"`` or ``"identity"``.
    output_activation : str
        Output activation: the same choices or ``"softmax"``.
    loss : str
        ``"squared_error"``, ``"mse"``, ``"binary_cross_entropy"`` (sigmoid output) or
        ``"cross_entropy"`` (softmax output).
    seed : int
        Seed of the weight initialisation; the same seed gives the same weights, bitwise.
    dtype : np.float64 or np.float32
        Floating-point type of parameters and computations.
    init : str
        ``"glorot"`` (uniform, :math:`\\pm\\sqrt{6/(n_{in}+n_{out})}`), ``"he"`` (normal,
        standard deviation :math:`\\sqrt{2/n_{in}}`), or ``"auto"``: He for ReLU hidden
        layers, Glorot otherwise. Biases start at zero.

    Examples
    --------
    >>> import backprop_lab as bl
    >>> net = bl.Network([2, 2, 1], seed=0)
    >>> net.forward([0.0, 1.0]).shape
    (1,)
    """

    def __init__(
        self,
        layer_sizes: Sequence[int],
        activation: str = "sigmoid",
        output_activation: str = "sigmoid",
        loss: str = "squared_error",
        seed: int = 0,
        dtype: Any = np.float64,
        init: str = "auto",
    ) -> None:
        sizes = _check_layer_sizes(layer_sizes)
        self._configure(activation, output_activation, loss, dtype)
        seed = check_integer("seed", seed, minimum=0)
        check_choice("init", init, _INITS)
        if init == "auto":
            init = "he" if activation == "relu" else "glorot"
        rng = np.random.default_rng(seed)
        weights = []
        for n_in, n_out in itertools.pairwise(sizes):
            if init == "he":
                w = rng.normal(0.0, np.sqrt(2.0 / n_in), size=(n_in, n_out))
            else:
                limit = np.sqrt(6.0 / (n_in + n_out))
                w = rng.uniform(-limit, limit, size=(n_in, n_out))
            weights.append(w.astype(self.dtype))
        self.weights: list[np.ndarray] = weights
        self.biases: list[np.ndarray] = [np.zeros(n, dtype=self.dtype) for n in sizes[1:]]
        self.seed = seed

    def _configure(self, activation: str, output_activation: str, loss: str, dtype: Any) -> None:
        self._hidden = get_activation(activation, argument="activation")
        self._output = get_activation(output_activation, argument="output_activation", output=True)
        self._loss = get_loss(loss)
        required = self._loss.requires_output
        if required is not None and output_activation != required:
            raise ValueError(
                f"loss={loss!r} needs output_activation={required!r}; "
                f"got output_activation={output_activation!r}"
            )
        self.dtype = _check_dtype(dtype)

    @classmethod
    def from_weights(
        cls,
        weights: Sequence[Any],
        biases: Sequence[Any],
        activation: str = "sigmoid",
        output_activation: str = "sigmoid",
        loss: str = "squared_error",
        dtype: Any = np.float64,
    ) -> Network:
        """Build a network from given weights and biases (chapter 2, the worked example).

        Parameters
        ----------
        weights : list of array_like
            ``weights[l]`` of shape ``(n_l, n_{l+1})``.
        biases : list of array_like
            ``biases[l]`` of shape ``(n_{l+1},)``; a scalar is repeated over the layer.
        """
        net = cls.__new__(cls)
        net._configure(activation, output_activation, loss, dtype)
        if isinstance(weights, np.ndarray) or not isinstance(weights, Sequence) or not weights:
            raise TypeError(
                "weights must be a non-empty list of 2-D arrays, one per layer; "
                f"got {_shown(weights)}"
            )
        if isinstance(biases, np.ndarray) or not isinstance(biases, Sequence):
            raise TypeError(
                f"biases must be a list of 1-D arrays, one per layer; got {_shown(biases)}"
            )
        if len(biases) != len(weights):
            raise ValueError(
                f"biases must have one entry per weight layer ({len(weights)}); got {len(biases)}"
            )
        net.weights, net.biases = [], []
        for index, (w, b) in enumerate(zip(weights, biases)):
            w = check_finite_array(f"weights[{index}]", w, net.dtype)
            if w.ndim != 2:
                raise ValueError(f"weights[{index}] must be a 2-D array; got shape {w.shape}")
            if index and w.shape[0] != net.weights[-1].shape[1]:
                raise ValueError(
                    f"weights[{index}] must have {net.weights[-1].shape[1]} rows to follow "
                    f"weights[{index - 1}] of shape {net.weights[-1].shape}; got shape {w.shape}"
                )
            b = check_finite_array(f"biases[{index}]", b, net.dtype)
            if b.ndim == 0:
                b = np.full(w.shape[1], b, dtype=net.dtype)
            if b.shape != (w.shape[1],):
                raise ValueError(
                    f"biases[{index}] must have shape ({w.shape[1]},) to match weights[{index}] "
                    f"of shape {w.shape}; got shape {b.shape}"
                )
            net.weights.append(w.copy())
            net.biases.append(b.copy())
        net.seed = None
        return net

    # ----------------------------------------------------------------- description

    @property
    def layer_sizes(self) -> list[int]:
        """Neurons per layer, inputs first."""
        return [self.weights[0].shape[0]] + [w.shape[1] for w in self.weights]

    @property
    def n_layers(self) -> int:
        """Number of weight layers ``L`` (the input layer is not counted)."""
        return len(self.weights)

    @property
    def activation(self) -> str:
        """Name of the hidden-layer activation."""
        return self._hidden.name

    @property
    def output_activation(self) -> str:
        """Name of the output activation."""
        return self._output.name

    @property
    def loss_name(self) -> str:
        """Name of the loss (``net.loss`` is the method that computes it)."""
        return self._loss.name

    def activation_of(self, layer: int) -> Any:
        """The :class:`~backprop_lab.activations.Activation` of layer ``layer`` (1 to L)."""
        return self._output if layer == self.n_layers else self._hidden

    @property
    def loss_function(self) -> Any:
        """The :class:`~backprop_lab.losses.Loss` object."""
        return self._loss

    @property
    def n_parameters(self) -> int:
        return sum(w.size + b.size for w, b in zip(self.weights, self.biases))

    def parameter_names(self) -> list[str]:
        """Every parameter's name, e.g. ``["W1[0,0]", ..., "b2[1]"]`` (chapter 3)."""
        return parameter_names(self.layer_sizes)

    def parameter(self, name: str) -> float:
        """The value of one parameter, by name (``"W1[0,1]"``, ``"b2[0]"``)."""
        ref = parse_parameter(name, self.layer_sizes)
        array = self.weights if ref.is_weight else self.biases
        return float(array[ref.layer - 1][ref.index])

    def set_parameter(self, name: str, value: float) -> None:
        """Set one parameter, by name."""
        ref = parse_parameter(name, self.layer_sizes)
        value = float(check_finite_array("value", value, np.float64))
        arrays = self.weights if ref.is_weight else self.biases
        updated = arrays[ref.layer - 1].copy()
        updated[ref.index] = value
        arrays[ref.layer - 1] = updated

    def __repr__(self) -> str:
        return (
            f"Network({self.layer_sizes}, activation={self.activation!r}, "
            f"output_activation={self.output_activation!r}, loss={self.loss_name!r}, "
            f"dtype={np.dtype(self.dtype).name})"
        )

    # -------------------------------------------------------------------- checking

    def _inputs(self, X: Any, argument: str = "X") -> tuple[np.ndarray, bool]:
        """Validate inputs; return them as ``(n_samples, n_in)`` and whether one sample."""
        n_in = self.layer_sizes[0]
        array = check_finite_array(argument, X, self.dtype)
        expected = f"(n_samples, {n_in}) or ({n_in},)"
        if array.ndim == 1 and array.shape[0] == n_in:
            return array[None, :], True
        if array.ndim == 2 and array.shape[1] == n_in and array.shape[0] > 0:
            return array, False
        hint = ""
        if array.ndim == 1 and n_in == 1:
            hint = f"; for {array.shape[0]} samples of one input pass {argument}.reshape(-1, 1)"
        raise ValueError(f"{argument} must have shape {expected}; got shape {array.shape}{hint}")

    def _targets(self, Y: Any, n_samples: int, single: bool, argument: str = "Y") -> np.ndarray:
        """Validate targets against ``n_samples`` inputs; return ``(n_samples, n_out)``."""
        n_out = self.layer_sizes[-1]
        array = check_finite_array(argument, Y, self.dtype)
        if single and array.shape == (n_out,):
            array = array[None, :]
        elif not single and n_out == 1 and array.shape == (n_samples,):
            array = array[:, None]
        if array.shape != (n_samples, n_out):
            expected = f"({n_out},)" if single else f"({n_samples}, {n_out})"
            raise ValueError(
                f"{argument} must have shape {expected} to match the inputs and the network's "
                f"{n_out} output(s); got shape {np.shape(Y)}"
            )
        loss = self._loss.name
        if loss == "binary_cross_entropy" and np.any((array < 0) | (array > 1)):
            raise ValueError(
                f"{argument} must lie in [0, 1] for loss={loss!r}; got values from "
                f"{float(array.min()):g} to {float(array.max()):g}"
            )
        if loss == "cross_entropy" and np.any(array < 0):
            raise ValueError(
                f"{argument} must be non-negative (class probabilities) for loss={loss!r}; "
                f"got a smallest value of {float(array.min()):g}"
            )
        return array

    # --------------------------------------------------------------------- passes

    def _forward(self, X: np.ndarray) -> tuple[list[np.ndarray], list[np.ndarray]]:
        """Forward pass on checked inputs; returns the lists ``z^(1..L)`` and ``a^(0..L)``."""
        with np.errstate(over="ignore", invalid="ignore"):
            return self._forward_unguarded(X)

    def _forward_unguarded(self, X: np.ndarray) -> tuple[list[np.ndarray], list[np.ndarray]]:
        """:meth:`_forward` without its floating-point error guard (the caller holds one)."""
        zs, activations = [], [X]
        a = X
        last = self.n_layers - 1
        hidden, output = self._hidden.function, self._output.function
        for layer, (w, b) in enumerate(zip(self.weights, self.biases)):
            z = a @ w
            z += b
            a = output(z) if layer == last else hidden(z)
            zs.append(z)
            activations.append(a)
        return zs, activations

    def _forward_loss_unguarded(
        self, X: np.ndarray, Y: np.ndarray
    ) -> tuple[list[np.ndarray], list[np.ndarray], float]:
        """Forward pass and the mean loss on checked data, without an error guard.

        For a softmax output with cross-entropy the two share one pass over the logits
        (:func:`~backprop_lab.losses.softmax_cross_entropy`, the same numbers).
        """
        if self._output.name != "softmax" or self._loss.name != "cross_entropy":
            zs, activations = self._forward_unguarded(X)
            return (
                zs,
                activations,
                float(np.mean(self._loss.per_sample(zs[-1], activations[-1], Y))),
            )
        zs, activations = [], [X]
        a = X
        hidden = self._hidden.function
        last = self.n_layers - 1
        for layer, (w, b) in enumerate(zip(self.weights, self.biases)):
            z = a @ w
            z += b
            if layer == last:
                a, per_sample = softmax_cross_entropy(z, Y)
            else:
                a = hidden(z)
            zs.append(z)
            activations.append(a)
        return zs, activations, float(np.mean(per_sample))

    def _output_delta(self, z: np.ndarray, a: np.ndarray, Y: np.ndarray) -> np.ndarray:
        """:math:`\\delta^{(L)} = \\partial E_s/\\partial z^{(L)}` for every sample."""
        if self._loss.delta_from_output is not None:
            # a = f(z) was computed by the very function the fused delta would apply to z
            return self._loss.delta_from_output(a, Y)
        if self._loss.output_delta is not None:
            return self._loss.output_delta(z, a, Y)
        return self._output.backward(z, a, self._loss.output_gradient(z, a, Y))

    def _backward(
        self,
        zs: list[np.ndarray],
        activations: list[np.ndarray],
        Y: np.ndarray,
        keep_deltas: bool = False,
    ) -> tuple[list[np.ndarray], list[np.ndarray], list[np.ndarray]]:
        """Vectorised backward pass: gradients averaged over samples, and the deltas.

        With ``keep_deltas=False`` (training) the output delta is divided by the number of
        samples once, so every later product already carries the mean; the deltas are then
        not returned.
        """
        with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
            return self._backward_unguarded(zs, activations, Y, keep_deltas)

    def _backward_unguarded(
        self,
        zs: list[np.ndarray],
        activations: list[np.ndarray],
        Y: np.ndarray,
        keep_deltas: bool = False,
    ) -> tuple[list[np.ndarray], list[np.ndarray], list[np.ndarray]]:
        """:meth:`_backward` without its floating-point error guard (the caller holds one)."""
        n = Y.shape[0]
        grad_w: list[np.ndarray] = [None] * self.n_layers  # type: ignore[list-item]
        grad_b: list[np.ndarray] = [None] * self.n_layers  # type: ignore[list-item]
        deltas: list[np.ndarray] = [None] * self.n_layers  # type: ignore[list-item]
        delta = self._output_delta(zs[-1], activations[-1], Y)
        scale = self.dtype(1.0 / n)
        if keep_deltas:
            post = scale
        else:
            delta = delta * scale
            post = None
        hidden = self._hidden
        for layer in range(self.n_layers - 1, -1, -1):
            if keep_deltas:
                deltas[layer] = delta
            gw = activations[layer].T @ delta
            gb = delta.sum(axis=0)
            if post is not None:
                gw *= post
                gb *= post
            grad_w[layer], grad_b[layer] = gw, gb
            if layer:
                grad_a = delta @ self.weights[layer].T  # a fresh array: scaled in place
                delta = _hidden_delta(hidden, zs[layer - 1], activations[layer], grad_a)
        return grad_w, grad_b, deltas

    def forward(self, X: Any) -> np.ndarray:
        """The network's output for inputs ``X`` (chapter 2).

        Parameters
        ----------
        X : array_like
            Shape ``(n_samples, n_inputs)``, or ``(n_inputs,)`` for one sample.

        Returns
        -------
        ndarray
            Shape ``(n_samples, n_outputs)``, or ``(n_outputs,)`` for one sample.
        """
        X, single = self._inputs(X)
        out = self._forward(X)[1][-1]
        return out[0] if single else out

    def forward_trace(self, X: Any) -> ForwardTrace:
        """Every layer's net input :math:`z` and activation :math:`a` (chapter 2)."""
        X, single = self._inputs(X)
        zs, activations = self._forward(X)
        return ForwardTrace(zs, activations, single)

    def loss(self, X: Any, Y: Any) -> float:
        """The loss :math:`E`, averaged over samples (chapter 3)."""
        X, single = self._inputs(X)
        Y = self._targets(Y, X.shape[0], single)
        zs, activations = self._forward(X)
        return self._loss.value(zs[-1], activations[-1], Y)

    def backward_trace(self, X: Any, Y: Any) -> BackwardTrace:
        """Forward pass, loss, every layer's delta and the gradients (chapter 3)."""
        X, single = self._inputs(X)
        Y = self._targets(Y, X.shape[0], single)
        zs, activations = self._forward(X)
        grad_w, grad_b, deltas = self._backward(zs, activations, Y, keep_deltas=True)
        return BackwardTrace(
            forward=ForwardTrace(zs, activations, single),
            targets=Y,
            loss=self._loss.value(zs[-1], activations[-1], Y),
            deltas=deltas,
            gradients=Gradients(grad_w, grad_b),
        )

    def gradients(self, X: Any, Y: Any) -> Gradients:
        """Gradients of the loss for every parameter, by one vectorised backward pass (ch. 3).

        Returns
        -------
        Gradients
            ``.weights`` and ``.biases`` with the shapes of the parameters.
        """
        X, single = self._inputs(X)
        Y = self._targets(Y, X.shape[0], single)
        zs, activations = self._forward(X)
        grad_w, grad_b, _ = self._backward(zs, activations, Y)
        return Gradients(grad_w, grad_b)

    def predict_classes(self, X: Any) -> np.ndarray:
        """Class labels: argmax of the outputs, or a threshold for a single output (ch. 5).

        The threshold sits in the middle of the output activation's range: 0 for tanh,
        0.5 otherwise.
        """
        out = self.forward(X)
        if self.layer_sizes[-1] > 1:
            return np.argmax(out, axis=-1)
        threshold = 0.0 if self.output_activation == "tanh" else 0.5
        return (out[..., 0] >= threshold).astype(np.int64)

    def accuracy(self, X: Any, Y: Any) -> float:
        """Fraction of samples whose predicted class matches the targets (chapter 5).

        ``Y`` holds 0/1 labels for a single output (a threshold at the middle of the
        output's range, so -1/1 labels for tanh), or one-hot rows for several outputs.
        """
        X_checked, single = self._inputs(X)
        Y = self._targets(Y, X_checked.shape[0], single)
        predicted = np.atleast_1d(self.predict_classes(X))
        if Y.shape[1] > 1:
            truth = np.argmax(Y, axis=1)
        else:
            threshold = 0.0 if self.output_activation == "tanh" else 0.5
            truth = (Y[:, 0] >= threshold).astype(np.int64)
        return float(np.mean(predicted == truth))

    # ------------------------------------------------------------------- training

    def train(
        self,
        X: Any,
        Y: Any,
        learning_rate: float = 0.5,
        iterations: int = 1000,
        update_biases: bool = True,
        batch_size: int | None = None,
        seed: int = 0,
        snapshot_every: int | None = None,
        *,
        momentum: float = 0.0,
        validation: Any = None,
        tolerance: float | None = None,
        patience: int | None = None,
        progress: bool | None = None,
        callback: Any = None,
    ) -> TrainingHistory:
        """Train by gradient descent; see :func:`backprop_lab.training.train` (chapter 4).

        ``momentum``, ``validation``, ``tolerance``, ``patience``, ``progress`` and
        ``callback`` are keyword-only; they are described there.
        """
        from backprop_lab.training import train

        return train(
            self,
            X,
            Y,
            learning_rate=learning_rate,
            iterations=iterations,
            update_biases=update_biases,
            batch_size=batch_size,
            seed=seed,
            snapshot_every=snapshot_every,
            momentum=momentum,
            validation=validation,
            tolerance=tolerance,
            patience=patience,
            progress=progress,
            callback=callback,
        )

    # ------------------------------------------------------------- copy and save

    def copy(self) -> Network:
        """An independent copy: training the copy leaves this network unchanged."""
        twin = _copy.copy(self)
        twin.weights = [w.copy() for w in self.weights]
        twin.biases = [b.copy() for b in self.biases]
        return twin

    def astype(self, dtype: Any) -> Network:
        """A copy whose parameters and computations use ``dtype``."""
        twin = self.copy()
        twin.dtype = _check_dtype(dtype)
        twin.weights = [w.astype(twin.dtype) for w in self.weights]
        twin.biases = [b.astype(twin.dtype) for b in self.biases]
        return twin

    def set_parameters(self, weights: Sequence[Any], biases: Sequence[Any]) -> None:
        """Replace all parameters (copies), checking shapes; used to restore snapshots."""
        other = Network.from_weights(
            weights,
            biases,
            activation=self.activation,
            output_activation=self.output_activation,
            loss=self.loss_name,
            dtype=self.dtype,
        )
        if other.layer_sizes != self.layer_sizes:
            raise ValueError(
                f"weights must describe layer sizes {self.layer_sizes}; got {other.layer_sizes}"
            )
        self.weights, self.biases = other.weights, other.biases

    def to_dict(self) -> dict[str, Any]:
        """Everything needed to rebuild this network, as plain Python (JSON-ready)."""
        return {
            "format": _FORMAT,
            "layer_sizes": self.layer_sizes,
            "activation": self.activation,
            "output_activation": self.output_activation,
            "loss": self.loss_name,
            "dtype": np.dtype(self.dtype).name,
            "weights": [w.tolist() for w in self.weights],
            "biases": [b.tolist() for b in self.biases],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Network:
        """Rebuild a network from :meth:`to_dict`'s output."""
        found = data.get("format") if isinstance(data, dict) else None
        if found != _FORMAT:
            raise ValueError(
                f"data must be a dict made by Network.to_dict (format {_FORMAT!r}); "
                f"got {type(data).__name__} with format {found!r}"
            )
        return cls.from_weights(
            data["weights"],
            data["biases"],
            activation=data["activation"],
            output_activation=data["output_activation"],
            loss=data["loss"],
            dtype=data["dtype"],
        )

    def to_json(self) -> str:
        """The network as a JSON string; floats round-trip exactly."""
        return json.dumps(self.to_dict())

    @classmethod
    def from_json(cls, text: str) -> Network:
        """Rebuild a network from :meth:`to_json`'s output."""
        try:
            data = json.loads(text)
        except (TypeError, json.JSONDecodeError) as error:
            raise ValueError(f"text must be JSON made by Network.to_json; {error}") from None
        return cls.from_dict(data)

    def save(self, path: str | Path) -> Path:
        """Write the network to a JSON file, so a reader can keep a trained network."""
        path = Path(path)
        path.write_text(self.to_json(), encoding="utf-8")
        return path

    @classmethod
    def load(cls, path: str | Path) -> Network:
        """Read a network written by :meth:`save`."""
        return cls.from_json(Path(path).read_text(encoding="utf-8"))
