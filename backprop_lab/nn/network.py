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
import math
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from backprop_lab.checks.arguments import (
    check_choice,
    check_finite_array,
    check_integer,
    check_layer_sizes,
    check_memory,
    check_number,
    check_path,
    describe,
)
from backprop_lab.nn.activations import get_activation
from backprop_lab.nn.losses import get_loss, softmax_cross_entropy
from backprop_lab.nn.parameters import parameter_names, parse_parameter
from backprop_lab.nn.traces import BackwardTrace, ForwardTrace, Gradients

if TYPE_CHECKING:
    from backprop_lab.nn.training import TrainingHistory

__all__ = ["Network"]

_DTYPES = {"float64": np.float64, "float32": np.float32}
_INITS = ("auto", "glorot", "he")
_FORMAT = "backprop_lab.Network/1"
_KEYS = ("layer_sizes", "activation", "output_activation", "loss", "dtype", "weights", "biases")


def _check_dtype(dtype: Any) -> type:
    try:
        name = None if dtype is None else np.dtype(dtype).name
    except (TypeError, ValueError):
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
    return check_layer_sizes("layer_sizes", layer_sizes)


def _check_parameter_memory(sizes: list[int], dtype: Any, where: str) -> None:
    """Refuse, before numpy allocates, a network whose parameters exceed the memory budget."""
    n_parameters = sum((n_in + 1) * n_out for n_in, n_out in itertools.pairwise(sizes))
    itemsize = np.dtype(dtype).itemsize
    check_memory(
        f"{where} has {n_parameters:,} parameters, which",
        n_parameters * itemsize,
        "use fewer or smaller layers (the book's networks have at most a few thousand parameters)",
    )


def _check_output_units(output_activation: str, sizes: list[int]) -> None:
    if output_activation == "softmax" and sizes[-1] < 2:
        raise ValueError(
            "output_activation='softmax' needs at least 2 output units: over a single unit "
            "it always outputs 1 and cannot learn; got 1 output unit (layer_sizes[-1] = 1). "
            "For one output use output_activation='sigmoid' (with loss='binary_cross_entropy' "
            "for a yes/no target)"
        )


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
        _check_output_units(output_activation, sizes)
        _check_parameter_memory(sizes, self.dtype, f"Network(layer_sizes={sizes})")
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
        activation, output_activation, loss, dtype
            As for :class:`Network`.

        Raises
        ------
        TypeError
            If ``weights`` or ``biases`` is not a list, or holds something other than
            real numbers.
        ValueError
            If the shapes do not chain (``weights[l]`` has as many rows as
            ``weights[l-1]`` has columns), a layer has no neurons, a value is NaN or
            infinite (or beyond float32's range for ``dtype=np.float32``), or a softmax
            output has a single unit.
        """
        net = cls.__new__(cls)
        net._configure(activation, output_activation, loss, dtype)
        if isinstance(weights, str | bytes) or not isinstance(weights, Sequence | np.ndarray):
            raise TypeError(
                "weights must be a non-empty list of 2-D arrays, one per layer; "
                f"got {_shown(weights)}"
            )
        if isinstance(weights, np.ndarray) or not weights:
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
            if 0 in w.shape:
                raise ValueError(
                    f"weights[{index}] must have at least one row and one column (every layer "
                    f"needs at least one neuron); got shape {w.shape}"
                )
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
        _check_output_units(net.output_activation, net.layer_sizes)
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
        """The :class:`~backprop_lab.nn.activations.Activation` of layer ``layer`` (1 to L)."""
        return self._output if layer == self.n_layers else self._hidden

    @property
    def loss_function(self) -> Any:
        """The :class:`~backprop_lab.nn.losses.Loss` object."""
        return self._loss

    @property
    def n_parameters(self) -> int:
        return sum(w.size + b.size for w, b in zip(self.weights, self.biases))

    def parameter_names(self) -> list[str]:
        """Every parameter's name, e.g. ``["W1[0,0]", ..., "b2[1]"]`` (chapter 3)."""
        return parameter_names(self.layer_sizes)

    def parameter(self, name: str) -> float:
        """The value of one parameter, by name (``"W1[0,1]"``, ``"b2[0]"``).

        Raises
        ------
        TypeError
            If ``name`` is not a string.
        ValueError
            If it names no parameter of this network.
        """
        ref = parse_parameter(name, self.layer_sizes)
        array = self.weights if ref.is_weight else self.biases
        return float(array[ref.layer - 1][ref.index])

    def set_parameter(self, name: str, value: float) -> None:
        """Set one parameter, by name.

        Raises
        ------
        TypeError
            If ``name`` is not a string or ``value`` not a real number (``True`` and
            ``"0.5"`` are refused).
        ValueError
            If ``name`` names no parameter of this network, or ``value`` is NaN, infinite
            or beyond the range of the network's dtype.
        """
        ref = parse_parameter(name, self.layer_sizes)
        value = check_number("value", value)
        limit = float(np.finfo(self.dtype).max)
        if abs(value) > limit:
            raise ValueError(
                f"value must fit this {np.dtype(self.dtype).name} network (at most about "
                f"±{limit:.2g}); got {value:g}"
            )
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
            self._check_pass_memory(array, argument)
            return array, False
        hint = ""
        if array.ndim == 1 and n_in == 1:
            hint = f"; for {array.shape[0]} samples of one input pass {argument}.reshape(-1, 1)"
        raise ValueError(f"{argument} must have shape {expected}; got shape {array.shape}{hint}")

    def _check_pass_memory(self, X: np.ndarray, argument: str) -> None:
        """Refuse inputs whose forward and backward pass would not fit in memory."""
        # every layer's z, a and delta, for every sample
        n_bytes = 3 * X.shape[0] * sum(self.layer_sizes) * np.dtype(self.dtype).itemsize
        check_memory(
            f"{argument} of shape {X.shape} through layer sizes {self.layer_sizes}",
            n_bytes,
            f"pass fewer samples at a time (e.g. {argument}[:1000])",
        )

    def _overflow_error(
        self, X: np.ndarray, zs: list[np.ndarray], activations: list[np.ndarray], what: str
    ) -> ValueError:
        """The error for a pass that overflowed although inputs and parameters are finite."""
        dtype = np.dtype(self.dtype).name
        limit = float(np.finfo(self.dtype).max)
        layer = next(
            (
                number
                for number, (z, a) in enumerate(zip(zs, activations[1:]), start=1)
                if not (np.all(np.isfinite(z)) and np.all(np.isfinite(a)))
            ),
            None,
        )
        where = (
            f"layer {layer}'s net input z went beyond" if layer is not None else "it went beyond"
        )
        x_max = float(np.max(np.abs(X)))
        p_max = max(float(np.max(np.abs(p))) for p in self.weights + self.biases)
        unbounded = sorted(
            {
                self.activation_of(number).name
                for number in range(1, self.n_layers + 1)
                if self.activation_of(number).name in ("relu", "identity")
            }
        )
        passed_on = (
            f"; this network's {' and '.join(unbounded)} activations pass such numbers on "
            "without bounding them"
            if unbounded
            else ""
        )
        remedy = "scale X down (e.g. standardise each input to mean 0 and standard deviation 1)"
        return ValueError(
            f"the {what} is not finite: {where} the largest {dtype} number (about "
            f"±{limit:.2g}). X holds values up to {x_max:.3g} in size and the parameters up "
            f"to {p_max:.3g}{passed_on}; {remedy}"
        )

    def _inputs_overflow(self, X: np.ndarray) -> bool:
        """Whether the inputs are to blame for a pass that overflowed: they are larger
        than every parameter (``|x| = 1e300`` into a ReLU network).

        A network whose own parameters are the larger (as after a diverged run) keeps
        answering ``inf``: that is the divergence signal training records.
        """
        x_max = float(np.max(np.abs(X)))
        p_max = max(float(np.max(np.abs(p))) for p in self.weights + self.biases)
        return x_max > max(1.0, p_max)

    def _checked_forward(self, X: np.ndarray) -> tuple[list[np.ndarray], list[np.ndarray]]:
        """:meth:`_forward`, refusing inputs so large that the outputs overflow."""
        zs, activations = self._forward(X)
        if not np.all(np.isfinite(activations[-1])) and self._inputs_overflow(X):
            raise self._overflow_error(X, zs, activations, "network's output")
        return zs, activations

    def _checked_loss(
        self, X: np.ndarray, zs: list[np.ndarray], activations: list[np.ndarray], Y: np.ndarray
    ) -> float:
        """The loss, refusing inputs so large that it overflows."""
        value = self._loss.value(zs[-1], activations[-1], Y)
        if not math.isfinite(value) and self._inputs_overflow(X):
            raise self._overflow_error(X, zs, activations, "loss")
        return value

    def _checked_gradients(
        self,
        X: np.ndarray,
        zs: list[np.ndarray],
        activations: list[np.ndarray],
        grads: Any,
        Y: np.ndarray,
    ) -> None:
        """Refuse inputs so large that a gradient overflows."""
        finite = all(np.all(np.isfinite(g)) for g in [*grads[0], *grads[1]])
        if not finite and self._inputs_overflow(X):
            raise self._overflow_error(X, zs, activations, "gradient")

    def _outputs_unchecked(self, X: Any) -> np.ndarray:
        """The outputs for validated inputs, non-finite values included (for plots that
        show a diverged network and replace what overflowed)."""
        X, _ = self._inputs(X)
        return self._forward(X)[1][-1]

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
        (:func:`~backprop_lab.nn.losses.softmax_cross_entropy`, the same numbers).
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

        Raises
        ------
        TypeError
            If ``X`` holds something other than real numbers (text, None...).
        ValueError
            If ``X`` has the wrong shape, holds NaN or inf or values beyond the network's
            floating-point type, needs more memory than allowed
            (:data:`~backprop_lab.checks.arguments.MEMORY_LIMIT`), or the outputs overflow: a
            network with ReLU or identity units passes huge inputs on unbounded, so
            ``|x| = 1e300`` is refused with a message rather than answered with ``inf``.
            (When the inputs are no larger than the parameters, an overflow is the
            network's own, as after a diverged run, and ``inf`` is returned: the
            divergence signal training records.)
        """
        X, single = self._inputs(X)
        out = self._checked_forward(X)[1][-1]
        return out[0] if single else out

    def forward_trace(self, X: Any) -> ForwardTrace:
        """Every layer's net input :math:`z` and activation :math:`a` (chapter 2).

        Raises
        ------
        TypeError, ValueError
            As :meth:`forward`.
        """
        X, single = self._inputs(X)
        zs, activations = self._checked_forward(X)
        return ForwardTrace(zs, activations, single)

    def loss(self, X: Any, Y: Any) -> float:
        """The loss :math:`E`, averaged over samples (chapter 3).

        Raises
        ------
        TypeError
            If ``X`` or ``Y`` holds something other than real numbers.
        ValueError
            If their shapes do not fit the network or each other, they hold NaN or inf,
            targets lie outside the loss's range, or the loss overflows (inputs or
            parameters too large for the network's floating-point type).
        """
        X, single = self._inputs(X)
        Y = self._targets(Y, X.shape[0], single)
        zs, activations = self._forward(X)
        return self._checked_loss(X, zs, activations, Y)

    def backward_trace(self, X: Any, Y: Any) -> BackwardTrace:
        """Forward pass, loss, every layer's delta and the gradients (chapter 3).

        Raises
        ------
        TypeError, ValueError
            As :meth:`loss`, and if a gradient overflows.
        """
        X, single = self._inputs(X)
        Y = self._targets(Y, X.shape[0], single)
        zs, activations = self._forward(X)
        loss = self._checked_loss(X, zs, activations, Y)
        grad_w, grad_b, deltas = self._backward(zs, activations, Y, keep_deltas=True)
        self._checked_gradients(X, zs, activations, (grad_w, grad_b), Y)
        return BackwardTrace(
            forward=ForwardTrace(zs, activations, single),
            targets=Y,
            loss=loss,
            deltas=deltas,
            gradients=Gradients(grad_w, grad_b),
        )

    def gradients(self, X: Any, Y: Any) -> Gradients:
        """Gradients of the loss for every parameter, by one vectorised backward pass (ch. 3).

        Returns
        -------
        Gradients
            ``.weights`` and ``.biases`` with the shapes of the parameters.

        Raises
        ------
        TypeError, ValueError
            As :meth:`loss`, and if a gradient overflows.
        """
        X, single = self._inputs(X)
        Y = self._targets(Y, X.shape[0], single)
        zs, activations = self._checked_forward(X)
        grad_w, grad_b, _ = self._backward(zs, activations, Y)
        self._checked_gradients(X, zs, activations, (grad_w, grad_b), Y)
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
        batch_order: Any = None,
        l2: float = 0.0,
        l1: float = 0.0,
    ) -> TrainingHistory:
        """Train by gradient descent; see :func:`backprop_lab.nn.training.train` (chapter 4).

        ``momentum``, ``validation``, ``tolerance``, ``patience``, ``progress``,
        ``callback``, ``batch_order`` (the rows' order for mini-batches, one permutation
        per epoch), ``l2`` and ``l1`` (penalty rates on the weights) are keyword-only;
        they are described there.
        """
        from backprop_lab.nn.training import train

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
            batch_order=batch_order,
            l2=l2,
            l1=l1,
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
        """Rebuild a network from :meth:`to_dict`'s output.

        Raises
        ------
        ValueError
            If ``data`` is not a dict made by :meth:`to_dict`: another format, a key
            missing, ``layer_sizes`` that contradict the weights, or any value
            :meth:`from_weights` refuses.
        TypeError
            If a field has the wrong type (e.g. ``"activation": 3``).
        """
        found = data.get("format") if isinstance(data, dict) else None
        if found != _FORMAT:
            raise ValueError(
                f"data must be a dict made by Network.to_dict (format {_FORMAT!r}); "
                f"got {type(data).__name__} with format {found!r}"
            )
        missing = [key for key in _KEYS if key not in data]
        if missing:
            raise ValueError(
                f"data must hold the keys {', '.join(map(repr, _KEYS))} (as Network.to_dict "
                f"writes them); {', '.join(map(repr, missing))} missing"
            )
        net = cls.from_weights(
            data["weights"],
            data["biases"],
            activation=data["activation"],
            output_activation=data["output_activation"],
            loss=data["loss"],
            dtype=data["dtype"],
        )
        sizes = check_layer_sizes("data['layer_sizes']", data["layer_sizes"])
        if sizes != net.layer_sizes:
            raise ValueError(
                f"data['layer_sizes'] must match the weights, which describe layer sizes "
                f"{net.layer_sizes}; got {sizes} (the data were edited or damaged)"
            )
        return net

    def to_json(self) -> str:
        """The network as a JSON string; floats round-trip exactly."""
        return json.dumps(self.to_dict())

    @classmethod
    def from_json(cls, text: str) -> Network:
        """Rebuild a network from :meth:`to_json`'s output.

        Raises
        ------
        TypeError
            If ``text`` is not a string.
        ValueError
            If it is not JSON, or not a network (see :meth:`from_dict`).
        """
        if not isinstance(text, str | bytes | bytearray):
            raise TypeError(
                f"text must be a string of JSON made by Network.to_json; got {describe(text)}"
            )
        try:
            data = json.loads(text)
        except (UnicodeDecodeError, json.JSONDecodeError) as error:
            reason = error.msg if isinstance(error, json.JSONDecodeError) else "not UTF-8 text"
            raise ValueError(
                f"text must be JSON made by Network.to_json; got text that is not JSON "
                f"({reason}, at character {getattr(error, 'pos', getattr(error, 'start', 0))})"
            ) from None
        except RecursionError:
            raise ValueError(
                "text must be JSON made by Network.to_json; got JSON nested too deeply"
            ) from None
        return cls.from_dict(data)

    def save(self, path: str | Path) -> Path:
        """Write the network to a JSON file, so a reader can keep a trained network.

        Raises
        ------
        TypeError
            If ``path`` is not a string or :class:`~pathlib.Path`.
        ValueError
            If it is empty, a folder, in a folder that does not exist, or cannot be
            written.
        """
        path = check_path("path", path)
        if path.is_dir():
            raise ValueError(f"path must name a file to write; got the folder {str(path)!r}")
        if not path.parent.is_dir():
            raise ValueError(
                f"path must be in a folder that exists; got {str(path)!r}, whose folder "
                f"{str(path.parent)!r} does not exist"
            )
        try:
            path.write_text(self.to_json(), encoding="utf-8")
        except OSError as error:
            raise ValueError(
                f"path {str(path)!r} cannot be written: {error.strerror or error}"
            ) from None
        return path

    @classmethod
    def load(cls, path: str | Path) -> Network:
        """Read a network written by :meth:`save`.

        Raises
        ------
        TypeError
            If ``path`` is not a string or :class:`~pathlib.Path`.
        ValueError
            If the file does not exist, is a folder, cannot be read, is not text, or does
            not hold a network saved by :meth:`save`.
        """
        path = check_path("path", path)
        if path.is_dir():
            raise ValueError(
                f"path must name a file saved by Network.save; got the folder {str(path)!r}"
            )
        if not path.exists():
            raise ValueError(
                f"path must name a file saved by Network.save; {str(path)!r} does not exist"
            )
        try:
            text = path.read_bytes()
        except OSError as error:
            raise ValueError(
                f"path {str(path)!r} cannot be read: {error.strerror or error}"
            ) from None
        check_memory(f"the file {str(path)!r}", 8 * len(text), "it is not a saved network")
        try:
            text = text.decode("utf-8")
        except UnicodeDecodeError:
            raise ValueError(
                f"path {str(path)!r} is not a text file; Network.save writes JSON text"
            ) from None
        try:
            return cls.from_json(text)
        except ValueError as error:
            raise ValueError(
                f"path {str(path)!r} does not hold a network saved by Network.save: {error}"
            ) from None
