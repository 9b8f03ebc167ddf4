"""The chain rule, one factor at a time (chapter 3, "The chain rule").

:func:`chain_rule` writes the derivative of the loss :math:`E` of one sample with respect to
one weight or bias as the product of local derivatives the chain rule gives, each with its
symbol in the book's notation, a one-line meaning and its number:

- an output weight :math:`w^{(L)}_{ij}`:
  :math:`\\frac{\\partial E}{\\partial w^{(L)}_{ij}} = \\frac{\\partial E}{\\partial \\hat y_j}
  \\cdot \\frac{\\partial \\hat y_j}{\\partial z^{(L)}_j}
  \\cdot \\frac{\\partial z^{(L)}_j}{\\partial w^{(L)}_{ij}}`;
- a hidden weight :math:`w^{(l)}_{ij}`:
  :math:`\\frac{\\partial E}{\\partial w^{(l)}_{ij}} = \\frac{\\partial E}{\\partial a^{(l)}_j}
  \\cdot \\frac{\\partial a^{(l)}_j}{\\partial z^{(l)}_j}
  \\cdot \\frac{\\partial z^{(l)}_j}{\\partial w^{(l)}_{ij}}`, where the first factor is a sum
  over the neurons :math:`k` of layer :math:`l+1`:
  :math:`\\frac{\\partial E}{\\partial a^{(l)}_j} = \\sum_k \\delta^{(l+1)}_k w^{(l+1)}_{jk}`;
- a bias: the same, with :math:`\\partial z_j / \\partial b_j = 1` as the last factor.

With a softmax output the outputs are coupled (every net input moves every output), so the
output end of the chain is the single factor
:math:`\\delta^{(L)}_j = \\partial E / \\partial z^{(L)}_j` instead of two.

Notation: layer 0 holds the inputs, :math:`z^{(l)} = a^{(l-1)} W^{(l)} + b^{(l)}`,
:math:`a^{(l)} = f(z^{(l)})`, :math:`\\hat y = a^{(L)}`, :math:`\\delta^{(l)} = \\partial E /
\\partial z^{(l)}`, and :math:`E` is the loss of the one sample.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import numpy as np

from backprop_lab.checks.arguments import check_finite_array
from backprop_lab.nn.network import Network, check_network
from backprop_lab.nn.parameters import ParameterRef, parse_parameter

__all__ = ["MAX_PATHS", "ChainRule", "Factor", "Path", "Term", "chain_rule", "chain_rule_path"]

MAX_PATHS = 256
"""Largest number of paths :attr:`ChainRule.paths` lists; beyond it ``paths`` is ``None``."""


# --------------------------------------------------------------------------- records


@dataclass(frozen=True)
class Term:
    """One term of a sum over paths: the route through neuron ``neuron`` of the next layer.

    Attributes
    ----------
    neuron : int
        The index :math:`k` of the neuron of layer :math:`l+1` the term goes through.
    symbol : str
        LaTeX of the term, the product of its factors' symbols.
    text : str
        The same in plain text.
    factors : tuple of Factor
        The factors whose product is the term.
    value : float
        Their product.
    """

    neuron: int
    symbol: str
    text: str
    factors: tuple[Factor, ...]
    value: float


@dataclass(frozen=True)
class Factor:
    """One factor of the chain rule (chapter 3).

    Attributes
    ----------
    symbol : str
        LaTeX in the book's notation, e.g. ``\\frac{\\partial E}{\\partial \\hat y_{0}}``.
    meaning : str
        One line of English saying what the factor measures.
    value : float
        Its number for this sample.
    text : str
        The symbol in plain text, e.g. ``dE/dyhat_0``.
    formula : str
        LaTeX of what the factor equals, e.g. ``\\hat y_{0} - y_{0}``.
    terms : tuple of Term
        For :math:`\\partial E/\\partial a^{(l)}_j` of a hidden neuron: one term per neuron
        :math:`k` of layer :math:`l+1`; ``value`` is their sum. Empty otherwise.
    """

    symbol: str
    meaning: str
    value: float
    text: str = ""
    formula: str = ""
    terms: tuple[Term, ...] = ()


@dataclass(frozen=True)
class Path:
    """One path from a parameter to the loss through the later layers (chapter 3).

    Attributes
    ----------
    nodes : tuple of str
        LaTeX of every quantity on the path: the parameter first, :math:`E` last.
    labels : tuple of str
        The same in plain text.
    derivatives : tuple of float
        The local derivative of each node with respect to the one before it
        (``len(nodes) - 1`` numbers).
    value : float
        Their product: how much of the gradient flows along this path.
    output : int
        The output neuron the path ends at.
    """

    nodes: tuple[str, ...]
    labels: tuple[str, ...]
    derivatives: tuple[float, ...]
    value: float
    output: int

    def __str__(self) -> str:
        return " -> ".join(self.labels) + f"  (product {_plain(self.value)})"


# ------------------------------------------------------------------------- notation


def _z(layer: int, j: int) -> str:
    return f"z^{{({layer})}}_{{{j}}}"


def _a(layer: int, j: int, n_layers: int) -> str:
    return f"\\hat y_{{{j}}}" if layer == n_layers else f"a^{{({layer})}}_{{{j}}}"


def _z_text(layer: int, j: int) -> str:
    return f"z({layer})_{j}"


def _a_text(layer: int, j: int, n_layers: int) -> str:
    return f"yhat_{j}" if layer == n_layers else f"a({layer})_{j}"


def _w(layer: int, i: int, j: int) -> str:
    return f"w^{{({layer})}}_{{{i},{j}}}"


def _partial(top: str, bottom: str) -> str:
    return f"\\frac{{\\partial {top}}}{{\\partial {bottom}}}"


def _plain(value: float, digits: int = 6) -> str:
    """A number for plain text: ``digits`` significant digits."""
    return f"{value:.{digits}g}"


def _latex_number(value: float, digits: int = 6, wrap: bool = False) -> str:
    """A number in LaTeX: ``1.5\\times 10^{-7}`` instead of ``1.5e-07``.

    With ``wrap`` a negative number is put in parentheses, as a factor of a product or a
    term after a plus sign must be.
    """
    text = f"{value:.{digits}g}"
    if "e" in text:
        mantissa, exponent = text.split("e")
        text = f"{mantissa}\\times 10^{{{int(exponent)}}}"
    elif text in ("inf", "-inf", "nan"):
        text = {"inf": "\\infty", "-inf": "-\\infty", "nan": "\\mathrm{NaN}"}[text]
    if wrap and text.startswith("-"):
        text = f"({text})"
    return text


def _product(symbols: list[str]) -> str:
    return " \\cdot ".join(symbols)


def _grouped(formula: str) -> str:
    """A formula as a factor of a product: in parentheses if it is a sum or difference."""
    if formula.startswith("\\sum"):
        return f"\\left({formula}\\right)"
    depth = 0
    for char in formula:
        depth += {"{": 1, "}": -1, "(": 1, ")": -1}.get(char, 0)
        if depth == 0 and char in "+-":
            return f"\\left({formula}\\right)"
    return formula


def _numbers_product(values: list[float]) -> str:
    return " \\cdot ".join(_latex_number(v, wrap=len(values) > 1) for v in values)


def _numbers_terms(values: list[float]) -> list[str]:
    """The terms of a sum of numbers, each after the first in parentheses if negative."""
    return [_latex_number(values[0])] + [_latex_number(v, wrap=True) for v in values[1:]]


def _numbers_sum(values: list[float]) -> str:
    return " + ".join(_numbers_terms(values))


def _sum_rows(terms: list[str], per_row: int = 1) -> list[str]:
    """The ``aligned`` rows ``&= t_0 + ...``, ``&\\quad {}+ t_k + ...`` of a sum, ``per_row``
    terms to a row, so that a row stays narrow enough for a phone's column (358 px at a
    390 px wide window; the longest row of chapter 3's chain of ``W1[0,0]`` was 363 px)."""
    rows = []
    for start in range(0, len(terms), per_row):
        row = " + ".join(terms[start : start + per_row])
        rows.append(f"&= {row}" if start == 0 else f"&\\quad {{}}+ {row}")
    return rows


_ACTIVATION_WORDS = {
    "sigmoid": "sigmoid",
    "tanh": "tanh",
    "relu": "ReLU",
    "identity": "identity",
    "softmax": "softmax",
}


def _derivative_formula(activation: str, layer: int, j: int, n_layers: int) -> str:
    """LaTeX of :math:`\\partial a_j / \\partial z_j` for an element-wise activation."""
    a = _a(layer, j, n_layers)
    if activation == "sigmoid":
        return f"{a}\\,(1-{a})"
    if activation == "tanh":
        return f"1-({a})^2" if layer < n_layers else f"1-{a}^2"
    if activation == "relu":
        return f"[{_z(layer, j)}>0]"
    return "1"


# --------------------------------------------------------------------- the calculator


class ChainRule:
    """The chain rule for one parameter and one sample, factor by factor (chapter 3).

    Made by :func:`chain_rule`; read its attributes or display it in a notebook.

    Attributes
    ----------
    param : str
        The parameter's canonical name, e.g. ``"W1[0,0]"``.
    ref : ParameterRef
        The parsed name (kind, layer, index).
    factors : list of Factor
        The chain, in the order written: loss end first, parameter end last.
    value : float
        The product of the factors: :math:`\\partial E / \\partial` (parameter) for this
        sample, equal to the backward pass's gradient (``net.gradients(x, y)[param]``).
    n_paths : int
        How many paths lead from the parameter's neuron to the outputs.
    paths : list of Path or None
        Every such path when there are at most :data:`MAX_PATHS`, else ``None``; see
        :attr:`paths`.
    loss : float
        The loss :math:`E` of the sample.
    """

    def __init__(self, net: Network, trace: Any, ref: ParameterRef) -> None:
        self.ref = ref
        self.param = ref.name
        self.n_layers = net.n_layers
        self.layer_sizes = net.layer_sizes
        self.activation = net.activation
        self.output_activation = net.output_activation
        self.loss_name = net.loss_name
        self.loss = float(trace.loss)
        self.dtype = np.dtype(net.dtype).name
        # one sample: keep plain float64 rows, copied, so later training cannot change them
        self._a = [np.array(a[0], dtype=np.float64) for a in trace.forward.activations]
        self._delta = [np.array(d[0], dtype=np.float64) for d in trace.deltas]
        self._y = np.array(trace.targets[0], dtype=np.float64)
        self._weights = [np.array(w, dtype=np.float64) for w in net.weights]
        self._hidden = net.activation_of(1)
        self._output = net.activation_of(net.n_layers)
        self._loss = net.loss_function
        # local derivatives computed in the network's own dtype, the way its backward pass
        # computes them (Activation.backward), then kept as float64
        self._slopes: list[np.ndarray | None] = []
        for layer in range(1, self.n_layers + 1):
            activation = net.activation_of(layer)
            z = trace.forward.net_inputs[layer - 1]
            a = trace.forward.activations[layer]
            if activation.derivative_from_output is not None:
                slope = activation.derivative_from_output(a)
            elif activation.elementwise:
                slope = activation.derivative(z)
            else:  # softmax: a Jacobian, folded into the output delta
                self._slopes.append(None)
                continue
            self._slopes.append(np.array(slope[0], dtype=np.float64))
        z_out = trace.forward.net_inputs[-1]
        a_out = trace.forward.activations[-1]
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            grad = self._loss.output_gradient(z_out, a_out, trace.targets)
        self._output_gradient = np.array(grad[0], dtype=np.float64)
        self._output_slope = self._slopes[-1]
        self.factors: list[Factor] = self._build_factors()
        value = 1.0
        for factor in self.factors:
            value *= factor.value
        self.value: float = value
        later = self.layer_sizes[ref.layer + 1 :]
        self.n_paths: int = math.prod(later) if later else 1

    # ..................................................................... factors

    def _split_output(self, k: int) -> bool:
        """Whether output ``k``'s end of the chain is two factors (dE/dyhat, dyhat/dz)."""
        if not self._output.elementwise:
            return False  # softmax: one combined delta
        if self._loss.output_delta is None:
            return True
        # binary cross-entropy: split while yhat is strictly inside (0, 1), where
        # dE/dyhat = (yhat - y) / (yhat (1 - yhat)) is finite
        slope = self._output_slope[k]
        return bool(np.isfinite(self._output_gradient[k]) and slope > 0)

    def _loss_gradient_factor(self, k: int) -> Factor:
        yk, tk = f"\\hat y_{{{k}}}", f"y_{{{k}}}"
        name = self.loss_name
        if name == "squared_error":
            formula = f"{yk} - {tk}"
            meaning = f"how E changes with output {k}; squared error: yhat_{k} - y_{k}"
        elif name == "mse":
            K = self.layer_sizes[-1]
            formula = f"\\frac{{2}}{{{K}}}({yk} - {tk})"
            meaning = (
                f"how E changes with output {k}; mean squared error: (2/{K})(yhat_{k} - y_{k})"
            )
        elif name == "binary_cross_entropy":
            formula = f"\\frac{{{yk} - {tk}}}{{{yk}\\,(1-{yk})}}"
            meaning = f"how E changes with output {k}; binary cross-entropy"
        else:  # pragma: no cover - every loss of the package is handled above
            formula = self._loss.gradient_symbol.replace("_k", f"_{{{k}}}")
            meaning = f"how E changes with output {k}"
        return Factor(
            symbol=_partial("E", yk),
            meaning=meaning,
            value=float(self._output_gradient[k]),
            text=f"dE/dyhat_{k}",
            formula=formula,
        )

    def _output_slope_factor(self, k: int) -> Factor:
        L = self.n_layers
        word = _ACTIVATION_WORDS.get(self.output_activation, self.output_activation)
        return Factor(
            symbol=_partial(f"\\hat y_{{{k}}}", _z(L, k)),
            meaning=f"slope of the output's {word} at its net input",
            value=float(self._output_slope[k]),
            text=f"dyhat_{k}/dz({L})_{k}",
            formula=_derivative_formula(self.output_activation, L, k, L),
        )

    def _output_delta_factor(self, k: int) -> Factor:
        L = self.n_layers
        yk, tk = f"\\hat y_{{{k}}}", f"y_{{{k}}}"
        name = self.loss_name
        if self.output_activation == "softmax":
            if name == "cross_entropy":
                if abs(float(np.sum(self._y)) - 1.0) <= 1e-12:
                    formula = f"{yk} - {tk}"
                else:
                    formula = f"{yk}\\sum_{{m}} y_{{m}} - {tk}"
                how = f"with cross-entropy it is yhat_{k} - y_{k}"
            else:
                g = "(\\hat y_{m} - y_{m})"
                if name == "mse":
                    g = f"\\frac{{2}}{{{self.layer_sizes[-1]}}}{g}"
                formula = f"\\sum_{{m}} {g}\\,\\hat y_{{m}}([m={k}]-{yk})"
                how = "a sum over all outputs m"
            meaning = (
                f"dE/dz of output {k} as one factor: softmax couples the outputs (z_{k} moves "
                f"every yhat_m); {how}"
            )
        else:  # binary cross-entropy with an output rounded to 0 or 1
            formula = f"{yk} - {tk}"
            meaning = (
                f"dE/dz of output {k} as one factor, yhat_{k} - y_{k}: the output saturated "
                "at 0 or 1, where dE/dyhat alone is infinite"
            )
        return Factor(
            symbol=f"\\delta^{{({L})}}_{{{k}}}",
            meaning=meaning,
            value=float(self._delta[L - 1][k]),
            text=f"delta({L})_{k}",
            formula=formula,
        )

    def _output_end(self, k: int) -> list[Factor]:
        """The factors from E down to output ``k``'s net input :math:`z^{(L)}_k`."""
        if self._split_output(k):
            return [self._loss_gradient_factor(k), self._output_slope_factor(k)]
        return [self._output_delta_factor(k)]

    def _hidden_slope_factor(self, layer: int, j: int) -> Factor:
        word = _ACTIVATION_WORDS.get(self.activation, self.activation)
        slope = self._slopes[layer - 1][j]
        return Factor(
            symbol=_partial(_a(layer, j, self.n_layers), _z(layer, j)),
            meaning=f"slope of this neuron's {word} at its net input",
            value=float(slope),
            text=f"da({layer})_{j}/dz({layer})_{j}",
            formula=_derivative_formula(self.activation, layer, j, self.n_layers),
        )

    def _sum_factor(self, layer: int, j: int) -> Factor:
        """:math:`\\partial E/\\partial a^{(l)}_j`, the sum over the neurons of layer l+1."""
        L = self.n_layers
        nxt = layer + 1
        weights = self._weights[nxt - 1]
        a_sym = _a(layer, j, L)
        terms = []
        for k in range(self.layer_sizes[nxt]):
            w_factor = Factor(
                symbol=_partial(_z(nxt, k), a_sym),
                meaning=f"the weight from this neuron to neuron {k} of layer {nxt}",
                value=float(weights[j, k]),
                text=f"dz({nxt})_{k}/da({layer})_{j}",
                formula=_w(nxt, j, k),
            )
            if nxt == L:
                head = self._output_end(k)
            else:
                head = [
                    Factor(
                        symbol=f"\\delta^{{({nxt})}}_{{{k}}}",
                        meaning=f"dE/dz of neuron {k} of layer {nxt}, from the backward pass",
                        value=float(self._delta[nxt - 1][k]),
                        text=f"delta({nxt})_{k}",
                        formula=_partial("E", _z(nxt, k)),
                    )
                ]
            factors = (*head, w_factor)
            value = 1.0
            for factor in factors:
                value *= factor.value
            terms.append(
                Term(
                    neuron=k,
                    symbol=" \\, ".join(f.formula if f is w_factor else f.symbol for f in factors),
                    text=" * ".join(f.text for f in factors),
                    factors=factors,
                    value=value,
                )
            )
        total = 0.0
        for term in terms:
            total += term.value
        return Factor(
            symbol=_partial("E", a_sym),
            meaning=f"how E changes with this neuron's output: one term per neuron of layer {nxt}",
            value=total,
            text=f"dE/da({layer})_{j}",
            formula=f"\\sum_{{k}} \\delta^{{({nxt})}}_{{k}}\\, w^{{({nxt})}}_{{{j},k}}",
            terms=tuple(terms),
        )

    def _input_factor(self) -> Factor:
        ref = self.ref
        layer, j = ref.layer, ref.to_unit
        z_sym = _z(layer, j)
        if not ref.is_weight:
            return Factor(
                symbol=_partial(z_sym, ref.latex),
                meaning="the bias is added to the net input as it is: slope 1",
                value=1.0,
                text=f"dz({layer})_{j}/d{ref.name}",
                formula="1",
            )
        i = ref.index[0]
        if layer == 1:
            meaning = f"what the weight multiplies: input x_{i}"
            formula = f"x_{{{i}}}"
        else:
            meaning = f"what the weight multiplies: output of neuron {i} of layer {layer - 1}"
            formula = f"a^{{({layer - 1})}}_{{{i}}}"
        return Factor(
            symbol=_partial(z_sym, ref.latex),
            meaning=meaning,
            value=float(self._a[layer - 1][i]),
            text=f"dz({layer})_{j}/d{ref.name}",
            formula=formula,
        )

    def _build_factors(self) -> list[Factor]:
        layer, j = self.ref.layer, self.ref.to_unit
        if layer == self.n_layers:
            return [*self._output_end(j), self._input_factor()]
        return [
            self._sum_factor(layer, j),
            self._hidden_slope_factor(layer, j),
            self._input_factor(),
        ]

    # ....................................................................... paths

    @cached_property
    def paths(self) -> list[Path] | None:
        """Every path from the parameter through the later layers to the loss.

        A path follows the parameter into its neuron :math:`j` of layer :math:`l`, then one
        neuron of each later layer, to one output and on to :math:`E`; its value is the
        product of the local derivatives along it (weights for the edges between layers,
        activation slopes inside neurons). For element-wise output activations the sum
        over all paths is :attr:`value`: the chain rule as a sum over paths.

        For a softmax output, every net input :math:`z^{(L)}_k` moves every output, so a
        path stops at :math:`z^{(L)}_k` and its last local derivative is the combined
        :math:`\\delta^{(L)}_k = \\partial E / \\partial z^{(L)}_k`, which already sums
        over the outputs; with that convention the sum over paths is again :attr:`value`.
        (The same holds for a binary cross-entropy output that saturated at 0 or 1.)

        ``None`` when there are more than :data:`MAX_PATHS` paths (see :attr:`n_paths`).
        """
        if self.n_paths > MAX_PATHS:
            return None
        L = self.n_layers
        ref = self.ref
        layer, j = ref.layer, ref.to_unit
        start = self._input_factor()
        slopes = self._slopes
        ends = {k: self._output_end(k) for k in range(self.layer_sizes[-1])}
        ranges = [range(n) for n in self.layer_sizes[layer + 1 :]]
        result = []
        for route in itertools.product(*ranges):
            units = (j, *route)
            nodes, labels, derivatives = [ref.latex], [ref.name], [start.value]
            for position, unit in enumerate(units):
                m = layer + position
                if position:  # the edge from the previous neuron: its weight
                    derivatives.append(float(self._weights[m - 1][units[position - 1], unit]))
                nodes.append(_z(m, unit))
                labels.append(_z_text(m, unit))
                if m < L:
                    nodes.append(_a(m, unit, L))
                    labels.append(_a_text(m, unit, L))
                    derivatives.append(float(slopes[m - 1][unit]))
            end = ends[units[-1]]
            if len(end) == 2:  # dyhat/dz, then dE/dyhat
                nodes.append(_a(L, units[-1], L))
                labels.append(_a_text(L, units[-1], L))
                derivatives += [end[1].value, end[0].value]
            else:
                derivatives.append(end[0].value)
            nodes.append("E")
            labels.append("E")
            value = 1.0
            for derivative in derivatives:
                value *= derivative
            result.append(Path(tuple(nodes), tuple(labels), tuple(derivatives), value, units[-1]))
        return result

    # ..................................................................... display

    @property
    def symbol(self) -> str:
        """LaTeX of the derivative, e.g. ``\\frac{\\partial E}{\\partial w^{(2)}_{0,0}}``."""
        return _partial("E", self.ref.latex)

    def _sum(self) -> Factor | None:
        return next((f for f in self.factors if f.terms), None)

    def to_latex(self, include_sum: bool = True) -> str:
        """The chain as LaTeX (an ``aligned`` block, without ``$$`` delimiters).

        Rows: the chain written symbolically, the formula of each factor, the numbers
        substituted, the value. With ``include_sum`` and a hidden parameter, further rows
        expand :math:`\\partial E / \\partial a^{(l)}_j` as its sum over the next layer.
        Only macros MathJax (the site's version 4) and LaTeX's amsmath both know are used.
        """
        values = [f.value for f in self.factors]
        rows = [
            f"{self.symbol} &= {_product([f.symbol for f in self.factors])}",
            f"&= {_product([_grouped(f.formula) for f in self.factors])}",
            f"&= {_numbers_product(values)}",
            f"&= {_latex_number(self.value)}",
        ]
        body = " \\\\\n".join(rows)
        summed = self._sum()
        if include_sum and summed is not None:
            terms = summed.terms
            rows = [f"{summed.symbol} &= {summed.formula}"]
            # one term of the sum to a row (a phone's column holds one, not two)
            rows += _sum_rows([t.symbol for t in terms])
            if len(terms) <= 4 and any(len(t.factors) > 1 for t in terms):
                products = [
                    "(" + _numbers_product([f.value for f in t.factors]) + ")" for t in terms
                ]
                if len(terms) == 1:
                    products = [_numbers_product([f.value for f in terms[0].factors])]
                rows += _sum_rows(products)
            if len(terms) > 1:
                rows += _sum_rows(_numbers_terms([t.value for t in terms]), per_row=3)
            rows.append(f"&= {_latex_number(summed.value)}")
            # a little space between the chain and the expansion of its sum
            body += " \\\\[1ex]\n" + " \\\\\n".join(rows)
        return f"\\begin{{aligned}}\n{body}\n\\end{{aligned}}"

    def _factor_items(self) -> list[str]:
        """The factors as a Markdown list: symbol, formula, value and meaning of each, and
        under a sum its terms (one path each) as a nested list.

        A list rather than a five-column table: its lines wrap in a phone's column (358 px
        at a 390 px wide window), where such a table had to scroll sideways.
        """
        items = []
        for number, factor in enumerate(self.factors, start=1):
            items.append(
                f"{number}. ${factor.symbol}$ $= {factor.formula}$ "
                f"$= {_plain(factor.value, 9)}$ \N{EM DASH} {factor.meaning}"
            )
            for term in factor.terms:
                numbers = _numbers_product([f.value for f in term.factors])
                items.append(
                    f"   - {number}.{term.neuron}, the path through neuron {term.neuron} of "
                    f"layer {self.ref.layer + 1}: ${term.symbol}$ $= {numbers}$ "
                    f"$= {_plain(term.value, 9)}$"
                )
        return items

    def _repr_markdown_(self) -> str:
        kind = "weight" if self.ref.is_weight else "bias"
        where = "output" if self.ref.layer == self.n_layers else "hidden"
        lines = [
            f"**Chain rule for the {where} {kind} `{self.param}`** "
            f"(one sample, loss $E = {_latex_number(self.loss)}$):",
            "",
            "$$",
            self.to_latex(),
            "$$",
            "",
            "The factors, step by step:",
            "",
            *self._factor_items(),
            "",
            f"Product of the factors: {_plain(self.value, 9)}, the gradient the backward pass "
            f"gives for `{self.param}` on this sample.",
        ]
        return "\n".join(lines)

    def __repr__(self) -> str:
        head = f"dE/d{self.param}"
        pad = " " * (len(head) + 1)
        lines = [
            f"ChainRule for {self.param} (one sample, loss E = {_plain(self.loss)})",
            f"  {head} = " + " * ".join(f.text for f in self.factors),
            f"  {pad}= " + " * ".join(_plain(f.value) for f in self.factors),
            f"  {pad}= {_plain(self.value, 9)}",
        ]
        summed = self._sum()
        if summed is not None:
            lines.append(f"  {summed.text} = sum over k of:")
            for term in summed.terms:
                numbers = " * ".join(_plain(f.value) for f in term.factors)
                lines.append(f"    k={term.neuron}: {term.text} = {numbers} = {_plain(term.value)}")
            lines.append(f"    total {_plain(summed.value, 9)}")
        lines.append("  factors:")
        for number, factor in enumerate(self.factors, start=1):
            lines.append(
                f"    {number}. {factor.text} = {_plain(factor.value, 9)}: {factor.meaning}"
            )
        return "\n".join(lines)

    __str__ = __repr__


# ----------------------------------------------------------------------- entry point


def _one_sample(net: Network, x: Any, y: Any) -> tuple[np.ndarray, np.ndarray]:
    n_in = net.layer_sizes[0]
    array = check_finite_array("x", x, net.dtype)
    rows = None
    if array.ndim == 2 and array.shape[1] == n_in and array.shape[0] > 1:
        rows = array.shape[0]
    elif array.ndim == 1 and n_in == 1 and array.shape[0] > 1:
        rows = array.shape[0]
    if rows is not None:
        raise ValueError(
            f"x must be one sample, shape ({n_in},) or (1, {n_in}); got shape {array.shape}, "
            f"{rows} samples. The chain rule here is for one sample: pass one row, e.g. X[0]"
        )
    X, _ = net.check_inputs(array, argument="x")
    Y = net.check_targets(y, 1, True, argument="y")
    return X, Y


def chain_rule(net: Network, x: Any, y: Any, param: str) -> ChainRule:
    """The derivative of one sample's loss with respect to one parameter, step by step.

    Chapter 3, "The chain rule": :math:`\\partial E / \\partial w^{(l)}_{ij}` (or
    :math:`\\partial E / \\partial b^{(l)}_j`) as the product of local derivatives, each
    shown with its symbol, meaning and value; for a hidden parameter the first factor,
    :math:`\\partial E / \\partial a^{(l)}_j`, is itself a sum over the neurons of the next
    layer, shown term by term. The values come from the network's forward and backward
    pass (:meth:`Network.backward_trace`) and its activations' derivatives.

    Parameters
    ----------
    net : Network
        Any depth, activation and loss the network supports (softmax outputs included).
    x : array_like
        One sample: shape ``(n_inputs,)`` or ``(1, n_inputs)``.
    y : array_like
        Its target: shape ``(n_outputs,)`` or ``(1, n_outputs)``.
    param : str
        ``"W<l>[i,j]"`` for ``net.weights[l-1][i, j]`` or ``"b<l>[j]"`` for
        ``net.biases[l-1][j]`` (layers from 1, indices from 0).

    Returns
    -------
    ChainRule
        ``.factors``, their product ``.value`` (equal to ``net.gradients(x, y)[param]``
        up to rounding; for a float32 network, to float32 precision), ``.paths``, and a
        notebook display of the chain with the numbers substituted.

    Raises
    ------
    TypeError
        If ``net`` is not a :class:`Network` or ``param`` is not a string.
    ValueError
        If ``x`` holds several samples, shapes do not match the network, or ``param``
        names a parameter the network does not have.

    Examples
    --------
    >>> import backprop_lab as bl
    >>> net = bl.Network([2, 2, 2], seed=0)
    >>> steps = bl.chain_rule(net, [0.05, 0.10], [0.01, 0.99], "W2[0,0]")
    >>> [f.text for f in steps.factors]
    ['dE/dyhat_0', 'dyhat_0/dz(2)_0', 'dz(2)_0/dW2[0,0]']
    """
    check_network("net", net)
    ref = parse_parameter(param, net.layer_sizes)
    X, Y = _one_sample(net, x, y)
    trace = net.backward_trace(X, Y)
    return ChainRule(net, trace, ref)


def chain_rule_path(layer_sizes: list[int], param: str) -> tuple[list[str], set[tuple[int, int]]]:
    """Edges and neurons on the chain-rule path of ``param`` (chapter 3).

    The path starts at the parameter (its edge, for a weight) and follows every edge from
    the neuron it feeds to the outputs: the loss depends on the parameter only through
    those paths, so its derivative is a sum over them.

    Returns
    -------
    edges : list of str
        Weight names on the path, the parameter's own edge first.
    neurons : set of (layer, j)
    """
    ref = parse_parameter(param, layer_sizes)
    edges = [ref.name] if ref.is_weight else []
    neurons = {(ref.layer, ref.to_unit)}
    if ref.is_weight:
        neurons.add((ref.layer - 1, ref.index[0]))
    frontier = [ref.to_unit]
    for layer in range(ref.layer + 1, len(layer_sizes)):
        for i in frontier:
            edges += [f"W{layer}[{i},{j}]" for j in range(layer_sizes[layer])]
        frontier = list(range(layer_sizes[layer]))
        neurons.update((layer, j) for j in frontier)
    return edges, neurons
