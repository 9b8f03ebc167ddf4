"""Step-by-step explorers of one sample's forward and backward pass (chapters 2 and 3).

- :class:`ForwardStepper` (chapter 2): the network computes layer by layer; each step
  writes the next numbers (net inputs, then activations, then the loss) on the diagram and
  spells out the arithmetic.
- :class:`BackpropStepper` (chapter 3): for one chosen parameter, the chain rule one factor
  at a time, from the loss back to the parameter; the path lights up, the deltas appear as
  they become known, and the chain so far is written with its numbers.

Both default to the classic 2-2-2 worked example (:func:`backprop_lab.calc.datasets.worked_example`)
and accept any small network with one sample instead.
"""

from __future__ import annotations

from typing import Any

import ipywidgets as widgets
import numpy as np

from backprop_lab.calc.chain_rule import ChainRule, chain_rule
from backprop_lab.checks.arguments import check_integer
from backprop_lab.explorers.base import Explorer, StaticAxis
from backprop_lab.nn.network import Network
from backprop_lab.plotting.diagram import draw_network

__all__ = ["BackpropStepper", "ForwardStepper"]

_ACTIVATION_LATEX = {"sigmoid": r"\sigma", "tanh": r"\tanh", "relu": r"\mathrm{relu}"}


def _num(value: float, digits: int = 4) -> str:
    text = f"{float(value):.{digits}g}"
    if "e" in text:
        mantissa, exponent = text.split("e")
        text = f"{mantissa}\\times 10^{{{int(exponent)}}}"
    return text


def _wrapped(value: float, digits: int = 4) -> str:
    text = _num(value, digits)
    return f"({text})" if text.startswith("-") else text


def _check_one_sample(argument: str, value: Any, size: int) -> None:
    """A stepper follows one sample: shape ``(size,)`` or ``(1, size)``, named as given."""
    shape = np.shape(value)
    if shape not in ((size,), (1, size)):
        raise ValueError(
            f"{argument} must be one sample of shape ({size},) or (1, {size}); got shape {shape}"
        )


def _sample(example: Any, network: Any, x: Any, y: Any) -> tuple[Network, np.ndarray, Any]:
    """The network and sample to step through: the worked example unless one is given."""
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
    return network.copy(), x, y


def _step_controls(n_steps: int, step: int) -> dict[str, widgets.Widget]:
    if step > n_steps:
        raise ValueError(f"step must be from 0 to {n_steps} (the last step); got {step}")
    return {
        "step": widgets.IntSlider(
            value=step, min=0, max=n_steps, description="step", continuous_update=True
        ),
        "previous": widgets.Button(description="◀ previous", layout=widgets.Layout(width="110px")),
        "next": widgets.Button(description="next ▶", layout=widgets.Layout(width="110px")),
    }


class _Stepper(Explorer):
    """Shared by the two steppers: a diagram figure, step buttons and an explanation."""

    # the same pixels as 9 x 4.6 in at 96 dpi, with text 1.25 times larger: the labels
    # must stay readable when the page scales the picture down to its text column
    figsize = (7.2, 3.6)
    dpi = 120

    def _setup(self, rows: list[list[widgets.Widget]]) -> None:
        self.explanation = widgets.HTMLMath(layout=widgets.Layout(min_height="4em"))
        self.controls["previous"].on_click(lambda _: self._move(-1))
        self.controls["next"].on_click(lambda _: self._move(+1))
        self.ax = self.figure.add_axes((0.0, 0.0, 1.0, 1.0))
        self._frame = None
        self.diagram = None
        self._assemble(rows, extra=[self.explanation])

    def _move(self, delta: int) -> None:
        slider = self.controls["step"]
        slider.value = int(np.clip(slider.value + delta, slider.min, slider.max))

    def _draw(self, **labels: Any) -> Any:
        """Draw the diagram with the layout of the fully labelled one, so nothing jumps."""
        if self._frame is None:
            self.ax.clear()
            draw_network(self.net, self.x, self.y, ax=self.ax, **self._full_labels())
            self._frame = (self.ax.get_xlim(), self.ax.get_ylim())
        self.ax.clear()
        self.diagram = draw_network(self.net, self.x, self.y, ax=self.ax, **labels)
        self.ax.set_xlim(*self._frame[0])
        self.ax.set_ylim(*self._frame[1])
        return self.diagram

    def _full_labels(self) -> dict[str, Any]:  # pragma: no cover - overridden
        raise NotImplementedError

    @property
    def step(self) -> int:
        return int(self.controls["step"].value)

    def static_axes(self) -> list[StaticAxis]:
        """On the website: every step (and, for backpropagation, every parameter)."""
        return [StaticAxis("step", lambda: list(range(self.n_steps + 1)))]


class ForwardStepper(_Stepper):
    """Step through a forward pass layer by layer, the numbers appearing (chapter 2).

    Step 0 shows the input; then, for each layer :math:`l`, one step for the net inputs
    :math:`z^{(l)} = a^{(l-1)} W^{(l)} + b^{(l)}` and one for the activations
    :math:`a^{(l)} = f(z^{(l)})`; a last step (when there is a target) computes the loss.

    Parameters
    ----------
    example : WorkedExample, optional
        Default: :func:`backprop_lab.calc.datasets.worked_example` (the 2-2-2 network).
    network : Network, optional
        Another network to step through, with its sample ``x`` and optional target ``y``.
    x, y : array_like, optional
    step : int
        The step to start at.

    Attributes
    ----------
    controls : dict
        ``"step"`` (IntSlider), ``"previous"`` and ``"next"`` (Buttons).
    explanation : ipywidgets.HTMLMath
        The arithmetic of the current step.
    """

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
        self.net, self.x, self.y = _sample(example, network, x, y)
        self.n_layers = self.net.n_layers
        self.n_steps = 2 * self.n_layers + (1 if self.y is not None else 0)
        step = check_integer("step", step, minimum=0)
        self.trace = self.net.forward_trace(self.x)
        self.controls.update(_step_controls(self.n_steps, step))
        c = self.controls
        self._setup([[c["step"], c["previous"], c["next"]]])

    def _full_labels(self) -> dict[str, Any]:
        return {
            "biases": True,
            "net_inputs": True,
            "activations": True,
            "loss": self.y is not None,
        }

    def _render(self) -> tuple[str, str]:
        step = self.step
        layers = range(1, self.n_layers + 1)
        self._draw(
            biases=True,
            net_inputs=[n for n in layers if step >= 2 * n - 1],
            activations=[0] + [n for n in layers if step >= 2 * n],
            loss=self.y is not None and step == self.n_steps,
        )
        title, body = self._explain(step)
        self.explanation.value = body
        return f"Step {step} of {self.n_steps}: {title}", "ok"

    def _explain(self, step: int) -> tuple[str, str]:
        t = self.trace
        if step == 0:
            values = ", ".join(_num(v) for v in self.x)
            return (
                "the input enters layer 0.",
                f"Layer 0 holds the input: $a^{{(0)}} = x = ({values})$. "
                "Press <b>next</b> to compute the first layer.",
            )
        if step == 2 * self.n_layers + 1:
            return self._explain_loss()
        layer = (step + 1) // 2
        kind = "output" if layer == self.n_layers else "hidden"
        w, b = self.net.weights[layer - 1], self.net.biases[layer - 1]
        previous = t.activations[layer - 1][0]
        lines = []
        if step % 2 == 1:
            head = f"net inputs of the {kind} layer {layer}"
            rule = (
                f"$z^{{({layer})}}_j = \\sum_i a^{{({layer - 1})}}_i\\, w^{{({layer})}}_{{i,j}}"
                f" + b^{{({layer})}}_j$"
            )
            for j in range(w.shape[1]):
                terms = " + ".join(
                    f"{_wrapped(previous[i])} \\cdot {_wrapped(w[i, j])}" for i in range(w.shape[0])
                )
                value = t.net_inputs[layer - 1][0, j]
                lines.append(
                    f"$z^{{({layer})}}_{{{j}}} = {terms} + {_wrapped(b[j])} = {_num(value)}$"
                )
        else:
            head = f"activations of the {kind} layer {layer}"
            name = self.net.activation_of(layer).name
            f = _ACTIVATION_LATEX.get(name, f"\\mathrm{{{name}}}")
            rule = f"$a^{{({layer})}}_j = f(z^{{({layer})}}_j)$ with $f = {f}$ ({name})"
            for j in range(w.shape[1]):
                z = t.net_inputs[layer - 1][0, j]
                a = t.activations[layer][0, j]
                lines.append(f"$a^{{({layer})}}_{{{j}}} = {f}({_num(z)}) = {_num(a)}$")
        return head + ".", f"<b>{head.capitalize()}</b>: {rule}<br>" + "<br>".join(lines)

    def _explain_loss(self) -> tuple[str, str]:
        out = self.trace.activations[-1][0]
        loss = self.net.loss(self.x, self.y)
        if self.net.loss_name == "squared_error":
            terms = " + ".join(f"({_num(yk)} - {_num(ok)})^2" for yk, ok in zip(self.y, out))
            arithmetic = (
                f"$E = \\tfrac12 \\sum_k (y_k - \\hat y_k)^2 = \\tfrac12\\left[{terms}\\right]"
                f" = {_num(loss)}$"
            )
        else:
            arithmetic = f"$E = {_num(loss)}$ ({self.net.loss_name})"
        return (
            "the loss compares the outputs with the targets.",
            f"<b>The loss</b>: the outputs $\\hat y = a^{{({self.n_layers})}}$ against the "
            f"targets $y$: {arithmetic}",
        )


class BackpropStepper(_Stepper):
    """Walk back from the loss to one parameter, one chain-rule factor a step (chapter 3).

    Step 0 shows the finished forward pass and the parameter's path (its edge and every
    path from its neuron to the outputs). Each step adds one factor of
    :func:`backprop_lab.calc.chain_rule.chain_rule`, loss end first: the deltas appear on the
    diagram as they become known, and the chain so far is written out with its numbers.
    The last step gives the gradient, equal to the backward pass's.

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
        ``"param"`` (Dropdown of parameter names), ``"step"`` (IntSlider), ``"previous"``,
        ``"next"`` (Buttons).
    chain : ChainRule
        The chain rule for the chosen parameter.
    explanation : ipywidgets.HTMLMath
        The chain so far, symbols and numbers.
    """

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
        self.net, self.x, self.y = _sample(example, network, x, y)
        if self.y is None:
            raise ValueError("y must be given: the backward pass needs the target")
        self.chain: ChainRule = chain_rule(self.net, self.x, self.y, param)
        step = check_integer("step", step, minimum=0)
        n = len(self.chain.factors)
        self.controls["param"] = widgets.Dropdown(
            options=self.net.parameter_names(), value=self.chain.param, description="parameter"
        )
        self.controls.update(_step_controls(n, step))
        c = self.controls
        self._setup([[c["param"], c["step"], c["previous"], c["next"]]])

    @property
    def n_steps(self) -> int:
        return len(self.chain.factors)

    def _changed(self, name: str) -> None:
        if name != "param":
            return
        self.chain = chain_rule(self.net, self.x, self.y, self.controls["param"].value)
        slider = self.controls["step"]
        with self._quietly():
            slider.max = self.n_steps
            slider.value = 0

    def static_axes(self) -> list[StaticAxis]:
        """On the website: every parameter of the menu, and every step of its chain."""
        return [StaticAxis("param", list(self.controls["param"].options)), *super().static_axes()]

    def _full_labels(self) -> dict[str, Any]:
        return {
            "net_inputs": True,
            "activations": True,
            "deltas": True,
            "gradients": [self.chain.param],
            "loss": True,
        }

    def _known_deltas(self, step: int) -> list[tuple[int, int]]:
        """Neurons whose delta is known after ``step`` factors (loss end first)."""
        ref, n = self.chain.ref, self.n_steps
        sizes = self.net.layer_sizes
        known = []
        if step >= 1:
            known += [(m, k) for m in range(ref.layer + 1, len(sizes)) for k in range(sizes[m])]
        if step >= n - 1:
            known.append((ref.layer, ref.to_unit))
        return known

    def _render(self) -> tuple[str, str]:
        if self.chain.param != self.controls["param"].value:  # never show another chain
            self._changed("param")
        step = min(self.step, self.n_steps)
        chain = self.chain
        self._draw(
            net_inputs=True,
            activations=True,
            deltas=self._known_deltas(step),
            gradients=[chain.param] if step == self.n_steps else [],
            loss=True,
            highlight=chain.param,
        )
        self.explanation.value = self._explain(step)
        if step == 0:
            return (
                f"Step 0 of {self.n_steps}: forward pass done (E = {chain.loss:.4g}); "
                f"the highlighted edges are every path from {chain.param} to the loss.",
                "ok",
            )
        factor = chain.factors[step - 1]
        message = (
            f"Step {step} of {self.n_steps}: {factor.text} = {factor.value:.4g}, {factor.meaning}"
        )
        if step == self.n_steps:
            message = (
                f"Step {step} of {self.n_steps}: dE/d{chain.param} = {chain.value:.6g}, "
                "the gradient the backward pass gives."
            )
        return message, "ok"

    def _explain(self, step: int) -> str:
        chain = self.chain
        factors = chain.factors
        symbols = " \\cdot ".join(f.symbol for f in factors)
        rows = [f"{chain.symbol} &= {symbols}"]
        if step:
            shown = factors[:step]
            rest = [f.symbol for f in factors[step:]]
            numbers = " \\cdot ".join(_wrapped(f.value, 6) for f in shown)
            product = float(np.prod([f.value for f in shown]))
            tail = (" \\cdot " + " \\cdot ".join(rest)) if rest else ""
            rows.append(f"&= {numbers}{tail}")
            if rest:
                rows.append(f"&= {_num(product, 6)}{tail}")
            else:
                rows.append(f"&= {_num(product, 6)}")
        body = "$$\\begin{aligned}" + " \\\\ ".join(rows) + "\\end{aligned}$$"
        if step == 0:
            return (
                "The chain rule writes the gradient as a product of local derivatives. "
                "Press <b>next</b> to take the factors one at a time, from the loss back." + body
            )
        factor = factors[step - 1]
        detail = (
            f"<b>Factor {step}</b>: ${factor.symbol} = {factor.formula} = "
            f"{_num(factor.value, 6)}$ — {factor.meaning}."
        )
        if factor.terms:
            terms = " + ".join(t.symbol for t in factor.terms)
            values = " + ".join(_wrapped(t.value, 6) for t in factor.terms)
            detail += (
                f"<br>It is a sum over the next layer: ${factor.symbol} = {terms} = {values}"
                f" = {_num(factor.value, 6)}$"
            )
        return detail + body
