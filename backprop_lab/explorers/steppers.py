"""Step-by-step explorers of one sample's forward and backward pass (chapters 2 and 3).

- :class:`ForwardStepper` (chapter 2): the network computes layer by layer; each step
  writes the next numbers (net inputs, then activations, then the loss) on the diagram and
  spells out the arithmetic.
- :class:`BackpropStepper` (chapter 3): for one chosen parameter, the chain rule one factor
  at a time, from the loss back to the parameter; the path lights up, the deltas appear as
  they become known, and the chain so far is written with its numbers.

Both are live explorers: the view (:class:`StepperView`, drawn by ``js/steppers.js``)
holds the network as data (sizes, activations, loss, weights, biases, one input ``x`` and
its target ``y``) and computes every number in the page with the engine (``forward``,
``gradients``, ``chainRule``). Python computes the same words from the package
(:meth:`Network.backward_trace`, :func:`~backprop_lab.calc.chain_rule.chain_rule`): the
status line, the explanation and every label of the diagram, which the tests compare.

Both default to the classic 2-2-2 worked example (:func:`backprop_lab.calc.datasets.worked_example`)
and accept any network with one sample instead (``network=``, ``x=``, ``y=``), for
example the playground's current network.
"""

from __future__ import annotations

from functools import cached_property
from typing import Any, ClassVar

import ipywidgets as widgets
import numpy as np
import traitlets

from backprop_lab.calc.chain_rule import ChainRule, chain_rule, chain_rule_path
from backprop_lab.checks.arguments import check_integer
from backprop_lab.explorers.live import BrowserView, LiveExplorer
from backprop_lab.nn.network import Network
from backprop_lab.nn.parameters import parse_parameter

__all__ = [
    "LABELLED_LAYER_SIZE",
    "BackpropStepper",
    "BackpropStepperView",
    "ForwardStepper",
    "ForwardStepperView",
    "StepperView",
]

LABELLED_LAYER_SIZE = 4
"""Up to this many neurons in every layer, each weight is written on its edge."""

_SUBSCRIPTS = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")


def _num(value: float, digits: int = 4) -> str:
    """A number as the page writes it: ``%.{digits}g`` (``stepperNumber`` in
    ``js/steppers.js``), zero without a sign (a dead ReLU's delta is -0.0 in numpy)."""
    return f"{float(value) + 0.0:.{digits}g}"


def _wrapped(value: float, digits: int = 4) -> str:
    """A number as a factor of a product: in parentheses when negative."""
    text = _num(value, digits)
    return f"({text})" if text.startswith("-") else text


def _numbers(values: Any) -> str:
    return "(" + ", ".join(_num(v) for v in values) + ")"


def _check_one_sample(argument: str, value: Any, size: int) -> None:
    """A stepper follows one sample: shape ``(size,)`` or ``(1, size)``, named as given."""
    shape = np.shape(value)
    if shape not in ((size,), (1, size)):
        raise ValueError(
            f"{argument} must be one sample of shape ({size},) or (1, {size}); got shape {shape}"
        )


def _sample(example: Any, network: Any, x: Any, y: Any) -> tuple[Network, np.ndarray, Any]:
    """The network and sample to step through: the worked example unless one is given.

    The network is copied in float64 (the page computes in float64, so the two agree)."""
    if network is None:
        if example is None:
            from backprop_lab.calc.datasets import worked_example

            example = worked_example()
        network, x, y = example.network, example.x, example.y
    if not isinstance(network, Network):
        raise TypeError(f"network must be a backprop_lab.Network; got {type(network).__name__}")
    if x is None:
        raise ValueError("x must be given with network: one input sample")
    network.forward(x)  # checks the values, with the package's message
    _check_one_sample("x", x, network.layer_sizes[0])
    x = np.asarray(x, dtype=np.float64).reshape(-1)
    if y is not None:
        _check_one_sample("y", y, network.layer_sizes[-1])
        y = np.asarray(y, dtype=np.float64).reshape(-1)
        network.loss(x, y)  # checks the values, with the package's message
    return network.astype(np.float64), x, y


def _kind(layer: int, n_layers: int) -> str:
    return "output" if layer == n_layers else "hidden"


class StepperView(BrowserView):
    """The steppers' picture (``js/steppers.js``): the network as data and the step.

    ``weights[l]`` is ``Network.weights[l].tolist()`` (n_in rows of n_out numbers),
    ``biases[l]`` likewise; ``y`` is empty when there is no target."""

    _view_file = "steppers.js"
    kind = traitlets.Unicode("forward").tag(sync=True)
    sizes = traitlets.List(traitlets.Int()).tag(sync=True)
    activation = traitlets.Unicode("sigmoid").tag(sync=True)
    output_activation = traitlets.Unicode("sigmoid").tag(sync=True)
    loss = traitlets.Unicode("squared_error").tag(sync=True)
    weights = traitlets.List().tag(sync=True)
    biases = traitlets.List().tag(sync=True)
    x = traitlets.List(traitlets.Float()).tag(sync=True)
    y = traitlets.List(traitlets.Float()).tag(sync=True)
    step = traitlets.Int(0).tag(sync=True)


class ForwardStepperView(StepperView):
    """:class:`ForwardStepper`'s picture."""

    _view_file = "steppers.js"
    kind = traitlets.Unicode("forward").tag(sync=True)


class BackpropStepperView(StepperView):
    """:class:`BackpropStepper`'s picture; ``param`` indexes ``parameter_names()``."""

    _view_file = "steppers.js"
    kind = traitlets.Unicode("backprop").tag(sync=True)
    param = traitlets.Int(0).tag(sync=True)


class _Stepper(LiveExplorer):
    """Shared by the two steppers: the network and its sample, the view, the labels."""

    _view_class: ClassVar[type[StepperView]] = StepperView

    def _setup(self, network: Network, x: np.ndarray, y: Any) -> None:
        self.net, self.x, self.y = network, x, y
        self.n_layers = network.n_layers
        self.trace = network.forward_trace(x)
        self.backward = network.backward_trace(x, y) if y is not None else None
        self.view = self._view_class(
            sizes=list(network.layer_sizes),
            activation=network.activation,
            output_activation=network.output_activation,
            loss=network.loss_name,
            weights=[w.tolist() for w in network.weights],
            biases=[b.tolist() for b in network.biases],
            x=[float(v) for v in x],
            y=[] if y is None else [float(v) for v in y],
        )

    @property
    def network(self) -> Network:
        """The network stepped through (the view holds the same numbers)."""
        return self.net

    @property
    def step(self) -> int:
        """The step shown (the slider's value, at most the last step)."""
        return min(int(self.controls["step"].value), self.n_steps)

    @property
    def n_steps(self) -> int:  # pragma: no cover - overridden
        raise NotImplementedError

    def _labels(
        self,
        biases: set[int],
        net_inputs: set[int],
        activations: set[int],
        deltas: set[tuple[int, int]],
        gradients: set[str],
        loss: bool,
    ) -> dict[str, str]:
        """The text on the diagram (``stepperLabels`` in the page), keyed as
        :class:`~backprop_lab.plotting.diagram.NetworkDiagram` keys its labels. Every
        weight is written on its edge while no layer has more than
        :data:`LABELLED_LAYER_SIZE` neurons; beyond, only the chain-rule path's weights (a
        label per edge would cover the picture)."""
        net, t, b = self.net, self.trace, self.backward
        sizes = net.layer_sizes
        everywhere = max(sizes) <= LABELLED_LAYER_SIZE
        on_path = set(self.highlighted) if isinstance(self, BackpropStepper) else set()
        labels: dict[str, str] = {}
        for layer, n in enumerate(sizes):
            kind = "input" if layer == 0 else _kind(layer, self.n_layers)
            labels[f"layer {layer}"] = f"{kind} layer" + (f" ({layer})" if layer else "")
            for j in range(n):
                above, below = [], []
                if layer in net_inputs:
                    above.append(f"z={_num(t.net_inputs[layer - 1][0, j])}")
                if layer in activations:
                    symbol = "x" if layer == 0 else "a"
                    above.append(f"{symbol}={_num(t.activations[layer][0, j])}")
                if layer in biases:
                    below.append(f"b={_num(net.biases[layer - 1][j])}")
                if (layer, j) in deltas:
                    below.append(f"δ={_num(b.deltas[layer - 1][0, j])}")
                if f"b{layer}[{j}]" in gradients:
                    below.append(f"∂E/∂b={_num(b.gradients.biases[layer - 1][j])}")
                if above:
                    labels[f"neuron {layer},{j}"] = "\n".join(above)
                if below:
                    labels[f"below {layer},{j}"] = "\n".join(below)
        for layer, w in enumerate(net.weights, start=1):
            for i in range(w.shape[0]):
                for j in range(w.shape[1]):
                    name = f"W{layer}[{i},{j}]"
                    if not (everywhere or name in on_path):
                        continue
                    parts = [f"w={_num(w[i, j])}"]
                    if name in gradients:
                        parts.append(f"∂E/∂w={_num(b.gradients.weights[layer - 1][i, j])}")
                    labels[name] = "\n".join(parts)
        if b is not None:
            for k in range(sizes[-1]):
                labels[f"y[{k}]"] = f"→ y{str(k).translate(_SUBSCRIPTS)}={_num(self.y[k])}"
            if loss:
                labels["loss"] = f"E={_num(b.loss)}"
        return labels

    def _finish(self, rows: list[list[widgets.Widget]]) -> None:
        for name in self.controls:
            self._link(name)
        self._assemble(rows)


class ForwardStepper(_Stepper):
    """Step through a forward pass layer by layer, the numbers appearing (chapter 2).

    Step 0 shows the input; then, for each layer :math:`l`, one step for the net inputs
    :math:`z^{(l)} = a^{(l-1)} W^{(l)} + b^{(l)}` and one for the activations
    :math:`a^{(l)} = f(z^{(l)})`; a last step (when there is a target) computes the loss.
    The diagram (inputs left, weights on the edges, blue for positive and red for negative,
    width for size) gains each step's numbers; the arithmetic is written under it. Computed
    and drawn in the browser (``js/steppers.js``); the ``previous``/``next`` buttons live
    in the picture.

    Parameters
    ----------
    example : WorkedExample, optional
        Default: :func:`backprop_lab.calc.datasets.worked_example` (the 2-2-2 network).
    network : Network, optional
        Another network to step through (copied, in float64), with its sample ``x`` and
        optional target ``y``.
    x, y : array_like, optional
        One sample, shape ``(n_inputs,)`` or ``(1, n_inputs)``, and its target.
    step : int
        The step to start at, from 0 to the last.

    Attributes
    ----------
    controls : dict
        ``"step"`` (IntSlider).
    view : ForwardStepperView
        The picture, holding the network as data.
    net, x, y
        The network and the sample.
    trace : ForwardTrace
        The forward pass of ``x``.
    """

    _view_class = ForwardStepperView

    def __init__(
        self,
        example: Any = None,
        *,
        network: Network | None = None,
        x: Any = None,
        y: Any = None,
        step: int = 0,
    ) -> None:
        super().__init__()
        self._setup(*_sample(example, network, x, y))
        step = check_integer("step", step, minimum=0)
        if step > self.n_steps:
            raise ValueError(f"step must be from 0 to {self.n_steps} (the last step); got {step}")
        self.controls["step"] = widgets.IntSlider(
            value=step, min=0, max=self.n_steps, description="step"
        )
        self._finish([[self.controls["step"]]])

    @property
    def n_steps(self) -> int:
        """Two steps per layer, and one for the loss when there is a target."""
        return 2 * self.n_layers + (1 if self.y is not None else 0)

    @property
    def labels(self) -> dict[str, str]:
        """The text on the diagram now: every bias and input, the layers computed so far,
        the loss at the last step."""
        step = self.step
        layers = range(1, self.n_layers + 1)
        return self._labels(
            biases=set(layers),
            net_inputs={n for n in layers if step >= 2 * n - 1},
            activations={0} | {n for n in layers if step >= 2 * n},
            deltas=set(),
            gradients=set(),
            loss=self.y is not None and step == self.n_steps,
        )

    def _what(self) -> tuple[str, list[str]]:
        """The step in words (for the status) and its arithmetic, line by line."""
        step, t, L = self.step, self.trace, self.n_layers
        if step == 0:
            x = _numbers(self.x)
            return (
                f"the input enters layer 0: x = {x}.",
                [f"Layer 0 holds the input: a(0) = x = {x}.", "Press next to compute layer 1."],
            )
        if step == 2 * L + 1:
            loss = self.backward.loss
            out = t.activations[-1][0]
            head = f"The loss: the outputs ŷ = a({L}) against the targets y: "
            if self.net.loss_name == "squared_error":
                terms = " + ".join(f"({_num(yk)} - {_num(ok)})²" for yk, ok in zip(self.y, out))
                line = f"E = ½ Σ_k (y_k - ŷ_k)² = ½ [{terms}] = {_num(loss)}"
            else:
                line = f"E = {_num(loss)} ({self.net.loss_name})"
            return (
                f"the loss compares the outputs with the targets: E = {_num(loss)}.",
                [head + line],
            )
        layer = (step + 1) // 2
        kind = _kind(layer, L)
        w, b = self.net.weights[layer - 1], self.net.biases[layer - 1]
        previous = t.activations[layer - 1][0]
        z, a = t.net_inputs[layer - 1][0], t.activations[layer][0]
        if step % 2 == 1:
            lines = [
                f"Net inputs of the {kind} layer {layer}: "
                f"z({layer})_j = Σ_i a({layer - 1})_i · w({layer})_i,j + b({layer})_j"
            ]
            for j in range(w.shape[1]):
                terms = " + ".join(
                    f"{_wrapped(previous[i])} · {_wrapped(w[i, j])}" for i in range(w.shape[0])
                )
                lines.append(f"z({layer})_{j} = {terms} + {_wrapped(b[j])} = {_num(z[j])}")
            return f"net inputs of the {kind} layer {layer}: z({layer}) = {_numbers(z)}.", lines
        name = self.net.activation_of(layer).name
        lines = [
            f"Activations of the {kind} layer {layer}: a({layer})_j = f(z({layer})_j), f = {name}"
        ]
        for j in range(w.shape[1]):
            if name == "softmax":
                lines.append(f"a({layer})_{j} = softmax(z({layer}))_{j} = {_num(a[j])}")
            else:
                lines.append(f"a({layer})_{j} = {name}({_num(z[j])}) = {_num(a[j])}")
        values = f"a({layer}) = {name}(z({layer})) = {_numbers(a)}"
        return f"activations of the {kind} layer {layer}: {values}.", lines

    @property
    def explanation(self) -> str:
        """The current step's arithmetic, one line per neuron (written under the picture)."""
        return "\n".join(self._what()[1])

    @property
    def status(self) -> str:
        """``Step k of n:`` what the step computes, with its numbers."""
        return f"Step {self.step} of {self.n_steps}: {self._what()[0]}"


class BackpropStepper(_Stepper):
    """Walk back from the loss to one parameter, one chain-rule factor a step (chapter 3).

    Step 0 shows the finished forward pass and the parameter's path (its edge and every
    path from its neuron to the outputs, highlighted in orange). Each step adds one factor
    of :func:`backprop_lab.calc.chain_rule.chain_rule`, loss end first: the deltas appear
    on the diagram as they become known, and the chain so far is written out with its
    numbers. The last step gives the gradient, equal to the backward pass's. Computed and
    drawn in the browser (``js/steppers.js``, on the engine's ``chainRule``); choosing
    another parameter starts again at step 0.

    Parameters
    ----------
    param : str
        The parameter, e.g. ``"W1[0,0]"`` (a hidden weight) or ``"W2[0,0]"``.
    example, network, x, y
        As for :class:`ForwardStepper`; ``y`` is needed.
    step : int
        The step to start at.

    Attributes
    ----------
    controls : dict
        ``"param"`` (Dropdown of the network's parameter names), ``"step"`` (IntSlider,
        up to the longest chain; a shorter chain stops at its own last step).
    view : BackpropStepperView
    chain : ChainRule
        The chain rule for the chosen parameter.
    """

    _view_class = BackpropStepperView

    def __init__(
        self,
        param: str = "W1[0,0]",
        *,
        example: Any = None,
        network: Network | None = None,
        x: Any = None,
        y: Any = None,
        step: int = 0,
    ) -> None:
        super().__init__()
        net, x, y = _sample(example, network, x, y)
        if y is None:
            raise ValueError("y must be given: the backward pass needs the target")
        self._setup(net, x, y)
        self._chains: dict[str, ChainRule] = {}
        first = self._chain(param)
        step = check_integer("step", step, minimum=0)
        if step > len(first.factors):
            raise ValueError(
                f"step must be from 0 to {len(first.factors)} (the last step of {first.param}'s "
                f"chain); got {step}"
            )
        names = net.parameter_names()
        self.controls["param"] = widgets.Dropdown(
            options=names, value=first.param, description="parameter"
        )
        self.controls["step"] = widgets.IntSlider(
            value=step, min=0, max=self.longest_chain, description="step"
        )
        self.view.param = names.index(first.param)  # a menu's index is not copied by _link
        self._finish([[self.controls["param"], self.controls["step"]]])
        self.controls["param"].observe(self._param_changed, names="value")

    def _chain(self, param: str) -> ChainRule:
        name = parse_parameter(param, self.net.layer_sizes).name
        if name not in self._chains:
            self._chains[name] = chain_rule(self.net, self.x, self.y, name)
        return self._chains[name]

    def _param_changed(self, change: dict) -> None:
        """Another parameter starts at step 0 (as the page does)."""
        self.controls["step"].value = 0

    @cached_property
    def longest_chain(self) -> int:
        """The step slider's end: the most factors any parameter's chain has (3, or 2 for
        a network without hidden layers whose outputs give one combined delta)."""
        return max(len(self._chain(name).factors) for name in self.net.parameter_names())

    @property
    def chain(self) -> ChainRule:
        """The chain rule of the parameter chosen now."""
        return self._chain(self.controls["param"].value)

    @property
    def n_steps(self) -> int:
        """One step per factor of the chain."""
        return len(self.chain.factors)

    @property
    def highlighted(self) -> list[str]:
        """The edges of the parameter's chain-rule path, its own first."""
        return chain_rule_path(self.net.layer_sizes, self.chain.param)[0]

    def _known_deltas(self, step: int) -> set[tuple[int, int]]:
        """Neurons whose delta is known after ``step`` factors (loss end first)."""
        ref, n = self.chain.ref, self.n_steps
        sizes = self.net.layer_sizes
        known = set()
        if step >= 1:
            known |= {(m, k) for m in range(ref.layer + 1, len(sizes)) for k in range(sizes[m])}
        if step >= n - 1:
            known.add((ref.layer, ref.to_unit))
        return known

    @property
    def labels(self) -> dict[str, str]:
        """The text on the diagram now: the forward pass, the deltas known so far, the
        parameter's gradient at the last step."""
        step = self.step
        every = set(range(1, self.n_layers + 1))
        return self._labels(
            biases=set(),
            net_inputs=every,
            activations={0} | every,
            deltas=self._known_deltas(step),
            gradients={self.chain.param} if step == self.n_steps else set(),
            loss=True,
        )

    @property
    def explanation(self) -> str:
        """The factor of this step and the chain so far, symbols and numbers."""
        chain, step = self.chain, self.step
        factors = chain.factors
        lines = []
        if step == 0:
            lines.append(
                "The chain rule writes the gradient as a product of local derivatives; "
                "press next to take the factors one at a time, from the loss back."
            )
        else:
            factor = factors[step - 1]
            lines.append(
                f"Factor {step}: {factor.text} = {_num(factor.value, 6)}, {factor.meaning}."
            )
            if factor.terms:
                texts = " + ".join(term.text for term in factor.terms)
                values = " + ".join(_wrapped(term.value, 6) for term in factor.terms)
                lines.append(
                    f"It is a sum over the next layer: {factor.text} = {texts} = {values} = "
                    f"{_num(factor.value, 6)}"
                )
        lines.append(f"dE/d{chain.param} = " + " · ".join(f.text for f in factors))
        if step:
            rest = [f.text for f in factors[step:]]
            tail = "".join(f" · {text}" for text in rest)
            product = 1.0
            for factor in factors[:step]:
                product *= factor.value
            numbers = " · ".join(_wrapped(f.value, 6) for f in factors[:step])
            lines.append(f"= {numbers}{tail}")
            if step > 1:  # the numbers so far, multiplied
                lines.append(f"= {_num(product, 6)}{tail}")
        return "\n".join(lines)

    @property
    def status(self) -> str:
        """``Step k of n:`` the factor just taken, its number and meaning; the gradient at
        the end."""
        chain, step, n = self.chain, self.step, self.n_steps
        if step == 0:
            return (
                f"Step 0 of {n}: forward pass done (E = {_num(chain.loss)}); "
                f"the highlighted edges and neurons are every path from {chain.param} to the loss."
            )
        if step == n:
            return (
                f"Step {n} of {n}: dE/d{chain.param} = {_num(chain.value, 6)}, "
                "the gradient the backward pass gives."
            )
        factor = chain.factors[step - 1]
        return f"Step {step} of {n}: {factor.text} = {_num(factor.value)}, {factor.meaning}"
