/**
 * The gradient-size explorer (chapter 6.2, vanishing gradients): a deep network (depth
 * hidden layers of width neurons, sigmoid output, binary cross-entropy) initialised from
 * the portable generator (`initialParameters`, as Python's `portable_network`), every
 * weight times weight_scale, and its gradients on the two moons (sent by Python), computed
 * in the page by the engine's `gradients`. Left, each layer's ||dE/dW|| (log scale);
 * right, the spread of each hidden layer's activations. Traits read: activation (menu
 * index), weight_scale, depth, width, seed, X, Y. The status line is the Python
 * explorer's (`GradientSizeExplorer.status`), word for word.
 */

const GRADIENT_SIZE_TRAITS = ["activation", "weight_scale", "depth", "width", "seed", "X", "Y", "choices"];

/** The network of a setting (Python's `GradientSizeExplorer.build`). */
function gradientSizeNetwork(activation, scale, depth, width, seed) {
  const sizes = [2, ...new Array(depth).fill(width), 1];
  const { weights, biases } = initialParameters(sizes, activation, seed);
  return {
    sizes,
    activation,
    outputActivation: "sigmoid",
    loss: "binary_cross_entropy",
    weights: weights.map((rows) => rows.map((row) => row.map((w) => w * scale))),
    biases,
  };
}

/** Each layer's weight-gradient size, sqrt of the sum of squares (`layer_norms()`). */
function gradientSizes(net, X, Y) {
  return gradients(net, X, Y).weights.map((rows) => {
    let sum = 0;
    for (const row of rows) for (const g of row) sum += g * g;
    return Math.sqrt(sum);
  });
}

/** The standard deviation of each hidden layer's activations over samples and neurons. */
function gradientSpreads(net, X) {
  let a = X.map((row) => Array.from(row));
  const spreads = [];
  for (let l = 0; l < net.sizes.length - 2; l++) {
    const W = net.weights[l];
    const b = net.biases[l];
    a = a.map((row) => {
      const out = new Array(b.length);
      for (let j = 0; j < b.length; j++) {
        let z = b[j];
        for (let i = 0; i < row.length; i++) z += row[i] * W[i][j];
        out[j] = activate(net.activation, z);
      }
      return out;
    });
    let count = 0;
    let mean = 0;
    for (const row of a) for (const v of row) mean += v, count++;
    mean /= count;
    let square = 0;
    for (const row of a) for (const v of row) square += (v - mean) * (v - mean);
    spreads.push(Math.sqrt(square / count));
  }
  return spreads;
}

/** `GradientSizeExplorer.status` from the setting and the sizes. */
function gradientSizeStatus(activation, scale, depth, sizes) {
  const first = sizes[0];
  const last = sizes[sizes.length - 1];
  const ratio = last > 0 ? first / last : Infinity;
  let message =
    `${activation}, ${depth} hidden layer${depth > 1 ? "s" : ""}, weights x ${shortNumber(scale, 3)}: ` +
    `layer 1's gradient is ${shortNumber(first, 3)}, layer ${sizes.length}'s ${shortNumber(last, 3)} ` +
    `(ratio ${shortNumber(ratio, 3)}).`;
  const largest = Math.max(...sizes);
  if (ratio < 1e-2) message += " The gradient vanishes on its way back to the inputs.";
  else if (largest > 1e2) message += " Every gradient is huge: the signals explode through the layers.";
  else if (largest < 1e-3) message += " Every gradient is tiny: the signals die out in the forward pass.";
  else if (ratio > 10) message += " The gradient grows on its way back to the inputs.";
  return message;
}

/** The sizes and spreads of a setting, computed from scratch (what the tests call). */
function gradientSizeFor(X, Y, activation, scale, depth, width, seed) {
  const net = gradientSizeNetwork(activation, scale, depth, width, seed);
  const sizes = gradientSizes(net, X, Y);
  return { sizes, spreads: gradientSpreads(net, X), status: gradientSizeStatus(activation, scale, depth, sizes) };
}

function gradientSizeState(model) {
  const activation = chosen(model, "activation");
  const scale = model.get("weight_scale");
  const depth = model.get("depth");
  const found = gradientSizeFor(model.get("X"), model.get("Y"), activation, scale, depth, model.get("width"), model.get("seed"));
  return { activation, scale, depth, ...found };
}

function drawGradientSize(figure, state) {
  const { ctx, panels, theme } = figure;
  const { activation, scale, depth, sizes, spreads } = state;
  const layers = sizes.map((_, k) => k + 1);
  const finite = sizes.filter((v) => Number.isFinite(v) && v > 0);
  const low = Math.max(finite.length ? Math.min(...finite) : 1e-30, 1e-30);
  const high = finite.length ? Math.max(...finite) : 1;
  const left = drawAxes(ctx, panels[0], theme, {
    xlim: [0.6, sizes.length + 0.4],
    ylim: [Math.min(low / 3, 1e-3), Math.max(high * 3, 1.0)],
    yscale: "log",
    xticks: layers,
    xlabel: "layer l (1 = next to the inputs)",
    ylabel: "‖∂E/∂W⁽ˡ⁾‖",
    title: `gradient sizes: ${activation}, weights x ${shortNumber(scale, 3)}`,
  });
  drawCurve(ctx, left, layers, sizes, { color: BOOK.blue, width: 1.8 });
  layers.forEach((l, k) => drawMarker(ctx, left, l, sizes[k], { color: BOOK.blue, size: 3.5 }));
  const top = Math.max(Math.max(...spreads) * 1.15, 0.05);
  const right = drawAxes(ctx, panels[1], theme, {
    xlim: [0.4, depth + 0.6],
    ylim: [0, Number.isFinite(top) ? top : 1],
    xticks: spreads.map((_, k) => k + 1),
    xlabel: "hidden layer l",
    ylabel: "spread of a⁽ˡ⁾ (std)",
    title: "what the forward pass carries",
  });
  spreads.forEach((s, k) => drawBar(ctx, right, k + 1, s, { color: BOOK.orange, width: 0.6 }));
}

function render({ model, el }) {
  return liveView({
    model,
    el,
    name: "gradient-size",
    label: "gradient sizes layer by layer",
    traits: GRADIENT_SIZE_TRAITS,
    compute: gradientSizeState,
    draw: drawGradientSize,
    status: (state) => gradientSizeStatus(state.activation, state.scale, state.depth, state.sizes),
  });
}

export default { render };
