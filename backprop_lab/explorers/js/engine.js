/**
 * backprop_lab's engine for the browser: the package's numbers, computed in the page.
 *
 * One dependency-free ES module of pure functions (it imports nothing), run under Node 20
 * by the tests (`tests/unit/explorers/test_engine.py`) and in the reader's browser by the
 * explorers. It follows the numpy package `backprop_lab` exactly (chapters 1 to 6):
 *
 * - layers: layer 0 holds the inputs; `z(l) = a(l-1) W(l) + b(l)`, `a(l) = f(z(l))`;
 *   `weights[l]` (l = 0 .. L-1) is n_in x n_out, entry [i][j] from neuron i of layer l to
 *   neuron j of layer l+1; parameters are named "W1[0,0]", "b2[1]" (layers from 1);
 * - activations "sigmoid", "tanh", "relu", "identity", and "softmax" for the output, in
 *   the package's numerically stable forms; losses "squared_error" (1/2 sum over outputs),
 *   "mse" (mean over outputs), "binary_cross_entropy" (sigmoid output, from the logits),
 *   "cross_entropy" (softmax output, from the logits), every one averaged over samples;
 *   the combined output deltas `yhat - y` (sigmoid + BCE) and `yhat sum(y) - y`
 *   (softmax + CE);
 * - training as `Network.train`: simultaneous updates `w <- w - eta g`; momentum
 *   `v <- mu v + g; w <- w - eta v` (v = 0 at the start); L2 and L1 penalties added to
 *   every weight's gradient (not the biases'), `g + l2 w + l1 sign(w)`, before momentum,
 *   the reported loss being the data loss; the divergence rule (a loss NaN, infinite or
 *   above 1000 max(L0, 1) n / batchSize stops the run, which keeps the parameters from
 *   the update before); mini-batches cut from one permutation of the rows per epoch
 *   (`batchOrder`), the remainder left out; tolerance (SciPy's convention: a change below
 *   `tolerance * max(|L|, 1)`), validation and patience.
 *
 * Public contract
 * ---------------
 * `net = {sizes, activation, outputActivation, loss, weights, biases}`: `sizes` neurons
 * per layer, inputs first; `weights[l]` either nested arrays (n_in rows of n_out numbers,
 * as `Network.weights[l].tolist()`) or a Float64Array of n_in * n_out numbers row by row;
 * `biases[l]` an array or Float64Array of n_out numbers. `X` is an array of rows (arrays
 * or Float64Arrays), `Y` an array of target rows (a number per row is accepted for one
 * output).
 *
 * - `forward(net, X)` -> the outputs, an array of rows (plain arrays);
 * - `loss(net, X, Y)` -> the mean loss (`Network.loss`);
 * - `gradients(net, X, Y)` -> `{weights, biases}` laid out as the net's own
 *   (`Network.gradients`);
 * - `train(net, X, Y, options)` -> history; `net.weights` and `net.biases` are replaced by
 *   the trained parameters (new arrays, the same layout as given). Options, as
 *   `Network.train`'s keywords in camelCase: `learningRate` (0.5), `iterations` (1000),
 *   `updateBiases` (true), `batchSize` (null: full batch), `batchOrder` (an array of
 *   permutations of the row indices, epoch e using `batchOrder[e % length]`; without it a
 *   mini-batch run draws one permutation per epoch from `createRandom(seed)`, the same as
 *   Python's `batch_order(n, epochs, seed)`), `seed` (0), `momentum` (0), `l2` (0), `l1`
 *   (0), `validation` ([Xval, Yval] or {X, Y}), `tolerance`, `patience`, `snapshotEvery`,
 *   `callback(t, loss)`. History (the `TrainingHistory` fields in camelCase): `loss`
 *   (Float64Array, `iterationsRun + 1` entries), `validationLoss`, `iterationsRun`,
 *   `iterationsRequested`, `diverged`, `divergedAt`, `divergedLoss`, `divergenceThreshold`,
 *   `converged`, `convergedAt`, `stoppedEarly`, `bestIteration`, `keptLoss`, `finalLoss`,
 *   `updatesPerEpoch`, `batchSize`, `snapshots` ([{iteration, weights, biases}] with
 *   Float64Arrays, row by row), `snapshotEvery`;
 * - `trainSteps(net, X, Y, options)` -> a generator: `train` one update a `next()`,
 *   yielding `{t, loss, validationLoss, network(), parameters()}` and returning `train`'s
 *   history (for pages that train as they draw); `withParameters(net, flat)` -> a copy of
 *   `net` with the parameters `parameters()` gave (one Float64Array, cheap to keep or to
 *   send to a Web Worker);
 * - `chainRule(net, x, y, param)` -> the factors of `bl.chain_rule(net, x, y, param)`:
 *   `{param, loss, value, nPaths, factors: [{text, value, terms}]}` (each factor's `text`
 *   as the package's `Factor.text`; `terms` for the sum over the next layer);
 * - `descend1d(fn, start, learningRate, steps, {tolerance, bound})` -> the path of
 *   `bl.descent.gradient_descent_1d` (`fn` is "quadratic", "double_well" or {f, df});
 * - `neuron(weights, bias, inputs, activation)` -> `{z, a}`, one neuron's output;
 *   `activate(name, z)` and `slope(name, z)` for one number;
 * - `createRandom(seed)` -> the portable generator (mulberry32; `uint32()`, `random()`,
 *   `uniform(low, high)`, `normal()` by Box-Muller, `permutation(n)`), the twin of
 *   `backprop_lab.nn.portable_random.PortableRandom`; `initialParameters(sizes,
 *   activation, seed, init)`, `portableNetwork({...})`, `batchOrder(n, epochs, seed)` and
 *   `playgroundData(name, {nSamples, noise, testFraction, seed})` (twin of
 *   `backprop_lab.calc.playground_data.playground_data`);
 * - `parameterNames(sizes)`;
 * - shared weights (chapter 7; the last section of this file): `conv1d(x, kernel, bias)`
 *   and `conv1dBackward(x, kernel, gradOut)` -> `{gradX, gradKernel, gradBias}` (valid
 *   cross-correlation, stride 1, as `bl.conv1d`, `bl.conv1d_backward`); `rnnForward(xs, Wx,
 *   Wh, b, h0)` -> h_1 .. h_T and `rnnBackward(xs, Wx, Wh, b, gradHs, h0)` -> `{Wx, Wh, b,
 *   h0, states, gradStates, deltas}` (`bl.rnn_forward`, `bl.rnn_backward`: row vectors,
 *   h_t = tanh(x_t Wx + h_{t-1} Wh + b)); `clipGradients(gradients, maxNorm)` ->
 *   `{gradients, norm, maxNorm, scale, clipped}` (`bl.clip_gradients`, global norm).
 *
 * Bad arguments throw an Error naming the argument, what was expected and what was given.
 *
 * Numbers: float64 throughout. `tanh` and `exp` are computed here in plain arithmetic (the
 * JIT inlines them; calls into C took half a run's time), within 3 units in the last place;
 * numpy's matrix products add in another order. So the engine equals the package to about
 * 1e-15 relative per pass, 1e-12 over 50 updates, 1e-6 over 1000 (checked by the tests).
 *
 * Inclusion in a widget
 * ---------------------
 * An anywidget's `_esm` must be one self-contained module. The widget's own code is
 * appended after this file in the same module (Python joins the two texts when the widget
 * class is made, see `backprop_lab/explorers/js_engine.py`), so it calls `forward`,
 * `train`... directly. The engine's top-level names are its exports and private names
 * that begin with `_`: widget code must declare no name beginning with `_` and must not
 * redeclare an export (a clash is a SyntaxError when the module loads, never a silent
 * change). The engine has no default export; the widget supplies `export default`.
 */

// ------------------------------------------------------------------ portable generator

const _TWO_32 = 4294967296;

/**
 * The portable seeded generator: mulberry32 on a 32-bit counter, the same stream as
 * Python's `PortableRandom(seed)`. `random()` is one 32-bit integer over 2^32 (exact);
 * `normal()` is Box-Muller from two consecutive floats u1, u2:
 * `sqrt(-2 log(1 - u1)) cos(2 pi u2)`; `permutation(n)` is Fisher-Yates from the last
 * position down (position c - 1 swapped with floor(random() * c)).
 * @param {number} seed an integer from 0 to 2^32 - 1
 */
export function createRandom(seed = 0) {
  _checkSeed("seed", seed);
  let a = seed | 0;
  let count = 0;
  const uint32 = () => {
    a = (a + 0x6d2b79f5) | 0;
    count += 1;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return (t ^ (t >>> 14)) >>> 0;
  };
  const random = () => uint32() / _TWO_32;
  return {
    seed,
    get count() {
      return count;
    },
    uint32,
    random,
    uniform: (low, high) => low + (high - low) * random(),
    normal: () => {
      const u1 = random();
      const u2 = random();
      return Math.sqrt(-2.0 * Math.log(1.0 - u1)) * Math.cos(2.0 * Math.PI * u2);
    },
    permutation: (n) => {
      _checkInteger("n", n, 0);
      const order = new Array(n);
      for (let i = 0; i < n; i++) order[i] = i;
      for (let c = n; c > 0; c--) {
        const index = Math.floor(random() * c);
        const kept = order[c - 1];
        order[c - 1] = order[index];
        order[index] = kept;
      }
      return order;
    },
  };
}

// ---------------------------------------------------------------------- argument checks

function _shown(value) {
  let text;
  try {
    text = typeof value === "string" ? JSON.stringify(value) : String(value);
    if (Array.isArray(value)) text = JSON.stringify(value);
  } catch {
    text = typeof value;
  }
  if (text === undefined) text = String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

function _checkInteger(name, value, minimum = null, maximum = null) {
  if (typeof value !== "number" || !Number.isInteger(value)) {
    throw new TypeError(`${name} must be an integer; got ${_shown(value)}`);
  }
  if (minimum !== null && value < minimum) {
    throw new RangeError(`${name} must be an integer >= ${minimum}; got ${value}`);
  }
  if (maximum !== null && value > maximum) {
    throw new RangeError(`${name} must be an integer <= ${maximum}; got ${value}`);
  }
  return value;
}

function _checkSeed(name, value) {
  return _checkInteger(name, value, 0, _TWO_32 - 1);
}

function _checkNumber(name, value, minimum = null, maximum = null, strict = false) {
  if (typeof value !== "number" || !Number.isFinite(value)) {
    throw new TypeError(`${name} must be a finite number; got ${_shown(value)}`);
  }
  if (minimum !== null && (value < minimum || (strict && value === minimum))) {
    throw new RangeError(`${name} must be ${strict ? ">" : ">="} ${minimum}; got ${value}`);
  }
  if (maximum !== null && value > maximum) {
    throw new RangeError(`${name} must be <= ${maximum}; got ${value}`);
  }
  return value;
}

function _checkChoice(name, value, choices) {
  if (!choices.includes(value)) {
    const list = choices.map((c) => JSON.stringify(c)).join(", ");
    throw new RangeError(`${name} must be one of ${list}; got ${_shown(value)}`);
  }
  return value;
}

// --------------------------------------------------------------- activations and losses

/** The hidden activations, and every output activation. */
export const HIDDEN_ACTIVATIONS = Object.freeze(["sigmoid", "tanh", "relu", "identity"]);
export const OUTPUT_ACTIVATIONS = Object.freeze([...HIDDEN_ACTIVATIONS, "softmax"]);
/** The losses, and the output activation each requires (null: any). */
export const LOSSES = Object.freeze({
  squared_error: null,
  mse: null,
  binary_cross_entropy: "sigmoid",
  cross_entropy: "softmax",
});

const _SIGMOID = 0;
const _TANH = 1;
const _RELU = 2;
const _IDENTITY = 3;
const _SOFTMAX = 4;
const _ACT_CODES = { sigmoid: _SIGMOID, tanh: _TANH, relu: _RELU, identity: _IDENTITY, softmax: _SOFTMAX };
const _SE = 0;
const _MSE = 1;
const _BCE = 2;
const _CE = 3;
const _LOSS_CODES = { squared_error: _SE, mse: _MSE, binary_cross_entropy: _BCE, cross_entropy: _CE };

// exp and tanh in plain arithmetic, which the JIT compiles inline: Math.tanh and Math.exp
// are calls into C, and tanh alone took about half the time of a training run. Both are
// within 3 units in the last place of the exact value (as the C library's are within 1),
// checked against numpy to 1e-12 by the tests like everything else.
const _LN2_HIGH = 6.9314718036912381649e-1; // ln 2 in two parts: k * _LN2_HIGH is exact
const _LN2_LOW = 1.90821492927058770002e-10;
const _INV_LN2 = 1.442695040888963387;
// the minimax coefficients of exp on [-ln2/2, ln2/2] (Remez, as in fdlibm's e_exp.c)
const _E1 = 1.66666666666666019037e-1;
const _E2 = -2.77777777770155933842e-3;
const _E3 = 6.61375632143793436117e-5;
const _E4 = -1.65339022054652515390e-6;
const _E5 = 4.13813679705723846039e-8;
// 2^k for k = -1022 .. 1023, exact
const _POW2 = new Float64Array(2046);
for (let k = -1022; k <= 1023; k++) _POW2[k + 1022] = 2 ** k;

/** e^x for -708 <= x <= 709 (beyond: Math.exp, which handles the edges and NaN). */
function _exp(x) {
  if (!(x >= -708 && x <= 709)) return Math.exp(x);
  const k = Math.floor(x * _INV_LN2 + 0.5);
  const high = x - k * _LN2_HIGH;
  const low = k * _LN2_LOW;
  const r = high - low;
  const t = r * r;
  const c = r - t * (_E1 + t * (_E2 + t * (_E3 + t * (_E4 + t * _E5))));
  return (1.0 - (low - (r * c) / (2.0 - c) - high)) * _POW2[k + 1022];
}

/**
 * tanh by the same reduction as `_exp`, with one division and no branch on x's size:
 * with 2|x| = k ln2 + r and e^r = (d + 2r) / d (d = 2 - c, as in `_exp`), tanh|x| =
 * (e^{2|x|} - 1) / (e^{2|x|} + 1) = ((2^k - 1) d + 2^{k+1} r) / ((2^k + 1) d + 2^{k+1} r),
 * which for k = 0 is 2r / (2d + 2r), free of cancellation near 0. Within 3 units in the
 * last place (checked against the C library's tanh on a million points).
 */
function _tanh(x) {
  const z = Math.abs(x);
  if (!(z < 22)) return z === z ? (x > 0 ? 1.0 : -1.0) : x; // tanh is +-1 beyond; NaN stays
  const y = 2.0 * z;
  const k = Math.floor(y * _INV_LN2 + 0.5);
  const r = y - k * _LN2_HIGH - k * _LN2_LOW;
  const t = r * r;
  const d = 2.0 - (r - t * (_E1 + t * (_E2 + t * (_E3 + t * (_E4 + t * _E5)))));
  const p = _POW2[k + 1022];
  const q = 2.0 * p * r;
  const v = ((p - 1.0) * d + q) / ((p + 1.0) * d + q);
  return Math.sign(x) * v; // exact: +-1 times v, and +-0 for x = +-0 (v = 0); no branch to mispredict
}

function _sigmoid(z) {
  // from exp(-|z|), which never overflows (the package's form)
  const e = _exp(-Math.abs(z));
  return z >= 0 ? 1.0 / (1.0 + e) : e / (1.0 + e);
}

function _relu(z) {
  return z > 0 || z !== z ? z : 0; // NaN stays NaN, as np.maximum
}

function _apply(code, z) {
  switch (code) {
    case _SIGMOID:
      return _sigmoid(z);
    case _TANH:
      return _tanh(z);
    case _RELU:
      return _relu(z);
    default:
      return z;
  }
}

/** The derivative from the output a (sigmoid, tanh, relu) or from z (identity), as the
 * package's `Activation.derivative_from_output` / `derivative`. */
function _slopeOf(code, a) {
  switch (code) {
    case _SIGMOID:
      return a * (1.0 - a);
    case _TANH:
      return 1.0 - a * a;
    case _RELU:
      return a > 0 ? 1.0 : 0.0;
    default:
      return 1.0;
  }
}

/** One activation of one number: `activate("tanh", 0.5)`. */
export function activate(name, z) {
  _checkChoice("name", name, HIDDEN_ACTIVATIONS);
  return _apply(_ACT_CODES[name], z);
}

/** The activation's slope f'(z) at one number. */
export function slope(name, z) {
  _checkChoice("name", name, HIDDEN_ACTIVATIONS);
  const code = _ACT_CODES[name];
  if (code === _RELU) return z > 0 ? 1.0 : 0.0;
  return _slopeOf(code, _apply(code, z));
}

/**
 * One neuron (chapter 1): `z = w_1 x_1 + w_2 x_2 + ... + b`, `a = f(z)`.
 * @returns {{z: number, a: number}}
 */
export function neuron(weights, bias, inputs, activation = "sigmoid") {
  _checkChoice("activation", activation, HIDDEN_ACTIVATIONS);
  if (!weights || weights.length !== inputs.length) {
    throw new RangeError(
      `weights and inputs must have the same length; got ${weights && weights.length} and ${inputs && inputs.length}`,
    );
  }
  let z = weights[0] * inputs[0];
  for (let i = 1; i < weights.length; i++) z += weights[i] * inputs[i];
  z += bias;
  return { z, a: _apply(_ACT_CODES[activation], z) };
}

// ------------------------------------------------------------------------ the network

function _isFlat(value) {
  return value instanceof Float64Array || value instanceof Float32Array;
}

/** The net checked and copied into flat Float64Arrays (row by row). */
function _model(net) {
  if (net === null || typeof net !== "object") {
    throw new TypeError(`net must be an object {sizes, activation, outputActivation, loss, weights, biases}; got ${_shown(net)}`);
  }
  const sizes = net.sizes;
  if (!Array.isArray(sizes) || sizes.length < 2 || !sizes.every((n) => Number.isInteger(n) && n >= 1)) {
    throw new TypeError(`net.sizes must be an array of at least two positive integers; got ${_shown(sizes)}`);
  }
  const activation = net.activation ?? "sigmoid";
  const outputActivation = net.outputActivation ?? "sigmoid";
  const lossName = net.loss ?? "squared_error";
  _checkChoice("net.activation", activation, HIDDEN_ACTIVATIONS);
  _checkChoice("net.outputActivation", outputActivation, OUTPUT_ACTIVATIONS);
  _checkChoice("net.loss", lossName, Object.keys(LOSSES));
  const required = LOSSES[lossName];
  if (required !== null && required !== outputActivation) {
    throw new RangeError(`net.loss "${lossName}" needs net.outputActivation "${required}"; got "${outputActivation}"`);
  }
  const L = sizes.length - 1;
  if (outputActivation === "softmax" && sizes[L] < 2) {
    throw new RangeError(`net.outputActivation "softmax" needs at least 2 output units; got net.sizes ${_shown(sizes)}`);
  }
  if (!Array.isArray(net.weights) || net.weights.length !== L) {
    throw new TypeError(`net.weights must be an array of ${L} layers; got ${_shown(net.weights)}`);
  }
  if (!Array.isArray(net.biases) || net.biases.length !== L) {
    throw new TypeError(`net.biases must be an array of ${L} layers; got ${_shown(net.biases)}`);
  }
  const W = [];
  const b = [];
  let nested = false;
  for (let l = 0; l < L; l++) {
    const nin = sizes[l];
    const nout = sizes[l + 1];
    const w = net.weights[l];
    const flat = new Float64Array(nin * nout);
    if (_isFlat(w)) {
      if (w.length !== nin * nout) {
        throw new RangeError(`net.weights[${l}] must hold ${nin} x ${nout} = ${nin * nout} numbers; got ${w.length}`);
      }
      flat.set(w);
    } else {
      nested = true;
      if (!Array.isArray(w) || w.length !== nin) {
        throw new RangeError(`net.weights[${l}] must have ${nin} rows of ${nout} numbers; got ${_shown(w)}`);
      }
      for (let i = 0; i < nin; i++) {
        const row = w[i];
        if (!row || row.length !== nout) {
          throw new RangeError(`net.weights[${l}][${i}] must hold ${nout} numbers; got ${_shown(row)}`);
        }
        for (let j = 0; j < nout; j++) flat[i * nout + j] = row[j];
      }
    }
    const bias = net.biases[l];
    if (!bias || bias.length !== nout) {
      throw new RangeError(`net.biases[${l}] must hold ${nout} numbers; got ${_shown(bias)}`);
    }
    W.push(flat);
    b.push(Float64Array.from(bias));
  }
  for (const [name, arrays] of [["net.weights", W], ["net.biases", b]]) {
    arrays.forEach((values, l) => {
      if (!values.every(Number.isFinite)) {
        throw new RangeError(`${name}[${l}] must hold finite numbers; got ${_shown(Array.from(values))}`);
      }
    });
  }
  return {
    sizes: sizes.slice(),
    L,
    hidden: _ACT_CODES[activation],
    output: _ACT_CODES[outputActivation],
    loss: _LOSS_CODES[lossName],
    W,
    b,
    nested,
  };
}

/** Flat parameters back in the layout the net was given in. */
function _layout(m, arrays, isWeights, nested) {
  return arrays.map((values, l) => {
    if (!isWeights) return nested ? Array.from(values) : Float64Array.from(values);
    if (!nested) return Float64Array.from(values);
    const nin = m.sizes[l];
    const nout = m.sizes[l + 1];
    const rows = [];
    for (let i = 0; i < nin; i++) rows.push(Array.from(values.subarray(i * nout, (i + 1) * nout)));
    return rows;
  });
}

/** Rows of numbers as one Float64Array, checked against `width` columns. */
function _rows(name, rows, width) {
  if (!rows || typeof rows.length !== "number" || rows.length === 0) {
    throw new TypeError(`${name} must be a non-empty array of rows; got ${_shown(rows)}`);
  }
  const n = rows.length;
  const flat = new Float64Array(n * width);
  for (let s = 0; s < n; s++) {
    const row = rows[s];
    if (typeof row === "number" && width === 1) {
      flat[s] = row;
      continue;
    }
    if (!row || row.length !== width) {
      throw new RangeError(`${name}[${s}] must hold ${width} number(s); got ${_shown(row)}`);
    }
    for (let i = 0; i < width; i++) flat[s * width + i] = row[i];
  }
  for (let k = 0; k < flat.length; k++) {
    if (!Number.isFinite(flat[k])) {
      throw new RangeError(`${name} must hold finite numbers; row ${Math.floor(k / width)} does not`);
    }
  }
  return flat;
}

function _targets(m, name, Y, n) {
  const K = m.sizes[m.L];
  const flat = _rows(name, Y, K);
  if (flat.length !== n * K) {
    throw new RangeError(`${name} must have ${n} rows, one per input row; got ${Y.length}`);
  }
  if (m.loss === _BCE && flat.some((v) => v < 0 || v > 1)) {
    throw new RangeError(`${name} must lie in [0, 1] for loss "binary_cross_entropy"`);
  }
  if (m.loss === _CE && flat.some((v) => v < 0)) {
    throw new RangeError(`${name} must be non-negative (class probabilities) for loss "cross_entropy"`);
  }
  return flat;
}

/** Buffers for one sample's pass and the gradients, made once per run. */
function _workspace(m) {
  const { sizes, L } = m;
  const a = sizes.map((n) => new Float64Array(n));
  const d = sizes.map((n) => new Float64Array(n));
  return {
    a,
    d,
    z: new Float64Array(sizes[L]),
    gW: m.W.map((w) => new Float64Array(w.length)),
    gb: m.b.map((v) => new Float64Array(v.length)),
  };
}

/**
 * One pass over `count` rows (all of X when `rows` is null, else X's rows `rows[first ..
 * first + count)`): returns the mean loss and, with `grad`, leaves the mean gradients in
 * ws.gW, ws.gb. Each row goes forward and straight back (the parameters do not change
 * during a pass), so only one row's activations are kept.
 */
function _pass(m, ws, X, Y, rows, first, count, grad) {
  const { sizes, L, W, b } = m;
  const hidden = m.hidden;
  const output = m.output;
  const lossCode = m.loss;
  const nin0 = sizes[0];
  const K = sizes[L];
  const A = ws.a;
  const D = ws.d;
  const zOut = ws.z;
  const gW = ws.gW;
  const gb = ws.gb;
  const scale = 1.0 / count;
  if (grad) {
    for (let l = 0; l < L; l++) {
      gW[l].fill(0);
      gb[l].fill(0);
    }
  }
  let total = 0.0;
  for (let r = 0; r < count; r++) {
    const s = rows === null ? r : rows[first + r];
    // ---- forward
    const a0 = A[0];
    const xBase = s * nin0;
    for (let i = 0; i < nin0; i++) a0[i] = X[xBase + i];
    for (let l = 1; l <= L; l++) {
      const prev = A[l - 1];
      const cur = A[l];
      const w = W[l - 1];
      const bias = b[l - 1];
      const nin = sizes[l - 1];
      const nout = sizes[l];
      // z = a W + b, four outputs at a time (four independent sums over i, in order)
      let j = 0;
      for (; j + 3 < nout; j += 4) {
        let z0 = 0.0;
        let z1 = 0.0;
        let z2 = 0.0;
        let z3 = 0.0;
        for (let i = 0, k = j; i < nin; i++, k += nout) {
          const ai = prev[i];
          z0 += ai * w[k];
          z1 += ai * w[k + 1];
          z2 += ai * w[k + 2];
          z3 += ai * w[k + 3];
        }
        cur[j] = z0 + bias[j];
        cur[j + 1] = z1 + bias[j + 1];
        cur[j + 2] = z2 + bias[j + 2];
        cur[j + 3] = z3 + bias[j + 3];
      }
      for (; j < nout; j++) {
        let acc = 0.0;
        for (let i = 0, k = j; i < nin; i++, k += nout) acc += prev[i] * w[k];
        cur[j] = acc + bias[j];
      }
      if (l < L) {
        switch (hidden) {
          case _TANH:
            for (let j = 0; j < nout; j++) cur[j] = _tanh(cur[j]);
            break;
          case _SIGMOID:
            for (let j = 0; j < nout; j++) cur[j] = _sigmoid(cur[j]);
            break;
          case _RELU:
            for (let j = 0; j < nout; j++) cur[j] = _relu(cur[j]);
            break;
          default:
        }
      }
    }
    // ---- output activation, loss, output delta
    const out = A[L];
    const yBase = s * K;
    const dL = D[L];
    for (let k = 0; k < K; k++) zOut[k] = out[k];
    let sampleLoss = 0.0;
    if (output === _SOFTMAX) {
      let top = -Infinity;
      for (let k = 0; k < K; k++) top = Math.max(top, zOut[k]);
      let sum = 0.0;
      for (let k = 0; k < K; k++) {
        const e = _exp(zOut[k] - top);
        out[k] = e;
        sum += e;
      }
      for (let k = 0; k < K; k++) out[k] = out[k] / sum;
      if (lossCode === _CE) {
        const logSum = Math.log(sum);
        let ySum = 0.0;
        for (let k = 0; k < K; k++) {
          const y = Y[yBase + k];
          sampleLoss += y * (zOut[k] - top - logSum);
          ySum += y;
        }
        sampleLoss = -sampleLoss;
        if (grad) for (let k = 0; k < K; k++) dL[k] = (out[k] * ySum - Y[yBase + k]) * scale;
      } else {
        // squared error or mse through the softmax Jacobian: a (g - sum(g a))
        let dot = 0.0;
        const factor = 2.0 / K;
        for (let k = 0; k < K; k++) {
          const diff = Y[yBase + k] - out[k];
          sampleLoss += diff * diff;
          const g = lossCode === _MSE ? factor * (out[k] - Y[yBase + k]) : out[k] - Y[yBase + k];
          dL[k] = g;
          dot += g * out[k];
        }
        sampleLoss = lossCode === _MSE ? sampleLoss / K : 0.5 * sampleLoss;
        if (grad) for (let k = 0; k < K; k++) dL[k] = out[k] * (dL[k] - dot) * scale;
      }
    } else {
      if (lossCode === _BCE) {
        // the sigmoid and softplus(z) = max(z, 0) + log1p(e^-|z|) share one exponential
        for (let k = 0; k < K; k++) {
          const z = zOut[k];
          const e = _exp(-Math.abs(z));
          const a = z >= 0 ? 1.0 / (1.0 + e) : e / (1.0 + e);
          out[k] = a;
          // np.logaddexp(0, z): ln 2 at 0, NaN stays NaN
          let softplus = z;
          if (z === 0) softplus = Math.LN2;
          else if (z > 0) softplus = z + Math.log1p(e);
          else if (z < 0) softplus = Math.log1p(e);
          sampleLoss += softplus - Y[yBase + k] * z;
          dL[k] = (a - Y[yBase + k]) * scale;
        }
      } else {
        for (let k = 0; k < K; k++) out[k] = _apply(output, zOut[k]);
        const factor = 2.0 / K;
        for (let k = 0; k < K; k++) {
          const diff = Y[yBase + k] - out[k];
          sampleLoss += diff * diff;
          const g = lossCode === _MSE ? factor * (out[k] - Y[yBase + k]) : out[k] - Y[yBase + k];
          dL[k] = (output === _IDENTITY ? g * 1.0 : g * _slopeOf(output, out[k])) * scale;
        }
        sampleLoss = lossCode === _MSE ? sampleLoss / K : 0.5 * sampleLoss;
      }
    }
    total += sampleLoss;
    if (!grad) continue;
    // ---- backward: gradients of this row, and the deltas of the layers below
    for (let l = L; l >= 1; l--) {
      const prev = A[l - 1];
      const delta = D[l];
      const below = D[l - 1];
      const w = W[l - 1];
      const gw = gW[l - 1];
      const g = gb[l - 1];
      const nin = sizes[l - 1];
      const nout = sizes[l];
      for (let j = 0; j < nout; j++) g[j] += delta[j];
      if (l > 1) {
        // four rows of W at a time: four independent sums, which the processor overlaps
        let i = 0;
        for (; i + 3 < nin; i += 4) {
          const r0 = i * nout;
          const r1 = r0 + nout;
          const r2 = r1 + nout;
          const r3 = r2 + nout;
          const a0 = prev[i];
          const a1 = prev[i + 1];
          const a2 = prev[i + 2];
          const a3 = prev[i + 3];
          let s0 = 0.0;
          let s1 = 0.0;
          let s2 = 0.0;
          let s3 = 0.0;
          for (let j = 0; j < nout; j++) {
            const dj = delta[j];
            gw[r0 + j] += a0 * dj;
            gw[r1 + j] += a1 * dj;
            gw[r2 + j] += a2 * dj;
            gw[r3 + j] += a3 * dj;
            s0 += dj * w[r0 + j];
            s1 += dj * w[r1 + j];
            s2 += dj * w[r2 + j];
            s3 += dj * w[r3 + j];
          }
          below[i] = s0;
          below[i + 1] = s1;
          below[i + 2] = s2;
          below[i + 3] = s3;
        }
        for (let row = i * nout; i < nin; i++, row += nout) {
          const ai = prev[i];
          let acc = 0.0;
          for (let j = 0; j < nout; j++) {
            const dj = delta[j];
            gw[row + j] += ai * dj;
            acc += dj * w[row + j];
          }
          below[i] = acc;
        }
        switch (hidden) {
          case _TANH:
            for (let i = 0; i < nin; i++) below[i] = below[i] * (1.0 - prev[i] * prev[i]);
            break;
          case _SIGMOID:
            for (let i = 0; i < nin; i++) below[i] = below[i] * (prev[i] * (1.0 - prev[i]));
            break;
          case _RELU:
            for (let i = 0; i < nin; i++) if (!(prev[i] > 0)) below[i] = 0.0;
            break;
          default:
        }
      } else {
        for (let i = 0, row = 0; i < nin; i++, row += nout) {
          const ai = prev[i];
          for (let j = 0; j < nout; j++) gw[row + j] += ai * delta[j];
        }
      }
    }
  }
  return total / count;
}

/** The outputs for inputs X (`Network.forward`): an array of rows. */
export function forward(net, X) {
  const m = _model(net);
  const n = X.length;
  const flat = _rows("X", X, m.sizes[0]);
  const ws = _workspace(m);
  const K = m.sizes[m.L];
  const Y = new Float64Array(n * K);
  const result = [];
  for (let s = 0; s < n; s++) {
    _pass(m, ws, flat, Y, [s], 0, 1, false);
    result.push(Array.from(ws.a[m.L]));
  }
  return result;
}

/** The loss averaged over the rows (`Network.loss`). */
export function loss(net, X, Y) {
  const m = _model(net);
  const flat = _rows("X", X, m.sizes[0]);
  const targets = _targets(m, "Y", Y, X.length);
  return _pass(m, _workspace(m), flat, targets, null, 0, X.length, false);
}

/** The gradients of the mean loss (`Network.gradients`), laid out as the net's parameters. */
export function gradients(net, X, Y) {
  const m = _model(net);
  const flat = _rows("X", X, m.sizes[0]);
  const targets = _targets(m, "Y", Y, X.length);
  const ws = _workspace(m);
  _pass(m, ws, flat, targets, null, 0, X.length, true);
  return { weights: _layout(m, ws.gW, true, m.nested), biases: _layout(m, ws.gb, false, m.nested) };
}

// --------------------------------------------------------------------------- training

const _DIVERGENCE_FACTOR = 1e3;
const _MAX_SNAPSHOTS = 1000;
const _SNAPSHOT_BYTES = 256 * 2 ** 20;

function _option(options, name, fallback) {
  const value = options[name];
  return value === undefined ? fallback : value;
}

function _checkOrders(batchOrder, n) {
  if (!Array.isArray(batchOrder) || batchOrder.length === 0) {
    throw new TypeError(`options.batchOrder must be a non-empty array of permutations of the ${n} row indices; got ${_shown(batchOrder)}`);
  }
  return batchOrder.map((order, e) => {
    if (!order || order.length !== n) {
      throw new RangeError(`options.batchOrder[${e}] must be a permutation of 0 .. ${n - 1} (${n} indices); got ${order ? order.length : _shown(order)} entries`);
    }
    const seen = new Uint8Array(n);
    const copy = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      const v = order[i];
      if (!Number.isInteger(v) || v < 0 || v >= n || seen[v]) {
        throw new RangeError(`options.batchOrder[${e}] must be a permutation of 0 .. ${n - 1}; entry ${i} is ${_shown(v)}`);
      }
      seen[v] = 1;
      copy[i] = v;
    }
    return copy;
  });
}

/**
 * Train `net` by gradient descent, as `Network.train` (chapters 4 to 6). See the module's
 * description for the options and the history; `net.weights` and `net.biases` are
 * replaced by the trained parameters.
 */
export function train(net, X, Y, options = {}) {
  const steps = trainSteps(net, X, Y, options);
  for (;;) {
    const { done, value } = steps.next();
    if (done) return value;
  }
}

/**
 * `train` one update at a time, for pages that must not freeze (chapters 4 to 6): a
 * generator with `train`'s arguments. The first `next()` makes the initial pass and yields
 * the progress at t = 0; each later `next()` makes one update and yields the progress at
 * the new t: `{t, loss, validationLoss, network(), parameters()}` (`loss` and
 * `validationLoss` are the history's buffers, filled for 0 .. t; `network()` a copy of `net`
 * with the current parameters; `parameters()` the same numbers as one Float64Array, each
 * weights[l] row by row then each biases[l], which `withParameters` turns back into a net). The generator's return value is `train`'s history, and `net` is then
 * trained, exactly as after `train` (the same updates in the same order).
 */
export function* trainSteps(net, X, Y, options = {}) {
  const m = _model(net);
  const n = X.length;
  const Xf = _rows("X", X, m.sizes[0]);
  const Yf = _targets(m, "Y", Y, n);
  const eta = _checkNumber("options.learningRate", _option(options, "learningRate", 0.5), 0, null, true);
  const iterations = _checkInteger("options.iterations", _option(options, "iterations", 1000), 0);
  const updateBiases = _option(options, "updateBiases", true);
  if (typeof updateBiases !== "boolean") {
    throw new TypeError(`options.updateBiases must be true or false; got ${_shown(updateBiases)}`);
  }
  let batchSize = _option(options, "batchSize", null);
  if (batchSize !== null) {
    _checkInteger("options.batchSize", batchSize, 1);
    if (batchSize >= n) batchSize = null;
  }
  const seed = _checkSeed("options.seed", _option(options, "seed", 0));
  const mu = _checkNumber("options.momentum", _option(options, "momentum", 0), 0);
  if (mu >= 1) throw new RangeError(`options.momentum must be in [0, 1); got ${mu}`);
  const l2 = _checkNumber("options.l2", _option(options, "l2", 0), 0);
  const l1 = _checkNumber("options.l1", _option(options, "l1", 0), 0);
  let snapEvery = _option(options, "snapshotEvery", null);
  if (snapEvery !== null) _checkInteger("options.snapshotEvery", snapEvery, 1);
  const tolerance = _option(options, "tolerance", null);
  if (tolerance !== null) _checkNumber("options.tolerance", tolerance, 0, null, true);
  const patience = _option(options, "patience", null);
  const validation = _option(options, "validation", null);
  const callback = _option(options, "callback", null);
  if (callback !== null && typeof callback !== "function") {
    throw new TypeError(`options.callback must be a function (t, loss) or null; got ${_shown(callback)}`);
  }
  let Xv = null;
  let Yv = null;
  let nVal = 0;
  if (validation !== null) {
    const pair = Array.isArray(validation) ? validation : [validation.X, validation.Y];
    if (pair.length !== 2 || !pair[0]) {
      throw new TypeError(`options.validation must be [Xval, Yval] or {X, Y}; got ${_shown(validation)}`);
    }
    Xv = _rows("options.validation X", pair[0], m.sizes[0]);
    nVal = pair[0].length;
    Yv = _targets(m, "options.validation Y", pair[1], nVal);
  }
  if (patience !== null) {
    _checkInteger("options.patience", patience, 1);
    if (validation === null) throw new RangeError("options.patience needs options.validation to watch; got no validation");
  }
  let orders = null;
  const given = _option(options, "batchOrder", null);
  if (given !== null) {
    if (_option(options, "batchSize", null) === null) {
      throw new RangeError("options.batchOrder needs options.batchSize (the order of rows for mini-batches); got batchSize null");
    }
    orders = _checkOrders(given, n);
  }

  const L = m.L;
  const ws = _workspace(m);
  const W = m.W;
  const B = m.b;
  const velW = mu ? W.map((w) => new Float64Array(w.length)) : null;
  const velB = mu && updateBiases ? B.map((v) => new Float64Array(v.length)) : null;
  const prevW = W.map((w) => new Float64Array(w.length));
  const prevB = B.map((v) => new Float64Array(v.length));
  const mPerEpoch = batchSize === null ? 1 : Math.floor(n / batchSize);
  // the mini-batches: one permutation per epoch, cut into batchSize rows (remainder left out)
  const rng = orders === null && batchSize !== null ? createRandom(seed) : null;
  let epoch = -1;
  let order = null;
  let cursor = n;
  const nextBatch = () => {
    if (cursor + batchSize > n) {
      epoch += 1;
      order = orders !== null ? orders[epoch % orders.length] : Int32Array.from(rng.permutation(n));
      cursor = 0;
    }
    const start = cursor;
    cursor += batchSize;
    return start;
  };
  const watching = validation !== null || callback !== null || tolerance !== null;
  const copies = (arrays) => arrays.map((v) => Float64Array.from(v));
  const snapshots = snapEvery ? [{ iteration: 0, weights: copies(W), biases: copies(B) }] : [];
  const snapshotBytes = 8 * (W.reduce((s, w) => s + w.length, 0) + B.reduce((s, v) => s + v.length, 0));
  const maxSnapshots = Math.max(4, Math.min(_MAX_SNAPSHOTS, Math.floor(_SNAPSHOT_BYTES / Math.max(snapshotBytes, 1))));
  let nextSnapshot = snapEvery ? snapEvery : Infinity;

  const losses = new Float64Array(iterations + 1);
  const valLosses = validation !== null ? new Float64Array(iterations + 1) : null;
  const valWs = validation !== null ? _workspace(m) : null;
  const valLoss = () => _pass(m, valWs, Xv, Yv, null, 0, nVal, false);
  let bestT = 0;
  let bestVal = Infinity;
  let bestParams = null;
  let limit = Number.MAX_VALUE;
  let divergedAt = null;
  let divergedLoss = null;
  let convergedAt = null;
  let stoppedEarly = false;
  let t = 0;

  // the first pass: on all the data (full batch, or no update asked), else the first batch
  let full = batchSize === null || iterations === 0;
  let start = full ? 0 : nextBatch();
  let lossNow = _pass(m, ws, Xf, Yf, full ? null : order, start, full ? n : batchSize, true);
  const reference = full ? lossNow : _pass(m, _workspace(m), Xf, Yf, null, 0, n, false);
  if (Number.isFinite(reference)) {
    limit = Math.min(_DIVERGENCE_FACTOR * Math.max(reference, 1.0) * (n / (full ? n : batchSize)), Number.MAX_VALUE);
  }
  const stepEta = eta;
  const progress = {
    t: 0,
    loss: losses,
    validationLoss: valLosses,
    network: () => ({
      ...net,
      weights: _layout(m, W, true, m.nested),
      biases: _layout(m, B, false, m.nested),
    }),
    parameters: () => _flatParameters(W, B),
  };
  for (;;) {
    if (!(lossNow <= limit)) {
      divergedAt = t;
      divergedLoss = lossNow;
      break;
    }
    losses[t] = lossNow;
    if (watching) {
      let vl = 0;
      if (valLosses !== null) valLosses[t] = vl = valLoss();
      if (callback !== null) callback(t, lossNow);
      if (t % mPerEpoch === 0) {
        if (valLosses !== null) {
          if (vl < bestVal) {
            bestT = t;
            bestVal = vl;
            if (patience !== null && t) bestParams = [copies(W), copies(B)];
          } else if (patience !== null && t - bestT >= patience * mPerEpoch) {
            stoppedEarly = true;
            break;
          }
        }
        if (tolerance !== null && t >= (mPerEpoch === 1 ? 1 : 2 * mPerEpoch)) {
          let previous;
          let current;
          if (mPerEpoch === 1) {
            previous = losses[t - 1];
            current = lossNow;
          } else {
            previous = 0;
            current = 0;
            for (let k = t - 2 * mPerEpoch; k < t - mPerEpoch; k++) previous += losses[k];
            for (let k = t - mPerEpoch; k < t; k++) current += losses[k];
            previous /= mPerEpoch;
            current /= mPerEpoch;
          }
          if (Math.abs(current - previous) < tolerance * Math.max(Math.abs(previous), 1)) {
            convergedAt = t;
            break;
          }
        }
      }
    }
    progress.t = t;
    yield progress;
    if (t === iterations) break;
    // ---- the update, from the gradients of the pass just made
    for (let l = 0; l < L; l++) {
      const w = W[l];
      const gw = ws.gW[l];
      prevW[l].set(w);
      if (l2 !== 0 || l1 !== 0) {
        for (let k = 0; k < w.length; k++) {
          let g = gw[k];
          if (l2 !== 0) g = g + l2 * w[k];
          if (l1 !== 0) g = g + l1 * Math.sign(w[k]);
          gw[k] = g;
        }
      }
      if (mu) {
        const v = velW[l];
        for (let k = 0; k < w.length; k++) {
          v[k] = v[k] * mu + gw[k];
          w[k] = w[k] - v[k] * stepEta;
        }
      } else {
        for (let k = 0; k < w.length; k++) w[k] = w[k] - gw[k] * stepEta;
      }
      if (updateBiases) {
        const bias = B[l];
        const gb = ws.gb[l];
        prevB[l].set(bias);
        if (mu) {
          const v = velB[l];
          for (let k = 0; k < bias.length; k++) {
            v[k] = v[k] * mu + gb[k];
            bias[k] = bias[k] - v[k] * stepEta;
          }
        } else {
          for (let k = 0; k < bias.length; k++) bias[k] = bias[k] - gb[k] * stepEta;
        }
      }
    }
    t += 1;
    if (t === nextSnapshot) {
      if (t !== iterations) {
        snapshots.push({ iteration: t, weights: copies(W), biases: copies(B) });
        if (snapshots.length >= maxSnapshots) {
          const thinned = snapshots.filter((_, k) => k % 2 === 0);
          snapshots.length = 0;
          snapshots.push(...thinned);
          snapEvery *= 2;
        }
      }
      nextSnapshot = (Math.floor(t / snapEvery) + 1) * snapEvery;
    }
    if (batchSize !== null) {
      full = t === iterations; // the last entry: the loss on all the data
      start = full ? 0 : nextBatch();
    }
    lossNow = _pass(m, ws, Xf, Yf, full ? null : order, start, full ? n : batchSize, t !== iterations);
  }

  const fullLoss = () => _pass(m, _workspace(m), Xf, Yf, null, 0, n, false);
  if (divergedAt !== null && t > 0) {
    for (let l = 0; l < L; l++) {
      W[l].set(prevW[l]);
      if (updateBiases) B[l].set(prevB[l]);
    }
    t -= 1;
  }
  const iterationsRun = t;
  if (divergedAt === 0) {
    losses[0] = lossNow;
    if (valLosses !== null) valLosses[0] = valLoss();
  } else if (batchSize !== null && t !== iterations) {
    losses[t] = fullLoss();
    if (valLosses !== null) valLosses[t] = valLoss();
  }
  const kept = snapshots.filter((s) => s.iteration <= iterationsRun);
  if (snapEvery && kept[kept.length - 1].iteration !== iterationsRun) {
    kept.push({ iteration: iterationsRun, weights: copies(W), biases: copies(B) });
  }
  let keptLoss = null;
  if (stoppedEarly) {
    // the best parameters, or (best at the start) those the net came with
    const [bw, bb] = bestParams !== null ? bestParams : [_model(net).W, _model(net).b];
    for (let l = 0; l < L; l++) {
      W[l].set(bw[l]);
      if (updateBiases) B[l].set(bb[l]);
    }
    keptLoss = fullLoss();
  }
  net.weights = _layout(m, W, true, m.nested);
  net.biases = _layout(m, B, false, m.nested);
  const recorded = (buffer) => (buffer === null ? null : buffer.slice(0, iterationsRun + 1));
  const lossHistory = recorded(losses);
  return {
    loss: lossHistory,
    validationLoss: recorded(valLosses),
    iterationsRun,
    iterationsRequested: iterations,
    learningRate: eta,
    batchSize,
    updateBiases,
    momentum: mu,
    l2,
    l1,
    diverged: divergedAt !== null,
    divergedAt,
    divergedLoss,
    divergenceThreshold: limit,
    updatesPerEpoch: mPerEpoch,
    tolerance,
    converged: convergedAt !== null,
    convergedAt,
    patience,
    stoppedEarly,
    bestIteration: validation !== null ? bestT : null,
    keptLoss,
    finalLoss: keptLoss !== null ? keptLoss : lossHistory[iterationsRun],
    snapshots: kept,
    snapshotEvery: snapEvery,
  };
}

/** All the parameters in one Float64Array: each W[l] (row by row), then each b[l]. */
function _flatParameters(W, B) {
  let count = 0;
  for (let l = 0; l < W.length; l++) count += W[l].length + B[l].length;
  const flat = new Float64Array(count);
  let at = 0;
  for (const parts of [W, B]) {
    for (let l = 0; l < parts.length; l++) {
      const part = parts[l];
      for (let k = 0; k < part.length; k++) flat[at + k] = part[k];
      at += part.length;
    }
  }
  return flat;
}

/**
 * A copy of `net` whose parameters are read from `flat` (each weights[l] row by row, then
 * each biases[l]: what a training progress's `parameters()` gives), in the layout `net`'s
 * own parameters are given in (nested arrays or Float64Arrays). Cheap to store and to send
 * to or from a Web Worker; this turns it back into a network.
 */
export function withParameters(net, flat) {
  const m = _model(net);
  const count = m.W.reduce((s, w) => s + w.length, 0) + m.b.reduce((s, v) => s + v.length, 0);
  if (!flat || typeof flat.length !== "number" || flat.length !== count) {
    throw new RangeError(`flat must hold the network's ${count} parameters; got ${_shown(flat)}`);
  }
  const values = flat instanceof Float64Array ? flat : Float64Array.from(flat);
  let at = 0;
  const take = (part) => {
    const taken = values.slice(at, at + part.length);
    at += part.length;
    return taken;
  };
  const W = m.W.map(take);
  const B = m.b.map(take);
  return { ...net, weights: _layout(m, W, true, m.nested), biases: _layout(m, B, false, m.nested) };
}

// -------------------------------------------------------------------------- chain rule

const _PARAM = /^\s*([Wb])\s*(\d+)\s*\[\s*(\d+)\s*(?:,\s*(\d+)\s*)?\]\s*$/;

/** Every parameter name, weights then biases per layer: "W1[0,0]", ..., "b2[1]". */
export function parameterNames(sizes) {
  const names = [];
  for (let l = 1; l < sizes.length; l++) {
    for (let i = 0; i < sizes[l - 1]; i++) for (let j = 0; j < sizes[l]; j++) names.push(`W${l}[${i},${j}]`);
    for (let j = 0; j < sizes[l]; j++) names.push(`b${l}[${j}]`);
  }
  return names;
}

function _parseParameter(name, sizes) {
  const match = typeof name === "string" ? _PARAM.exec(name) : null;
  if (match === null || (match[1] === "W") !== (match[4] !== undefined)) {
    throw new RangeError(`param must look like 'W<layer>[i,j]' or 'b<layer>[j]', e.g. 'W1[0,0]'; got ${_shown(name)}`);
  }
  const layer = Number(match[2]);
  const L = sizes.length - 1;
  if (layer < 1 || layer > L) {
    throw new RangeError(`param ${_shown(name)} names layer ${layer}; this network's weight layers are 1 to ${L}`);
  }
  const isWeight = match[1] === "W";
  const i = Number(match[3]);
  const j = isWeight ? Number(match[4]) : i;
  if ((isWeight && i >= sizes[layer - 1]) || j >= sizes[layer]) {
    throw new RangeError(`param ${_shown(name)} does not exist in a network of sizes ${_shown(sizes)}`);
  }
  return { isWeight, layer, i: isWeight ? i : null, j, name: isWeight ? `W${layer}[${i},${j}]` : `b${layer}[${j}]` };
}

/** One sample's trace: a(0..L), z(1..L), the unscaled deltas and the loss. */
function _trace(m, x, y) {
  const { sizes, L, W, b } = m;
  const a = [Float64Array.from(x)];
  const z = [null];
  for (let l = 1; l <= L; l++) {
    const nin = sizes[l - 1];
    const nout = sizes[l];
    const zl = new Float64Array(nout);
    for (let j = 0; j < nout; j++) {
      let acc = 0.0;
      for (let i = 0; i < nin; i++) acc += a[l - 1][i] * W[l - 1][i * nout + j];
      zl[j] = acc + b[l - 1][j];
    }
    z.push(zl);
    a.push(l < L || m.output !== _SOFTMAX ? zl.map((v) => _apply(l < L ? m.hidden : m.output, v)) : new Float64Array(nout));
  }
  const ws = _workspace(m);
  const lossValue = _pass(m, ws, Float64Array.from(x), Float64Array.from(y), null, 0, 1, true);
  if (m.output === _SOFTMAX) a[L] = Float64Array.from(ws.a[L]);
  // the deltas, unscaled (one sample): the output delta as the pass made it, then back
  const deltas = new Array(L + 1).fill(null);
  deltas[L] = Float64Array.from(ws.d[L]);
  for (let l = L; l > 1; l--) {
    const nin = sizes[l - 1];
    const nout = sizes[l];
    const below = new Float64Array(nin);
    for (let i = 0; i < nin; i++) {
      let acc = 0.0;
      for (let j = 0; j < nout; j++) acc += deltas[l][j] * W[l - 1][i * nout + j];
      below[i] = m.hidden === _RELU ? (a[l - 1][i] > 0 ? acc : 0.0) : acc * _slopeOf(m.hidden, a[l - 1][i]);
    }
    deltas[l - 1] = below;
  }
  return { a, z, deltas, loss: lossValue };
}

/**
 * The chain rule for one parameter and one sample, factor by factor: the numbers of
 * `bl.chain_rule(net, x, y, param)` (chapter 3). Each factor has the package's `text`
 * and its `value`; `value` is their product, `dE/d(param)` for this sample.
 */
export function chainRule(net, x, y, param) {
  const m = _model(net);
  const { sizes, L } = m;
  const xs = _rows("x", [x], sizes[0]);
  const ys = _targets(m, "y", [typeof y === "number" ? [y] : y], 1);
  const ref = _parseParameter(param, sizes);
  const tr = _trace(m, xs, ys);
  const K = sizes[L];
  const out = tr.a[L];
  const outputSlope = (k) => _slopeOf(m.output, out[k]);
  const outputGradient = (k) => {
    const d = out[k] - ys[k];
    if (m.loss === _SE) return d;
    if (m.loss === _MSE) return (2.0 / K) * d;
    if (m.loss === _BCE) return d / (out[k] * (1.0 - out[k]));
    return -ys[k] / out[k];
  };
  const split = (k) => {
    if (m.output === _SOFTMAX) return false;
    if (m.loss !== _BCE) return true;
    return Number.isFinite(outputGradient(k)) && outputSlope(k) > 0;
  };
  const outputEnd = (k) =>
    split(k)
      ? [
          { text: `dE/dyhat_${k}`, value: outputGradient(k) },
          { text: `dyhat_${k}/dz(${L})_${k}`, value: outputSlope(k) },
        ]
      : [{ text: `delta(${L})_${k}`, value: tr.deltas[L][k] }];
  const { layer, j } = ref;
  const inputFactor = {
    text: `dz(${layer})_${j}/d${ref.name}`,
    value: ref.isWeight ? tr.a[layer - 1][ref.i] : 1.0,
  };
  let factors;
  if (layer === L) {
    factors = [...outputEnd(j), inputFactor];
  } else {
    const next = layer + 1;
    const terms = [];
    let total = 0.0;
    for (let k = 0; k < sizes[next]; k++) {
      const head = next === L ? outputEnd(k) : [{ text: `delta(${next})_${k}`, value: tr.deltas[next][k] }];
      const wFactor = { text: `dz(${next})_${k}/da(${layer})_${j}`, value: m.W[next - 1][j * sizes[next] + k] };
      const termFactors = [...head, wFactor];
      let value = 1.0;
      for (const f of termFactors) value *= f.value;
      terms.push({ neuron: k, text: termFactors.map((f) => f.text).join(" * "), factors: termFactors, value });
    }
    for (const term of terms) total += term.value;
    const hiddenSlope = m.hidden === _IDENTITY ? 1.0 : _slopeOf(m.hidden, tr.a[layer][j]);
    factors = [
      { text: `dE/da(${layer})_${j}`, value: total, terms },
      { text: `da(${layer})_${j}/dz(${layer})_${j}`, value: hiddenSlope },
      inputFactor,
    ];
  }
  let value = 1.0;
  for (const f of factors) value *= f.value;
  for (const f of factors) if (!f.terms) f.terms = [];
  let nPaths = 1;
  for (const size of sizes.slice(layer + 1)) nPaths *= size;
  return { param: ref.name, loss: tr.loss, factors, value, nPaths };
}

// ---------------------------------------------------------------- 1-D gradient descent

// Powers correctly rounded, as the C library's pow (which Python's x**4 calls) nearly
// always is; V8's x ** 4 differs from it in the last bit for about one x in ten, and
// gradient descent on the double well at a large learning rate is chaotic, so a last bit
// soon becomes a different path. A product is split exactly into a + e (Dekker).
const _SPLIT = 134217729; // 2^27 + 1

function _twoProduct(a, b) {
  const p = a * b;
  let t = _SPLIT * a;
  const aHigh = t - (t - a);
  const aLow = a - aHigh;
  t = _SPLIT * b;
  const bHigh = t - (t - b);
  const bLow = b - bHigh;
  return [p, aHigh * bHigh - p + aHigh * bLow + aLow * bHigh + aLow * bLow];
}

function _cube(x) {
  const [h, l] = _twoProduct(x, x);
  const [h3, l3] = _twoProduct(h, x);
  return h3 + (l3 + l * x);
}

function _fourth(x) {
  const [h, l] = _twoProduct(x, x);
  const [h4, l4] = _twoProduct(h, h);
  return h4 + (l4 + 2 * h * l);
}

const _FUNCTIONS_1D = {
  quadratic: { f: (x) => x * x, df: (x) => 2.0 * x },
  double_well: {
    f: (x) => _fourth(x) - 3.0 * (x * x) + x,
    df: (x) => 4.0 * _cube(x) - 6.0 * x + 1.0,
  },
};

function _classify(x, g, divergedAt, tolerance) {
  const n = x.length;
  const threshold = tolerance * Math.abs(g[0]);
  let lastBig = -1;
  let maxSlope = 0;
  for (let t = 0; t < n; t++) {
    const s = Math.abs(g[t]);
    if (!(s <= threshold || s === 0)) lastBig = t;
    if (s > maxSlope) maxSlope = s;
  }
  const first = lastBig + 1;
  const convergedAt = first < n ? first : null;
  const horizon = convergedAt !== null ? convergedAt : n - 1;
  let reversals = 0;
  let last = 0;
  for (let t = 1; t <= horizon; t++) {
    const move = Math.sign(x[t] - x[t - 1]);
    if (move === 0) continue;
    if (last !== 0 && move !== last) reversals += 1;
    last = move;
  }
  if (divergedAt !== null) return ["diverging", null, reversals];
  const end = Math.abs(g[n - 1]);
  if (n > 1 && end > Math.abs(g[0]) && end >= maxSlope) return ["diverging", convergedAt, reversals];
  if (reversals) return ["oscillating", convergedAt, reversals];
  if (convergedAt !== null) return ["good", convergedAt, reversals];
  return ["too small", null, reversals];
}

/**
 * 1-D gradient descent `x <- x - eta f'(x)` (chapter 4), the path and regime of
 * `bl.descent.gradient_descent_1d(f, df, start, learningRate, steps, tolerance, bound)`.
 * @param fn "quadratic", "double_well" or {f, df}
 */
export function descend1d(fn, start, learningRate, steps, { tolerance = 1e-2, bound = 1e12 } = {}) {
  const funcs = typeof fn === "string" ? _FUNCTIONS_1D[_checkChoice("fn", fn, Object.keys(_FUNCTIONS_1D))] : fn;
  if (!funcs || typeof funcs.f !== "function" || typeof funcs.df !== "function") {
    throw new TypeError(`fn must be "quadratic", "double_well" or {f, df}; got ${_shown(fn)}`);
  }
  _checkNumber("start", start);
  const eta = _checkNumber("learningRate", learningRate, 0, null, true);
  _checkInteger("steps", steps, 0, 1000000);
  _checkNumber("tolerance", tolerance, 0, null, true);
  _checkNumber("bound", bound, 0, null, true);
  if (Math.abs(start) > bound) throw new RangeError(`start must lie within [-bound, bound]; got ${start}`);
  const f0 = funcs.f(start);
  const g0 = funcs.df(start);
  if (!(Number.isFinite(f0) && Number.isFinite(g0))) {
    throw new RangeError(`f and df must be finite at start = ${start}; got ${f0}, ${g0}`);
  }
  const xs = [start];
  const fs = [f0];
  const gs = [g0];
  let divergedAt = null;
  let x = start;
  let g = g0;
  for (let t = 1; t <= steps; t++) {
    const next = x - eta * g;
    if (!(Number.isFinite(next) && Math.abs(next) <= bound)) {
      divergedAt = t;
      break;
    }
    const fNew = funcs.f(next);
    const gNew = funcs.df(next);
    if (!(Number.isFinite(fNew) && Number.isFinite(gNew))) {
      divergedAt = t;
      break;
    }
    x = next;
    g = gNew;
    xs.push(x);
    fs.push(fNew);
    gs.push(g);
  }
  const [regime, convergedAt, reversals] = _classify(xs, gs, divergedAt, tolerance);
  return {
    x: Float64Array.from(xs),
    fx: Float64Array.from(fs),
    dfx: Float64Array.from(gs),
    learningRate: eta,
    stepsRequested: steps,
    stepsRun: xs.length - 1,
    diverged: divergedAt !== null,
    divergedAt,
    regime,
    convergedAt,
    reversals,
  };
}

// ------------------------------------------------------- initial weights and the data

/**
 * Initial parameters from the portable generator, as Python's `initial_parameters`:
 * init "auto" is He (sqrt(2 / n_in) normal()) for a relu hidden activation and Glorot
 * (uniform(-limit, limit), limit = sqrt(6 / (n_in + n_out))) otherwise; biases zero;
 * drawn layer by layer, row by row. Returns nested arrays {weights, biases}.
 */
export function initialParameters(sizes, activation = "sigmoid", seed = 0, init = "auto") {
  if (!Array.isArray(sizes) || sizes.length < 2 || !sizes.every((n) => Number.isInteger(n) && n >= 1)) {
    throw new TypeError(`sizes must be an array of at least two positive integers; got ${_shown(sizes)}`);
  }
  _checkChoice("activation", activation, HIDDEN_ACTIVATIONS);
  _checkSeed("seed", seed);
  _checkChoice("init", init, ["auto", "glorot", "he"]);
  const rule = init === "auto" ? (activation === "relu" ? "he" : "glorot") : init;
  const rng = createRandom(seed);
  const weights = [];
  for (let l = 1; l < sizes.length; l++) {
    const nin = sizes[l - 1];
    const nout = sizes[l];
    const std = Math.sqrt(2.0 / nin);
    const limit = Math.sqrt(6.0 / (nin + nout));
    const rows = [];
    for (let i = 0; i < nin; i++) {
      const row = new Array(nout);
      for (let j = 0; j < nout; j++) row[j] = rule === "he" ? std * rng.normal() : rng.uniform(-limit, limit);
      rows.push(row);
    }
    weights.push(rows);
  }
  const biases = sizes.slice(1).map((n) => new Array(n).fill(0));
  return { weights, biases };
}

/** A net object with `initialParameters` (Python's `portable_network`). */
export function portableNetwork({ sizes, activation = "sigmoid", outputActivation = "sigmoid", loss: lossName = "squared_error", seed = 0, init = "auto" }) {
  const { weights, biases } = initialParameters(sizes, activation, seed, init);
  const net = { sizes: sizes.slice(), activation, outputActivation, loss: lossName, weights, biases };
  _model(net); // checked now, not at the first pass
  return net;
}

/** `epochs` permutations of 0 .. n-1 from one generator (Python's `batch_order`). */
export function batchOrder(nSamples, epochs, seed = 0) {
  _checkInteger("nSamples", nSamples, 1);
  _checkInteger("epochs", epochs, 1);
  const rng = createRandom(seed);
  const orders = [];
  for (let e = 0; e < epochs; e++) orders.push(rng.permutation(nSamples));
  return orders;
}

/** The playground's data sets (see Python's `backprop_lab.calc.playground_data`). */
export const PLAYGROUND_NAMES = Object.freeze(["xor", "two_moons", "circles", "spirals", "three_spirals", "regression_1d"]);

function _armSizes(n, k) {
  const base = Math.floor(n / k);
  const extra = n - base * k;
  const sizes = [];
  for (let arm = 0; arm < k; arm++) sizes.push(base + (arm >= k - extra ? 1 : 0));
  return sizes;
}

/**
 * All the points of a playground data set, in drawing order, and the generator after
 * them: {X, labels (or targets for regression), rng}.
 */
function _playgroundPoints(name, n, noise, rng) {
  const X = [];
  const labels = [];
  const unit = () => -1.0 + 2.0 * rng.random();
  if (name === "xor") {
    for (let s = 0; s < n; s++) {
      let x = -5.0 + 10.0 * rng.random();
      x = x + (x > 0 ? 0.3 : -0.3);
      let y = -5.0 + 10.0 * rng.random();
      y = y + (y > 0 ? 0.3 : -0.3);
      const nx = (-5.0 + 10.0 * rng.random()) * noise;
      const ny = (-5.0 + 10.0 * rng.random()) * noise;
      X.push([x, y]);
      labels.push((x + nx) * (y + ny) >= 0 ? 1 : 0);
    }
  } else if (name === "circles") {
    const parts = [
      [Math.floor(n / 2), 0.0, 2.5],
      [n - Math.floor(n / 2), 3.5, 5.0],
    ];
    for (const [count, low, high] of parts) {
      for (let s = 0; s < count; s++) {
        const r = low + (high - low) * rng.random();
        const angle = 0.0 + (2.0 * Math.PI - 0.0) * rng.random();
        const x = r * Math.sin(angle);
        const y = r * Math.cos(angle);
        const dx = x + (-5.0 + 10.0 * rng.random()) * noise;
        const dy = y + (-5.0 + 10.0 * rng.random()) * noise;
        X.push([x, y]);
        labels.push(Math.sqrt(dx * dx + dy * dy) < 2.5 ? 1 : 0);
      }
    }
  } else if (name === "two_moons") {
    const counts = [Math.floor(n / 2), n - Math.floor(n / 2)];
    counts.forEach((count, label) => {
      for (let s = 0; s < count; s++) {
        const t = 0.0 + (Math.PI - 0.0) * rng.random();
        let x = label === 0 ? 4.0 * (Math.cos(t) - 0.5) : 4.0 * (0.5 - Math.cos(t));
        let y = label === 0 ? 4.0 * (Math.sin(t) - 0.25) : 4.0 * (0.25 - Math.sin(t));
        x = x + 4.0 * noise * unit();
        y = y + 4.0 * noise * unit();
        X.push([x, y]);
        labels.push(label);
      }
    });
  } else if (name === "regression_1d") {
    for (let s = 0; s < n; s++) {
      const x = -5.0 + 10.0 * rng.random();
      X.push([x]);
      labels.push(Math.sin((Math.PI * x) / 5.0) + 2.0 * noise * unit());
    }
  } else {
    const arms = name === "three_spirals" ? 3 : 2;
    _armSizes(n, arms).forEach((count, k) => {
      for (let i = 0; i < count; i++) {
        const r = (5.0 * i) / count;
        const t = (3.5 * Math.PI * i) / count + (2.0 * Math.PI * k) / arms;
        const x = r * Math.sin(t) + noise * unit();
        const y = r * Math.cos(t) + noise * unit();
        X.push([x, y]);
        labels.push(k);
      }
    });
  }
  return { X, labels };
}

/**
 * A playground data set split into training and test data, the twin of Python's
 * `playground_data(name, n_samples, noise, test_fraction, seed)`:
 * `{name, task, nClasses, train: {X, Y}, test: {X, Y}}` with rows of numbers (Y: a 0/1
 * column for two classes, one-hot rows for three, the target for regression).
 */
export function playgroundData(name, { nSamples = 200, noise = 0.0, testFraction = 0.5, seed = 0 } = {}) {
  _checkChoice("name", name, PLAYGROUND_NAMES);
  const nClasses = name === "three_spirals" ? 3 : name === "regression_1d" ? 0 : 2;
  _checkInteger("nSamples", nSamples, Math.max(4, 2 * nClasses), 100000);
  _checkNumber("noise", noise, 0, 1);
  _checkSeed("seed", seed);
  _checkNumber("testFraction", testFraction, 0, 1);
  const nTest = Math.floor(testFraction * nSamples + 0.5);
  if (nTest < 1 || nTest > nSamples - 1) {
    throw new RangeError(`testFraction must leave at least one point in each set; got ${testFraction}, which holds out ${nTest} of ${nSamples}`);
  }
  const rng = createRandom(seed);
  const { X, labels } = _playgroundPoints(name, nSamples, noise, rng);
  const Y = labels.map((v) => {
    if (nClasses === 3) return [0, 1, 2].map((k) => (k === v ? 1 : 0));
    return [v];
  });
  const order = rng.permutation(nSamples);
  const nTrain = nSamples - nTest;
  const pick = (rows) => ({ X: rows.map((s) => X[s]), Y: rows.map((s) => Y[s]) });
  return {
    name,
    task: nClasses === 0 ? "regression" : "classification",
    nClasses: nClasses === 0 ? null : nClasses,
    train: pick(order.slice(0, nTrain)),
    test: pick(order.slice(nTrain)),
  };
}

// ------------------------------------------------------------------------------ warm-up

// Tiny passes through every branch of `_pass` when the module loads (about 2 ms), so the JIT has seen each operation before it compiles the first long run:
// otherwise the first run is compiled half-way through its loop and that code is thrown
// away at its first return, again and again (measured: about 100 times in 4500 updates).
(function _warmUp() {
  const pairs = [
    ["sigmoid", "binary_cross_entropy"],
    ["softmax", "cross_entropy"],
    ["softmax", "mse"],
    ["identity", "squared_error"],
    ["tanh", "mse"],
  ];
  pairs.forEach(([outputActivation, lossName], k) => {
    const activation = HIDDEN_ACTIVATIONS[k % HIDDEN_ACTIVATIONS.length];
    const K = outputActivation === "softmax" ? 2 : 1;
    const sizes = [5, 5, 4, K];
    const m = _model(portableNetwork({ sizes, activation, outputActivation, loss: lossName, seed: 1 }));
    const ws = _workspace(m);
    const X = new Float64Array(10).map((_, i) => (i % 3) - 1);
    const Y = new Float64Array(2 * K).fill(0.5);
    _pass(m, ws, X, Y, null, 0, 2, true);
    _pass(m, ws, X, Y, [1, 0], 0, 2, false);
  });
})();

// ======================================================================================
// Shared weights (chapter 7): convolution, recurrence and clipping by norm.
// The twins of backprop_lab.calc.convolution (conv1d, conv1d_backward),
// backprop_lab.calc.recurrence (rnn_forward, rnn_backward) and backprop_lab.calc.clipping
// (clip_gradients): valid cross-correlation with stride 1; row vectors,
// h_t = tanh(x_t W_x + h_{t-1} W_h + b). Private names here begin with `_sw`.
// ======================================================================================

/** A non-empty vector of finite numbers (an array or Float64Array) as a Float64Array. */
function _swVector(name, value) {
  if (!value || typeof value === "string" || typeof value.length !== "number" || value.length === 0) {
    throw new TypeError(`${name} must be a non-empty array of numbers; got ${_shown(value)}`);
  }
  const out = new Float64Array(value.length);
  for (let i = 0; i < value.length; i++) {
    if (typeof value[i] !== "number" || !Number.isFinite(value[i])) {
      throw new TypeError(`${name}[${i}] must be a finite number; got ${_shown(value[i])}`);
    }
    out[i] = value[i];
  }
  return out;
}

function _swConvInputs(x, kernel) {
  const xs = _swVector("x", x);
  const w = _swVector("kernel", kernel);
  if (w.length > xs.length) {
    throw new RangeError(`kernel must not be longer than x (${xs.length}); got length ${w.length}`);
  }
  return [xs, w];
}

/**
 * The outputs of a 1-D convolution layer, `bl.conv1d(x, kernel, bias)`:
 * `z_j = sum_m w_m x_{j+m} + b` for j = 0 .. n - k (valid cross-correlation, stride 1).
 * @returns {number[]} the n - k + 1 outputs
 */
export function conv1d(x, kernel, bias = 0.0) {
  const [xs, w] = _swConvInputs(x, kernel);
  _checkNumber("bias", bias);
  const nOut = xs.length - w.length + 1;
  const z = new Array(nOut);
  for (let j = 0; j < nOut; j++) {
    let sum = 0.0;
    for (let m = 0; m < w.length; m++) sum += xs[j + m] * w[m];
    z[j] = sum + bias;
  }
  return z;
}

/**
 * The gradients through a 1-D convolution, `bl.conv1d_backward(x, kernel, gradOut)`, given
 * `gradOut[j]` = dE/dz_j: `gradKernel[m] = sum_j g_j x_{j+m}` (a sum over the positions
 * where w_m is used), `gradX[i] = sum_m g_{i-m} w_m` (the flipped kernel over the padded g),
 * `gradBias = sum_j g_j`.
 * @returns {{gradX: number[], gradKernel: number[], gradBias: number}}
 */
export function conv1dBackward(x, kernel, gradOut) {
  const [xs, w] = _swConvInputs(x, kernel);
  const nOut = xs.length - w.length + 1;
  const g = typeof gradOut === "number" && nOut === 1 ? _swVector("gradOut", [gradOut]) : _swVector("gradOut", gradOut);
  if (g.length !== nOut) {
    throw new RangeError(`gradOut must hold one dE/dz per output, ${nOut} numbers; got ${g.length}`);
  }
  const gradX = new Array(xs.length).fill(0.0);
  const gradKernel = new Array(w.length);
  for (let m = 0; m < w.length; m++) {
    let sum = 0.0;
    for (let j = 0; j < nOut; j++) {
      sum += g[j] * xs[j + m]; // dz_j/dw_m = x_{j+m}
      gradX[j + m] += g[j] * w[m]; // dz_j/dx_{j+m} = w_m
    }
    gradKernel[m] = sum;
  }
  let gradBias = 0.0;
  for (let j = 0; j < nOut; j++) gradBias += g[j];
  return { gradX, gradKernel, gradBias };
}

/** A matrix of finite numbers (`rows` x `cols`, or a number when both are 1) as rows. */
function _swMatrix(name, value, rows, cols, what) {
  if (typeof value === "number" && rows === 1 && cols === 1) value = [[value]];
  const shape = `(${rows === null ? "n_in" : rows}, ${cols === null ? "n_hidden" : cols})`;
  if (!Array.isArray(value) || value.length === 0 || (rows !== null && value.length !== rows)) {
    throw new RangeError(`${name} must have shape ${shape}${what}; got ${_shown(value)}`);
  }
  const width = cols === null ? (value[0] && value[0].length) : cols;
  return value.map((row, i) => {
    if (!row || typeof row.length !== "number" || row.length !== width || width === 0) {
      throw new RangeError(`${name} must have shape ${shape}${what}; row ${i} is ${_shown(row)}`);
    }
    return _swVector(`${name}[${i}]`, row);
  });
}

/** A state-sized vector: `n` numbers, or one number repeated. */
function _swState(name, value, n) {
  if (typeof value === "number") {
    _checkNumber(name, value);
    return new Float64Array(n).fill(value);
  }
  const v = _swVector(name, value);
  if (v.length !== n) throw new RangeError(`${name} must hold ${n} number(s) or be a number; got ${v.length}`);
  return v;
}

/** The recurrence's arguments checked and shaped as the package's `_check_recurrence`. */
function _swRecurrence(xs, Wx, Wh, b, h0) {
  if (!Array.isArray(xs) && !ArrayBuffer.isView(xs)) {
    throw new TypeError(`xs must be an array of T >= 1 inputs (numbers or rows); got ${_shown(xs)}`);
  }
  if (xs.length === 0) throw new RangeError("xs must hold at least one step (T >= 1); got an empty array");
  const x = typeof xs[0] === "number" ? Array.from(_swVector("xs", xs), (v) => Float64Array.of(v)) : _swMatrix("xs", Array.from(xs), xs.length, null, "");
  const nIn = x[0].length;
  const wx = typeof Wx === "number" ? _swMatrix("Wx", Wx, nIn, 1, "") : _swMatrix("Wx", Wx, nIn, null, ` to match xs with ${nIn} value(s) per step`);
  const nHidden = wx[0].length;
  const wh = _swMatrix("Wh", Wh, nHidden, nHidden, "");
  const bias = _swState("b", b, nHidden);
  const h = h0 === null || h0 === undefined ? new Float64Array(nHidden) : _swState("h0", h0, nHidden);
  return { x, wx, wh, bias, h, nIn, nHidden };
}

/** h_0 .. h_T as Float64Arrays. */
function _swStates(r) {
  const states = [r.h];
  for (const xt of r.x) {
    const prev = states[states.length - 1];
    const next = new Float64Array(r.nHidden);
    for (let j = 0; j < r.nHidden; j++) {
      let z = 0.0;
      for (let i = 0; i < r.nIn; i++) z += xt[i] * r.wx[i][j];
      let u = 0.0;
      for (let i = 0; i < r.nHidden; i++) u += prev[i] * r.wh[i][j];
      next[j] = _tanh(z + u + r.bias[j]);
    }
    states.push(next);
  }
  return states;
}

/**
 * The hidden states of a tanh recurrent layer, `bl.rnn_forward(xs, W_x, W_h, b, h0)`:
 * `h_t = tanh(x_t W_x + h_{t-1} W_h + b)`, t = 1 .. T. `xs` is T numbers (one input) or T
 * rows; `Wx` n_in x n_hidden rows (a number for one input and one state), `Wh` n_hidden x
 * n_hidden (a number for one state), `b` and `h0` n_hidden numbers or one number (`h0`
 * null: zeros).
 * @returns {number[][]} h_1 .. h_T, T rows of n_hidden numbers
 */
export function rnnForward(xs, Wx, Wh, b, h0 = null) {
  const r = _swRecurrence(xs, Wx, Wh, b, h0);
  return _swStates(r).slice(1).map((h) => Array.from(h));
}

/**
 * Backpropagation through time, `bl.rnn_backward(xs, W_x, W_h, b, grad_hs, h0)`.
 * `gradHs` holds what the loss sends to each state directly (T rows, or T numbers for one
 * state). Walking back: `gradStates[t] = gradHs[t] + deltas[t+1] Wh^T`,
 * `deltas[t] = gradStates[t] (1 - h_t^2)`; each shared weight sums its uses.
 * @returns {{Wx: number[][], Wh: number[][], b: number[], h0: number[], states: number[][],
 *   gradStates: number[][], deltas: number[][]}} the `RNNGradients` fields (`states` h_0 .. h_T)
 */
export function rnnBackward(xs, Wx, Wh, b, gradHs, h0 = null) {
  const r = _swRecurrence(xs, Wx, Wh, b, h0);
  const T = r.x.length;
  const n = r.nHidden;
  if (!Array.isArray(gradHs) && !ArrayBuffer.isView(gradHs)) {
    throw new TypeError(`gradHs must be an array of ${T} rows of ${n} number(s), one dE/dh_t per step; got ${_shown(gradHs)}`);
  }
  if (gradHs.length !== T) {
    throw new RangeError(`gradHs must hold ${T} rows, one dE/dh_t per step, to match xs; got ${gradHs.length}`);
  }
  const g = typeof gradHs[0] === "number" && n === 1 ? Array.from(_swVector("gradHs", gradHs), (v) => Float64Array.of(v)) : _swMatrix("gradHs", Array.from(gradHs), T, n, "");
  const states = _swStates(r);
  const gradStates = new Array(T);
  const deltas = new Array(T);
  let fromLater = new Float64Array(n); // delta_{t+1} Wh^T, zero after the last step
  for (let t = T; t >= 1; t--) {
    const gs = new Float64Array(n);
    const d = new Float64Array(n);
    for (let j = 0; j < n; j++) {
      gs[j] = g[t - 1][j] + fromLater[j];
      d[j] = gs[j] * (1.0 - states[t][j] * states[t][j]); // dh_t/dz_t = 1 - h_t^2
    }
    const back = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      let sum = 0.0;
      for (let j = 0; j < n; j++) sum += d[j] * r.wh[i][j]; // dz_t/dh_{t-1} = Wh^T
      back[i] = sum;
    }
    gradStates[t - 1] = gs;
    deltas[t - 1] = d;
    fromLater = back;
  }
  const outer = (left, nLeft) => {
    const rows = [];
    for (let i = 0; i < nLeft; i++) {
      const row = new Array(n).fill(0.0);
      for (let t = 0; t < T; t++) for (let j = 0; j < n; j++) row[j] += left(t)[i] * deltas[t][j];
      rows.push(row);
    }
    return rows;
  };
  const bias = new Array(n).fill(0.0);
  for (let t = 0; t < T; t++) for (let j = 0; j < n; j++) bias[j] += deltas[t][j];
  return {
    Wx: outer((t) => r.x[t], r.nIn),
    Wh: outer((t) => states[t], n),
    b: bias,
    h0: Array.from(fromLater),
    states: states.map((h) => Array.from(h)),
    gradStates: gradStates.map((h) => Array.from(h)),
    deltas: deltas.map((h) => Array.from(h)),
  };
}

/** Every number of a (nested) array, checked finite. */
function _swNumbers(name, value, out) {
  if (typeof value === "number") {
    if (!Number.isFinite(value)) throw new RangeError(`${name} must hold finite numbers; got ${_shown(value)}`);
    out.push(value);
  } else if (Array.isArray(value) || ArrayBuffer.isView(value)) {
    for (let i = 0; i < value.length; i++) _swNumbers(`${name}[${i}]`, value[i], out);
  } else {
    throw new TypeError(`${name} must be a number or an array of numbers; got ${_shown(value)}`);
  }
  return out;
}

/** `value` with every number multiplied by `scale`, in the same nesting (arrays out). */
function _swScaled(value, scale) {
  if (typeof value === "number") return value * scale;
  return Array.from(value, (v) => _swScaled(v, scale));
}

/**
 * Clipping by global norm, `bl.clip_gradients(gradients, max_norm)`: every array of
 * `gradients` (numbers, arrays or nested arrays) multiplied by `min(1, maxNorm / norm)`,
 * the norm taken over every entry of every array (computed on the entries divided by the
 * largest, so that squaring cannot overflow).
 * @returns {{gradients: Array, norm: number, maxNorm: number, scale: number, clipped: boolean}}
 *   the clipped arrays in the given order and nesting, the norm before clipping, the factor
 */
export function clipGradients(gradients, maxNorm) {
  if (!Array.isArray(gradients)) {
    throw new TypeError(`gradients must be an array of arrays, e.g. [grads.Wx, grads.Wh, grads.b]; got ${_shown(gradients)}`);
  }
  if (gradients.length === 0) throw new RangeError("gradients must hold at least one array; got an empty array");
  _checkNumber("maxNorm", maxNorm, 0, null, true);
  const numbers = gradients.map((g, k) => _swNumbers(`gradients[${k}]`, g, []));
  let largest = 0.0;
  for (const values of numbers) for (const v of values) largest = Math.max(largest, Math.abs(v));
  let norm = 0.0;
  if (largest > 0) {
    let sum = 0.0;
    for (const values of numbers) {
      let part = 0.0;
      for (const v of values) part += (v / largest) * (v / largest);
      sum += part;
    }
    norm = largest * Math.sqrt(sum);
  }
  const scale = norm > maxNorm ? maxNorm / norm : 1.0;
  return { gradients: gradients.map((g) => _swScaled(g, scale)), norm, maxNorm, scale, clipped: scale < 1.0 };
}

// ===================================================================== input features
// The playground's input features (TensorFlow Playground's column of inputs), the twin of
// Python's `backprop_lab.calc.features.input_features`.

/** Every input feature, in the order of the playground's column of inputs. */
export const FEATURES = Object.freeze(["x1", "x2", "x1^2", "x2^2", "x1*x2", "sin(x1)", "sin(x2)"]);

const _FEATURE_COLUMNS = Object.freeze({
  x1: (a) => a,
  x2: (a, b) => b,
  "x1^2": (a) => a * a,
  "x2^2": (a, b) => b * b,
  "x1*x2": (a, b) => a * b,
  "sin(x1)": (a) => Math.sin(a),
  "sin(x2)": (a, b) => Math.sin(b),
});

/**
 * `names` in FEATURES' order if they are features of data with `nInputs` raw inputs (1 or
 * 2); else an Error naming the argument (Python's `check_features`).
 */
export function checkFeatures(names, nInputs = 2) {
  if (!Array.isArray(names)) {
    throw new TypeError(`features must be a list of feature names such as ['x1', 'x2']; got ${_shown(names)}`);
  }
  for (const name of names) {
    if (typeof name !== "string" || !FEATURES.includes(name)) {
      throw new RangeError(`features must be names from ${FEATURES.map((f) => `'${f}'`).join(", ")}; got ${_shown(name)}`);
    }
  }
  if (!names.length) throw new RangeError("features must name at least one input feature; got none");
  if (new Set(names).size !== names.length) throw new RangeError(`features must not repeat a name; got ${_shown(names)}`);
  const needsTwo = names.filter((name) => name.includes("x2"));
  if (nInputs < 2 && needsTwo.length) {
    throw new RangeError(`features ${_shown(needsTwo)} need x2, but the data have ${nInputs} input; choose among 'x1', 'x1^2' and 'sin(x1)'`);
  }
  return FEATURES.filter((name) => names.includes(name));
}

/**
 * The columns `names` computed from raw input rows `X` (rows of 1 or 2 numbers): an array
 * of rows, columns in FEATURES' order (Python's `input_features(X, names)`).
 */
export function inputFeatures(X, names = ["x1", "x2"]) {
  if (!Array.isArray(X) || !X.length) throw new TypeError(`X must be a non-empty array of rows; got ${_shown(X)}`);
  const width = X[0].length;
  if (width !== 1 && width !== 2) throw new RangeError(`X must be rows of 1 or 2 raw inputs; got rows of ${width}`);
  const columns = checkFeatures(names, width).map((name) => _FEATURE_COLUMNS[name]);
  return X.map((row) => {
    if (row.length !== width) throw new RangeError(`X must be rectangular; got a row of ${row.length} after rows of ${width}`);
    return columns.map((column) => column(row[0], row[1]));
  });
}
