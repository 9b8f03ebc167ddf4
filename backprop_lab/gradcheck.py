"""Gradient checking: the backward pass against finite differences (chapter 3).

For every parameter :math:`\\theta` the analytic gradient of the backward pass,
:math:`a = \\partial E / \\partial \\theta`, is compared with the central difference

.. math:: n = \\frac{E(\\theta + \\varepsilon) - E(\\theta - \\varepsilon)}{2\\varepsilon},

whose error shrinks like :math:`\\varepsilon^2`, by the relative error
:math:`|a - n| / \\max(|a|, |n|)`. The usual reading of that number, for float64 and
:math:`\\varepsilon = 10^{-6}`:

- below :math:`10^{-7}`: **correct**;
- :math:`10^{-7}` to :math:`10^{-4}`: **suspicious** (reported, but does not fail the check:
  it happens with legitimate code where the loss is strongly curved);
- above :math:`10^{-4}`: **wrong** (fails the check).

Two refinements keep honest gradients from being called wrong:

- floating-point noise: :math:`E` itself carries a rounding error of about
  :math:`u |E|` (:math:`u` the machine epsilon), which the difference quotient divides by
  :math:`\\varepsilon`. When :math:`|a - n|` is below ``NOISE_FACTOR`` :math:`u \\max|E| /
  \\varepsilon` the two agree as well as arithmetic can tell, and the verdict is correct;
- ReLU kinks: :math:`\\max(0, z)` has no derivative at :math:`z = 0`. If the
  :math:`+\\varepsilon` and :math:`-\\varepsilon` evaluations put some ReLU unit's net input on
  different sides of 0 (for any sample), the difference quotient straddles the kink and
  means nothing; the verdict is **kink**, which does not fail the check.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from typing import Any

import numpy as np

from backprop_lab.network import Network
from backprop_lab.parameters import parse_parameter
from backprop_lab.validation import check_positive_number

__all__ = [
    "CORRECT_BELOW",
    "NOISE_FACTOR",
    "VERDICTS",
    "WRONG_ABOVE",
    "GradientCheck",
    "GradientRow",
    "check_gradients",
]

CORRECT_BELOW = 1e-7
"""Relative errors below this are correct."""
WRONG_ABOVE = 1e-4
"""Relative errors above this are wrong; between the two thresholds, suspicious."""
NOISE_FACTOR = 16.0
"""Differences below ``NOISE_FACTOR * machine_epsilon * max|E| / epsilon`` are rounding noise."""
VERDICTS = ("correct", "suspicious", "wrong", "kink")
"""Every verdict, in the order the summary counts them."""

_STYLES = {
    "correct": ("#1a7f37", "#dafbe1"),
    "suspicious": ("#7d4e00", "#fff8c5"),
    "wrong": ("#a40e26", "#ffebe9"),
    "kink": ("#0550ae", "#ddf4ff"),
}


@dataclass(frozen=True)
class GradientRow:
    """One parameter's check.

    Attributes
    ----------
    name : str
        The parameter, e.g. ``"W1[0,1]"``.
    analytic : float
        :math:`\\partial E/\\partial\\theta` from the backward pass (``net.gradients``).
    numeric : float
        The central difference :math:`(E(\\theta+\\varepsilon) - E(\\theta-\\varepsilon)) /
        2\\varepsilon`.
    relative_error : float
        :math:`|a - n| / \\max(|a|, |n|)`, 0 when both are 0, inf when either is not finite.
    verdict : str
        ``"correct"``, ``"suspicious"``, ``"wrong"`` or ``"kink"``.
    note : str
        Why, when the verdict is not read off the relative error alone.
    """

    name: str
    analytic: float
    numeric: float
    relative_error: float
    verdict: str
    note: str = ""


def _relative_error(analytic: float, numeric: float) -> float:
    if not (np.isfinite(analytic) and np.isfinite(numeric)):
        return float("inf")
    scale = max(abs(analytic), abs(numeric))
    return 0.0 if scale == 0.0 else abs(analytic - numeric) / scale


def _verdict(analytic: float, numeric: float, noise: float, kinks: list[str]) -> tuple[str, str]:
    relative = _relative_error(analytic, numeric)
    if not np.isfinite(relative):
        return "wrong", "a gradient or the loss is not finite"
    if kinks:
        more = f" and {len(kinks) - 1} more" if len(kinks) > 1 else ""
        return "kink", (
            f"ReLU {kinks[0]}{more} changes side of 0 between the +epsilon and -epsilon "
            "evaluations: the finite difference straddles a kink"
        )
    if relative < CORRECT_BELOW:
        return "correct", ""
    if abs(analytic - numeric) <= noise:
        return "correct", (
            f"|analytic - numeric| = {abs(analytic - numeric):.2g} is within the rounding "
            f"noise of the difference quotient ({noise:.2g})"
        )
    if relative <= WRONG_ABOVE:
        return "suspicious", ""
    return "wrong", ""


class GradientCheck:
    """The result of :func:`check_gradients` (chapter 3, "Gradient checking").

    Attributes
    ----------
    rows : list of GradientRow
        One per parameter, in the order of ``net.parameter_names()``.
    epsilon : float
        The step of the central differences.
    loss : float
        The loss at the unperturbed parameters.
    n_samples : int
        Number of samples the loss averages over.
    dtype : str
        The network's dtype; a float32 network is checked through a float64 copy.
    layer_sizes : list of int
        The checked network's layer sizes.
    note : str
        Says so for a float32 network; empty otherwise.
    """

    def __init__(
        self,
        rows: list[GradientRow],
        epsilon: float,
        loss: float,
        n_samples: int,
        dtype: str,
        layer_sizes: list[int],
        note: str = "",
    ) -> None:
        self.rows = rows
        self.layer_sizes = layer_sizes
        self.epsilon = epsilon
        self.loss = loss
        self.n_samples = n_samples
        self.dtype = dtype
        self.note = note
        self._index = {row.name: row for row in rows}

    @property
    def passed(self) -> bool:
        """True when no parameter is ``"wrong"`` (suspicious and kink rows do not fail)."""
        return all(row.verdict != "wrong" for row in self.rows)

    @property
    def counts(self) -> dict[str, int]:
        """How many parameters got each verdict."""
        return {v: sum(row.verdict == v for row in self.rows) for v in VERDICTS}

    @property
    def max_relative_error(self) -> float:
        """The largest relative error over the rows that are not ``"kink"`` (0 if none).

        Rows called correct because their difference is rounding noise count too, so this
        can exceed :data:`CORRECT_BELOW` in a passed check (tiny gradients); see their notes.
        """
        errors = [row.relative_error for row in self.rows if row.verdict != "kink"]
        return max(errors, default=0.0)

    @property
    def failures(self) -> list[GradientRow]:
        """The rows whose verdict is ``"wrong"``."""
        return [row for row in self.rows if row.verdict == "wrong"]

    def __getitem__(self, name: str) -> GradientRow:
        """The row of one parameter, by name (``check["W1[0,0]"]``)."""
        if not isinstance(name, str):
            raise TypeError(f"name must be a parameter name such as 'W1[0,0]'; got {name!r}")
        ref = parse_parameter(name, self.layer_sizes)
        return self._index[ref.name]

    def __len__(self) -> int:
        return len(self.rows)

    @property
    def summary(self) -> str:
        """One line: passed or failed, the counts, the largest relative error."""
        counts = self.counts
        status = "passed" if self.passed else "FAILED"
        parts = ", ".join(f"{counts[v]} {v}" for v in VERDICTS if counts[v] or v == "wrong")
        samples = "1 sample" if self.n_samples == 1 else f"{self.n_samples} samples"
        noisy = sum(row.verdict == "correct" and bool(row.note) for row in self.rows)
        within = f", {noisy} of them within rounding noise" if noisy else ""
        text = (
            f"Gradient check {status}: {len(self.rows)} parameters ({parts}{within}); "
            f"max relative error {self.max_relative_error:.2g}; "
            f"epsilon = {self.epsilon:g}, {samples}."
        )
        if self.note:
            text += " " + self.note
        return text

    def __repr__(self) -> str:
        header = f"{'parameter':<12} {'analytic':>14} {'numeric':>14} {'rel. error':>10}  verdict"
        lines = [self.summary, header]
        for row in self.rows:
            lines.append(
                f"{row.name:<12} {row.analytic:>14.7g} {row.numeric:>14.7g} "
                f"{row.relative_error:>10.2g}  {row.verdict}"
                + (f"  ({row.note})" if row.note else "")
            )
        lines.append(
            f"Verdicts: correct below {CORRECT_BELOW:g} (or within rounding noise), suspicious "
            f"up to {WRONG_ABOVE:g}, wrong above; kink: finite differences unreliable there."
        )
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        colour, background = _STYLES["correct" if self.passed else "wrong"]
        summary = (
            f'<p style="color:{colour};background-color:{background};padding:4px 8px;'
            f'margin:0 0 4px 0"><strong>{html.escape(self.summary)}</strong></p>'
        )
        head = "".join(
            f"<th>{h}</th>"
            for h in ("parameter", "analytic", "numeric", "relative error", "verdict", "note")
        )
        body = []
        for row in self.rows:
            colour, background = _STYLES[row.verdict]
            body.append(
                "<tr>"
                f"<td><code>{html.escape(row.name)}</code></td>"
                f"<td>{row.analytic:.9g}</td><td>{row.numeric:.9g}</td>"
                f"<td>{row.relative_error:.2g}</td>"
                f'<td style="color:{colour};background-color:{background};font-weight:bold">'
                f"{row.verdict}</td>"
                f"<td>{html.escape(row.note)}</td>"
                "</tr>"
            )
        legend = (
            f'<p style="font-size:smaller;margin:4px 0 0 0">correct: relative error below '
            f"{CORRECT_BELOW:g} (or within rounding noise); suspicious: up to {WRONG_ABOVE:g}; "
            "wrong: above; kink: a ReLU input crosses 0 between the two evaluations, so the "
            "finite difference is unreliable. Only <em>wrong</em> fails the check.</p>"
        )
        return (
            '<div class="backprop-lab-gradcheck">'
            + summary
            + f'<table class="backprop-lab-table"><thead><tr>{head}</tr></thead>'
            + f"<tbody>{''.join(body)}</tbody></table>"
            + legend
            + "</div>"
        )


def _crossings(
    zs_plus: list[np.ndarray], zs_minus: list[np.ndarray], layers: list[int]
) -> list[str]:
    """ReLU units whose net input is on different sides of 0 in the two evaluations."""
    found = []
    for layer in layers:
        changed = (zs_plus[layer - 1] > 0) != (zs_minus[layer - 1] > 0)
        for sample, unit in zip(*np.nonzero(changed)):
            found.append(f"unit {int(unit)} of layer {layer} on sample {int(sample)}")
    return found


def check_gradients(net: Network, X: Any, Y: Any, epsilon: float = 1e-6) -> GradientCheck:
    """Compare the backward pass with central finite differences, parameter by parameter.

    Chapter 3, "Gradient checking". The analytic gradient is ``net.gradients(X, Y)``; the
    numeric one perturbs each parameter of a float64 copy of the network by
    :math:`\\pm\\varepsilon` and takes :math:`(E^+ - E^-)/(2\\varepsilon)` (the network itself
    is never modified). A float32 network is checked through its float64 copy, gradients
    included, because float32 finite differences are too coarse to judge anything; the
    result says so. The verdicts and their thresholds are in the module docstring.

    Parameters
    ----------
    net : Network
        The network to check (meant for small networks: two forward passes per parameter).
    X : array_like
        Inputs, ``(n_samples, n_inputs)`` or one sample ``(n_inputs,)``.
    Y : array_like
        Targets matching ``X``.
    epsilon : float
        Step of the central differences, > 0. ``1e-6`` suits float64.

    Returns
    -------
    GradientCheck
        ``.rows``, ``.passed`` (no ``"wrong"`` verdict), ``.max_relative_error``, and a
        colour-coded table in a notebook.

    Raises
    ------
    TypeError
        If ``net`` is not a :class:`Network` or ``epsilon`` not a number.
    ValueError
        If ``epsilon`` is not a finite number > 0, or ``X``/``Y`` do not fit the network.

    Examples
    --------
    >>> import backprop_lab as bl
    >>> net = bl.Network([2, 3, 1], seed=0)
    >>> bl.check_gradients(net, [[0.0, 1.0], [1.0, 0.0]], [[1.0], [0.0]]).passed
    True
    """
    if not isinstance(net, Network):
        raise TypeError(f"net must be a backprop_lab.Network; got {type(net).__name__}")
    epsilon = check_positive_number("epsilon", epsilon)
    # the network's own validation, with its own dtype and argument names
    X_checked, single = net._inputs(X)
    net._targets(Y, X_checked.shape[0], single)

    dtype = np.dtype(net.dtype).name
    work = net.astype(np.float64)  # perturbed in place below; `net` is left alone
    X64, single = work._inputs(X)
    Y64 = work._targets(Y, X64.shape[0], single)
    if dtype == "float64":
        note = ""
        analytic = net.gradients(X, Y)
    else:
        note = (
            f"The network is {dtype}: it was checked through its float64 copy (analytic and "
            f"numeric gradients both in float64)."
        )
        analytic = work.gradients(X64, Y64)

    loss_function = work.loss_function

    def evaluate() -> tuple[float, list[np.ndarray]]:
        zs, activations = work._forward(X64)
        return loss_function.value(zs[-1], activations[-1], Y64), zs

    loss0, _ = evaluate()
    relu_layers = [
        layer for layer in range(1, work.n_layers + 1) if work.activation_of(layer).name == "relu"
    ]
    machine_epsilon = float(np.finfo(np.float64).eps)

    rows = []
    for name in work.parameter_names():
        ref = parse_parameter(name, work.layer_sizes)
        array = (work.weights if ref.is_weight else work.biases)[ref.layer - 1]
        original = float(array[ref.index])
        plus, minus = original + epsilon, original - epsilon
        array[ref.index] = plus
        loss_plus, zs_plus = evaluate()
        array[ref.index] = minus
        loss_minus, zs_minus = evaluate()
        array[ref.index] = original
        # divide by the step actually taken: plus - minus may differ from 2 epsilon in the
        # last bits
        numeric = (loss_plus - loss_minus) / (plus - minus)
        value = float(analytic[name])
        noise = NOISE_FACTOR * machine_epsilon * max(abs(loss_plus), abs(loss_minus)) / epsilon
        kinks = _crossings(zs_plus, zs_minus, [m for m in relu_layers if m >= ref.layer])
        verdict, why = _verdict(value, numeric, noise, kinks)
        rows.append(
            GradientRow(name, value, float(numeric), _relative_error(value, numeric), verdict, why)
        )
    return GradientCheck(
        rows, epsilon, float(loss0), int(X64.shape[0]), dtype, work.layer_sizes, note
    )
