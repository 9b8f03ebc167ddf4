"""Tests of backprop_lab.calc.chain_rule: the step-by-step derivative of chapter 3.

The chain's product must be the backward pass's gradient for every parameter of random
networks; its factors must match the classic hand-worked 2-2-2 example; and its display must
be valid markdown and MathJax.
"""

from __future__ import annotations

import itertools
import json
import re
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from backprop_lab.calc.chain_rule import MAX_PATHS, ChainRule, Factor, chain_rule
from backprop_lab.nn.network import Network

HIDDEN = ("sigmoid", "tanh", "relu", "identity")
OUTPUT_AND_LOSS = (
    *((out, "squared_error") for out in HIDDEN),
    *((out, "mse") for out in HIDDEN),
    ("sigmoid", "binary_cross_entropy"),
    ("softmax", "cross_entropy"),
    ("softmax", "squared_error"),
    ("softmax", "mse"),
)
EPS = float(np.finfo(np.float64).eps)


def random_case(sizes, hidden, output, loss, seed, scale):
    """A network with random weights and biases, and one sample with a valid target."""
    rng = np.random.default_rng(seed)
    weights = [rng.normal(0.0, scale, size=(m, n)) for m, n in itertools.pairwise(sizes)]
    biases = [rng.normal(0.0, scale / 2, size=n) for n in sizes[1:]]
    net = Network.from_weights(
        weights, biases, activation=hidden, output_activation=output, loss=loss
    )
    x = rng.normal(0.0, 1.5, size=sizes[0])
    n_out = sizes[-1]
    if loss == "binary_cross_entropy":
        y = rng.uniform(0.0, 1.0, size=n_out)
    elif loss == "cross_entropy":
        y = rng.dirichlet(np.ones(n_out)) if rng.uniform() < 0.5 else np.eye(n_out)[0]
    else:
        y = rng.normal(0.0, 1.0, size=n_out)
    return net, x, y


def condition_scales(net, x, y):
    """How large each gradient could be if nothing cancelled: an absolute-value backward pass.

    Two correct programs that add the same terms in different orders agree to a few
    machine epsilons of this scale, not of the (possibly cancelled) gradient itself.
    """
    trace = net.backward_trace(x, y)
    L = net.n_layers
    s = [None] * L
    s[L - 1] = np.abs(trace.deltas[L - 1][0])
    for layer in range(L - 1, 0, -1):  # s^(layer) from s^(layer+1)
        slope = np.abs(net.activation_of(layer).derivative(trace.forward.net_inputs[layer - 1][0]))
        s[layer - 1] = (np.abs(net.weights[layer]) @ s[layer]) * slope
    scales = {}
    for layer in range(1, L + 1):
        a_prev = np.abs(trace.forward.activations[layer - 1][0])
        for i in range(net.layer_sizes[layer - 1]):
            for j in range(net.layer_sizes[layer]):
                scales[f"W{layer}[{i},{j}]"] = a_prev[i] * s[layer - 1][j]
        for j in range(net.layer_sizes[layer]):
            scales[f"b{layer}[{j}]"] = s[layer - 1][j]
    return scales


def names_to_check(net, rng, per_layer=10):
    """Every parameter of a small network; at most ``per_layer`` weights per layer otherwise."""
    names = []
    for layer in range(1, net.n_layers + 1):
        weights = [n for n in net.parameter_names() if n.startswith(f"W{layer}[")]
        biases = [n for n in net.parameter_names() if n.startswith(f"b{layer}[")]
        if len(weights) > per_layer:
            weights = list(rng.choice(weights, size=per_layer, replace=False))
        names += weights + biases
    return names


@st.composite
def cases(draw):
    sizes = draw(st.lists(st.integers(1, 8), min_size=2, max_size=5))
    hidden = draw(st.sampled_from(HIDDEN))
    output, loss = draw(st.sampled_from(OUTPUT_AND_LOSS))
    if output == "softmax":  # a softmax over one unit is refused: it cannot learn
        sizes[-1] = max(sizes[-1], 2)
    seed = draw(st.integers(0, 2**32 - 1))
    scale = draw(st.sampled_from([0.3, 1.0, 3.0]))
    return sizes, hidden, output, loss, seed, scale


# ------------------------------------------------------------------ the main law


@given(cases())
def test_chain_product_equals_backward_pass_for_every_parameter(case):
    sizes, hidden, output, loss, seed, scale = case
    net, x, y = random_case(sizes, hidden, output, loss, seed, scale)
    grads = net.gradients(x, y)
    scales = condition_scales(net, x, y)
    rng = np.random.default_rng(seed)
    L = net.n_layers
    for name in names_to_check(net, rng):
        steps = chain_rule(net, x, y, name)
        expected = grads[name]
        tolerance = 1e-12 * abs(expected) + 64 * EPS * scales[name]
        assert abs(steps.value - expected) <= tolerance, (name, steps.value, expected)

        # the value is the product of the factors, in order
        product = 1.0
        for factor in steps.factors:
            product *= factor.value
        assert steps.value == product

        # the structure the book describes
        ref = steps.ref
        last = steps.factors[-1]
        if ref.is_weight:
            i = ref.index[0]
            assert last.value == float(net.forward_trace(x).activations[ref.layer - 1][0][i])
        else:
            assert last.value == 1.0
        if ref.layer == L:
            yhat = net.forward(x)[ref.to_unit]
            saturated = loss == "binary_cross_entropy" and yhat * (1.0 - yhat) == 0.0
            split = output != "softmax" and not saturated
            assert len(steps.factors) == (3 if split else 2)
            assert all(not f.terms for f in steps.factors)
        else:
            first = steps.factors[0]
            assert len(steps.factors) == 3
            assert len(first.terms) == net.layer_sizes[ref.layer + 1]
            assert [t.neuron for t in first.terms] == list(range(len(first.terms)))
            assert first.value == pytest.approx(
                sum(t.value for t in first.terms),
                abs=64 * EPS * sum(abs(t.value) for t in first.terms),
            )
            for term in first.terms:
                # the last factor of every term is the weight w^(l+1)_{jk}
                assert term.factors[-1].value == net.weights[ref.layer][ref.to_unit, term.neuron]
                product = 1.0
                for factor in term.factors:
                    product *= factor.value
                assert term.value == product

        # the sum over paths is the value again
        expected_paths = int(np.prod(sizes[ref.layer + 1 :]))
        assert steps.n_paths == expected_paths
        if expected_paths > MAX_PATHS:
            assert steps.paths is None
        else:
            paths = steps.paths
            assert len(paths) == expected_paths
            total = sum(p.value for p in paths)
            bound = sum(abs(p.value) for p in paths)
            # (an absolute floor of a few subnormal steps: near 1e-310 a float's spacing is
            # 5e-324 whatever its size, so no relative bound holds there)
            tiny = 64 * np.finfo(float).smallest_subnormal
            assert abs(total - steps.value) <= 1e-12 * abs(steps.value) + 64 * EPS * bound + tiny
            for path in paths:
                assert path.nodes[0] == ref.latex and path.nodes[-1] == "E"
                assert len(path.derivatives) == len(path.nodes) - 1


@given(cases())
def test_float32_networks_agree_to_float32_precision(case):
    sizes, hidden, output, loss, seed, scale = case
    net, x, y = random_case(sizes, hidden, output, loss, seed, scale)
    net32 = net.astype(np.float32)
    grads = net32.gradients(x, y)
    scales = condition_scales(net, x, y)
    name = net.parameter_names()[seed % net.n_parameters]
    steps = chain_rule(net32, x, y, name)
    assert steps.dtype == "float32"
    # float32 forward values feed both; they differ only in float32 rounding of the products
    assert abs(steps.value - grads[name]) <= 1e-5 * (abs(grads[name]) + scales[name]) + 1e-30


# -------------------------------------------------------- the classic hand example


@pytest.fixture
def classic():
    """The widely used 2-2-2 walk-through: sigmoid layers, squared error."""
    net = Network.from_weights(
        weights=[[[0.15, 0.25], [0.20, 0.30]], [[0.40, 0.50], [0.45, 0.55]]],
        biases=[0.35, 0.60],
        activation="sigmoid",
        output_activation="sigmoid",
        loss="squared_error",
    )
    return net, [0.05, 0.10], [0.01, 0.99]


def close(value, written):
    """Equal to a value written out with 9 significant digits."""
    return value == pytest.approx(written, rel=2e-8, abs=1e-9)


def test_classic_output_weight_w5(classic):
    net, x, y = classic
    steps = chain_rule(net, x, y, "W2[0,0]")
    assert close(steps.value, 0.082167041)
    assert [f.text for f in steps.factors] == [
        "dE/dyhat_0",
        "dyhat_0/dz(2)_0",
        "dz(2)_0/dW2[0,0]",
    ]
    written = [0.74136507, 0.186815602, 0.593269992]  # out_o1 - target, slope, out_h1
    for factor, value in zip(steps.factors, written, strict=True):
        assert close(factor.value, value), factor
    assert steps.factors[0].symbol == r"\frac{\partial E}{\partial \hat y_{0}}"
    assert steps.factors[2].symbol == r"\frac{\partial z^{(2)}_{0}}{\partial w^{(2)}_{0,0}}"
    # one path, through out_o1
    assert len(steps.paths) == 1
    assert close(steps.paths[0].value, 0.082167041)


def test_classic_hidden_weight_w1(classic):
    net, x, y = classic
    steps = chain_rule(net, x, y, "W1[0,0]")
    assert close(steps.value, 0.000438568)
    total, slope, inp = steps.factors
    assert total.text == "dE/da(1)_0" and close(total.value, 0.036350306)
    assert close(slope.value, 0.241300709)
    assert inp.value == 0.05
    # dE_total/dout_h1 = dE_o1/dout_h1 + dE_o2/dout_h1
    via_o1, via_o2 = total.terms
    assert close(via_o1.value, 0.055399425)
    assert close(via_o2.value, -0.019049119)
    # each term expanded as dE/dout_o * dout_o/dnet_o * w
    assert [f.text for f in via_o1.factors] == [
        "dE/dyhat_0",
        "dyhat_0/dz(2)_0",
        "dz(2)_0/da(1)_0",
    ]
    for factor, value in zip(via_o1.factors, [0.74136507, 0.186815602, 0.40], strict=True):
        assert close(factor.value, value)
    for factor, value in zip(via_o2.factors, [-0.217071535, 0.175510052, 0.50], strict=True):
        assert close(factor.value, value)
    # two paths, one through each output; their sum is the gradient
    assert [p.output for p in steps.paths] == [0, 1]
    assert close(sum(p.value for p in steps.paths), 0.000438568)
    assert close(steps.paths[0].value, 0.055399425 * 0.241300709 * 0.05)
    assert steps.paths[0].labels == ("W1[0,0]", "z(1)_0", "a(1)_0", "z(2)_0", "yhat_0", "E")


def test_classic_other_hidden_weights_and_a_bias(classic):
    net, x, y = classic
    # w2 = W1[1,0] shares dE/dout_h1 and the slope with w1; only the input differs
    w2 = chain_rule(net, x, y, "W1[1,0]")
    assert close(w2.value, 0.036350306 * 0.241300709 * 0.10)
    b = chain_rule(net, x, y, "b1[0]")
    assert b.factors[-1].value == 1.0
    assert b.factors[-1].text == "dz(1)_0/db1[0]"
    assert close(b.value, 0.036350306 * 0.241300709)
    # w6 = W2[1,0] is the output weight from h2 to o1
    w6 = chain_rule(net, x, y, "W2[1,0]")
    assert close(w6.value, 0.74136507 * 0.186815602 * 0.596884378)


# ------------------------------------------------------------ special outputs


def test_softmax_cross_entropy_is_one_combined_delta():
    net = Network(
        [3, 4, 3], activation="tanh", output_activation="softmax", loss="cross_entropy", seed=2
    )
    x, y = np.array([0.5, -1.0, 2.0]), np.array([0.0, 1.0, 0.0])
    yhat = net.forward(x)
    steps = chain_rule(net, x, y, "W2[1,2]")
    delta, _inp = steps.factors
    assert delta.symbol == r"\delta^{(2)}_{2}"
    assert delta.value == pytest.approx(yhat[2] - y[2], rel=1e-14)
    assert "softmax couples the outputs" in delta.meaning
    assert delta.formula == r"\hat y_{2} - y_{2}"
    # hidden weight: each term is delta_k^(2) w_jk
    hidden = chain_rule(net, x, y, "W1[0,1]")
    for term in hidden.factors[0].terms:
        assert term.factors[0].value == pytest.approx(yhat[term.neuron] - y[term.neuron])
        assert term.factors[1].value == net.weights[1][1, term.neuron]


def test_softmax_squared_error_delta_sums_over_outputs():
    net = Network([2, 3], output_activation="softmax", loss="squared_error", seed=4)
    x, y = np.array([1.0, -2.0]), np.array([0.2, 0.3, 0.5])
    yhat = net.forward(x)
    jacobian = np.diag(yhat) - np.outer(yhat, yhat)  # d yhat_m / d z_k
    steps = chain_rule(net, x, y, "b1[1]")
    expected = float((yhat - y) @ jacobian[:, 1])
    assert steps.value == pytest.approx(expected, rel=1e-12)
    assert r"\sum_{m}" in steps.factors[0].formula


def test_binary_cross_entropy_splits_inside_and_combines_when_saturated():
    net = Network.from_weights(
        [[[2.0]]], [0.0], output_activation="sigmoid", loss="binary_cross_entropy"
    )
    steps = chain_rule(net, [0.5], [1.0], "W1[0,0]")
    yhat = 1.0 / (1.0 + np.exp(-1.0))
    grad, slope, _inp = steps.factors
    assert grad.value == pytest.approx((yhat - 1.0) / (yhat * (1.0 - yhat)), rel=1e-14)
    assert slope.value == pytest.approx(yhat * (1.0 - yhat), rel=1e-14)
    assert steps.value == pytest.approx((yhat - 1.0) * 0.5, rel=1e-14)
    # an output rounded to exactly 1: dE/dyhat would be infinite, so one combined factor
    saturated = Network.from_weights(
        [[[100.0]]], [0.0], output_activation="sigmoid", loss="binary_cross_entropy"
    )
    steps = chain_rule(saturated, [1.0], [0.0], "W1[0,0]")
    assert len(steps.factors) == 2
    assert steps.factors[0].value == 1.0
    assert "saturated" in steps.factors[0].meaning
    assert steps.value == saturated.gradients([1.0], [0.0])["W1[0,0]"] == 1.0
    assert sum(p.value for p in steps.paths) == 1.0


def test_deep_hidden_terms_use_the_next_layers_deltas():
    net = Network([2, 3, 3, 2], activation="sigmoid", seed=7)
    x, y = np.array([0.3, -0.7]), np.array([0.0, 1.0])
    trace = net.backward_trace(x, y)
    steps = chain_rule(net, x, y, "W1[1,2]")
    terms = steps.factors[0].terms
    assert [t.factors[0].symbol for t in terms] == [rf"\delta^{{(2)}}_{{{k}}}" for k in range(3)]
    assert [t.factors[0].value for t in terms] == list(trace.delta(2))
    assert steps.n_paths == 6 and len(steps.paths) == 6


def test_paths_are_none_beyond_the_limit():
    net = Network([1, 8, 8, 8, 8], seed=0)
    steps = chain_rule(net, [0.5], [0.0] * 8, "W1[0,0]")
    assert steps.n_paths == 512 > MAX_PATHS
    assert steps.paths is None
    assert chain_rule(net, [0.5], [0.0] * 8, "W2[0,0]").n_paths == 64


def test_one_row_matrix_inputs_are_accepted(classic):
    net, x, y = classic
    a = chain_rule(net, np.array([x]), np.array([y]), "W1[0,1]")
    b = chain_rule(net, x, y, "W1[0,1]")
    c = chain_rule(net, np.array([x]), y, "W1[0,1]")
    assert a.value == b.value == c.value


def test_result_does_not_follow_later_changes_to_the_network(classic):
    net, x, y = classic
    steps = chain_rule(net, x, y, "W1[0,0]")
    net.weights[1][0, 0] = 9.0
    assert close(sum(p.value for p in steps.paths), 0.000438568)


# ------------------------------------------------------------------- display

# Macros the display may use: all in MathJax 4's default TeX input (base and ams).
ALLOWED_MACROS = {
    "frac",
    "partial",
    "hat",
    "cdot",
    "sum",
    "left",
    "right",
    "times",
    "delta",
    "begin",
    "end",
    "infty",
    "mathrm",
    "quad",
}


def balanced(text):
    depth = 0
    for char in text.replace(r"\{", "").replace(r"\}", ""):
        depth += {"{": 1, "}": -1}.get(char, 0)
        if depth < 0:
            return False
    return depth == 0


def markdown_math(markdown):
    blocks = re.findall(r"\$\$\n(.*?)\n\$\$", markdown, flags=re.S)
    inline = re.findall(r"(?<!\$)\$([^$\n]+)\$(?!\$)", markdown)
    return blocks, inline


def test_markdown_display_of_a_hidden_weight(classic):
    net, x, y = classic
    markdown = chain_rule(net, x, y, "W1[0,0]")._repr_markdown_()
    blocks, inline = markdown_math(markdown)
    assert len(blocks) == 1
    equation = blocks[0]
    # symbolic chain, numbers substituted, the value; then the sum's expansion
    assert (
        r"\frac{\partial E}{\partial w^{(1)}_{0,0}} &= \frac{\partial E}{\partial a^{(1)}_{0}}"
        r" \cdot \frac{\partial a^{(1)}_{0}}{\partial z^{(1)}_{0}}"
        r" \cdot \frac{\partial z^{(1)}_{0}}{\partial w^{(1)}_{0,0}}"
    ) in equation
    assert r"&= 0.0363503 \cdot 0.241301 \cdot 0.05 \\" in equation
    assert r"&= 0.000438568 \\[1ex]" in equation
    # one term of the sum to a row, in symbols and in numbers, then the numbers added up
    assert (
        r"&= \frac{\partial E}{\partial \hat y_{0}} \, \frac{\partial \hat y_{0}}"
        r"{\partial z^{(2)}_{0}} \, w^{(2)}_{0,0} \\" + "\n"
        r"&\quad {}+ \frac{\partial E}{\partial \hat y_{1}} \, \frac{\partial \hat y_{1}}"
        r"{\partial z^{(2)}_{1}} \, w^{(2)}_{0,1} \\"
    ) in equation
    assert (
        r"&= (0.741365 \cdot 0.186816 \cdot 0.4) \\" + "\n"
        r"&\quad {}+ ((-0.217072) \cdot 0.17551 \cdot 0.5) \\"
    ) in equation
    assert r"&= 0.0553994 + (-0.0190491) \\" in equation
    assert equation.rstrip().endswith(r"&= 0.0363503" + "\n" + r"\end{aligned}")
    # the factors as a list that wraps in a phone's column: 3 numbered factors, and under
    # the first (the sum over layer 2) its 2 paths; each with symbol, formula and value
    listed = markdown.split("The factors, step by step:\n\n")[1].split("\n\n")[0]
    assert listed.splitlines() == [
        r"1. $\frac{\partial E}{\partial a^{(1)}_{0}}$ $= \sum_{k} \delta^{(2)}_{k}\,"
        r" w^{(2)}_{0,k}$ $= 0.0363503064$ — how E changes with this neuron's output:"
        " one term per neuron of layer 2",
        r"   - 1.0, the path through neuron 0 of layer 2: $\frac{\partial E}{\partial \hat"
        r" y_{0}} \, \frac{\partial \hat y_{0}}{\partial z^{(2)}_{0}} \, w^{(2)}_{0,0}$"
        r" $= 0.741365 \cdot 0.186816 \cdot 0.4$ $= 0.0553994247$",
        r"   - 1.1, the path through neuron 1 of layer 2: $\frac{\partial E}{\partial \hat"
        r" y_{1}} \, \frac{\partial \hat y_{1}}{\partial z^{(2)}_{1}} \, w^{(2)}_{0,1}$"
        r" $= (-0.217072) \cdot 0.17551 \cdot 0.5$ $= -0.0190491183$",
        r"2. $\frac{\partial a^{(1)}_{0}}{\partial z^{(1)}_{0}}$ $= a^{(1)}_{0}\,"
        r"(1-a^{(1)}_{0})$ $= 0.241300709$ — slope of this neuron's sigmoid at its net input",
        r"3. $\frac{\partial z^{(1)}_{0}}{\partial w^{(1)}_{0,0}}$ $= x_{0}$ $= 0.05$"
        " — what the weight multiplies: input x_0",
    ]
    # the listed values are the backward pass's: the factors multiply to the gradient
    assert 0.0363503064 * 0.241300709 * 0.05 == pytest.approx(
        net.gradients(x, y)["W1[0,0]"], rel=1e-8
    )
    assert "|" not in markdown  # no table left to scroll sideways on a phone
    assert inline  # symbols in the list are inline math


def test_latex_is_balanced_and_uses_known_macros():
    for output, loss in OUTPUT_AND_LOSS:
        net, x, y = random_case([2, 3, 2], "tanh", output, loss, seed=5, scale=1.0)
        for name in net.parameter_names():
            steps = chain_rule(net, x, y, name)
            latex = steps.to_latex()
            assert latex.startswith("\\begin{aligned}\n") and latex.endswith("\n\\end{aligned}")
            assert balanced(latex), latex
            assert latex.count(r"\left(") == latex.count(r"\right)")
            blocks, inline = markdown_math(steps._repr_markdown_())
            for tex in [latex, *blocks, *inline]:
                assert balanced(tex), tex
                assert set(re.findall(r"\\([A-Za-z]+)", tex)) <= ALLOWED_MACROS, tex
            assert "e-" not in latex and "e+" not in latex  # no 1e-05 in LaTeX
            assert steps.to_latex(include_sum=False).count(r"\\") == 3


def test_small_numbers_are_written_as_powers_of_ten():
    net = Network.from_weights([[[1.0]]], [0.0], output_activation="identity")
    latex = chain_rule(net, [2.5e-7], [0.0], "W1[0,0]").to_latex()
    assert r"2.5\times 10^{-7}" in latex and r"6.25\times 10^{-14}" in latex


_MATHJAX_CHECK = r"""
const texs = JSON.parse(require('fs').readFileSync(0, 'utf8'));
require(process.argv[2]).init({
  loader: {load: ['input/tex', 'output/svg']},
  tex: {packages: {'[-]': ['noundefined', 'noerrors']}},
}).then((MathJax) => {
  console.log(MathJax.version);
  console.log(JSON.stringify(texs.map((t) => {
    try {
      const svg = MathJax.startup.adaptor.outerHTML(MathJax.tex2svg(t, {display: true}));
      const m = svg.match(/data-mjx-error="([^"]*)"/);
      return m ? m[1] : null;
    } catch (e) { return String(e.message || e); }
  })));
});
"""


def test_display_renders_in_the_books_mathjax(tmp_path):
    """Every formula goes through the MathJax that the site vendors (package.json's pin,
    when installed), with undefined macros and TeX errors reported, not typeset."""
    mathjax = (
        next(p for p in Path(__file__).resolve().parents if (p / "pyproject.toml").is_file())
        / "node_modules"
        / "mathjax"
    )
    node = shutil.which("node")
    if node is None or not (mathjax / "package.json").exists():
        pytest.skip("needs node and node_modules/mathjax (npm install)")
    texs = []
    for output, loss in OUTPUT_AND_LOSS:
        net, x, y = random_case([2, 2, 3, 2], "relu", output, loss, seed=11, scale=1.0)
        for name in ["W1[0,1]", "b2[1]", "W3[1,0]", "b3[0]"]:
            steps = chain_rule(net, x, y, name)
            blocks, inline = markdown_math(steps._repr_markdown_())
            texs += [steps.to_latex(), *blocks, *inline]
    texs.append(r"\notamacro{x}")  # the checker itself must catch errors
    script = tmp_path / "check.js"
    script.write_text(_MATHJAX_CHECK, encoding="utf-8")
    result = subprocess.run(
        [node, str(script), str(mathjax)],
        input=json.dumps(texs),
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    version, answer = result.stdout.splitlines()[-2:]
    pinned = json.loads((mathjax.parents[1] / "package.json").read_text(encoding="utf-8"))
    assert version == pinned["dependencies"]["mathjax"]
    errors = json.loads(answer)
    assert len(errors) == len(texs)
    assert errors[-1] and "notamacro" in errors[-1]
    bad = [(tex, error) for tex, error in zip(texs[:-1], errors[:-1]) if error]
    assert not bad, bad[:3]


def test_plain_text_repr(classic):
    net, x, y = classic
    text = repr(chain_rule(net, x, y, "W1[0,0]"))
    assert text == str(chain_rule(net, x, y, "W1[0,0]"))
    assert text.splitlines()[1] == "  dE/dW1[0,0] = dE/da(1)_0 * da(1)_0/dz(1)_0 * dz(1)_0/dW1[0,0]"
    assert "= 0.000438567734" in text
    assert "k=1: dE/dyhat_1 * dyhat_1/dz(2)_1 * dz(2)_1/da(1)_0" in text
    assert "3. dz(1)_0/dW1[0,0] = 0.05: what the weight multiplies: input x_0" in text
    assert "->" in str(chain_rule(net, x, y, "W1[0,0]").paths[0])


def test_factor_is_a_plain_record():
    factor = Factor("x_{0}", "an input", 0.5)
    assert (factor.symbol, factor.meaning, factor.value, factor.terms) == (
        "x_{0}",
        "an input",
        0.5,
        (),
    )
    assert isinstance(chain_rule(Network([1, 1]), [1.0], [0.0], "b1[0]"), ChainRule)


# ------------------------------------------------------------------- bad input


def test_unknown_parameter_names_are_rejected(classic):
    net, x, y = classic
    with pytest.raises(ValueError, match=r"names layer 3, but this network's weight layers are"):
        chain_rule(net, x, y, "W3[0,0]")
    with pytest.raises(ValueError, match=r"'W1\[2,0\]' does not exist: W1 has shape \(2, 2\)"):
        chain_rule(net, x, y, "W1[2,0]")
    with pytest.raises(ValueError, match=r"'b2\[5\]' does not exist"):
        chain_rule(net, x, y, "b2[5]")
    with pytest.raises(ValueError, match=r"param must look like 'W<layer>\[i,j\]'"):
        chain_rule(net, x, y, "w1")
    with pytest.raises(TypeError, match=r"param must be a string"):
        chain_rule(net, x, y, 3)


def test_several_samples_are_rejected(classic):
    net, _x, y = classic
    with pytest.raises(
        ValueError,
        match=r"x must be one sample, shape \(2,\) or \(1, 2\); "
        r"got shape \(3, 2\), 3 samples.*pass one row, e\.g\. X\[0\]",
    ):
        chain_rule(net, np.ones((3, 2)), y, "W1[0,0]")
    one_input = Network([1, 2], seed=0)
    with pytest.raises(ValueError, match=r"x must be one sample, shape \(1,\) or \(1, 1\)"):
        chain_rule(one_input, [0.1, 0.2, 0.3], [0.0, 1.0], "W1[0,0]")


def test_bad_samples_and_targets_are_rejected(classic):
    net, x, y = classic
    with pytest.raises(ValueError, match=r"x must have shape \(n_samples, 2\) or \(2,\); got"):
        chain_rule(net, [1.0, 2.0, 3.0], y, "W1[0,0]")
    with pytest.raises(ValueError, match=r"x must contain only finite numbers"):
        chain_rule(net, [np.nan, 1.0], y, "W1[0,0]")
    with pytest.raises(ValueError, match=r"y must have shape \(2,\) to match"):
        chain_rule(net, x, [1.0, 0.0, 0.0], "W1[0,0]")
    with pytest.raises(ValueError, match=r"y must have shape \(2,\) to match"):
        chain_rule(net, x, [[1.0, 0.0], [0.0, 1.0]], "W1[0,0]")
    with pytest.raises(TypeError, match=r"x must be an array of numbers; got 'ab'"):
        chain_rule(net, "ab", y, "W1[0,0]")
    with pytest.raises(TypeError, match=r"net must be a backprop_lab.Network; got dict"):
        chain_rule({}, x, y, "W1[0,0]")
