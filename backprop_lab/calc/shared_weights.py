"""The gradient of a shared weight, one use at a time (chapter 7, "Shared weights").

A weight used in several places of a computational graph gets the sum of the gradients of
its uses (chapter 3: a value used twice adds its gradients). This module writes that sum out
term by term, in the style of :func:`~backprop_lab.calc.chain_rule.chain_rule`:

- :func:`conv1d_chain_rule`: kernel entry :math:`w_m` of a 1-D convolution is used once per
  output position :math:`j`, so
  :math:`\\frac{\\partial E}{\\partial w_m} = \\sum_j \\frac{\\partial E}{\\partial z_j}\\,
  \\frac{\\partial z_j}{\\partial w_m} = \\sum_j g_j\\, x_{j+m}`;
- :func:`rnn_chain_rule`: a recurrent weight, say :math:`(W_h)_{ij}`, is used once per time
  step :math:`t`, and each use is a chain of three factors,
  :math:`\\frac{\\partial E}{\\partial (W_h)_{ij}} = \\sum_t \\frac{\\partial E}{\\partial
  h_{t,j}}\\, \\frac{\\partial h_{t,j}}{\\partial z_{t,j}}\\,
  \\frac{\\partial z_{t,j}}{\\partial (W_h)_{ij}} = \\sum_t \\frac{\\partial E}{\\partial
  h_{t,j}}\\,(1 - h_{t,j}^2)\\, h_{t-1,i}`.

Each returns a :class:`SharedWeightGradient` whose ``.value`` equals the entry that
:func:`~backprop_lab.calc.convolution.conv1d_backward` or
:func:`~backprop_lab.calc.recurrence.rnn_backward` computes, and which displays itself in a
notebook with every number substituted.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from backprop_lab.calc.chain_rule import (
    Factor,
    _latex_number,
    _numbers_product,
    _numbers_sum,
    _partial,
    _plain,
)
from backprop_lab.calc.convolution import _check_grad_out, _conv1d_inputs
from backprop_lab.calc.recurrence import rnn_backward
from backprop_lab.checks.arguments import check_integer, describe

__all__ = ["SharedWeightGradient", "Use", "conv1d_chain_rule", "rnn_chain_rule"]


@dataclass(frozen=True)
class Use:
    """One use of a shared weight: one term of its gradient's sum (chapter 7).

    Attributes
    ----------
    index : int
        Where the weight is used: the output position :math:`j` of a convolution, or the
        time step :math:`t` (from 1) of a recurrent layer.
    factors : tuple of Factor
        The chain rule's factors along this use, loss end first.
    value : float
        Their product: this use's contribution to the gradient.
    """

    index: int
    factors: tuple[Factor, ...]
    value: float

    @property
    def symbol(self) -> str:
        """LaTeX of the term, the product of its factors' symbols."""
        return " \\, ".join(f.symbol for f in self.factors)

    @property
    def text(self) -> str:
        """The term in plain text."""
        return " * ".join(f.text for f in self.factors)


def _use(index: int, factors: list[Factor]) -> Use:
    value = 1.0
    for factor in factors:
        value *= factor.value
    return Use(index, tuple(factors), value + 0.0)  # + 0.0 shows -0.0 as 0


class SharedWeightGradient:
    """:math:`\\partial E / \\partial w` for a shared weight, as a sum over its uses.

    Made by :func:`conv1d_chain_rule` or :func:`rnn_chain_rule`; read the attributes or
    display it in a notebook (chapter 7).

    Attributes
    ----------
    param : str
        The weight, e.g. ``"w[1]"`` or ``"W_h[0,0]"``.
    symbol : str
        LaTeX of the derivative.
    general_term : str
        LaTeX of the sum with a general index, e.g. ``\\sum_j g_j\\, x_{j+1}``.
    uses : tuple of Use
        One term per use, in order.
    value : float
        Their sum, equal to the backward function's entry.
    index_name : str
        The index of a use: ``"j"`` (output position) or ``"t"`` (time step).
    """

    def __init__(
        self, param: str, symbol: str, general_term: str, uses: list[Use], index_name: str
    ) -> None:
        self.param = param
        self.symbol = symbol
        self.general_term = general_term
        self.uses = tuple(uses)
        self.index_name = index_name
        total = 0.0
        for use in self.uses:
            total += use.value
        self.value: float = total

    def to_latex(self) -> str:
        """The sum as LaTeX (an ``aligned`` block, without ``$$`` delimiters): the general
        term, each use's factors, their numbers, the terms' values, the total."""
        products = [_numbers_product([f.value for f in u.factors]) for u in self.uses]
        rows = [f"{self.symbol} &= {self.general_term}"]
        rows += self._summed([u.symbol for u in self.uses])
        rows += self._summed([f"\\left({p}\\right)" for p in products])
        if len(self.uses) > 1:
            rows.append("&= " + _numbers_sum([u.value for u in self.uses]))
        rows.append(f"&= {_latex_number(self.value)}")
        return "\\begin{aligned}\n" + " \\\\\n".join(rows) + "\n\\end{aligned}"

    def _summed(self, terms: list[str]) -> list[str]:
        """Rows of ``&= t_1 + t_2 + ...``: one row if short, else one term per row (a page
        is about eight factors wide)."""
        factors = sum(len(u.factors) for u in self.uses)
        if factors <= 8:
            return ["&= " + " + ".join(terms)]
        return [f"&= {terms[0]}"] + [f"&\\quad + {term}" for term in terms[1:]]

    def _what(self) -> str:
        return "one per output position j" if self.index_name == "j" else "one per time step t"

    def _repr_markdown_(self) -> str:
        lines = [
            f"**Gradient of the shared weight `{self.param}`**: one term per use "
            f"({self._what()}), added up.",
            "",
            "$$",
            self.to_latex(),
            "$$",
            "",
            f"| ${self.index_name}$ | term | numbers | value |",
            "|---|---|---|---|",
        ]
        for use in self.uses:
            numbers = _numbers_product([f.value for f in use.factors])
            cells = [str(use.index), f"${use.symbol}$", f"${numbers}$", _plain(use.value, 9)]
            lines.append("| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |")
        lines += ["", "Factors:", ""]
        for use in self.uses:
            for factor in use.factors:
                lines.append(
                    f"- ${self.index_name} = {use.index}$: ${factor.symbol} = {factor.formula} = "
                    f"{_latex_number(factor.value)}$, {factor.meaning}"
                )
        lines += ["", f"Sum: {_plain(self.value, 9)}, the entry the backward pass gives."]
        return "\n".join(lines)

    def __repr__(self) -> str:
        lines = [f"SharedWeightGradient for {self.param}: a sum over {len(self.uses)} uses"]
        for use in self.uses:
            numbers = " * ".join(_plain(f.value) for f in use.factors)
            lines.append(
                f"  {self.index_name}={use.index}: {use.text} = {numbers} = {_plain(use.value)}"
            )
        lines.append(f"  total dE/d{self.param} = {_plain(self.value, 9)}")
        return "\n".join(lines)

    __str__ = __repr__


# ------------------------------------------------------------------ convolution


def conv1d_chain_rule(x: Any, kernel: Any, grad_out: Any, m: int) -> SharedWeightGradient:
    """:math:`\\partial E / \\partial w_m` of a 1-D convolution, one position at a time.

    Chapter 7: :math:`z_j = \\sum_m w_m x_{j+m} + b` uses :math:`w_m` at every output
    position :math:`j`, with local derivative :math:`\\partial z_j / \\partial w_m = x_{j+m}`,
    so

    .. math:: \\frac{\\partial E}{\\partial w_m} = \\sum_j g_j\\, x_{j+m}, \\qquad
              g_j = \\frac{\\partial E}{\\partial z_j}.

    Parameters
    ----------
    x : array_like
        The signal, shape ``(n,)``.
    kernel : array_like
        Shape ``(k,)``.
    grad_out : array_like
        :math:`g`, shape ``(n - k + 1,)``.
    m : int
        Which kernel entry, ``0 <= m < k``.

    Returns
    -------
    SharedWeightGradient
        ``.value`` equals ``conv1d_backward(x, kernel, grad_out)[1][m]``.

    Examples
    --------
    >>> steps = conv1d_chain_rule([1, 2, 0, -1, 3], [1, -1], [1, 0, 0, 2], m=1)
    >>> [use.value for use in steps.uses], steps.value
    ([2.0, 0.0, 0.0, 6.0], 8.0)
    """
    x, w = _conv1d_inputs(x, kernel)
    n_out = x.size - w.size + 1
    g = _check_grad_out(grad_out, (n_out,))
    m = check_integer("m", m, minimum=0, maximum=w.size - 1)
    uses = []
    for j in range(n_out):
        arriving = Factor(
            symbol=_partial("E", f"z_{{{j}}}"),
            meaning=f"the gradient arriving at output {j}",
            value=float(g[j]),
            text=f"dE/dz_{j}",
            formula=f"g_{{{j}}}",
        )
        local = Factor(
            symbol=_partial(f"z_{{{j}}}", f"w_{{{m}}}"),
            meaning=f"what w_{m} multiplies at position {j}: input x_{j + m}",
            value=float(x[j + m]),
            text=f"dz_{j}/dw_{m}",
            formula=f"x_{{{j + m}}}",
        )
        uses.append(_use(j, [arriving, local]))
    result = SharedWeightGradient(
        param=f"w[{m}]",
        symbol=_partial("E", f"w_{{{m}}}"),
        general_term=f"\\sum_{{j=0}}^{{{n_out - 1}}} g_j\\, x_{{j+{m}}}",
        uses=uses,
        index_name="j",
    )
    return result


# ------------------------------------------------------------------ recurrence

_PARAM = re.compile(r"^\s*(?P<kind>W_x|W_h|b)\[\s*(?P<a>\d+)\s*(?:,\s*(?P<b>\d+)\s*)?\]\s*$")


def _parse_rnn_param(param: Any, n_in: int, n_hidden: int) -> tuple[str, int | None, int]:
    """``"W_h[i,j]"``, ``"W_x[i,j]"`` or ``"b[j]"`` as (kind, i, j), checked against shapes."""
    if not isinstance(param, str):
        raise TypeError(
            f"param must be a string such as 'W_h[0,0]', 'W_x[0,1]' or 'b[0]'; got "
            f"{describe(param)}"
        )
    match = _PARAM.match(param)
    if match is None or (match["kind"] == "b") != (match["b"] is None):
        raise ValueError(
            "param must look like 'W_h[i,j]' or 'W_x[i,j]' for a weight or 'b[j]' for a bias, "
            f"e.g. 'W_h[0,0]'; got {param!r}"
        )
    kind = match["kind"]
    if kind == "b":
        i, j = None, int(match["a"])
    else:
        i, j = int(match["a"]), int(match["b"])
        rows = n_hidden if kind == "W_h" else n_in
        if i >= rows:
            raise ValueError(
                f"param {param!r} names row {i}, but {kind} has {rows} row(s) (from 0)"
            )
    if j >= n_hidden:
        raise ValueError(
            f"param {param!r} names hidden unit {j}, but there are {n_hidden} (from 0)"
        )
    return kind, i, j


def _step_factors(grads: Any, kind: str, i: int | None, j: int, t: int) -> list[Factor]:
    """The three factors of step ``t``'s use of the parameter (steps from 1)."""
    h_t = float(grads.states[t][j])
    direct = float(grads.grad_states[t - 1][j] - _from_later(grads, j, t))
    later = _from_later(grads, j, t)
    factors = [
        Factor(
            symbol=_partial("E", f"h_{{{t},{j}}}"),
            meaning=(
                f"dE/dh_{t}[{j}]: {_plain(direct)} from the loss at step {t}"
                + ("" if t == grads.steps else f" plus {_plain(later)} back through h_{t + 1}")
            ),
            value=float(grads.grad_states[t - 1][j]),
            text=f"dE/dh_{t}[{j}]",
            formula=f"\\bar g_{{{t},{j}}}"
            + ("" if t == grads.steps else f" + \\sum_k \\delta_{{{t + 1},k}}\\,(W_h)_{{{j},k}}"),
        ),
        Factor(
            symbol=_partial(f"h_{{{t},{j}}}", f"z_{{{t},{j}}}"),
            meaning=f"slope of tanh at step {t}: 1 - h_{t}[{j}]^2",
            value=1.0 - h_t**2,
            text=f"dh_{t}[{j}]/dz_{t}[{j}]",
            formula=f"1 - h_{{{t},{j}}}^2",
        ),
    ]
    if kind == "W_h":
        value, formula, what = grads.states[t - 1][i], f"h_{{{t - 1},{i}}}", f"h_{t - 1}[{i}]"
    elif kind == "W_x":
        value, formula, what = grads.inputs[t - 1][i], f"x_{{{t},{i}}}", f"x_{t}[{i}]"
    else:
        value, formula, what = 1.0, "1", "1 (the bias is added as it is)"
    name = f"b_{{{j}}}" if kind == "b" else f"({kind})_{{{i},{j}}}"
    factors.append(
        Factor(
            symbol=_partial(f"z_{{{t},{j}}}", name),
            meaning=f"what the parameter multiplies at step {t}: {what}",
            value=float(value),
            text=f"dz_{t}[{j}]/d{kind}" + (f"[{i},{j}]" if i is not None else f"[{j}]"),
            formula=formula,
        )
    )
    return factors


def _from_later(grads: Any, j: int, t: int) -> float:
    """What reaches :math:`h_{t,j}` back through :math:`h_{t+1}`: :math:`(\\delta_{t+1}
    W_h^\\top)_j`, zero at the last step."""
    if t == grads.steps:
        return 0.0
    return float(grads.deltas[t] @ grads.recurrent_weights[j])


def rnn_chain_rule(
    xs: Any,
    W_x: Any,
    W_h: Any,
    b: Any,
    grad_hs: Any,
    param: str = "W_h[0,0]",
    h0: Any = None,
) -> SharedWeightGradient:
    """:math:`\\partial E / \\partial` one parameter of a tanh recurrent layer, step by step.

    Chapter 7, backpropagation through time: the parameter is used at every step
    :math:`t = 1..T`, and each use contributes a chain of three factors, for example

    .. math:: \\frac{\\partial E}{\\partial (W_h)_{ij}} = \\sum_{t=1}^{T}
              \\frac{\\partial E}{\\partial h_{t,j}}\\,(1 - h_{t,j}^2)\\, h_{t-1,i},

    where :math:`\\partial E / \\partial h_{t,j}` already holds what comes back from later
    steps (see :func:`~backprop_lab.calc.recurrence.rnn_backward`). For :math:`(W_x)_{ij}`
    the last factor is :math:`x_{t,i}`, for :math:`b_j` it is 1.

    Parameters
    ----------
    xs, W_x, W_h, b, grad_hs, h0
        As for :func:`~backprop_lab.calc.recurrence.rnn_backward`.
    param : str
        ``"W_h[i,j]"`` (default ``"W_h[0,0]"``), ``"W_x[i,j]"`` or ``"b[j]"``, indices from 0.

    Returns
    -------
    SharedWeightGradient
        One use per step; ``.value`` equals the matching entry of ``rnn_backward(...)``.

    Examples
    --------
    >>> steps = rnn_chain_rule([1, 0, 0], 0.8, 0.5, 0.0, [0, 0, 1], "W_h[0,0]")
    >>> [round(use.value, 4) for use in steps.uses], round(steps.value, 4)
    ([0.0, 0.2904, 0.3123], 0.6027)
    """
    grads = rnn_backward(xs, W_x, W_h, b, grad_hs, h0=h0)
    n_in, n_hidden = grads.W_x.shape
    kind, i, j = _parse_rnn_param(param, n_in, n_hidden)
    uses = [_use(t, _step_factors(grads, kind, i, j, t)) for t in range(1, grads.steps + 1)]
    if kind == "b":
        name, last = f"b_{{{j}}}", "1"
        label = f"b[{j}]"
    elif kind == "W_h":
        name, last = f"(W_h)_{{{i},{j}}}", f"h_{{t-1,{i}}}"
        label = f"W_h[{i},{j}]"
    else:
        name, last = f"(W_x)_{{{i},{j}}}", f"x_{{t,{i}}}"
        label = f"W_x[{i},{j}]"
    general = (
        f"\\sum_{{t=1}}^{{{grads.steps}}} \\frac{{\\partial E}}{{\\partial h_{{t,{j}}}}}"
        f"\\,(1 - h_{{t,{j}}}^2)\\, {last}"
    )
    result = SharedWeightGradient(label, _partial("E", name), general, uses, "t")
    return result
