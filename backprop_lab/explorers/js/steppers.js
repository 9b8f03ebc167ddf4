/**
 * The steppers of chapters 2 and 3, computed in the page: `ForwardStepper` (a forward pass,
 * layer by layer) and `BackpropStepper` (the chain rule of one parameter, one factor a
 * step). The view holds the network as data (traits `sizes`, `activation`,
 * `output_activation`, `loss`, `weights`, `biases`, one input `x` and its target `y`,
 * empty when there is none), the `step` and, for backpropagation, `param` (an index into
 * the engine's `parameterNames(sizes)`); `kind` says which stepper it is.
 *
 * Every number comes from the engine: the layers' net inputs and activations from
 * `forward` (on the network cut after each layer), the deltas and gradients from
 * `gradients` (one sample), the loss from `loss`, the factors from `chainRule`. The words
 * (status line, explanation, labels on the diagram) are those of
 * `backprop_lab/explorers/steppers.py`, word for word (tests/unit/explorers/
 * test_stepper_views.py). The diagram follows `bl.plotting.draw_network`: blue edges for
 * positive weights and red for negative, width for size, the chain-rule path in orange,
 * deltas in purple, the loss in green.
 */

const STEPPER_TRAITS = [
  "kind", "sizes", "activation", "output_activation", "loss", "weights", "biases", "x", "y", "step", "param",
];
const STEPPER_COLORS = Object.freeze({
  positive: "#2166ac",
  negative: "#b2182b",
  highlight: "#f4a582",
  delta: "#762a83",
  gradient: "#1b7837",
  path: "#e08214",
});
// up to this many neurons in every layer, each weight is written on its edge; beyond,
// only the chain-rule path's (`LABELLED_LAYER_SIZE` in steppers.py)
const STEPPER_LABELLED_LAYER_SIZE = 4;
const STEPPER_EDGE_PLACES = [0.36, 0.3, 0.44, 0.24, 0.52, 0.6, 0.2, 0.68];
const STEPPER_WORDS = { sigmoid: "sigmoid", tanh: "tanh", relu: "ReLU", identity: "identity", softmax: "softmax" };

function stepperSubscript(n) {
  return String(n).replace(/[0-9]/g, (d) => "₀₁₂₃₄₅₆₇₈₉"[d]);
}

function stepperSuperscript(text) {
  return String(text).replace(/[0-9()]/g, (c) => ({ "(": "⁽", ")": "⁾" })[c] || "⁰¹²³⁴⁵⁶⁷⁸⁹"[c]);
}

/** A number as the steppers write it: Python's `%.4g` (`shortNumber`), zero without a sign. */
function stepperNumber(value, digits = 4) {
  return shortNumber(value + 0.0, digits);
}

/** A number as a factor of a product: in parentheses when negative (`_wrapped`). */
function stepperWrapped(value, digits = 4) {
  const text = stepperNumber(value, digits);
  return text.startsWith("-") ? `(${text})` : text;
}

function stepperNumbers(values) {
  return "(" + Array.from(values, (v) => stepperNumber(v)).join(", ") + ")";
}

function stepperKind(layer, L) {
  return layer === L ? "output" : "hidden";
}

/** The engine's network from the view's data: whole, or cut after layer `upTo` (its
 * outputs then being that layer's activations, or its net inputs with `output` "identity"). */
function stepperNet(d, upTo = null, output = null) {
  const L = d.sizes.length - 1;
  const l = upTo === null ? L : upTo;
  const whole = l === L && output === null;
  return {
    sizes: d.sizes.slice(0, l + 1),
    activation: d.activation,
    outputActivation: output !== null ? output : l === L ? d.output_activation : d.activation,
    loss: whole ? d.loss : "squared_error",
    weights: d.weights.slice(0, l),
    biases: d.biases.slice(0, l),
  };
}

/** The forward pass of x layer by layer and, with a target, the loss, deltas and gradients. */
function stepperPass(d) {
  const L = d.sizes.length - 1;
  const z = [null];
  const a = [Array.from(d.x)];
  for (let l = 1; l <= L; l++) {
    z.push(forward(stepperNet(d, l, "identity"), [d.x])[0]);
    a.push(forward(stepperNet(d, l), [d.x])[0]);
  }
  const pass = { L, z, a, hasY: d.y.length > 0 };
  if (pass.hasY) {
    const net = stepperNet(d);
    pass.loss = loss(net, [d.x], [d.y]);
    const g = gradients(net, [d.x], [d.y]);
    pass.deltas = [null, ...g.biases.map((b) => Array.from(b))]; // one sample: dE/db = delta
    pass.gradWeights = g.weights;
    pass.gradBiases = g.biases;
  }
  return pass;
}

/** The text on the diagram, keyed as `NetworkDiagram.labels` (`_Stepper._labels`). */
function stepperLabels(d, pass, shown, path) {
  const labels = {};
  const { L } = pass;
  const everywhere = Math.max(...d.sizes) <= STEPPER_LABELLED_LAYER_SIZE;
  const onPath = new Set(path.edges);
  d.sizes.forEach((n, layer) => {
    const kind = layer === 0 ? "input" : stepperKind(layer, L);
    labels[`layer ${layer}`] = `${kind} layer` + (layer ? ` (${layer})` : "");
    for (let j = 0; j < n; j++) {
      const above = [];
      const below = [];
      if (shown.netInputs.has(layer)) above.push(`z=${stepperNumber(pass.z[layer][j])}`);
      if (shown.activations.has(layer)) above.push(`${layer === 0 ? "x" : "a"}=${stepperNumber(pass.a[layer][j])}`);
      if (shown.biases.has(layer)) below.push(`b=${stepperNumber(d.biases[layer - 1][j])}`);
      if (shown.deltas.has(`${layer},${j}`)) below.push(`δ=${stepperNumber(pass.deltas[layer][j])}`);
      if (shown.gradients.has(`b${layer}[${j}]`)) below.push(`∂E/∂b=${stepperNumber(pass.gradBiases[layer - 1][j])}`);
      if (above.length) labels[`neuron ${layer},${j}`] = above.join("\n");
      if (below.length) labels[`below ${layer},${j}`] = below.join("\n");
    }
  });
  for (let l = 1; l <= L; l++) {
    for (let i = 0; i < d.sizes[l - 1]; i++) {
      for (let j = 0; j < d.sizes[l]; j++) {
        const name = `W${l}[${i},${j}]`;
        if (!(everywhere || onPath.has(name))) continue;
        const parts = [`w=${stepperNumber(d.weights[l - 1][i][j])}`];
        if (shown.gradients.has(name)) parts.push(`∂E/∂w=${stepperNumber(pass.gradWeights[l - 1][i][j])}`);
        labels[name] = parts.join("\n");
      }
    }
  }
  if (pass.hasY) {
    d.y.forEach((yk, k) => {
      labels[`y[${k}]`] = `→ y${stepperSubscript(k)}=${stepperNumber(yk)}`;
    });
    if (shown.loss) labels.loss = `E=${stepperNumber(pass.loss)}`;
  }
  return labels;
}

function stepperRange(from, to) {
  const out = [];
  for (let k = from; k <= to; k++) out.push(k);
  return out;
}

// ----------------------------------------------------------------------- forward

/** The step in words and its arithmetic (`ForwardStepper._what`). */
function forwardWhat(d, pass, step) {
  const { L, z, a } = pass;
  if (step === 0) {
    const x = stepperNumbers(d.x);
    return [`the input enters layer 0: x = ${x}.`, [`Layer 0 holds the input: a(0) = x = ${x}.`, "Press next to compute layer 1."]];
  }
  if (step === 2 * L + 1) {
    const E = stepperNumber(pass.loss);
    const head = `The loss: the outputs ŷ = a(${L}) against the targets y: `;
    let line;
    if (d.loss === "squared_error") {
      const terms = d.y.map((yk, k) => `(${stepperNumber(yk)} - ${stepperNumber(a[L][k])})²`).join(" + ");
      line = `E = ½ Σ_k (y_k - ŷ_k)² = ½ [${terms}] = ${E}`;
    } else line = `E = ${E} (${d.loss})`;
    return [`the loss compares the outputs with the targets: E = ${E}.`, [head + line]];
  }
  const layer = Math.floor((step + 1) / 2);
  const kind = stepperKind(layer, L);
  const w = d.weights[layer - 1];
  const b = d.biases[layer - 1];
  const previous = a[layer - 1];
  const n = d.sizes[layer];
  const lines = [];
  if (step % 2 === 1) {
    lines.push(`Net inputs of the ${kind} layer ${layer}: z(${layer})_j = Σ_i a(${layer - 1})_i · w(${layer})_i,j + b(${layer})_j`);
    for (let j = 0; j < n; j++) {
      const terms = previous.map((p, i) => `${stepperWrapped(p)} · ${stepperWrapped(w[i][j])}`).join(" + ");
      lines.push(`z(${layer})_${j} = ${terms} + ${stepperWrapped(b[j])} = ${stepperNumber(z[layer][j])}`);
    }
    return [`net inputs of the ${kind} layer ${layer}: z(${layer}) = ${stepperNumbers(z[layer])}.`, lines];
  }
  const name = layer === L ? d.output_activation : d.activation;
  lines.push(`Activations of the ${kind} layer ${layer}: a(${layer})_j = f(z(${layer})_j), f = ${name}`);
  for (let j = 0; j < n; j++) {
    if (name === "softmax") lines.push(`a(${layer})_${j} = softmax(z(${layer}))_${j} = ${stepperNumber(a[layer][j])}`);
    else lines.push(`a(${layer})_${j} = ${name}(${stepperNumber(z[layer][j])}) = ${stepperNumber(a[layer][j])}`);
  }
  return [`activations of the ${kind} layer ${layer}: a(${layer}) = ${name}(z(${layer})) = ${stepperNumbers(a[layer])}.`, lines];
}

/** Everything the forward stepper shows for the view's data `d`. */
function forwardStepper(d) {
  const pass = stepperPass(d);
  const { L } = pass;
  const nSteps = 2 * L + (pass.hasY ? 1 : 0);
  const step = Math.max(0, Math.min(d.step, nSteps));
  const layers = stepperRange(1, L);
  const shown = {
    biases: new Set(layers),
    netInputs: new Set(layers.filter((n) => step >= 2 * n - 1)),
    activations: new Set([0, ...layers.filter((n) => step >= 2 * n)]),
    deltas: new Set(),
    gradients: new Set(),
    loss: pass.hasY && step === nSteps,
  };
  const [what, lines] = forwardWhat(d, pass, step);
  return {
    kind: "forward",
    step,
    nSteps,
    labels: stepperLabels(d, pass, shown, { edges: [] }),
    explanation: lines.join("\n"),
    status: `Step ${step} of ${nSteps}: ${what}`,
    path: { edges: [], neurons: new Set() },
    linesBelow: 1,
    purple: false,
  };
}

// ------------------------------------------------------------------ backpropagation

function stepperParameter(name) {
  const match = /^([Wb])(\d+)\[(\d+)(?:,(\d+))?\]$/.exec(name);
  const isWeight = match[1] === "W";
  return { name, isWeight, layer: Number(match[2]), i: isWeight ? Number(match[3]) : null, j: Number(isWeight ? match[4] : match[3]) };
}

/** The chain-rule path of a parameter (`chain_path`): its edge, then every edge to the outputs. */
function stepperPath(sizes, ref) {
  const edges = ref.isWeight ? [ref.name] : [];
  const neurons = new Set([`${ref.layer},${ref.j}`]);
  if (ref.isWeight) neurons.add(`${ref.layer - 1},${ref.i}`);
  let frontier = [ref.j];
  for (let layer = ref.layer + 1; layer < sizes.length; layer++) {
    for (const i of frontier) for (let j = 0; j < sizes[layer]; j++) edges.push(`W${layer}[${i},${j}]`);
    frontier = stepperRange(0, sizes[layer] - 1);
    for (const j of frontier) neurons.add(`${layer},${j}`);
  }
  return { edges, neurons };
}

/** A factor's meaning, as `bl.chain_rule`'s `Factor.meaning` (the engine gives text and value). */
function stepperMeaning(d, ref, text) {
  const K = d.sizes[d.sizes.length - 1];
  let m = /^dE\/dyhat_(\d+)$/.exec(text);
  if (m) {
    const k = m[1];
    if (d.loss === "squared_error") return `how E changes with output ${k}; squared error: yhat_${k} - y_${k}`;
    if (d.loss === "mse") return `how E changes with output ${k}; mean squared error: (2/${K})(yhat_${k} - y_${k})`;
    return `how E changes with output ${k}; binary cross-entropy`;
  }
  if (/^dyhat_\d+\/dz/.test(text)) return `slope of the output's ${STEPPER_WORDS[d.output_activation]} at its net input`;
  m = /^delta\(\d+\)_(\d+)$/.exec(text);
  if (m) {
    const k = m[1];
    if (d.output_activation === "softmax") {
      const how = d.loss === "cross_entropy" ? `with cross-entropy it is yhat_${k} - y_${k}` : "a sum over all outputs m";
      return `dE/dz of output ${k} as one factor: softmax couples the outputs (z_${k} moves every yhat_m); ${how}`;
    }
    return `dE/dz of output ${k} as one factor, yhat_${k} - y_${k}: the output saturated at 0 or 1, where dE/dyhat alone is infinite`;
  }
  if (/^dE\/da/.test(text)) return `how E changes with this neuron's output: one term per neuron of layer ${ref.layer + 1}`;
  if (/^da/.test(text)) return `slope of this neuron's ${STEPPER_WORDS[d.activation]} at its net input`;
  if (!ref.isWeight) return "the bias is added to the net input as it is: slope 1";
  if (ref.layer === 1) return `what the weight multiplies: input x_${ref.i}`;
  return `what the weight multiplies: output of neuron ${ref.i} of layer ${ref.layer - 1}`;
}

/** Everything the backpropagation stepper shows for the view's data `d`. */
function backpropStepper(d) {
  if (!d.y.length) throw new Error("y must be given: the backward pass needs the target");
  const pass = stepperPass(d);
  const { L } = pass;
  const names = parameterNames(d.sizes);
  const param = names[Math.max(0, Math.min(d.param, names.length - 1))];
  const ref = stepperParameter(param);
  const chain = chainRule(stepperNet(d), d.x, d.y, param);
  const factors = chain.factors;
  const nSteps = factors.length;
  const step = Math.max(0, Math.min(d.step, nSteps));
  const every = stepperRange(1, L);
  const deltas = new Set();
  if (step >= 1) for (let m = ref.layer + 1; m <= L; m++) for (let k = 0; k < d.sizes[m]; k++) deltas.add(`${m},${k}`);
  if (step >= nSteps - 1) deltas.add(`${ref.layer},${ref.j}`);
  const path = stepperPath(d.sizes, ref);
  const shown = {
    biases: new Set(),
    netInputs: new Set(every),
    activations: new Set([0, ...every]),
    deltas,
    gradients: new Set(step === nSteps ? [param] : []),
    loss: true,
  };
  const lines = [];
  if (step === 0) {
    lines.push("The chain rule writes the gradient as a product of local derivatives; press next to take the factors one at a time, from the loss back.");
  } else {
    const factor = factors[step - 1];
    lines.push(`Factor ${step}: ${factor.text} = ${stepperNumber(factor.value, 6)}, ${stepperMeaning(d, ref, factor.text)}.`);
    if (factor.terms.length) {
      const texts = factor.terms.map((t) => t.text).join(" + ");
      const values = factor.terms.map((t) => stepperWrapped(t.value, 6)).join(" + ");
      lines.push(`It is a sum over the next layer: ${factor.text} = ${texts} = ${values} = ${stepperNumber(factor.value, 6)}`);
    }
  }
  lines.push(`dE/d${param} = ` + factors.map((f) => f.text).join(" · "));
  if (step) {
    const tail = factors.slice(step).map((f) => ` · ${f.text}`).join("");
    let product = 1.0;
    for (const f of factors.slice(0, step)) product *= f.value;
    lines.push(`= ${factors.slice(0, step).map((f) => stepperWrapped(f.value, 6)).join(" · ")}${tail}`);
    if (step > 1) lines.push(`= ${stepperNumber(product, 6)}${tail}`); // the numbers so far, multiplied
  }
  let status;
  if (step === 0) {
    status = `Step 0 of ${nSteps}: forward pass done (E = ${stepperNumber(chain.loss)}); the highlighted edges and neurons are every path from ${param} to the loss.`;
  } else if (step === nSteps) {
    status = `Step ${nSteps} of ${nSteps}: dE/d${param} = ${stepperNumber(chain.value, 6)}, the gradient the backward pass gives.`;
  } else {
    const factor = factors[step - 1];
    status = `Step ${step} of ${nSteps}: ${factor.text} = ${stepperNumber(factor.value)}, ${stepperMeaning(d, ref, factor.text)}`;
  }
  return {
    kind: "backprop",
    step,
    nSteps,
    param,
    labels: stepperLabels(d, pass, shown, path),
    explanation: lines.join("\n"),
    status,
    path,
    linesBelow: 2,
    purple: deltas.size > 0,
  };
}

/** The view's data as plain values (what Python's traits hold). */
function stepperData(model) {
  const d = {};
  for (const name of STEPPER_TRAITS) d[name] = model.get(name);
  if (d.param === undefined || d.param === null) d.param = 0;
  return d;
}

function stepperState(model) {
  const d = stepperData(model);
  try {
    const shown = d.kind === "backprop" ? backpropStepper(d) : forwardStepper(d);
    return { d, ...shown };
  } catch (error) {
    return { d, error: String(error.message || error), status: `This network cannot be stepped through: ${error.message || error}` };
  }
}

// ---------------------------------------------------------------------- the picture

/** The diagram's layout in data units, as `draw_network` lays it out. */
function stepperLayout(sizes, hasY, linesBelow) {
  const L = sizes.length - 1;
  const biggest = Math.max(...sizes);
  const spacing = biggest <= 3 ? 1.2 : Math.min(1.2, 3.0 / (biggest - 1));
  const radius = Math.min(0.2, 0.3 * spacing);
  const positions = {};
  sizes.forEach((n, layer) => {
    for (let j = 0; j < n; j++) positions[`${layer},${j}`] = [2.1 * layer, ((n - 1) / 2 - j) * spacing];
  });
  const top = ((biggest - 1) / 2) * spacing;
  return {
    positions,
    radius,
    xlim: [-0.75, 2.1 * L + (hasY ? 1.2 : 0.85)],
    ylim: [-top - radius - 0.16 * linesBelow - 0.25, top + radius + 0.16 * 2 + 0.5],
  };
}

function stepperAspect(state) {
  if (state.error) return 0.5;
  const layout = stepperLayout(state.d.sizes, state.d.y.length > 0, state.linesBelow);
  return (layout.ylim[1] - layout.ylim[0]) / (layout.xlim[1] - layout.xlim[0]);
}

/** A block of text lines with a rounded background box; returns its box [x0, x1, y0, y1]. */
function stepperText(ctx, text, x, y, { align = "center", baseline = "middle", font, color, box = null, bold = false }) {
  const lines = text.split("\n");
  ctx.font = `${bold ? "bold " : ""}${font}px sans-serif`;
  const width = Math.max(...lines.map((l) => ctx.measureText(l).width)) + 0.6 * font;
  const lineHeight = 1.2 * font;
  const height = lines.length * lineHeight + 0.3 * font;
  const x0 = align === "left" ? x : align === "right" ? x - width : x - width / 2;
  const y0 = baseline === "top" ? y : baseline === "bottom" ? y - height : y - height / 2;
  if (box) {
    ctx.save();
    ctx.globalAlpha = 0.9;
    ctx.fillStyle = box;
    ctx.beginPath();
    if (ctx.roundRect) ctx.roundRect(x0, y0, width, height, 0.25 * font);
    else ctx.rect(x0, y0, width, height);
    ctx.fill();
    ctx.restore();
  }
  ctx.fillStyle = color;
  ctx.textAlign = "center";
  ctx.textBaseline = "middle";
  lines.forEach((l, k) => ctx.fillText(l, x0 + width / 2, y0 + 0.15 * font + (k + 0.5) * lineHeight));
  return [x0, x0 + width, y0, y0 + height];
}

function stepperOverlap(boxes, b) {
  let total = 0;
  for (const o of boxes) {
    const dx = Math.min(b[1], o[1]) - Math.max(b[0], o[0]) + 3;
    const dy = Math.min(b[3], o[3]) - Math.max(b[2], o[2]) + 3;
    if (dx > 0 && dy > 0) total += dx * dy;
  }
  return total;
}

function drawStepper(figure, state) {
  const { ctx, width, height, theme } = figure;
  if (state.error) {
    ctx.fillStyle = theme.foreground;
    ctx.font = "14px sans-serif";
    ctx.fillText("This network cannot be stepped through.", 12, 24);
    return;
  }
  const { d, labels, path } = state;
  const L = d.sizes.length - 1;
  const layout = stepperLayout(d.sizes, d.y.length > 0, state.linesBelow);
  const [x0, x1] = layout.xlim;
  const [y0, y1] = layout.ylim;
  const unit = Math.min(width / (x1 - x0), height / (y1 - y0));
  const left = (width - unit * (x1 - x0)) / 2;
  const topPx = (height - unit * (y1 - y0)) / 2;
  const px = (x) => left + (x - x0) * unit;
  const py = (y) => topPx + (y1 - y) * unit;
  const font = Math.max(9, Math.min(13, unit * 0.082));
  const pt = (unit / 139) * 1.333; // a matplotlib point at this scale
  const radius = layout.radius * unit;
  const at = (layer, j) => layout.positions[`${layer},${j}`];
  const dim = state.kind === "backprop"; // as draw_network with a highlight
  const onPath = new Set(path.edges);
  const boxes = [];
  ctx.save();
  ctx.lineCap = "round";
  // edges: sign by colour, size by width; the path on top, with an orange halo
  let scale = 0;
  for (const w of d.weights) for (const row of w) for (const v of row) scale = Math.max(scale, Math.abs(v));
  scale = scale > 0 ? scale : 1;
  const edges = [];
  for (let l = 1; l <= L; l++) {
    for (let i = 0; i < d.sizes[l - 1]; i++) {
      for (let j = 0; j < d.sizes[l]; j++) {
        const name = `W${l}[${i},${j}]`;
        const value = d.weights[l - 1][i][j];
        edges.push({ name, from: at(l - 1, i), to: at(l, j), value, on: onPath.has(name), width: (0.6 + (4.4 * Math.abs(value)) / scale) * pt });
      }
    }
  }
  edges.sort((a, b) => Number(a.on) - Number(b.on));
  for (const e of edges) {
    if (e.on) {
      ctx.strokeStyle = STEPPER_COLORS.highlight;
      ctx.lineWidth = e.width + 7 * pt;
      line(ctx, px(e.from[0]), py(e.from[1]), px(e.to[0]), py(e.to[1]));
    }
    ctx.globalAlpha = e.on || !dim ? 1 : 0.25;
    ctx.strokeStyle = e.value >= 0 ? STEPPER_COLORS.positive : STEPPER_COLORS.negative;
    ctx.lineWidth = e.width;
    line(ctx, px(e.from[0]), py(e.from[1]), px(e.to[0]), py(e.to[1]));
    ctx.globalAlpha = 1;
  }
  // neurons: inputs grey, hidden orange, outputs blue; the path's neurons ringed in orange
  const fills = (layer) => (layer === 0 ? "#f0f0f0" : layer === L ? "#d1e5f0" : "#fde0c5");
  d.sizes.forEach((n, layer) => {
    for (let j = 0; j < n; j++) {
      const [cx, cy] = at(layer, j);
      const ringed = path.neurons.has(`${layer},${j}`);
      ctx.beginPath();
      ctx.arc(px(cx), py(cy), radius, 0, 2 * Math.PI);
      ctx.fillStyle = fills(layer);
      ctx.fill();
      ctx.strokeStyle = ringed ? STEPPER_COLORS.path : "#333333";
      ctx.lineWidth = (ringed ? 3.0 : 1.2) * pt;
      ctx.stroke();
      boxes.push([px(cx) - radius, px(cx) + radius, py(cy) - radius, py(cy) + radius]);
      if (radius >= 9) {
        const symbol = layer === 0 ? `x${stepperSubscript(j)}` : `a${stepperSuperscript(`(${layer})`)}${stepperSubscript(j)}`;
        stepperText(ctx, symbol, px(cx), py(cy), { font: font + 1, color: "#222222" });
      }
    }
  });
  // numbers above and below the neurons
  const deltaColor = theme.dark ? "#c2a5cf" : STEPPER_COLORS.delta;
  const green = theme.dark ? "#5aae61" : STEPPER_COLORS.gradient;
  d.sizes.forEach((n, layer) => {
    for (let j = 0; j < n; j++) {
      const [cx, cy] = at(layer, j);
      const above = labels[`neuron ${layer},${j}`];
      const below = labels[`below ${layer},${j}`];
      if (above) boxes.push(stepperText(ctx, above, px(cx), py(cy) - radius * 1.1, { baseline: "bottom", font, color: theme.foreground, box: theme.background }));
      if (below) {
        const color = state.purple ? deltaColor : theme.foreground;
        boxes.push(stepperText(ctx, below, px(cx), py(cy) + radius * 1.1, { baseline: "top", font, color, box: theme.background }));
      }
    }
  });
  // targets and loss on the right, layer names on top
  if (d.y.length) {
    d.y.forEach((target, k) => {
      const [cx, cy] = at(L, k);
      boxes.push(stepperText(ctx, labels[`y[${k}]`], px(cx) + radius * 1.3, py(cy), { align: "left", font, color: theme.foreground }));
    });
    if (labels.loss) {
      const outs = d.y.map((target, k) => at(L, k));
      const cy = outs.length > 1 ? outs.reduce((s, p) => s + p[1], 0) / outs.length : -layout.radius * 0.95;
      stepperText(ctx, labels.loss, px(outs[0][0]) + radius * 1.3, py(cy), { align: "left", font: font + 0.5, color: green, bold: true });
    }
  }
  d.sizes.forEach((size, layer) => {
    stepperText(ctx, labels[`layer ${layer}`], px(2.1 * layer), py(y1 - 0.08), { baseline: "top", font: font + 0.5, color: theme.foreground, bold: true });
  });
  // each weight on its edge, slid along it to where it meets the least
  const edgeFont = font * 0.92;
  const edgeColor = (on) => (dim ? (on ? green : theme.muted) : theme.foreground);
  for (const e of [...edges].reverse()) {
    const text = labels[e.name];
    if (!text) continue;
    ctx.font = `${edgeFont}px sans-serif`;
    const lines = text.split("\n");
    const w = Math.max(...lines.map((l) => ctx.measureText(l).width)) + 0.6 * edgeFont;
    const h = lines.length * 1.2 * edgeFont + 0.3 * edgeFont;
    let best = null;
    let bestOverlap = Infinity;
    for (const t of STEPPER_EDGE_PLACES) {
      const cx = px(e.from[0] + t * (e.to[0] - e.from[0]));
      const cy = py(e.from[1] + t * (e.to[1] - e.from[1]));
      const overlap = stepperOverlap(boxes, [cx - w / 2, cx + w / 2, cy - h / 2, cy + h / 2]);
      if (overlap < bestOverlap) {
        best = [cx, cy];
        bestOverlap = overlap;
      }
      if (overlap === 0) break;
    }
    boxes.push(stepperText(ctx, text, best[0], best[1], { font: edgeFont, color: edgeColor(e.on), box: theme.background }));
  }
  ctx.restore();
}

// ------------------------------------------------------------------------- the view

function render({ model, el }) {
  const first = stepperState(model);
  const controls = document.createElement("div");
  controls.className = "bpl-stepper-buttons";
  controls.style.display = "flex";
  controls.style.gap = "0.5rem";
  controls.style.margin = "0.25rem 0";
  const buttons = {};
  for (const [name, text, delta] of [["previous", "◀ previous", -1], ["next", "next ▶", 1]]) {
    const button = document.createElement("button");
    button.type = "button";
    button.className = `bpl-stepper-${name} jupyter-button`;
    button.textContent = text;
    button.addEventListener("click", () => {
      const state = stepperState(model);
      if (state.error) return;
      model.set("step", Math.max(0, Math.min(state.nSteps, state.step + delta)));
      model.save_changes();
    });
    controls.appendChild(button);
    buttons[name] = button;
  }
  // The explanation's box keeps the height of the tallest text it has held, and contains
  // its layout: a step that changes its lines then relays out this box, not the chapter
  // (on a long page that took 100 ms a step).
  const explanation = document.createElement("div");
  explanation.className = "bpl-stepper-explanation";
  explanation.style.fontSize = "0.9rem";
  explanation.style.overflowWrap = "anywhere";
  const lines = document.createElement("div");
  explanation.appendChild(lines);
  let tallest = 0;
  let observer = null;
  function fit() {
    const height = Math.ceil(lines.offsetHeight); // 0 while the view is not in the page
    if (height > tallest) {
      tallest = height;
      explanation.style.height = `${height}px`;
    }
  }
  if (typeof ResizeObserver !== "undefined") {
    explanation.style.contain = "strict";
    explanation.style.height = "0px";
    // on entering the page and when the column's width rewraps the lines; in the next
    // frame, since resizing inside an observer's callback is a "ResizeObserver loop"
    observer = new ResizeObserver(() => requestAnimationFrame(fit));
    observer.observe(lines);
  }
  function explain(state) {
    lines.replaceChildren(
      ...(state.error ? [] : state.explanation.split("\n")).map((text) => {
        const row = document.createElement("div");
        row.textContent = text;
        return row;
      }),
    );
    buttons.previous.disabled = !!state.error || state.step <= 0;
    buttons.next.disabled = !!state.error || state.step >= state.nSteps;
    if (observer) fit();
    return state.status;
  }
  const dispose = liveView({
    model,
    el,
    name: "stepper",
    label: first.kind === "backprop" ? "the chain rule, one factor a step" : "a forward pass, one layer a step",
    traits: STEPPER_TRAITS,
    panels: 1,
    aspect: stepperAspect(first),
    compute: stepperState,
    draw: drawStepper,
    status: explain,
    // another parameter starts at step 0 (the step slider follows)
    onChange: {
      param: (m) => {
        m.set("step", 0);
        m.save_changes();
      },
    },
  });
  const status = el.querySelector(".bpl-live-status");
  el.insertBefore(controls, status);
  el.insertBefore(explanation, status);
  return () => {
    if (observer) observer.disconnect();
    dispose();
  };
}

export default { render };
