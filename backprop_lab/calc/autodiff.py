"""Scalar reverse-mode automatic differentiation: the computational graph (chapter 3).

A :class:`Value` holds one number. Every operation on Values (``+ - * / **``, ``exp``,
``log``, ``tanh``, ``sigmoid``, ``relu``) returns a new Value that remembers

- ``children``: the Values it was computed from (its inputs);
- ``op``: the operation's name, such as ``"*"`` or ``"sigmoid"``;
- ``local_grads``: the operation's *local derivatives*, the partial derivative of its
  output with respect to each input, at the numbers it was computed at.

So an expression builds a *computational graph*: leaves (the Values you made) at the
bottom, the result at the top. ``result.backward()`` walks that graph once from the top,
in reverse topological order, and applies the chain rule at every node,

.. math::

    \\frac{\\partial E}{\\partial c} \\mathrel{+}=
    \\frac{\\partial E}{\\partial v}\\,\\frac{\\partial v}{\\partial c}
    \\quad\\text{for every input } c \\text{ of every node } v,

so that afterwards ``leaf.grad`` is :math:`\\partial E / \\partial \\text{leaf}`. The ``+=``
is the multivariable chain rule: a Value used twice receives a contribution along each
use. This is what chapter 3's deltas compute layer by layer, done node by node; it is also
how PyTorch's autograd works, on tensors instead of numbers.

The design follows the tradition of Andrej Karpathy's *micrograd*, with three
differences a reader may notice:

- each operation stores its local derivatives as numbers next to its result, rather
  than a closure, so the code of an operation is its value and its derivative, side by
  side, and nothing else;
- :meth:`Value.backward` sorts the graph without recursion, so a chain of 100,000
  operations works (a recursive sort stops at Python's recursion limit, about 1,000);
- :meth:`Value.backward` first sets every gradient in the graph to 0, so calling it twice
  gives the same gradients; micrograd adds to whatever the gradients held, which
  doubles them on a second call. To add up the gradients of several losses, call
  ``backward()`` on their sum.

:func:`worked_example_graph` builds the loss of the book's 2-2-2 worked example from
Values; :func:`backprop_lab.plotting.draw_graph` draws any small graph.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass
from numbers import Real
from typing import Any

import numpy as np

from backprop_lab.checks.arguments import check_number, describe

__all__ = ["Value", "WorkedExampleGraph", "worked_example_graph"]


# ----------------------------------------------------------------------- checks


def _check_label(label: Any) -> str | None:
    if label is not None and not isinstance(label, str):
        raise TypeError(f"label must be a string or None; got {describe(label)}")
    return label


def _operand(other: Any, op: str) -> Value:
    """The other operand of a binary operation, as a Value (numbers become constant leaves)."""
    if isinstance(other, Value):
        return other
    if isinstance(other, bool | np.bool_) or not isinstance(other, Real):
        raise TypeError(
            f"the operands of {op} must be Values or real numbers; got {describe(other)}"
        )
    return Value(check_number(f"the operand of {op}", other))


def _overflow(op: str, *inputs: float) -> OverflowError:
    shown = ", ".join(f"{x:.6g}" for x in inputs)
    return OverflowError(
        f"{op} of {shown} is too large for a float64 (beyond about 1.8e308); scale the inputs down"
    )


def _node(data: float, op: str, children: tuple[Value, ...], local_grads: tuple[float, ...]):
    """A new Value computed by ``op`` from ``children``; checks the result is finite."""
    if not math.isfinite(data):
        raise _overflow(op, *(c._data for c in children))
    out = Value.__new__(Value)
    out._data = data
    out.grad = 0.0
    out.label = None
    out.op = op
    out.children = children
    out.local_grads = local_grads
    return out


# ------------------------------------------------------------------------ Value


class Value:
    """One number in a computational graph, with the gradient of a result (chapter 3).

    Parameters
    ----------
    data : float
        The number: a finite int, float or numpy scalar (not a bool).
    label : str, optional
        A name to show when the graph is drawn, e.g. ``"w5"``.

    Attributes
    ----------
    data : float
        The number. Assigning a new one (``w.data -= 0.5 * w.grad``) changes this Value
        only; results computed from it earlier keep their numbers until recomputed.
    grad : float
        :math:`\\partial E / \\partial v`, where ``E`` is the Value whose
        :meth:`backward` ran last; 0 before.
    label : str or None
        Shown by :func:`~backprop_lab.plotting.draw_graph`; may be set at any time.
    op : str or None
        The operation that made this Value: ``"+"``, ``"-"``, ``"*"``, ``"/"``,
        ``"neg"``, ``"**2"`` (the exponent written out), ``"exp"``, ``"log"``,
        ``"tanh"``, ``"sigmoid"``, ``"relu"``; ``None`` for a leaf.
    children : tuple of Value
        The inputs of that operation, in order (``(a, a)`` for ``a * a``); empty for a leaf.
    local_grads : tuple of float
        The operation's local derivatives :math:`\\partial v / \\partial c`, one per child.

    Notes
    -----
    Python numbers and numpy scalars mix with Values on either side (``2 * v``,
    ``1 - v``, ``np.float64(0.5) / v``); each becomes a constant leaf of the graph.
    Errors follow Python's floats, with messages that say what went wrong:
    ``ZeroDivisionError`` for a division by zero, ``OverflowError`` for a result beyond
    float64's range, ``ValueError`` for a log of a number <= 0 or a negative number to a
    fractional power.

    Examples
    --------
    >>> w = Value(0.5, label="w")
    >>> y = (w * 2 + 1).sigmoid()
    >>> y.backward()
    >>> round(w.grad, 6)  # 2 sigmoid'(2) = 2 sigmoid(2) (1 - sigmoid(2))
    0.209987
    """

    __slots__ = ("__weakref__", "_data", "children", "grad", "label", "local_grads", "op")

    # numpy scalars on the left (np.float64(2) * v) hand over to our reflected operators
    __array_ufunc__ = None

    def __init__(self, data: float, label: str | None = None) -> None:
        if isinstance(data, Value):
            raise TypeError(
                "data must be a real number; got a Value (for a new leaf with its number, "
                "write Value(v.data))"
            )
        self._data = check_number("data", data)
        self.grad = 0.0
        self.label = _check_label(label)
        self.op: str | None = None
        self.children: tuple[Value, ...] = ()
        self.local_grads: tuple[float, ...] = ()

    @property
    def data(self) -> float:
        return self._data

    @data.setter
    def data(self, value: float) -> None:
        self._data = check_number("data", value)

    @property
    def is_leaf(self) -> bool:
        """Whether this Value was made directly rather than computed by an operation."""
        return self.op is None

    def __repr__(self) -> str:
        parts = [f"data={self._data!r}", f"grad={self.grad!r}"]
        if self.label is not None:
            parts.append(f"label={self.label!r}")
        if self.op is not None:
            parts.append(f"op={self.op!r}")
        return f"Value({', '.join(parts)})"

    # ------------------------------------------------------------ the operations
    # Each returns its result and, beside it, the local derivative for each input.

    def __add__(self, other: Value | float) -> Value:
        other = _operand(other, "+")
        # d(a + b)/da = 1, d(a + b)/db = 1
        return _node(self._data + other._data, "+", (self, other), (1.0, 1.0))

    def __sub__(self, other: Value | float) -> Value:
        other = _operand(other, "-")
        # d(a - b)/da = 1, d(a - b)/db = -1
        return _node(self._data - other._data, "-", (self, other), (1.0, -1.0))

    def __mul__(self, other: Value | float) -> Value:
        other = _operand(other, "*")
        # d(a b)/da = b, d(a b)/db = a
        return _node(self._data * other._data, "*", (self, other), (other._data, self._data))

    def __truediv__(self, other: Value | float) -> Value:
        other = _operand(other, "/")
        a, b = self._data, other._data
        if b == 0:
            raise ZeroDivisionError(f"division by zero: {a:.6g} / 0 (the divisor's data is 0)")
        # d(a / b)/da = 1 / b, d(a / b)/db = -a / b^2
        return _node(a / b, "/", (self, other), (1.0 / b, -(a / b) / b))

    def __neg__(self) -> Value:
        # d(-a)/da = -1
        return _node(-self._data, "neg", (self,), (-1.0,))

    def __pow__(self, exponent: float) -> Value:
        if isinstance(exponent, Value):
            raise TypeError(
                "the exponent of ** must be a number, not a Value (Value ** Value is not "
                "supported; for b ** v write (v * math.log(b)).exp())"
            )
        n = check_number("the exponent of **", exponent)
        x = self._data
        op = f"**{n:g}"
        if x < 0 and not n.is_integer():
            raise ValueError(
                f"{x:.6g} {op}: a negative number to a fractional power is not a real number"
            )
        if x == 0 and n < 1 and n != 0:
            raise ZeroDivisionError(
                f"0 {op}: the power or its derivative n x**(n-1) is infinite at x = 0"
            )
        try:
            power = x**n
        except OverflowError:
            raise _overflow(op, x) from None
        try:
            # d(x^n)/dx = n x^(n-1)
            local = 0.0 if n == 0 else n * x ** (n - 1)
        except OverflowError:
            local = math.inf
        if not math.isfinite(local):
            raise _overflow(f"the derivative of {op}", x)
        return _node(power, op, (self,), (local,))

    def exp(self) -> Value:
        """:math:`e^x`, whose derivative is :math:`e^x` itself."""
        try:
            out = math.exp(self._data)
        except OverflowError:
            raise _overflow("exp", self._data) from None
        # d(e^x)/dx = e^x
        return _node(out, "exp", (self,), (out,))

    def log(self) -> Value:
        """The natural logarithm :math:`\\ln x` (x > 0), whose derivative is :math:`1/x`."""
        x = self._data
        if x <= 0:
            raise ValueError(f"log is defined for numbers > 0; got a Value with data {x!r}")
        # d(ln x)/dx = 1 / x
        return _node(math.log(x), "log", (self,), (1.0 / x,))

    def tanh(self) -> Value:
        """:math:`\\tanh x`, whose derivative is :math:`1 - \\tanh^2 x` (chapter 1)."""
        t = math.tanh(self._data)
        # d(tanh x)/dx = 1 - tanh(x)^2
        return _node(t, "tanh", (self,), (1.0 - t * t,))

    def sigmoid(self) -> Value:
        """:math:`\\sigma(x) = 1/(1+e^{-x})`, derivative :math:`\\sigma(1-\\sigma)` (chapter 1).

        Computed without overflow for any finite x: for x < 0 as :math:`e^x/(1+e^x)`.
        """
        x = self._data
        if x >= 0:
            s = 1.0 / (1.0 + math.exp(-x))
        else:
            e = math.exp(x)
            s = e / (1.0 + e)
        # d(sigma(x))/dx = sigma(x) (1 - sigma(x))
        return _node(s, "sigmoid", (self,), (s * (1.0 - s),))

    def relu(self) -> Value:
        """:math:`\\max(0, x)`; its derivative is 1 for x > 0 and 0 otherwise (0 at x = 0)."""
        x = self._data
        # d(max(0, x))/dx = 1 if x > 0 else 0: the gradient is routed through or stopped
        return _node(x if x > 0 else 0.0, "relu", (self,), (1.0 if x > 0 else 0.0,))

    # ------------------------------------------------- numbers on the left-hand side

    def __radd__(self, other: float) -> Value:
        return _operand(other, "+") + self

    def __rsub__(self, other: float) -> Value:
        return _operand(other, "-") - self

    def __rmul__(self, other: float) -> Value:
        return _operand(other, "*") * self

    def __rtruediv__(self, other: float) -> Value:
        return _operand(other, "/") / self

    def __rpow__(self, base: Any) -> Value:
        raise TypeError(
            f"the exponent of ** must be a number, not a Value; got {describe(base)} ** Value "
            "(for b ** v write (v * math.log(b)).exp())"
        )

    # ------------------------------------------------------------------ backward

    def topological_order(self) -> list[Value]:
        """Every Value of the graph below this one, each after its children; this one last.

        A depth-first search kept on an explicit stack, not on Python's call stack, so
        a graph of any depth can be sorted. Each Value appears once, however often it is
        used.
        """
        order: list[Value] = []
        seen = {self}
        stack: list[tuple[Value, Iterator[Value]]] = [(self, iter(self.children))]
        while stack:
            node, pending = stack[-1]
            for child in pending:
                if child not in seen:
                    seen.add(child)
                    stack.append((child, iter(child.children)))
                    break
            else:  # every child is placed: the node can follow them
                stack.pop()
                order.append(node)
        return order

    def backward(self) -> None:
        """Set ``grad`` of every Value in the graph to the derivative of this one (ch. 3).

        Resets every gradient in the graph to 0, sets this Value's to 1
        (:math:`\\partial v/\\partial v`), then visits the nodes from this one down to the
        leaves, each before its children, and adds ``local_grad * node.grad`` to each
        child's ``grad``. A Value used twice so collects both contributions.

        Because of the reset, calling ``backward()`` again gives the same gradients
        (micrograd would add them to the old ones). Gradients of Values outside this
        graph are not touched.
        """
        order = self.topological_order()
        for node in order:
            node.grad = 0.0
        self.grad = 1.0
        for node in reversed(order):
            for child, local in zip(node.children, node.local_grads):
                child.grad += local * node.grad

    def zero_grad(self) -> None:
        """Set ``grad`` of every Value in the graph below and including this one to 0."""
        for node in self.topological_order():
            node.grad = 0.0


# --------------------------------------------------------- the worked example


@dataclass(frozen=True, eq=False)
class WorkedExampleGraph:
    """The worked example's loss as a graph of Values (chapter 3, "The computational graph").

    Attributes
    ----------
    loss : Value
        :math:`E = \\tfrac12 (y_1 - \\text{out}_{o1})^2 + \\tfrac12 (y_2 - \\text{out}_{o2})^2`.
    values : dict of str to Value
        Every named Value of the graph: the inputs ``"i1"``, ``"i2"``, the weights
        ``"w1"`` .. ``"w8"``, the shared biases ``"b1"``, ``"b2"``, the targets ``"y1"``,
        ``"y2"``, the neurons' ``"net_h1"``, ``"out_h1"`` .. ``"net_o2"``, ``"out_o2"``,
        the halves ``"E_o1"``, ``"E_o2"`` and ``"E"`` itself. Index the graph by name:
        ``graph["w5"]``.
    """

    loss: Value
    values: dict[str, Value]

    def __getitem__(self, name: str) -> Value:
        if name not in self.values:
            raise KeyError(f"no Value named {name!r}; the names are {', '.join(self.values)}")
        return self.values[name]

    def backward(self) -> WorkedExampleGraph:
        """Run ``loss.backward()`` and return the graph, so ``graph["w5"].grad`` is ready."""
        self.loss.backward()
        return self


def worked_example_graph(*, hidden_as_inputs: bool = False) -> WorkedExampleGraph:
    """Build the worked example's loss from Values, neuron by neuron (chapter 3).

    Each sigmoid neuron is broken into its operations: two products, two sums and a
    sigmoid, :math:`\\text{out}_{h1} = \\sigma(w_1 i_1 + w_2 i_2 + b_1)`; each output's
    error into a difference, a square and a product with 1/2. The numbers are those of
    :func:`backprop_lab.calc.datasets.worked_example`. After ``backward()``, ``graph["w5"].grad``
    and ``graph["w1"].grad`` equal ``net.gradients(x, y)["W2[0,0]"]`` and ``["W1[0,0]"]``.

    Parameters
    ----------
    hidden_as_inputs : bool
        Make ``out_h1`` and ``out_h2`` leaves holding the hidden layer's numbers, so the
        graph holds only the output layer and the loss (28 Values): all that
        :math:`\\partial E/\\partial w_5` .. :math:`\\partial E/\\partial w_8` need, and a
        graph that draws large. The full graph has 43 Values.

    Returns
    -------
    WorkedExampleGraph

    Notes
    -----
    As in the classic walk-through, one bias ``b1`` feeds both hidden neurons and one
    ``b2`` both outputs. So ``graph["b2"].grad`` is the sum of the package's
    ``"b2[0]"`` and ``"b2[1]"`` gradients (one Value used twice collects both).
    """
    from backprop_lab.calc.datasets import worked_example

    if not isinstance(hidden_as_inputs, bool | np.bool_):
        raise TypeError(f"hidden_as_inputs must be True or False; got {describe(hidden_as_inputs)}")
    example = worked_example()
    values: dict[str, Value] = {}

    def leaf(name: str, number: float) -> Value:
        values[name] = Value(float(number), label=name)
        return values[name]

    def named(name: str, value: Value) -> Value:
        value.label = name
        values[name] = value
        return value

    def neuron(name: str, inputs: list[Value], weights: list[Value], bias: Value) -> Value:
        total = inputs[0] * weights[0]
        for a, w in zip(inputs[1:], weights[1:]):
            total = total + a * w
        net = named(f"net_{name}", total + bias)
        return named(f"out_{name}", net.sigmoid())

    net = example.network
    W1, W2 = net.weights
    if hidden_as_inputs:
        hidden_out = net.forward_trace(example.x).a(1)
        out_h1 = leaf("out_h1", hidden_out[0])
        out_h2 = leaf("out_h2", hidden_out[1])
    else:
        i1, i2 = leaf("i1", example.x[0]), leaf("i2", example.x[1])
        w1, w2 = leaf("w1", W1[0, 0]), leaf("w2", W1[1, 0])
        w3, w4 = leaf("w3", W1[0, 1]), leaf("w4", W1[1, 1])
        b1 = leaf("b1", net.biases[0][0])
        out_h1 = neuron("h1", [i1, i2], [w1, w2], b1)
        out_h2 = neuron("h2", [i1, i2], [w3, w4], b1)
    w5, w6 = leaf("w5", W2[0, 0]), leaf("w6", W2[1, 0])
    w7, w8 = leaf("w7", W2[0, 1]), leaf("w8", W2[1, 1])
    b2 = leaf("b2", net.biases[1][0])
    out_o1 = neuron("o1", [out_h1, out_h2], [w5, w6], b2)
    out_o2 = neuron("o2", [out_h1, out_h2], [w7, w8], b2)
    y1, y2 = leaf("y1", example.y[0]), leaf("y2", example.y[1])
    e1 = named("E_o1", 0.5 * (y1 - out_o1) ** 2)
    e2 = named("E_o2", 0.5 * (y2 - out_o2) ** 2)
    loss = named("E", e1 + e2)
    return WorkedExampleGraph(loss=loss, values=values)
