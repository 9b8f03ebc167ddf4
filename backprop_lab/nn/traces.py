"""What a forward and a backward pass computed, kept for reading (chapters 2 and 3).

:class:`ForwardTrace` holds every layer's net input :math:`z^{(l)}` and activation
:math:`a^{(l)}`; :class:`BackwardTrace` adds every layer's delta
:math:`\\delta^{(l)} = \\partial E / \\partial z^{(l)}` and the gradients. Both display as
tables in a notebook.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from backprop_lab.nn.parameters import parse_parameter

__all__ = ["BackwardTrace", "ForwardTrace", "Gradients"]


def _format_row(values: np.ndarray, digits: int = 6) -> str:
    return ", ".join(f"{float(v):.{digits}g}" for v in np.ravel(values))


def _html_table(header: list[str], rows: list[list[str]], caption: str) -> str:
    head = "".join(f"<th>{h}</th>" for h in header)
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows)
    return (
        f'<table class="backprop-lab-table"><caption>{caption}</caption>'
        f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
    )


@dataclass
class Gradients:
    """Gradients of the loss with respect to every parameter (chapter 3).

    ``weights[l]`` and ``biases[l]`` have the shapes of ``net.weights[l]`` and
    ``net.biases[l]``. Index by name to read one: ``grads["W1[0,0]"]``.
    """

    weights: list[np.ndarray]
    biases: list[np.ndarray]

    @property
    def layer_sizes(self) -> list[int]:
        return [self.weights[0].shape[0]] + [w.shape[1] for w in self.weights]

    def __getitem__(self, name: str) -> float:
        ref = parse_parameter(name, self.layer_sizes)
        array = self.weights if ref.is_weight else self.biases
        return float(array[ref.layer - 1][ref.index])

    def layer_norms(self, measure: str = "norm") -> np.ndarray:
        """How large each layer's weight gradient is, layer 1 first (vanishing gradients).

        In a deep sigmoid network the gradients of the first layers are orders of
        magnitude smaller than those of the last, because every layer's delta is the next
        one's times :math:`\\sigma'(z) \\le 1/4` (chapter 3's backward pass); this is how
        that shows in numbers. Only the weights are measured, not the biases.

        Parameters
        ----------
        measure : {"norm", "mean_abs"}
            ``"norm"``: the Frobenius norm
            :math:`\\lVert \\partial E/\\partial W^{(l)} \\rVert_F =
            \\sqrt{\\sum_{ij} (\\partial E/\\partial w^{(l)}_{ij})^2}`, the length of the step
            gradient descent takes in that layer, divided by the learning rate.
            ``"mean_abs"``: the mean of :math:`|\\partial E/\\partial w^{(l)}_{ij}|`, which does
            not grow with the number of weights, for comparing layers of different widths.

        Returns
        -------
        ndarray
            Shape ``(L,)``: entry ``l - 1`` measures layer ``l``'s weight gradient.
        """
        if measure == "norm":
            return np.array([float(np.sqrt(np.sum(np.square(w)))) for w in self.weights])
        if measure == "mean_abs":
            return np.array([float(np.mean(np.abs(w))) for w in self.weights])
        shown = (
            repr(measure) if isinstance(measure, str) else f"{measure!r} ({type(measure).__name__})"
        )
        raise ValueError(f"measure must be 'norm' or 'mean_abs'; got {shown}")

    def flat(self) -> np.ndarray:
        """All gradients in one vector, in the order of :func:`~backprop_lab.parameter_names`."""
        parts = []
        for w, b in zip(self.weights, self.biases):
            parts += [w.ravel(), b.ravel()]
        return np.concatenate(parts)

    def __repr__(self) -> str:
        shapes = ", ".join(f"W{i + 1}{w.shape}" for i, w in enumerate(self.weights))
        return f"Gradients({shapes})"


@dataclass
class ForwardTrace:
    """Every layer's net input and activation for some inputs (chapter 2).

    Layers are numbered as in the book: layer 0 holds the inputs, layer ``L`` the outputs.

    Attributes
    ----------
    net_inputs : list of ndarray
        ``net_inputs[l - 1]`` is :math:`z^{(l)}` for ``l = 1..L``, shape ``(n_samples, n_l)``.
    activations : list of ndarray
        ``activations[l]`` is :math:`a^{(l)}` for ``l = 0..L``; ``activations[0]`` is the input.
    single_sample : bool
        Whether the forward pass was given one sample (a 1-D input).
    """

    net_inputs: list[np.ndarray]
    activations: list[np.ndarray]
    single_sample: bool = False

    @property
    def n_layers(self) -> int:
        """Number of weight layers ``L``."""
        return len(self.net_inputs)

    @property
    def inputs(self) -> np.ndarray:
        return self._shape(self.activations[0])

    @property
    def output(self) -> np.ndarray:
        """The network's output :math:`\\hat y = a^{(L)}`."""
        return self._shape(self.activations[-1])

    def z(self, layer: int) -> np.ndarray:
        """Net input :math:`z^{(l)}` of layer ``layer`` (1 to L)."""
        if not 1 <= layer <= self.n_layers:
            raise ValueError(f"layer must be between 1 and {self.n_layers}; got {layer}")
        return self._shape(self.net_inputs[layer - 1])

    def a(self, layer: int) -> np.ndarray:
        """Activation :math:`a^{(l)}` of layer ``layer`` (0 to L; 0 is the input)."""
        if not 0 <= layer <= self.n_layers:
            raise ValueError(f"layer must be between 0 and {self.n_layers}; got {layer}")
        return self._shape(self.activations[layer])

    def _shape(self, array: np.ndarray) -> np.ndarray:
        return array[0] if self.single_sample else array

    def _rows(self) -> list[list[str]]:
        rows = [["0 (input)", "", _format_row(self.activations[0][0])]]
        for layer in range(1, self.n_layers + 1):
            kind = "output" if layer == self.n_layers else "hidden"
            rows.append(
                [
                    f"{layer} ({kind})",
                    _format_row(self.net_inputs[layer - 1][0]),
                    _format_row(self.activations[layer][0]),
                ]
            )
        return rows

    def _caption(self, what: str) -> str:
        n = self.activations[0].shape[0]
        return what if n == 1 else f"{what}, first of {n} samples"

    def _repr_html_(self) -> str:
        return _html_table(
            ["layer", "net input z", "activation a"], self._rows(), self._caption("Forward pass")
        )

    def __repr__(self) -> str:
        lines = [self._caption("Forward pass")]
        for layer, z, a in self._rows():
            lines.append(f"  layer {layer}: z = [{z}]  a = [{a}]")
        return "\n".join(lines)


@dataclass
class BackwardTrace:
    """A forward pass, the loss, every layer's delta and the gradients (chapter 3).

    Attributes
    ----------
    forward : ForwardTrace
    targets : ndarray
        The targets :math:`y`, shape ``(n_samples, n_outputs)``.
    loss : float
        The loss averaged over samples.
    deltas : list of ndarray
        ``deltas[l - 1]`` is :math:`\\delta^{(l)} = \\partial E_s / \\partial z^{(l)}` per sample
        (not divided by the number of samples), shape ``(n_samples, n_l)``.
    gradients : Gradients
        The mean over samples of :math:`a^{(l-1)\\top}\\delta^{(l)}` and of :math:`\\delta^{(l)}`.
    """

    forward: ForwardTrace
    targets: np.ndarray
    loss: float
    deltas: list[np.ndarray]
    gradients: Gradients = field(repr=False)

    def delta(self, layer: int) -> np.ndarray:
        """Delta :math:`\\delta^{(l)}` of layer ``layer`` (1 to L)."""
        n_layers = len(self.deltas)
        if not 1 <= layer <= n_layers:
            raise ValueError(f"layer must be between 1 and {n_layers}; got {layer}")
        delta = self.deltas[layer - 1]
        return delta[0] if self.forward.single_sample else delta

    def _rows(self) -> list[list[str]]:
        rows = self.forward._rows()
        rows[0].append("")
        for layer in range(1, len(self.deltas) + 1):
            rows[layer].append(_format_row(self.deltas[layer - 1][0]))
        return rows

    def _repr_html_(self) -> str:
        caption = self.forward._caption(f"Forward and backward pass (loss {self.loss:.6g})")
        return _html_table(
            ["layer", "net input z", "activation a", "delta &delta; = &part;E/&part;z"],
            self._rows(),
            caption,
        )

    def __repr__(self) -> str:
        lines = [self.forward._caption(f"Forward and backward pass (loss {self.loss:.6g})")]
        for layer, z, a, d in self._rows():
            lines.append(f"  layer {layer}: z = [{z}]  a = [{a}]  delta = [{d}]")
        return "\n".join(lines)
