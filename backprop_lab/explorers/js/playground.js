/**
 * The playground (chapter 5, reused in chapters 4 and 6): a network trained in the page.
 *
 * The data come from the generator Python and the page share (`playgroundData`), the
 * inputs from the chosen features (`inputFeatures`), the network from the portable start
 * (`portableNetwork`), and the training from the engine's stepwise trainer (`trainSteps`),
 * run in a Web Worker (`playground.worker.js`: this module, started a second time off the
 * page's thread), or where there is none in animation-frame slices (`runInFrames`), so
 * that a long run never freezes the page: the picture draws as the run goes. Every update's parameters
 * are kept (one Float64Array each; a network is made from them when shown), so the
 * iterations slider, play, step and reset only show another one.
 *
 * Panels: the network (inputs, each hidden neuron's output as a small picture, each
 * weight's sign by colour and size by width; hover or focus a weight for its value, its
 * gradient and the chain rule), the decision regions with the training and test points
 * (the fitted curve for regression), and the training and test loss curves.
 *
 * Traits read: dataset, noise, test_fraction, seed, activation, learning_rate, batch_size,
 * regularization, regularization_rate, momentum (menus as indices into `choices`),
 * iterations, hidden_layers, features, max_iterations, n_samples. The status line is the
 * Python explorer's (`TrainingExplorer.status`, `playground_status`), word for word.
 */

const PLAYGROUND_SETTINGS = [
  "start",
  "dataset",
  "noise",
  "test_fraction",
  "seed",
  "activation",
  "learning_rate",
  "batch_size",
  "momentum",
  "regularization",
  "regularization_rate",
  "hidden_layers",
  "features",
  "max_iterations",
  "n_samples",
  "choices",
];
const PLAYGROUND_MAX_LAYERS = 6;
const PLAYGROUND_MAX_NEURONS = 8;
const PLAYGROUND_CLASS_COLORS = ["#ca0020", "#0571b0", "#1a9641"];
const PLAYGROUND_FEATURE_LABELS = {
  x1: "x₁",
  x2: "x₂",
  "x1^2": "x₁²",
  "x2^2": "x₂²",
  "x1*x2": "x₁x₂",
  "sin(x1)": "sin x₁",
  "sin(x2)": "sin x₂",
};

// ---------------------------------------------------------------------- the settings

/** Outputs, output activation and loss for a data set (Python's `output_of`). */
function playgroundOutput(name) {
  if (name === "regression_1d") return { outputs: 1, outputActivation: "identity", loss: "squared_error" };
  if (name === "three_spirals") return { outputs: 3, outputActivation: "softmax", loss: "cross_entropy" };
  return { outputs: 1, outputActivation: "sigmoid", loss: "binary_cross_entropy" };
}

/** The chosen features the data set has (x1 when none is left), in FEATURES' order. */
function playgroundUsableFeatures(names, dataset) {
  const inputs = dataset === "regression_1d" ? 1 : 2;
  const usable = names.filter((n) => FEATURES.includes(n) && (inputs === 2 || !n.includes("x2")));
  return checkFeatures(usable.length ? usable : ["x1"], inputs);
}

/** The settings the traits describe (Python's `TrainingExplorer.setting()`), and the
 * iteration shown. */
function playgroundSettings(model) {
  const dataset = chosen(model, "dataset");
  const regularization = chosen(model, "regularization");
  const rate = model.get("regularization_rate");
  const batch = chosen(model, "batch_size");
  return {
    dataset,
    noise: model.get("noise"),
    testFraction: model.get("test_fraction"),
    seed: model.get("seed"),
    features: playgroundUsableFeatures(model.get("features") || [], dataset),
    hiddenLayers: (model.get("hidden_layers") || []).slice(),
    activation: chosen(model, "activation"),
    learningRate: model.get("learning_rate"),
    batchSize: batch === undefined || batch === "full batch" ? null : Number(batch),
    momentum: model.get("momentum"),
    l2: regularization === "L2" ? rate : 0,
    l1: regularization === "L1" ? rate : 0,
    maxIterations: model.get("max_iterations"),
    nSamples: model.get("n_samples"),
    start: model.get("start") || "",
  };
}

const PLAYGROUND_FORMAT = "backprop_lab.Network/1";

function playgroundSame(a, b) {
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * The start of a run: the imported network (`s.start`, its JSON) while it fits the
 * settings (layer sizes, activations, loss, input features), else the portable start of
 * the seed (Python's `TrainingExplorer._start`).
 */
function playgroundStart(s, out) {
  const sizes = [s.features.length, ...s.hiddenLayers, out.outputs];
  if (s.start) {
    try {
      const d = JSON.parse(s.start);
      const fits =
        d.format === PLAYGROUND_FORMAT &&
        playgroundSame(d.layer_sizes, sizes) &&
        d.activation === s.activation &&
        d.output_activation === out.outputActivation &&
        d.loss === out.loss &&
        (d.input_features === undefined || d.input_features === null || playgroundSame(d.input_features, s.features));
      if (fits) {
        const net = { sizes, activation: s.activation, outputActivation: out.outputActivation, loss: out.loss, weights: d.weights, biases: d.biases };
        forward(net, [new Array(sizes[0]).fill(0)]); // checks the layout now
        return net;
      }
    } catch (error) {
      // not a network that fits: the portable start, as in Python
    }
  }
  return portableNetwork({ sizes, activation: s.activation, outputActivation: out.outputActivation, loss: out.loss, seed: s.seed });
}

/** The network as `Network.to_dict` writes it, with its input features and regularisation
 * (the JSON `bl.Network.from_json` reads; the Python explorer's `to_json`). */
function playgroundExport(net, s) {
  const rows = (W, l) => (Array.isArray(W) ? W.map((row) => Array.from(row)) : Array.from({ length: net.sizes[l] }, (_, i) => Array.from(W.subarray(i * net.sizes[l + 1], (i + 1) * net.sizes[l + 1]))));
  return {
    format: PLAYGROUND_FORMAT,
    layer_sizes: net.sizes.slice(),
    activation: net.activation,
    output_activation: net.outputActivation,
    loss: net.loss,
    dtype: "float64",
    weights: net.weights.map(rows),
    biases: net.biases.map((b) => Array.from(b)),
    input_features: s.features.slice(),
    regularization: { l2: s.l2, l1: s.l1 },
  };
}

/**
 * The traits an imported network's JSON sets (Python's `load_json`): {features,
 * hidden_layers, activation (a name), start}; an Error in words when it does not fit.
 */
function playgroundImport(text, dataset) {
  let d;
  try {
    d = JSON.parse(text);
  } catch (error) {
    throw new Error(`the file must be a network's JSON (Network.to_json); it is not JSON (${error.message})`);
  }
  if (!d || d.format !== PLAYGROUND_FORMAT) throw new Error(`the file must be a network's JSON (format ${PLAYGROUND_FORMAT})`);
  const out = playgroundOutput(dataset);
  const sizes = d.layer_sizes;
  if (!Array.isArray(sizes) || sizes.length < 2) throw new Error("the file's layer_sizes must list at least two layers");
  const inputs = dataset === "regression_1d" ? 1 : 2;
  const features = checkFeatures(d.input_features || FEATURES.slice(0, sizes[0]), inputs);
  if (features.length !== sizes[0]) throw new Error(`the file's input_features must name its ${sizes[0]} inputs`);
  if (sizes[sizes.length - 1] !== out.outputs || d.output_activation !== out.outputActivation || d.loss !== out.loss || !HIDDEN_ACTIVATIONS.includes(d.activation)) {
    throw new Error(
      `the network must fit ${dataset}: ${out.outputs} output(s), ${out.outputActivation} output and ${out.loss} loss; ` +
        `the file has ${sizes[sizes.length - 1]} output(s), ${d.output_activation} output and ${d.loss} loss`,
    );
  }
  const hidden = sizes.slice(1, -1);
  if (hidden.length > PLAYGROUND_MAX_LAYERS || hidden.some((n) => !(Number.isInteger(n) && n >= 1 && n <= PLAYGROUND_MAX_NEURONS))) {
    throw new Error(`the network's hidden layers must be at most ${PLAYGROUND_MAX_LAYERS} of 1 to ${PLAYGROUND_MAX_NEURONS} neurons; the file has ${JSON.stringify(hidden)}`);
  }
  forward({ sizes, activation: d.activation, outputActivation: d.output_activation, loss: d.loss, weights: d.weights, biases: d.biases }, [new Array(sizes[0]).fill(0)]);
  return { features, hidden_layers: hidden, activation: d.activation, start: text };
}

// the settings in the page's address (#playground=...), so that a reader can share a setup
const PLAYGROUND_HASH_KEYS = ["dataset", "noise", "test_fraction", "seed", "activation", "learning_rate", "batch_size", "momentum", "regularization", "regularization_rate", "iterations", "hidden_layers", "features"];
const PLAYGROUND_MENUS = ["dataset", "activation", "batch_size", "regularization"];
const PLAYGROUND_RANGES = { noise: [0, 0.5], test_fraction: [0.1, 0.9], seed: [0, 20], learning_rate: [1e-3, 10], momentum: [0, 0.95], regularization_rate: [1e-4, 1] };

/** The settings as the address keeps them (menus by their option's name). */
function playgroundHashState(model) {
  const state = {};
  for (const key of PLAYGROUND_HASH_KEYS) state[key] = PLAYGROUND_MENUS.includes(key) ? chosen(model, key) : model.get(key);
  return state;
}

/** The traits an address's state sets: only known keys with values the controls can show. */
function playgroundHashTraits(state, choices, maxIterations) {
  const traits = {};
  if (!state || typeof state !== "object") return traits;
  for (const key of PLAYGROUND_HASH_KEYS) {
    const v = state[key];
    if (v === undefined) continue;
    if (PLAYGROUND_MENUS.includes(key)) {
      const index = (choices[key] || []).indexOf(v);
      if (index >= 0) traits[key] = index;
    } else if (key === "hidden_layers") {
      if (Array.isArray(v) && v.length <= PLAYGROUND_MAX_LAYERS && v.every((n) => Number.isInteger(n) && n >= 1 && n <= PLAYGROUND_MAX_NEURONS)) traits[key] = v;
    } else if (key === "features") {
      if (Array.isArray(v) && v.length && v.every((n) => FEATURES.includes(n)) && new Set(v).size === v.length) traits[key] = FEATURES.filter((n) => v.includes(n));
    } else if (key === "iterations") {
      if (Number.isInteger(v) && v >= 0 && v <= maxIterations) traits[key] = v;
    } else if (typeof v === "number" && Number.isFinite(v) && v >= PLAYGROUND_RANGES[key][0] && v <= PLAYGROUND_RANGES[key][1]) {
      traits[key] = key === "seed" ? Math.round(v) : v;
    }
  }
  return traits;
}

/** The data, inputs, start and training options of a setting. */
function playgroundSetup(s) {
  const data = playgroundData(s.dataset, {
    nSamples: s.nSamples,
    noise: s.noise,
    testFraction: s.testFraction,
    seed: s.seed,
  });
  const out = playgroundOutput(s.dataset);
  const start = playgroundStart(s, out);
  const X = inputFeatures(data.train.X, s.features);
  const Xtest = inputFeatures(data.test.X, s.features);
  const options = {
    learningRate: s.learningRate,
    iterations: s.maxIterations,
    batchSize: s.batchSize,
    seed: s.seed,
    momentum: s.momentum,
    l2: s.l2,
    l1: s.l1,
    validation: [Xtest, data.test.Y],
  };
  return { s, data, X, Y: data.train.Y, Xtest, Ytest: data.test.Y, start, options };
}

function playgroundCopy(net) {
  const copy = (a) => (Array.isArray(a) ? a.map(copy) : a instanceof Float64Array ? Float64Array.from(a) : a);
  return { ...net, sizes: net.sizes.slice(), weights: copy(net.weights), biases: copy(net.biases) };
}

// ------------------------------------------------------------------------- the run

/**
 * A run that keeps every update's parameters: `{setup, params, nets, loss, validationLoss,
 * t, history, done}` (`params[t]` the flat parameters after t updates, `nets[t]` the
 * network made from them once shown: `playgroundNet`), and `steps`, the generator that
 * trains it one update per `next()`.
 */
function playgroundRun(setup) {
  const run = { setup, params: [], nets: [], loss: null, validationLoss: null, t: -1, history: null, done: false };
  run.steps = (function* recording() {
    const steps = trainSteps(playgroundCopy(setup.start), setup.X, setup.Y, setup.options);
    let next = steps.next();
    while (!next.done) {
      const p = next.value;
      run.params[p.t] = p.parameters();
      run.loss = p.loss;
      run.validationLoss = p.validationLoss;
      run.t = p.t;
      yield p;
      next = steps.next();
    }
    run.history = next.value;
    run.done = true;
    return next.value;
  })();
  return run;
}

/** The network of `run` after `t` updates (made from its parameters the first time). */
function playgroundNet(run, t) {
  if (run.nets[t] === undefined && run.params[t] !== undefined) {
    run.nets[t] = withParameters(run.setup.start, run.params[t]);
  }
  return run.nets[t];
}

/** Train the whole run now (tests, and a page without animation frames). */
function playgroundRunAll(setup) {
  const run = playgroundRun(setup);
  for (let p = run.steps.next(); !p.done; p = run.steps.next());
  return run;
}

/** Fraction of rows whose predicted class is the target's (`Network.accuracy`). */
function playgroundAccuracy(net, X, Y) {
  const out = forward(net, X);
  const argmax = (row) => {
    let best = 0;
    for (let k = 1; k < row.length; k++) if (row[k] > row[best]) best = k;
    return best;
  };
  const threshold = net.outputActivation === "tanh" ? 0 : 0.5;
  let right = 0;
  for (let k = 0; k < out.length; k++) {
    const y = Y[k];
    if (y.length > 1) right += argmax(out[k]) === argmax(y) ? 1 : 0;
    else right += (out[k][0] >= threshold ? 1 : 0) === (y[0] >= threshold ? 1 : 0) ? 1 : 0;
  }
  return right / out.length;
}

/** The numbers of the status line at iteration `iterations` of a finished run. */
function playgroundNumbers(run, iterations) {
  const { setup } = run;
  const h = run.history;
  const t = Math.min(iterations, h.iterationsRun);
  const net = playgroundNet(run, t);
  const end = playgroundNet(run, h.iterationsRun);
  const n = {
    t,
    train: loss(net, setup.X, setup.Y),
    test: loss(net, setup.Xtest, setup.Ytest),
    start: loss(setup.start, setup.X, setup.Y),
    end: loss(end, setup.X, setup.Y),
    endTest: loss(end, setup.Xtest, setup.Ytest),
    run: h.iterationsRun,
    diverged: h.diverged ? divergedMessage(h) : null,
  };
  if (setup.s.dataset !== "regression_1d") {
    n.accuracy = playgroundAccuracy(net, setup.X, setup.Y);
    n.testAccuracy = playgroundAccuracy(net, setup.Xtest, setup.Ytest);
  }
  return n;
}

function playgroundPercent(value) {
  return `${fixedNumber(100 * value, 1)}%`;
}

/** The status line from its numbers (Python's `playground_status`, word for word). */
function playgroundStatus(n) {
  let text = `Iteration ${n.t}: training loss ${shortNumber(n.train)}, test loss ${shortNumber(n.test)}`;
  if (n.accuracy !== undefined && n.accuracy !== null) {
    text += `; accuracy ${playgroundPercent(n.accuracy)} (training), ${playgroundPercent(n.testAccuracy)} (test)`;
  }
  text += ".";
  if (n.diverged) return `${text} ${n.diverged} Try a smaller learning rate.`;
  if (n.end > 1.05 * n.start) {
    return (
      `${text} The training loss rose from ${shortNumber(n.start)} to ${shortNumber(n.end)}: ` +
      "the learning rate is too large."
    );
  }
  return `${text} After ${n.run} iterations the training loss is ${shortNumber(n.end)} and the test loss ${shortNumber(n.endTest)}.`;
}

/** The whole state for plain settings, trained now: what the tests compare with Python. */
function playgroundState(s, iterations) {
  const setup = playgroundSetup({ start: "", ...s, features: playgroundUsableFeatures(s.features, s.dataset) });
  const run = playgroundRunAll(setup);
  const n = playgroundNumbers(run, iterations);
  const shown = playgroundNet(run, n.t);
  return { numbers: n, status: playgroundStatus(n), iterationsRun: run.history.iterationsRun, loss: Array.from(run.history.loss), exported: playgroundExport(shown, setup.s) };
}

// ------------------------------------------------------------------------ pictures

function playgroundWeight(net, l, i, j) {
  const W = net.weights[l];
  return Array.isArray(W) ? W[i][j] : W[i * net.sizes[l + 1] + j];
}

/** Every layer's activations for the input rows (inputs first, outputs last). */
function playgroundLayers(net, rows) {
  const layers = [rows];
  let a = rows;
  for (let l = 0; l < net.sizes.length - 1; l++) {
    const nout = net.sizes[l + 1];
    const last = l === net.sizes.length - 2;
    const name = last ? net.outputActivation : net.activation;
    a = a.map((row) => {
      const z = new Array(nout);
      for (let j = 0; j < nout; j++) {
        let sum = net.biases[l][j];
        for (let i = 0; i < row.length; i++) sum += row[i] * playgroundWeight(net, l, i, j);
        z[j] = sum;
      }
      if (name === "softmax") {
        const top = Math.max(...z);
        const e = z.map((v) => Math.exp(v - top));
        const total = e.reduce((p, q) => p + q, 0);
        return e.map((v) => v / total);
      }
      return z.map((v) => activate(name, v));
    });
    layers.push(a);
  }
  return layers;
}

function playgroundHex(color) {
  const v = parseInt(color.slice(1), 16);
  return [(v >> 16) & 255, (v >> 8) & 255, v & 255];
}

function playgroundMix(a, b, share) {
  return [0, 1, 2].map((k) => a[k] + share * (b[k] - a[k]));
}

/** Raw input rows on a cells x cells grid of [-6, 6]^2, row by row from the top. */
function playgroundGrid(cells, reach = 6) {
  const rows = [];
  for (let row = 0; row < cells; row++) {
    const x2 = reach - ((row + 0.5) / cells) * 2 * reach;
    for (let col = 0; col < cells; col++) rows.push([-reach + ((col + 0.5) / cells) * 2 * reach, x2]);
  }
  return rows;
}

function playgroundDrawNetwork(figure, panel, view, net) {
  const { ctx, theme } = figure;
  const s = view.setup.s;
  const sizes = net.sizes;
  const font = Math.max(10, Math.min(12, panel.w / 30));
  const top = panel.y + font * 2.4;
  const bottom = panel.y + panel.h - font * 1.2;
  const left = panel.x + font * 4.2;
  const columns = sizes.length;
  const most = Math.max(...sizes);
  const gapY = (bottom - top) / most;
  const node = Math.max(8, Math.min(30, 0.78 * gapY, (0.42 * (panel.w - font * 6)) / Math.max(1, columns - 1)));
  const right = panel.x + panel.w - node / 2 - font * 2;
  const gapX = (right - left) / Math.max(1, columns - 1);
  const at = (l, i) => ({
    x: left + l * gapX,
    y: top + (most - sizes[l]) * gapY * 0.5 + (i + 0.5) * gapY,
  });
  ctx.save();
  ctx.font = `${font}px sans-serif`;
  ctx.fillStyle = theme.foreground;
  ctx.textAlign = "center";
  ctx.textBaseline = "top";
  const arch = sizes.join("-");
  ctx.fillText(`network ${arch} (${s.activation})`, panel.x + panel.w / 2, panel.y + 2);
  // the weights: blue positive, red negative, width by size
  let largest = 1e-12;
  for (let l = 0; l < columns - 1; l++) {
    for (let i = 0; i < sizes[l]; i++) for (let j = 0; j < sizes[l + 1]; j++) largest = Math.max(largest, Math.abs(playgroundWeight(net, l, i, j)));
  }
  view.edges = [];
  for (let l = 0; l < columns - 1; l++) {
    for (let i = 0; i < sizes[l]; i++) {
      for (let j = 0; j < sizes[l + 1]; j++) {
        const w = playgroundWeight(net, l, i, j);
        const a = at(l, i);
        const b = at(l + 1, j);
        const chosenEdge = view.focus && view.focus.l === l && view.focus.i === i && view.focus.j === j;
        ctx.strokeStyle = w >= 0 ? PLAYGROUND_CLASS_COLORS[1] : PLAYGROUND_CLASS_COLORS[0];
        ctx.globalAlpha = chosenEdge ? 1 : 0.35 + 0.65 * Math.min(1, Math.abs(w) / largest);
        ctx.lineWidth = chosenEdge ? 4 : 0.4 + 3.6 * Math.min(1, Math.abs(w) / largest);
        line(ctx, a.x + node / 2, a.y, b.x - node / 2, b.y);
        view.edges.push({ l, i, j, x0: a.x + node / 2, y0: a.y, x1: b.x - node / 2, y1: b.y });
      }
    }
  }
  ctx.globalAlpha = 1;
  // each neuron's output over the plane (a curve for regression)
  const cells = 14;
  const oneInput = s.dataset === "regression_1d";
  const rawRows = oneInput ? Array.from({ length: cells }, (_, k) => [-6 + ((k + 0.5) / cells) * 12]) : playgroundGrid(cells);
  const layers = playgroundLayers(net, inputFeatures(rawRows, s.features));
  for (let l = 0; l < columns; l++) {
    for (let i = 0; i < sizes[l]; i++) {
      const p = at(l, i);
      const box = { x: p.x - node / 2, y: p.y - node / 2, w: node, h: node };
      const values = layers[l].map((row) => row[i]);
      let low = Math.min(...values);
      let high = Math.max(...values);
      if (!(high - low > 1e-9)) {
        low -= 1;
        high += 1;
      }
      if (oneInput) {
        ctx.fillStyle = theme.background;
        ctx.fillRect(box.x, box.y, box.w, box.h);
        ctx.strokeStyle = BOOK.orange;
        ctx.lineWidth = 1.2;
        ctx.beginPath();
        values.forEach((v, k) => {
          const x = box.x + ((k + 0.5) / cells) * box.w;
          const y = box.y + box.h - ((v - low) / (high - low)) * box.h;
          if (k) ctx.lineTo(x, y);
          else ctx.moveTo(x, y);
        });
        ctx.stroke();
      } else {
        drawColourGrid(ctx, box, cells, (col, row) => rdbu((values[row * cells + col] - low) / (high - low)));
      }
      ctx.strokeStyle = theme.frame;
      ctx.lineWidth = 1;
      ctx.strokeRect(box.x, box.y, box.w, box.h);
    }
  }
  ctx.fillStyle = theme.foreground;
  ctx.textAlign = "right";
  ctx.textBaseline = "middle";
  s.features.forEach((name, i) => {
    const p = at(0, i);
    ctx.fillText(PLAYGROUND_FEATURE_LABELS[name], p.x - node / 2 - 4, p.y);
  });
  ctx.restore();
}

function playgroundDrawRegions(figure, panel, view, net) {
  const { ctx, theme } = figure;
  const { setup } = view;
  const s = setup.s;
  const background = playgroundHex(theme.background);
  if (s.dataset === "regression_1d") {
    const axes = drawAxes(ctx, panel, theme, { xlim: [-6, 6], ylim: [-2.6, 2.6], xlabel: "x₁", ylabel: "y", title: "fit (training ●, test ○)" });
    const xs = Array.from({ length: 161 }, (_, k) => -6 + (12 * k) / 160);
    drawCurve(ctx, axes, xs, xs.map((x) => Math.sin((Math.PI * x) / 5)), { color: theme.muted, width: 1.2, dash: [4, 3] });
    const fitted = forward(net, inputFeatures(xs.map((x) => [x]), s.features)).map((row) => row[0]);
    drawCurve(ctx, axes, xs, fitted, { color: BOOK.orange, width: 2.2 });
    setup.data.train.X.forEach((row, k) => drawPoint(ctx, axes, row[0], setup.data.train.Y[k][0], { color: BOOK.blue, radius: 2.6 }));
    setup.data.test.X.forEach((row, k) => drawPoint(ctx, axes, row[0], setup.data.test.Y[k][0], { color: theme.background, radius: 2.6, edge: BOOK.blue }));
    return;
  }
  const axes = drawAxes(ctx, panel, theme, { xlim: [-6, 6], ylim: [-6, 6], xlabel: "x₁", ylabel: "x₂", title: "regions (training ●, test ○)" });
  const cells = 40;
  const out = forward(net, inputFeatures(playgroundGrid(cells), s.features));
  const three = out[0].length > 1;
  const colours = PLAYGROUND_CLASS_COLORS.map(playgroundHex);
  drawColourGrid(ctx, { x: axes.left, y: axes.top, w: axes.right - axes.left, h: axes.bottom - axes.top }, cells, (col, row) => {
    const o = out[row * cells + col];
    if (!three) return playgroundMix(background, rdbu(o[0]), 0.55);
    let best = 0;
    for (let k = 1; k < o.length; k++) if (o[k] > o[best]) best = k;
    const sure = Number.isFinite(o[best]) ? (o[best] - 1 / 3) * 1.5 : 0;
    return playgroundMix(background, colours[best], 0.15 + 0.4 * sure);
  });
  const classOf = (y) => (y.length > 1 ? y.indexOf(Math.max(...y)) : y[0] >= 0.5 ? 1 : 0);
  const points = (part, hollow) =>
    part.X.forEach((row, k) => {
      const colour = PLAYGROUND_CLASS_COLORS[classOf(part.Y[k])];
      drawPoint(ctx, axes, row[0], row[1], hollow ? { color: theme.background, radius: 3, edge: colour } : { color: colour, radius: 3.2, edge: theme.foreground });
    });
  points(setup.data.train, false);
  points(setup.data.test, true);
}

function playgroundDrawLosses(figure, panel, view, shown, asked = shown) {
  const { ctx, theme } = figure;
  const { run } = view;
  const last = Math.max(0, run.t);
  const train = Array.from(run.loss ? run.loss.subarray(0, last + 1) : []);
  const test = Array.from(run.validationLoss ? run.validationLoss.subarray(0, last + 1) : []);
  const first = Math.max(train[0] || 0, test[0] || 0, 1e-9);
  const visible = [...train, ...test].filter((v) => Number.isFinite(v) && v <= 20 * first);
  const top = visible.length ? 1.08 * Math.max(...visible) : 1;
  const axes = drawAxes(ctx, panel, theme, {
    xlim: [0, run.setup.s.maxIterations],
    ylim: [0, top],
    xlabel: "iteration",
    ylabel: "loss",
    title: asked > shown && view.run.done ? `the run stopped at ${shown} (slider at ${asked})` : `loss at iteration ${shown}`,
  });
  const steps = train.map((_, t) => t);
  drawCurve(ctx, axes, steps, train.map((v) => (v <= top ? v : NaN)), { color: BOOK.blue, width: 1.8 });
  drawCurve(ctx, axes, steps, test.map((v) => (v <= top ? v : NaN)), { color: BOOK.orange, width: 1.8 });
  drawLegend(ctx, axes, theme, [
    { label: "training", color: BOOK.blue, width: 1.8 },
    { label: "test", color: BOOK.orange, width: 1.8 },
  ]);
  ctx.save();
  ctx.strokeStyle = theme.muted;
  ctx.setLineDash([3, 3]);
  line(ctx, axes.x(shown), axes.top, axes.x(shown), axes.bottom);
  ctx.restore();
  if (shown < train.length && train[shown] <= top) drawPoint(ctx, axes, shown, train[shown], { color: BOOK.blue, radius: 3.5 });
  if (shown < test.length && test[shown] <= top) drawPoint(ctx, axes, shown, test[shown], { color: BOOK.orange, radius: 3.5 });
}

/**
 * What the tip under the picture says about weight W(l+1)[i,j] of `net`: its value, dE/dw
 * over all the training points now, and the chain rule's factors on training point 1.
 */
function playgroundWeightText(net, setup, l, i, j) {
  const name = `W${l + 1}[${i},${j}]`;
  const value = playgroundWeight(net, l, i, j);
  const g = gradients(net, setup.X, setup.Y).weights[l];
  const grad = Array.isArray(g) ? g[i][j] : g[i * net.sizes[l + 1] + j];
  let text = `${name} = ${shortNumber(value)}; dE/dw = ${shortNumber(grad)} (mean over the ${setup.X.length} training points).`;
  try {
    const chain = chainRule(net, setup.X[0], setup.Y[0], name);
    const factors = chain.factors.map((f) => `${f.text} = ${shortNumber(f.value)}`).join(" × ");
    text += ` Chain rule on training point 1: ${factors}, product ${shortNumber(chain.value)}.`;
  } catch (error) {
    text += ` (${error.message})`;
  }
  return text;
}

// ---------------------------------------------------------------------- the page

function playgroundButton(parent, text, label, onClick) {
  const button = document.createElement("button");
  button.type = "button";
  button.className = "bpl-playground-button";
  button.textContent = text;
  button.setAttribute("aria-label", label);
  button.title = label;
  button.addEventListener("click", onClick);
  parent.appendChild(button);
  return button;
}

function playgroundPart(el, className) {
  const part = document.createElement("div");
  part.className = className;
  el.appendChild(part);
  return part;
}

function render({ model, el }) {
  el.classList.add("bpl-live", "bpl-live-playground");
  const bar = playgroundPart(el, "bpl-playground-bar");
  const layersBar = playgroundPart(el, "bpl-playground-layers");
  const featuresBar = playgroundPart(el, "bpl-playground-features");
  const view = { setup: null, run: null, stop: null, playing: false, frame: 0, edges: [], focus: null, note: "" };
  const save = (name, value) => {
    model.set(name, value);
    model.save_changes();
  };
  const shownIteration = () => Math.min(model.get("iterations"), view.run && view.run.done ? view.run.history.iterationsRun : Math.max(0, view.run ? view.run.t : 0));

  const figure = createFigure(el, {
    panels: 3,
    aspect: 0.9,
    maxWidth: 1100,
    stackBelow: 700,
    label: "the playground",
    draw: (f) => {
      if (!view.run || view.run.t < 0) return;
      const t = view.run.done ? shownIteration() : Math.min(model.get("iterations"), view.run.t);
      const net = playgroundNet(view.run, t);
      playgroundDrawNetwork(f, f.panels[0], view, net);
      playgroundDrawRegions(f, f.panels[1], view, net);
      playgroundDrawLosses(f, f.panels[2], view, t, model.get("iterations"));
    },
  });
  const say = createStatus(el, figure.canvas);
  const tip = playgroundPart(el, "bpl-playground-tip");
  tip.setAttribute("aria-live", "polite");
  const shownNet = () => view.run && view.run.t >= 0 && playgroundNet(view.run, view.run.done ? shownIteration() : Math.min(model.get("iterations"), view.run.t));
  function describeFocus() {
    const net = shownNet();
    if (!view.focus || !net) {
      tip.textContent = view.note || "";
      return;
    }
    const { l, i, j } = view.focus;
    tip.textContent = playgroundWeightText(net, view.setup, l, i, j);
  }
  function choose(edge) {
    const same = edge && view.focus && edge.l === view.focus.l && edge.i === view.focus.i && edge.j === view.focus.j;
    if (same || (!edge && !view.focus)) return;
    view.focus = edge ? { l: edge.l, i: edge.i, j: edge.j } : null;
    figure.redraw();
    describeFocus();
  }
  // hover a weight (within 6 px of its line) or focus the picture and move with the arrows
  figure.canvas.tabIndex = 0;
  figure.canvas.addEventListener("pointermove", (event) => {
    const box = figure.canvas.getBoundingClientRect();
    const x = event.clientX - box.left;
    const y = event.clientY - box.top;
    let best = null;
    let distance = 6;
    for (const e of view.edges) {
      const dx = e.x1 - e.x0;
      const dy = e.y1 - e.y0;
      const t = Math.max(0, Math.min(1, ((x - e.x0) * dx + (y - e.y0) * dy) / (dx * dx + dy * dy || 1)));
      const d = Math.hypot(x - e.x0 - t * dx, y - e.y0 - t * dy);
      if (d < distance) {
        distance = d;
        best = e;
      }
    }
    choose(best);
  });
  figure.canvas.addEventListener("keydown", (event) => {
    if (!view.edges.length) return;
    const at = view.focus ? view.edges.findIndex((e) => e.l === view.focus.l && e.i === view.focus.i && e.j === view.focus.j) : -1;
    if (event.key === "ArrowRight" || event.key === "ArrowDown") choose(view.edges[(at + 1) % view.edges.length]);
    else if (event.key === "ArrowLeft" || event.key === "ArrowUp") choose(view.edges[(at - 1 + view.edges.length) % view.edges.length]);
    else if (event.key === "Escape") choose(null);
    else return;
    event.preventDefault();
  });
  figure.canvas.addEventListener("focus", () => {
    if (!view.focus && view.edges.length) choose(view.edges[0]);
  });

  function show() {
    const began = performance.now();
    if (view.focus && view.run && view.run.params[0]) {
      const sizes = view.run.setup.start.sizes;
      const { l, i, j } = view.focus;
      if (l >= sizes.length - 1 || i >= sizes[l] || j >= sizes[l + 1]) view.focus = null;
    }
    figure.redraw();
    describeFocus();
    if (view.run && view.run.done) say(playgroundStatus(playgroundNumbers(view.run, model.get("iterations"))));
    else if (view.run) say(`Training: iteration ${Math.max(0, view.run.t)} of ${view.setup.s.maxIterations}…`);
    el.dataset.renders = String(Number(el.dataset.renders || 0) + 1);
    playButton.disabled = !view.run;
    stepButton.disabled = !(view.run && view.run.done && shownIteration() < view.run.history.iterationsRun);
    timed("bpl playground update", began);
  }

  let started = false; // nothing runs until the view first comes into sight
  function retrain() {
    if (!started) return;
    if (view.stop) view.stop();
    let s;
    try {
      s = playgroundSettings(model);
      view.setup = playgroundSetup(s);
    } catch (error) {
      say(`${error.message}. The picture still shows the last valid setting.`);
      return;
    }
    view.run = playgroundRun(view.setup);
    const handlers = {
      onFrame: () => show(),
      onDone: () => {
        view.stop = null;
        show();
      },
      onError: (error) => {
        view.stop = null;
        say(`${error.message}. The picture still shows the last valid setting.`);
      },
    };
    const onThisThread = () => {
      el.dataset.trainedIn = "page";
      view.run = playgroundRun(view.setup);
      view.stop = runInFrames(view.run.steps, { budget: 8, ...handlers });
    };
    if (PLAYGROUND_WORKER && !PLAYGROUND_WORKER.failed) {
      el.dataset.trainedIn = "worker"; // where the run is made (read by the browser tests)
      view.stop = playgroundTrainInWorker(PLAYGROUND_WORKER, view.run, s, { ...handlers, onLost: onThisThread });
    } else {
      onThisThread();
    }
    drawButtons();
  }

  // play, step, reset
  const pause = () => {
    view.playing = false;
    cancelAnimationFrame(view.frame);
    playButton.textContent = "▶ play";
    playButton.setAttribute("aria-pressed", "false");
  };
  const tick = () => {
    if (!view.playing) return;
    if (view.run && view.run.done) {
      const end = view.run.history.iterationsRun;
      const stride = Math.max(1, Math.round(view.setup.s.maxIterations / 300));
      const next = Math.min(end, model.get("iterations") + stride);
      save("iterations", next);
      if (next >= end) return pause();
    }
    view.frame = requestAnimationFrame(tick);
  };
  const playButton = playgroundButton(bar, "▶ play", "play or pause: move through the run", () => {
    if (view.playing) return pause();
    if (view.run && view.run.done && shownIteration() >= view.run.history.iterationsRun) save("iterations", 0);
    view.playing = true;
    playButton.textContent = "⏸ pause";
    playButton.setAttribute("aria-pressed", "true");
    view.frame = requestAnimationFrame(tick);
  });
  playButton.classList.add("bpl-playground-play");
  const stepButton = playgroundButton(bar, "step", "step: one update", () => {
    pause();
    if (view.run && view.run.done) save("iterations", Math.min(view.run.history.iterationsRun, shownIteration() + 1));
  });
  stepButton.classList.add("bpl-playground-step");
  const resetButton = playgroundButton(bar, "↺ reset", "reset: back to the start (iteration 0)", () => {
    pause();
    save("iterations", 0);
  });
  resetButton.classList.add("bpl-playground-reset");

  // export the network shown, import one as the start
  const exportButton = playgroundButton(bar, "⤓ export", "export: download the network shown as JSON (bl.Network.from_json reads it)", () => {
    const net = shownNet();
    if (!net) return;
    const text = JSON.stringify(playgroundExport(net, view.setup.s));
    const link = document.createElement("a");
    link.href = URL.createObjectURL(new Blob([text], { type: "application/json" }));
    link.download = `playground-${view.setup.s.dataset}-iteration-${shownIteration()}.json`;
    document.body.appendChild(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(link.href), 1000);
  });
  exportButton.classList.add("bpl-playground-export");
  const file = document.createElement("input");
  file.type = "file";
  file.accept = ".json,application/json";
  file.hidden = true;
  bar.appendChild(file);
  const importButton = playgroundButton(bar, "⤒ import", "import: start from a network's JSON file", () => file.click());
  importButton.classList.add("bpl-playground-import");
  file.addEventListener("change", async () => {
    const chosenFile = file.files && file.files[0];
    file.value = "";
    if (!chosenFile) return;
    try {
      const traits = playgroundImport(await chosenFile.text(), chosen(model, "dataset"));
      pause();
      model.set("features", traits.features);
      model.set("hidden_layers", traits.hidden_layers);
      model.set("activation", (model.get("choices").activation || []).indexOf(traits.activation));
      model.set("start", traits.start);
      model.save_changes();
      view.focus = null;
      view.note = `Imported ${chosenFile.name}: the run starts from its parameters while they fit the settings.`;
      tip.textContent = view.note;
    } catch (error) {
      view.note = `Import: ${error.message}.`;
      tip.textContent = view.note;
    }
  });

  // hidden layers and neurons
  function drawButtons() {
    layersBar.replaceChildren();
    const sizes = (model.get("hidden_layers") || []).slice();
    const label = document.createElement("span");
    label.textContent = `hidden layers: ${sizes.length}`;
    layersBar.appendChild(label);
    const fewer = playgroundButton(layersBar, "−", "remove the last hidden layer", () => save("hidden_layers", sizes.slice(0, -1)));
    fewer.disabled = sizes.length === 0;
    const more = playgroundButton(layersBar, "+", "add a hidden layer", () => save("hidden_layers", [...sizes, Math.min(PLAYGROUND_MAX_NEURONS, sizes[sizes.length - 1] || 4)]));
    more.disabled = sizes.length >= PLAYGROUND_MAX_LAYERS;
    sizes.forEach((n, k) => {
      const group = document.createElement("span");
      group.className = "bpl-playground-layer";
      group.append(`layer ${k + 1}: `);
      layersBar.appendChild(group);
      const minus = playgroundButton(group, "−", `one neuron fewer in hidden layer ${k + 1}`, () => save("hidden_layers", sizes.map((m, i) => (i === k ? m - 1 : m))));
      minus.disabled = n <= 1;
      const count = document.createElement("span");
      count.textContent = String(n);
      group.appendChild(count);
      const plus = playgroundButton(group, "+", `one neuron more in hidden layer ${k + 1}`, () => save("hidden_layers", sizes.map((m, i) => (i === k ? m + 1 : m))));
      plus.disabled = n >= PLAYGROUND_MAX_NEURONS;
    });
    featuresBar.replaceChildren();
    featuresBar.append("inputs: ");
    const dataset = chosen(model, "dataset");
    const chosenNames = model.get("features") || [];
    for (const name of FEATURES) {
      const box = document.createElement("label");
      const input = document.createElement("input");
      input.type = "checkbox";
      input.checked = chosenNames.includes(name);
      input.disabled = dataset === "regression_1d" && name.includes("x2");
      input.addEventListener("change", () => {
        const now = model.get("features") || [];
        const next = input.checked ? [...now, name] : now.filter((n) => n !== name);
        if (!next.length) {
          input.checked = true;
          return;
        }
        save("features", FEATURES.filter((n) => next.includes(n)));
      });
      box.append(input, ` ${PLAYGROUND_FEATURE_LABELS[name]}`);
      featuresBar.appendChild(box);
    }
  }

  // the first playground of the page keeps its settings in the address
  const ownsAddress = typeof window !== "undefined" && window.history && !window.bplPlaygroundAddress;
  if (ownsAddress) window.bplPlaygroundAddress = el;
  let addressTimer = 0;
  const writeAddress = () => {
    if (!ownsAddress) return;
    clearTimeout(addressTimer);
    addressTimer = setTimeout(() => {
      const text = encodeURIComponent(JSON.stringify(playgroundHashState(model)));
      window.history.replaceState(window.history.state, "", `#playground=${text}`);
    }, 400);
  };
  if (ownsAddress && window.location.hash.startsWith("#playground=")) {
    try {
      const state = JSON.parse(decodeURIComponent(window.location.hash.slice("#playground=".length)));
      const traits = playgroundHashTraits(state, model.get("choices") || {}, model.get("max_iterations"));
      for (const [key, value] of Object.entries(traits)) model.set(key, value);
      if (Object.keys(traits).length) model.save_changes();
    } catch (error) {
      // an address that is not ours: the page's own settings
    }
  }

  const handlers = PLAYGROUND_SETTINGS.map((trait) => [
    trait,
    () => {
      retrain();
      writeAddress();
    },
  ]);
  handlers.push([
    "iterations",
    () => {
      if (started) show();
      if (!view.playing) writeAddress();
    },
  ]);
  for (const [trait, handler] of handlers) model.on(`change:${trait}`, handler);
  const cancelWait = whenVisible(el, () => {
    started = true;
    retrain();
  });
  return () => {
    cancelWait();
    pause();
    clearTimeout(addressTimer);
    if (window.bplPlaygroundAddress === el) window.bplPlaygroundAddress = null;
    if (view.stop) view.stop();
    for (const [trait, handler] of handlers) model.off(`change:${trait}`, handler);
    figure.dispose();
  };
}

export default { render };
