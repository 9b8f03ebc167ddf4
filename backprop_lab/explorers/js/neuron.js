/**
 * The neuron explorer (chapter 1): a = f(w1 x1 + w2 x2 + b), computed and drawn in the
 * page. Left, the activation curve f(z) with the neuron's net input marked; right, its
 * output over the input plane (red low, blue high), the line where z = 0 and the input.
 * Traits read: w1, w2, b, activation, x1, x2. The status line is the Python explorer's
 * (`NeuronExplorer.status`), word for word.
 */

function neuronSignedTwoPlaces(value) {
  const text = fixedNumber(value, 2);
  return text.startsWith("-") ? `(${text})` : text;
}

/** The status line for one state: the sum written out, then the output. */
function neuronStatus(v, z, a) {
  const p = (name) => neuronSignedTwoPlaces(v[name]);
  return (
    `z = w1·x1 + w2·x2 + b = ${p("w1")}·${p("x1")} + ${p("w2")}·${p("x2")} + ${p("b")} ` +
    `= ${shortNumber(z)};  a = ${v.activation}(z) = ${shortNumber(a)}`
  );
}

const NEURON_TRAITS = ["w1", "w2", "b", "activation", "x1", "x2", "choices"];
const NEURON_FORMULAS = {
  sigmoid: "σ(z) = 1 / (1 + e^−z)",
  tanh: "tanh(z)",
  relu: "max(0, z)",
  identity: "z",
};

function neuronState(model) {
  const v = {};
  for (const name of NEURON_TRAITS) v[name] = model.get(name);
  v.activation = chosen(model, "activation");
  const { z, a } = neuron([v.w1, v.w2], v.b, [v.x1, v.x2], v.activation);
  return { v, z, a };
}

function drawNeuron(figure, state) {
  const { ctx, panels, theme } = figure;
  const { v, z, a } = state;
  // left: the activation curve and the neuron's point on it
  const reach = Math.max(6, 1.15 * Math.abs(z));
  const zs = [];
  const fz = [];
  for (let k = 0; k <= 300; k++) {
    const t = -reach + (2 * reach * k) / 300;
    zs.push(t);
    fz.push(activate(v.activation, t));
  }
  const low = Math.min(...fz);
  const high = Math.max(...fz);
  const pad = 0.08 * (high - low || 1);
  const curve = drawAxes(ctx, panels[0], theme, {
    xlim: [-reach, reach],
    ylim: [Math.min(low, 0) - pad, high + pad],
    xlabel: "net input z",
    ylabel: "output a = f(z)",
    title: `${v.activation}: a = ${NEURON_FORMULAS[v.activation]}`,
    zeroLines: true,
  });
  drawCurve(ctx, curve, zs, fz, { color: BOOK.blue, width: 2.2 });
  drawCurve(ctx, curve, [z, z, -reach], [Math.min(low, 0) - pad, a, a], {
    color: theme.muted,
    width: 1,
    dash: [2, 3],
  });
  drawPoint(ctx, curve, z, a, { color: BOOK.orange, radius: 6 });
  // right: the output over the inputs, the line z = 0 and the chosen input
  const plane = drawAxes(ctx, panels[1], theme, {
    xlim: [-3, 3],
    ylim: [-3, 3],
    xlabel: "x1",
    ylabel: "x2",
    title: "output a over the inputs (red low, blue high)",
  });
  const corners = [];
  for (const x1 of [-3, 3]) for (const x2 of [-3, 3]) corners.push(activate(v.activation, v.w1 * x1 + v.w2 * x2 + v.b));
  drawShadedPlane(ctx, plane, (x1, x2) => activate(v.activation, v.w1 * x1 + v.w2 * x2 + v.b), Math.min(...corners), Math.max(...corners) + 1e-9);
  drawLineWhereZero(ctx, plane, v.w1, v.w2, v.b, { color: theme.dark ? "#ffffff" : "#000000" });
  drawPoint(ctx, plane, v.x1, v.x2, { color: "#ffffff", radius: 6, edge: "#000000" });
}

function render({ model, el }) {
  return liveView({
    model,
    el,
    name: "neuron",
    label: "one neuron",
    traits: NEURON_TRAITS,
    aspect: 0.8,
    compute: neuronState,
    draw: drawNeuron,
    status: (state) => neuronStatus(state.v, state.z, state.a),
  });
}

export default { render };
