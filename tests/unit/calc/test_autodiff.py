"""Tests of backprop_lab.calc.autodiff: Value against closed forms, finite differences and
the network.

Every operation's gradient is checked against its derivative written by hand; random
expressions (with subexpressions used several times) against central finite differences;
the worked example's loss, built from Values, against the network's vectorised backward
pass; and the graph machinery (a 100,000-node chain, calling backward twice) and every
bad input.
"""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

import backprop_lab as bl
from backprop_lab.calc import datasets
from backprop_lab.calc.autodiff import Value, worked_example_graph

finite = st.floats(-3.0, 3.0, allow_nan=False, allow_infinity=False)
positive = st.floats(0.01, 50.0)


def grads_of(result: Value, *leaves: Value) -> list[float]:
    result.backward()
    return [leaf.grad for leaf in leaves]


# ------------------------------------------------- each operation, by hand


@given(a=finite, b=finite)
def test_add_sub_mul_have_their_hand_derivatives(a, b):
    x, y = Value(a), Value(b)
    assert (x + y).data == a + b and grads_of(x + y, x, y) == [1.0, 1.0]
    assert (x - y).data == a - b and grads_of(x - y, x, y) == [1.0, -1.0]
    assert (x * y).data == a * b and grads_of(x * y, x, y) == [b, a]
    assert (-x).data == -a and grads_of(-x, x) == [-1.0]


@given(a=finite, b=finite.filter(lambda b: abs(b) > 1e-3))
def test_division_has_its_hand_derivatives(a, b):
    x, y = Value(a), Value(b)
    q = x / y
    assert q.data == a / b
    dx, dy = grads_of(q, x, y)
    assert dx == pytest.approx(1 / b, rel=1e-14)
    assert dy == pytest.approx(-a / b**2, rel=1e-12, abs=1e-300)


@given(a=positive, n=st.sampled_from([-2, -1, -0.5, 0, 0.5, 1, 2, 3, 2.5]))
def test_power_has_n_x_to_the_n_minus_1(a, n):
    x = Value(a)
    p = x**n
    assert p.op == f"**{n:g}"
    assert p.data == pytest.approx(a**n, rel=1e-14)
    assert grads_of(p, x) == [pytest.approx(n * a ** (n - 1), rel=1e-12)]


@given(a=st.floats(-4, 4).filter(lambda a: a == 0 or abs(a) > 1e-3), n=st.integers(-3, 4))
def test_integer_powers_of_negative_numbers_work(a, n):
    assume(a != 0 or n > 0)
    x = Value(a)
    assert grads_of(x**n, x)[0] == pytest.approx(n * a ** (n - 1) if n else 0.0, rel=1e-12)


@given(a=st.floats(-30, 30))
def test_exp_tanh_sigmoid_relu_have_their_hand_derivatives(a):
    x = Value(a)
    assert grads_of(x.exp(), x) == [pytest.approx(math.exp(a), rel=1e-15)]
    # 1 - tanh^2 and s (1 - s) lose relative precision where tanh and s round to 1
    assert grads_of(x.tanh(), x) == [pytest.approx(1 / math.cosh(a) ** 2, rel=1e-9, abs=1e-15)]
    s = 1 / (1 + np.exp(-a))
    assert x.sigmoid().data == pytest.approx(s, rel=1e-15)
    assert grads_of(x.sigmoid(), x) == [pytest.approx(s * (1 - s), rel=1e-9, abs=1e-15)]
    assert x.relu().data == max(a, 0.0)
    assert grads_of(x.relu(), x) == [1.0 if a > 0 else 0.0]


@given(a=positive)
def test_log_has_one_over_x(a):
    x = Value(a)
    assert x.log().data == math.log(a)
    assert grads_of(x.log(), x) == [pytest.approx(1 / a, rel=1e-15)]


def test_sigmoid_is_stable_far_out():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for z, expected in [(1000.0, 1.0), (-1000.0, 0.0), (-745.0, 0.0), (40.0, 1.0)]:
            x = Value(z)
            y = x.sigmoid()
            y.backward()
            assert y.data == pytest.approx(expected, abs=1e-17)
            assert x.grad == pytest.approx(0.0, abs=1e-17)
        tiny = Value(-700.0).sigmoid()
        assert tiny.data == pytest.approx(math.exp(-700.0), rel=1e-12)  # not rounded to 0


def test_relu_at_zero_routes_nothing():
    x = Value(0.0)
    assert grads_of(x.relu(), x) == [0.0]


def test_ops_and_children_describe_the_graph():
    a, b = Value(2.0, label="a"), Value(3.0, label="b")
    expressions = {
        "+": a + b,
        "-": a - b,
        "*": a * b,
        "/": a / b,
        "neg": -a,
        "**2": a**2,
        "**-0.5": a**-0.5,
        "exp": a.exp(),
        "log": a.log(),
        "tanh": a.tanh(),
        "sigmoid": a.sigmoid(),
        "relu": a.relu(),
    }
    for op, value in expressions.items():
        assert value.op == op and not value.is_leaf and value.label is None
        assert value.children[0] is a
        assert len(value.local_grads) == len(value.children)
    assert (a * b).children == (a, b) and (a * b).local_grads == (3.0, 2.0)
    assert a.op is None and a.children == () and a.is_leaf
    assert repr(a) == "Value(data=2.0, grad=0.0, label='a')"
    assert repr(a * b) == "Value(data=6.0, grad=0.0, op='*')"


# ------------------------------------------------------ numbers on either side


@pytest.mark.parametrize(
    "number", [2, 2.0, np.float64(2.0), np.float32(2.0), np.int64(2), np.int8(2)]
)
def test_numbers_and_numpy_scalars_on_either_side(number):
    x = Value(0.5)
    cases = {
        "x + n": (x + number, 2.5, 1.0),
        "n + x": (number + x, 2.5, 1.0),
        "x - n": (x - number, -1.5, 1.0),
        "n - x": (number - x, 1.5, -1.0),
        "x * n": (x * number, 1.0, 2.0),
        "n * x": (number * x, 1.0, 2.0),
        "x / n": (x / number, 0.25, 0.5),
        "n / x": (number / x, 4.0, -8.0),
        "x ** n": (x**number, 0.25, 1.0),
    }
    for name, (result, data, grad) in cases.items():
        assert type(result) is Value, name
        assert result.data == pytest.approx(data, rel=1e-15), name
        result.backward()
        assert x.grad == pytest.approx(grad, rel=1e-15), name


def test_a_number_becomes_a_constant_leaf():
    x = Value(0.5)
    y = 3 * x
    constant = y.children[0]
    assert constant.is_leaf and constant.data == 3.0 and constant.label is None


# ------------------------------------------------- gradients add up, graphs


def test_a_value_used_twice_collects_both_contributions():
    a, b = Value(3.0), Value(-2.0)
    assert grads_of(a * a, a) == [6.0]
    assert grads_of(a + a, a) == [2.0]
    f = a * b + a  # df/da = b + 1, df/db = a
    assert grads_of(f, a, b) == [-1.0, 3.0]
    e = a.exp()
    g = e * e + e  # d/da = 2 e^2a + e^a
    assert grads_of(g, a) == [pytest.approx(2 * math.exp(6) + math.exp(3), rel=1e-14)]


def test_topological_order_lists_each_value_once_children_first():
    a, b = Value(1.0), Value(2.0)
    c = a * b
    d = c + c
    e = d * a
    order = e.topological_order()
    assert len(order) == len(set(order)) == 5
    assert order[-1] is e
    position = {id(v): i for i, v in enumerate(order)}
    for v in order:
        assert all(position[id(child)] < position[id(v)] for child in v.children)


def test_backward_twice_gives_the_same_gradients():
    a, b = Value(0.3), Value(-1.2)
    y = (a * b).sigmoid() + a**2
    y.backward()
    first = (a.grad, b.grad)
    y.backward()
    assert (a.grad, b.grad) == first
    assert y.grad == 1.0


def test_backward_resets_the_graph_and_zero_grad_clears_it():
    a = Value(2.0)
    y = a * 3
    z = a * 5
    y.backward()
    assert a.grad == 3.0
    z.backward()  # a new result: its own gradients, not 3 + 5
    assert a.grad == 5.0
    z.zero_grad()
    assert a.grad == 0.0 and z.grad == 0.0
    (y + z).backward()  # to add up two results, differentiate their sum
    assert a.grad == 8.0


def test_a_chain_of_100_000_operations_needs_no_recursion():
    x, c = Value(0.3, label="x"), Value(0.99999, label="c")
    y = x
    for _ in range(100_000):
        y = y * c  # 100,000 products deep, and c is used by every one of them
    y.backward()
    assert len(y.topological_order()) == 100_000 + 2
    assert x.grad == pytest.approx(0.99999**100_000, rel=1e-9)
    assert c.grad == pytest.approx(100_000 * 0.3 * 0.99999**99_999, rel=1e-9)
    y.backward()
    assert x.grad == pytest.approx(0.99999**100_000, rel=1e-9)


def test_data_can_be_updated_like_a_parameter():
    w = Value(1.0)
    for _ in range(3):
        loss = (w * 2 - 1) ** 2
        loss.backward()
        w.data -= 0.1 * w.grad
    assert w.data == pytest.approx(1 - 0.4 - 0.08 - 0.016, rel=1e-12)


# ----------------------------------------- random expressions vs finite differences

# name -> (on Values, on floats); every input is allowed (log and division get a
# positive argument by construction), so hypothesis seldom has to throw an example away
UNARY = {
    "neg": (lambda v: -v, lambda x: -x),
    "exp": (lambda v: v.exp(), math.exp),
    "log": (lambda v: (v * v + 0.5).log(), lambda x: math.log(x * x + 0.5)),
    "tanh": (lambda v: v.tanh(), math.tanh),
    "sigmoid": (lambda v: v.sigmoid(), lambda x: 1 / (1 + math.exp(-x))),
    "relu": (lambda v: v.relu(), lambda x: max(x, 0.0)),
    "square": (lambda v: v**2, lambda x: x**2),
    "cube": (lambda v: v**3, lambda x: x**3),
    "rsqrt": (lambda v: (v * v + 0.5) ** -0.5, lambda x: (x * x + 0.5) ** -0.5),
    "number + v": (lambda v: 1.5 + v, lambda x: 1.5 + x),
    "number - v": (lambda v: 2 - v, lambda x: 2 - x),
    "number * v": (lambda v: 3 * v, lambda x: 3 * x),
    "number / v": (lambda v: 1 / (v * v + 0.5), lambda x: 1 / (x * x + 0.5)),
    "v - number": (lambda v: v - 0.25, lambda x: x - 0.25),
    "v / number": (lambda v: v / 4, lambda x: x / 4),
}
BINARY = {
    "+": (lambda u, v: u + v, lambda x, y: x + y),
    "-": (lambda u, v: u - v, lambda x, y: x - y),
    "*": (lambda u, v: u * v, lambda x, y: x * y),
    "/": (lambda u, v: u / (v * v + 0.5), lambda x, y: x / (y * y + 0.5)),
}


@st.composite
def expressions(draw):
    """Leaf numbers and a program: each step applies an operation to earlier results.

    Operands are drawn from everything computed so far, so results are reused (a
    shared subexpression) and ``x op x`` occurs; the expression is the sum of all steps.
    """
    leaves = draw(st.lists(st.floats(-2, 2), min_size=1, max_size=3))
    steps = []
    n = len(leaves)
    for _ in range(draw(st.integers(1, 9))):
        if draw(st.booleans()):
            steps.append((draw(st.sampled_from(sorted(UNARY))), draw(st.integers(0, n - 1))))
        else:
            i, j = draw(st.integers(0, n - 1)), draw(st.integers(0, n - 1))
            steps.append((draw(st.sampled_from(sorted(BINARY))), i, j))
        n += 1
    return leaves, steps


def evaluate(leaves, steps, on_values: bool, kinks: list[float] | None = None):
    column = 0 if on_values else 1
    nodes = list(leaves)
    for name, *operands in steps:
        args = [nodes[i] for i in operands]
        if name == "relu" and kinks is not None:
            kinks.append(abs(args[0]))
        table = UNARY if len(args) == 1 else BINARY
        nodes.append(table[name][column](*args))
    total = nodes[len(leaves)]
    for node in nodes[len(leaves) + 1 :]:
        total = total + node
    return total, nodes


@given(expressions())
def test_random_expressions_match_central_finite_differences(expression):
    leaves, steps = expression
    kinks: list[float] = []
    try:
        value, nodes = evaluate(leaves, steps, on_values=False, kinks=kinks)
    except OverflowError:
        assume(False)
    scale = max(1.0, *(abs(x) for x in nodes))
    assume(scale < 1e3 and all(k > 1e-3 for k in kinks))  # smooth enough to difference

    inputs = [Value(x) for x in leaves]
    result, _ = evaluate(inputs, steps, on_values=True)
    assert result.data == pytest.approx(value, rel=1e-12, abs=1e-12)
    result.backward()
    for k, x in enumerate(leaves):
        h = 1e-6
        up = evaluate([*leaves[:k], x + h, *leaves[k + 1 :]], steps, on_values=False)[0]
        down = evaluate([*leaves[:k], x - h, *leaves[k + 1 :]], steps, on_values=False)[0]
        numeric = (up - down) / (2 * h)
        assert inputs[k].grad == pytest.approx(numeric, rel=1e-4, abs=1e-5 * scale)


@given(expressions())
def test_random_expressions_backward_is_repeatable_and_sums_uses(expression):
    leaves, steps = expression
    try:
        evaluate(leaves, steps, on_values=False)
    except OverflowError:
        assume(False)
    inputs = [Value(x) for x in leaves]
    result, _ = evaluate(inputs, steps, on_values=True)
    result.backward()
    first = [v.grad for v in inputs]
    result.backward()
    assert [v.grad for v in inputs] == first
    # the chain rule at every node: a node's grad is the sum over its uses
    order = result.topological_order()
    for node in order:
        if node is result:
            continue
        uses = [
            local * user.grad
            for user in order
            for child, local in zip(user.children, user.local_grads)
            if child is node
        ]
        size = sum(abs(u) for u in uses)  # the sum may cancel: compare at its terms' scale
        assert node.grad == pytest.approx(sum(uses), rel=1e-12, abs=1e-12 * size)


# ----------------------------------------------------------- the worked example


def test_the_worked_example_built_from_values_matches_the_backward_pass():
    example = datasets.worked_example()
    net = example.network
    W = [[[Value(float(w)) for w in row] for row in layer] for layer in net.weights]
    b = [[Value(float(v)) for v in layer] for layer in net.biases]
    activations = [Value(float(x)) for x in example.x]
    for layer in range(2):
        activations = [
            (sum((a * W[layer][i][j] for i, a in enumerate(activations)), b[layer][j])).sigmoid()
            for j in range(2)
        ]
    loss = sum(0.5 * (float(y) - out) ** 2 for y, out in zip(example.y, activations))
    loss.backward()

    assert loss.data == pytest.approx(net.loss(example.x, example.y), abs=1e-15)
    grads = net.gradients(example.x, example.y)
    for name, classic in [("W2[0,0]", "w5"), ("W1[0,0]", "w1")]:
        layer, i, j = int(name[1]) - 1, int(name[3]), int(name[5])
        assert abs(W[layer][i][j].grad - grads[name]) < 1e-12, classic
    for layer in range(2):
        np.testing.assert_allclose(
            [[w.grad for w in row] for row in W[layer]], grads.weights[layer], rtol=0, atol=1e-12
        )
        np.testing.assert_allclose(
            [v.grad for v in b[layer]], grads.biases[layer], rtol=0, atol=1e-12
        )
    assert W[1][0][0].grad == pytest.approx(0.082167041, abs=1e-9)  # the walk-through's number
    assert W[0][0][0].grad == pytest.approx(0.000438568, abs=1e-9)


def test_worked_example_graph_names_every_value_and_matches_the_network():
    example = datasets.worked_example()
    grads = example.network.gradients(example.x, example.y)
    graph = worked_example_graph().backward()
    assert len(graph.loss.topological_order()) == 43 and graph["E"] is graph.loss
    for classic, name in example.names.items():
        if classic.startswith("w"):
            assert abs(graph[classic].grad - grads[name]) < 1e-12, classic
            assert graph[classic].data == example.value(classic)
    # one shared bias per layer, as in the walk-through: it collects both neurons' gradients
    assert abs(graph["b2"].grad - grads.biases[1].sum()) < 1e-12
    assert abs(graph["b1"].grad - grads.biases[0].sum()) < 1e-12
    trace = example.network.forward_trace(example.x)
    assert graph["out_o1"].data == pytest.approx(trace.a(2)[0], abs=1e-15)
    assert graph["net_h1"].data == pytest.approx(0.3775, abs=1e-15)
    assert all(graph[name].label == name for name in graph.values)
    with pytest.raises(KeyError, match="no Value named 'w9'"):
        graph["w9"]

    small = worked_example_graph(hidden_as_inputs=True).backward()
    assert len(small.loss.topological_order()) == 28
    assert small["out_h1"].is_leaf and "w1" not in small.values
    for classic in ("w5", "w6", "w7", "w8"):
        assert abs(small[classic].grad - grads[example.names[classic]]) < 1e-12
    assert small.loss.data == pytest.approx(graph.loss.data, abs=1e-15)


def test_value_is_exported():
    assert bl.Value is Value and "Value" in bl.__all__


# -------------------------------------------------------------------- bad input


@pytest.mark.parametrize(
    ("call", "error", "words"),
    [
        (lambda: Value("1"), TypeError, ["data", "must be a number", "'1'", "str"]),
        (lambda: Value(True), TypeError, ["data", "must be a number", "True", "bool"]),
        (lambda: Value(np.bool_(True)), TypeError, ["data", "must be a number", "True"]),
        (lambda: Value(None), TypeError, ["data", "must be a number", "None"]),
        (lambda: Value(1 + 2j), TypeError, ["data", "must be a number", "complex"]),
        (lambda: Value(np.array([1.0])), TypeError, ["data", "must be a number", "array of shape"]),
        (lambda: Value(float("nan")), ValueError, ["data", "finite", "nan"]),
        (lambda: Value(float("-inf")), ValueError, ["data", "finite", "-inf"]),
        (lambda: Value(Value(1.0)), TypeError, ["data", "got a Value", "Value(v.data)"]),
        (lambda: Value(1.0, label=3), TypeError, ["label", "string or None", "3 (int)"]),
        (lambda: Value(1.0) + "a", TypeError, ["operands of +", "Values or real", "'a'"]),
        (lambda: "a" * Value(1.0), TypeError, ["operands of *", "'a'"]),
        (lambda: Value(1.0) - None, TypeError, ["operands of -", "None"]),
        (lambda: Value(1.0) / [2], TypeError, ["operands of /", "[2]"]),
        (lambda: np.array([1.0]) + Value(1.0), TypeError, ["operands of +", "array"]),
        (lambda: Value(1.0) + float("nan"), ValueError, ["operand of +", "finite", "nan"]),
        (lambda: Value(1.0) * True, TypeError, ["operands of *", "True (bool)"]),
        (lambda: Value(2.0) ** Value(2.0), TypeError, ["exponent of **", "not a Value"]),
        (lambda: 2 ** Value(2.0), TypeError, ["exponent of **", "not a Value", "2 (int)"]),
        (lambda: Value(2.0) ** "2", TypeError, ["exponent of **", "must be a number", "'2'"]),
        (lambda: Value(2.0) ** float("inf"), ValueError, ["exponent of **", "finite", "inf"]),
        (lambda: Value(-1.0).log(), ValueError, ["log", "> 0", "-1.0"]),
        (lambda: Value(0.0).log(), ValueError, ["log", "> 0", "0.0"]),
        (lambda: Value(1.0) / 0, ZeroDivisionError, ["division by zero", "1 / 0"]),
        (lambda: 1 / Value(0.0), ZeroDivisionError, ["division by zero"]),
        (lambda: Value(-8.0) ** (1 / 3), ValueError, ["-8", "negative", "fractional power"]),
        (lambda: Value(0.0) ** -1, ZeroDivisionError, ["0 **-1", "infinite at x = 0"]),
        (lambda: Value(0.0) ** 0.5, ZeroDivisionError, ["0 **0.5", "derivative"]),
        (lambda: Value(1000.0).exp(), OverflowError, ["exp of 1000", "too large"]),
        (lambda: Value(1e200) * 1e200, OverflowError, ["* of 1e+200, 1e+200", "float64"]),
        (lambda: Value(1e200) ** 2, OverflowError, ["**2 of 1e+200", "too large"]),
        (lambda: Value(1e-160) ** -1, OverflowError, ["derivative of **-1", "too large"]),
        (lambda: worked_example_graph(hidden_as_inputs=1), TypeError, ["hidden_as_inputs"]),
    ],
)
def test_bad_input_is_named(call, error, words):
    with pytest.raises(error) as info:
        call()
    for word in words:
        assert word in str(info.value)


def test_assigning_bad_data_is_refused():
    v = Value(1.0)
    with pytest.raises(ValueError, match="data must be a finite number; got nan"):
        v.data = float("nan")
    with pytest.raises(TypeError, match="data must be a number; got '2'"):
        v.data = "2"
    assert v.data == 1.0
