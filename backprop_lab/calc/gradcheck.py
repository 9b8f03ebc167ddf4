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

- the finite difference's own error. Rounding: :math:`E` is computed with an error of about
  :math:`u M` (:math:`u` the machine epsilon, :math:`M` the size of the numbers :math:`E` is
  made of: :math:`|E|` itself and, inside the loss, the outputs, targets, logits and the
  terms of the output's net input, see :func:`loss_magnitude`), which the quotient divides
  by :math:`\\varepsilon`. Truncation: the quotient's error grows like
  :math:`\\varepsilon^2`, so a second quotient :math:`n_2` with step :math:`2\\varepsilon`
  estimates it as :math:`|n_2 - n| / 3`. When :math:`|a - n|` is below
  ``NOISE_FACTOR`` :math:`u M / \\varepsilon` plus ``TRUNCATION_FACTOR`` times that estimate,
  the two agree as well as the finite difference can tell (tiny gradients, a network at a
  minimum of the loss): the verdict is correct, with a note saying so;
- ReLU kinks: :math:`\\max(0, z)` has no derivative at :math:`z = 0`. If the evaluations at
  :math:`\\theta \\pm \\varepsilon` and :math:`\\theta \\pm 2\\varepsilon` do not all put a
  ReLU unit's net input on the same side of 0 (for any sample), the difference quotient
  straddles the kink and means nothing; the verdict is **kink**, which does not fail the
  check.

Only **wrong** fails a check: ``passed`` is True when no parameter is wrong.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from typing import Any

import numpy as np

from backprop_lab.checks.arguments import check_positive_number
from backprop_lab.nn.network import Network, check_network
from backprop_lab.nn.parameters import parse_parameter

__all__ = [
    "CORRECT_BELOW",
    "NOISE_FACTOR",
    "TRUNCATION_FACTOR",
    "VERDICTS",
    "WRONG_ABOVE",
    "GradientCheck",
    "GradientRow",
    "check_gradients",
    "loss_magnitude",
]

CORRECT_BELOW = 1e-7
"""Relative errors below this are correct."""
WRONG_ABOVE = 1e-4
"""Relative errors above this are wrong; between the two thresholds, suspicious."""
NOISE_FACTOR = 16.0
"""Differences below ``NOISE_FACTOR * machine_epsilon * M / epsilon`` are rounding noise."""
TRUNCATION_FACTOR = 2.0
"""Differences below this many times the estimated truncation error are also within error."""
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
    tolerance : float
        The estimated error of ``numeric`` itself: rounding noise plus truncation error.
    """

    name: str
    analytic: float
    numeric: float
    relative_error: float
    verdict: str
    note: str = ""
    tolerance: float = 0.0


def loss_magnitude(
    loss: str,
    z: np.ndarray,
    a: np.ndarray,
    y: np.ndarray,
    z_size: np.ndarray | None = None,
) -> float:
    """The size of the numbers a loss is computed from, averaged over samples (chapter 3).

    Rounding makes the computed loss wrong by about machine epsilon times this, even where
    the loss itself is tiny: a nearly perfect fit still subtracts outputs of size
    :math:`|\\hat y|`, the log-losses take the logarithm of sums of size 1 or more, and the
    output's net input :math:`z = \\sum_i a_i w_i + b` carries a rounding error of about
    machine epsilon times ``z_size`` :math:`= \\sum_i |a_i w_i| + |b|`, which reaches the loss
    multiplied by :math:`|\\hat y - y|` (every activation of the package has slope at most 1).
    Only forward quantities are used, never the backward pass under test. A result that is
    not finite (after an overflow) counts as 0: no excuse for any difference.

    Parameters
    ----------
    loss : str
        The loss name.
    z, a, y : ndarray
        The output layer's net input and activation, and the targets,
        ``(n_samples, n_outputs)``.
    z_size : ndarray, optional
        :math:`\\sum_i |a^{(L-1)}_i w^{(L)}_{ij}| + |b^{(L)}_j|`, same shape as ``z``.
    """
    with np.errstate(over="ignore", invalid="ignore"):
        size = _loss_terms(loss, z, a, y)
        if size is None:
            return 0.0
        if z_size is not None:
            size = size + np.abs(a - y) * z_size
        if loss == "mse":
            size = size * (2.0 / a.shape[-1])
        total = float(np.mean(np.sum(size, axis=-1)))
    return total if np.isfinite(total) else 0.0


def _loss_terms(loss: str, z: np.ndarray, a: np.ndarray, y: np.ndarray) -> np.ndarray | None:
    if loss in ("squared_error", "mse"):
        return np.abs(a - y) * (np.abs(a) + np.abs(y))
    if loss == "binary_cross_entropy":
        return np.logaddexp(0.0, z) + np.abs(y * z)
    if loss == "cross_entropy":
        shifted = z - np.max(z, axis=-1, keepdims=True)
        log_sum = np.log(np.sum(np.exp(shifted), axis=-1, keepdims=True))
        return np.abs(y) * (1.0 + np.abs(shifted) + log_sum)
    return None


def _relative_error(analytic: float, numeric: float) -> float:
    if not (np.isfinite(analytic) and np.isfinite(numeric)):
        return float("inf")
    scale = max(abs(analytic), abs(numeric))
    return 0.0 if scale == 0.0 else float(abs(analytic - numeric) / scale)


def _verdict(
    analytic: float, numeric: float, noise: float, truncation: float, kinks: list[str]
) -> tuple[str, str]:
    relative = _relative_error(analytic, numeric)
    if not np.isfinite(relative):
        return "wrong", "a gradient or the loss is not finite"
    if kinks:
        more = f" and {len(kinks) - 1} more" if len(kinks) > 1 else ""
        return "kink", (
            f"ReLU {kinks[0]}{more} changes side of 0 within 2 epsilon of the parameter: "
            "the finite difference straddles a kink"
        )
    if relative < CORRECT_BELOW:
        return "correct", ""
    difference = abs(analytic - numeric)
    if difference <= noise + TRUNCATION_FACTOR * truncation:
        return "correct", (
            f"difference {difference:.2g} is within the finite difference's own error "
            f"(rounding ~{noise:.2g}, truncation ~{truncation:.2g})"
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

        Rows called correct because their difference is within the finite difference's own
        error count too, so this can exceed :data:`CORRECT_BELOW` in a passed check (tiny
        gradients, a network at a minimum); their notes say so.
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
        within = (
            f"; {noisy} of the correct only within the finite-difference error" if noisy else ""
        )
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
            f"Verdicts: correct below {CORRECT_BELOW:g} (or within the finite difference's own "
            f"error), suspicious up to {WRONG_ABOVE:g}, wrong above (fails); kink: finite "
            "differences unreliable there."
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
            f"{CORRECT_BELOW:g} (or within the finite difference's own error); suspicious: up "
            f"to {WRONG_ABOVE:g}; "
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


def _crossings(evaluations: list[list[np.ndarray]], layers: list[int]) -> list[str]:
    """ReLU units whose net input is not on the same side of 0 in every evaluation."""
    found = []
    for layer in layers:
        signs = np.stack([zs[layer - 1] > 0 for zs in evaluations])
        changed = signs.any(axis=0) & ~signs.all(axis=0)
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
        The network to check (meant for small networks: four forward passes per parameter).
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
        If ``epsilon`` is not a finite number > 0 or too small to change some parameter
        (``|parameter| * 1e-16`` or more is needed), or ``X``/``Y`` do not fit the network.

    Examples
    --------
    >>> import backprop_lab as bl
    >>> net = bl.Network([2, 3, 1], seed=0)
    >>> bl.check_gradients(net, [[0.0, 1.0], [1.0, 0.0]], [[1.0], [0.0]]).passed
    True
    """
    check_network("net", net)
    epsilon = check_positive_number("epsilon", epsilon)
    # the network's own validation, with its own dtype and argument names
    X_checked, single = net.check_inputs(X)
    net.check_targets(Y, X_checked.shape[0], single)

    dtype = np.dtype(net.dtype).name
    work = net.astype(np.float64)  # perturbed in place below; `net` is left alone
    X64, single = work.check_inputs(X)
    Y64 = work.check_targets(Y, X64.shape[0], single)
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

    def evaluate() -> tuple[float, float, list[np.ndarray]]:
        """The loss, the size of what it is made of, and every layer's net input."""
        zs, activations = work.forward_pass(X64)
        loss = loss_function.value(zs[-1], activations[-1], Y64)
        with np.errstate(over="ignore", invalid="ignore"):
            z_size = np.abs(activations[-2]) @ np.abs(work.weights[-1]) + np.abs(work.biases[-1])
        size = loss_magnitude(work.loss_name, zs[-1], activations[-1], Y64, z_size)
        return loss, abs(loss) + size, zs

    def difference(
        name: str, array: np.ndarray, index: tuple, step: float
    ) -> tuple[float, list[list[np.ndarray]], float]:
        """Central difference with ``step`` (the parameter is restored afterwards).

        Returns the quotient, the net inputs of both evaluations and the larger loss size.
        """
        original = float(array[index])
        plus, minus = original + step, original - step
        if plus == minus:
            raise ValueError(
                f"epsilon={epsilon:g} is too small to change parameter {name} = {original:g} "
                "in float64; pass a larger epsilon (a parameter this large usually means "
                "training diverged)"
            )
        array[index] = plus
        loss_plus, size_plus, zs_plus = evaluate()
        array[index] = minus
        loss_minus, size_minus, zs_minus = evaluate()
        array[index] = original
        # divide by the step actually taken, which may differ from 2 step in the last bits
        numeric = (loss_plus - loss_minus) / (plus - minus)
        return numeric, [zs_plus, zs_minus], max(size_plus, size_minus)

    loss0, _, _ = evaluate()
    relu_layers = [
        layer for layer in range(1, work.n_layers + 1) if work.activation_of(layer).name == "relu"
    ]
    machine_epsilon = float(np.finfo(np.float64).eps)

    rows = []
    for name in work.parameter_names():
        ref = parse_parameter(name, work.layer_sizes)
        array = (work.weights if ref.is_weight else work.biases)[ref.layer - 1]
        numeric, near, size = difference(name, array, ref.index, epsilon)
        # a second, doubled step estimates the truncation error: it grows like step^2,
        # so n(2 eps) - n(eps) is about 3 times the error of n(eps)
        numeric_2, far, _ = difference(name, array, ref.index, 2.0 * epsilon)
        truncation = abs(numeric_2 - numeric) / 3.0
        noise = NOISE_FACTOR * machine_epsilon * size / epsilon
        kinks = _crossings(near + far, [m for m in relu_layers if m >= ref.layer])
        value = float(analytic[name])
        verdict, why = _verdict(value, numeric, noise, truncation, kinks)
        rows.append(
            GradientRow(
                name,
                value,
                float(numeric),
                _relative_error(value, numeric),
                verdict,
                why,
                float(noise + TRUNCATION_FACTOR * truncation),
            )
        )
    return GradientCheck(
        rows, epsilon, float(loss0), int(X64.shape[0]), dtype, work.layer_sizes, note
    )
