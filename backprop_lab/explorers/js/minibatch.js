/**
 * The mini-batch explorer (chapter 6.3): the same 2-8-1 tanh network (sigmoid output,
 * binary cross-entropy; its start from the portable generator, as Python's
 * `portable_network`) trained on the two moons (sent by Python) for `epochs` passes, with
 * full batches and with the chosen batch size (the order of the batches drawn from the
 * portable generator, as Python's `batch_order`). The loss on all the data is recorded at
 * `recording_marks` and drawn against updates (symlog) and against epochs. The runs go
 * through the engine's `trainSteps` a slice per animation frame and draw as they go; the
 * full-batch run is kept while only the batch size changes. Traits read: batch_size (menu
 * index), learning_rate, epochs, seed, X, Y. The status line is the Python explorer's
 * (`MiniBatchExplorer.status`), word for word.
 */

const MINIBATCH_TRAITS = ["batch_size", "learning_rate", "epochs", "seed", "X", "Y", "choices"];
const MINIBATCH_GREY = "#8c8c8c"; // matplotlib's "0.55", the full-batch reference

/** Python's `recording_marks(updates, updatesPerEpoch)`. */
function miniBatchMarks(updates, perEpoch) {
  const marks = new Set();
  for (let t = 0; t <= updates; t += perEpoch) marks.add(t);
  const top = Math.max(updates, 1);
  for (let k = 0; k < 60; k++) marks.add(Math.floor(10 ** ((k * Math.log10(top)) / 59) * (1 + 1e-12)));
  return Array.from(marks).filter((t) => t <= updates).sort((a, b) => a - b);
}

/**
 * One run (`MiniBatchExplorer.train`), a generator: yields `{curve, t, updates}` after
 * every update, returns `{history, curve, perEpoch}`; `curve` holds [t, loss on all data].
 */
function* miniBatchRun(X, Y, batchSize, learningRate, epochs, seed) {
  const n = X.length;
  const perEpoch = Math.floor(n / batchSize);
  const updates = epochs * perEpoch;
  const marks = new Set(miniBatchMarks(updates, perEpoch));
  const net = portableNetwork({ sizes: [2, 8, 1], activation: "tanh", outputActivation: "sigmoid", loss: "binary_cross_entropy", seed });
  const curve = [];
  const steps = trainSteps(net, X, Y, { learningRate, iterations: updates, batchSize, seed });
  for (;;) {
    const { done, value } = steps.next();
    if (done) return { history: value, curve, perEpoch };
    if (marks.has(value.t)) curve.push([value.t, loss(value.network(), X, Y)]);
    yield { curve, t: value.t, updates };
  }
}

/** Both runs of a setting, yielding drawable states; `kept` holds the last full-batch run. */
function* miniBatchWork(X, Y, batch, learningRate, epochs, seed, kept = {}) {
  const n = X.length;
  const key = `${learningRate}|${epochs}|${seed}|${n}`;
  const state = { batch, n, learningRate, epochs, full: null, mini: null, phase: "full batch" };
  let full = kept.key === key ? kept.full : null;
  if (full === null) {
    const run = miniBatchRun(X, Y, n, learningRate, epochs, seed);
    for (;;) {
      const { done, value } = run.next();
      if (done) {
        full = value;
        break;
      }
      state.full = { curve: value.curve, perEpoch: 1 };
      state.t = value.t;
      state.updates = value.updates;
      yield state;
    }
    kept.key = key;
    kept.full = full;
  }
  state.full = full;
  let mini = full;
  if (batch < n) {
    state.phase = `batches of ${batch}`;
    const run = miniBatchRun(X, Y, batch, learningRate, epochs, seed);
    for (;;) {
      const { done, value } = run.next();
      if (done) {
        mini = value;
        break;
      }
      state.mini = { curve: value.curve, perEpoch: Math.floor(n / batch) };
      state.t = value.t;
      state.updates = value.updates;
      yield state;
    }
  }
  return { batch, n, learningRate, epochs, full, mini, finished: true };
}

/** `MiniBatchExplorer.status` of the finished runs. */
function miniBatchStatus(batch, n, learningRate, epochs, full, mini) {
  const parts = [
    `After ${epochs} epoch${epochs > 1 ? "s" : ""} at learning rate ${shortNumber(learningRate, 2)}: ` +
      `full batch ${full.iterationsRun} updates, loss ${shortNumber(full.finalLoss)}`,
  ];
  if (batch < n) parts.push(`batches of ${batch}: ${mini.iterationsRun} updates, loss ${shortNumber(mini.finalLoss)}`);
  let message = `${parts.join("; ")}.`;
  for (const h of [full, mini]) {
    if (h.diverged) {
      message += ` ${divergedMessage(h)} Try a smaller learning rate.`;
      break;
    }
  }
  return message;
}

/** The finished runs of a setting, run to the end at once (what the tests call). */
function miniBatchFor(X, Y, batch, learningRate, epochs, seed) {
  const work = miniBatchWork(X, Y, batch, learningRate, epochs, seed);
  for (;;) {
    const { done, value } = work.next();
    if (!done) continue;
    return {
      status: miniBatchStatus(batch, X.length, learningRate, epochs, value.full.history, value.mini.history),
      fullCurve: value.full.curve,
      miniCurve: value.mini.curve,
      fullLosses: Array.from(value.full.history.loss),
      miniLosses: Array.from(value.mini.history.loss),
    };
  }
}

function drawMiniBatch(figure, state) {
  const { ctx, panels, theme } = figure;
  const { batch, n, epochs } = state;
  const runs = [];
  if (state.full) runs.push([state.full, "full batch (200)", MINIBATCH_GREY, 2.4]);
  if (batch < n && state.mini) runs.push([state.mini, `batches of ${batch}`, BOOK.orange, 1.4]);
  const ylim = logLimits(runs.map(([run]) => run.curve.map((row) => row[1])), [0.01, 1]);
  const updates = epochs * Math.floor(n / batch);
  const left = drawAxes(ctx, panels[0], theme, {
    xlim: [0, Math.max(updates, 1)],
    ylim,
    xscale: "symlog",
    yscale: "log",
    xlabel: "updates (log scale)",
    ylabel: `loss on all ${n} points`,
    title: "per update",
  });
  const right = drawAxes(ctx, panels[1], theme, {
    xlim: [0, epochs],
    ylim,
    yscale: "log",
    xlabel: `epochs = samples processed / ${n}`,
    title: "per epoch (per unit of compute)",
  });
  for (const [run, , color, width] of runs) {
    const steps = run.curve.map((row) => row[0]);
    const values = run.curve.map((row) => row[1]);
    drawCurve(ctx, left, steps, values, { color, width });
    drawCurve(ctx, right, steps.map((t) => t / run.perEpoch), values, { color, width });
  }
  const entries = [{ label: "full batch (200)", color: MINIBATCH_GREY, width: 2.4 }];
  if (batch < n) entries.push({ label: `batches of ${batch}`, color: BOOK.orange, width: 1.4 });
  drawLegend(ctx, right, theme, entries);
}

function miniBatchSettings(model) {
  return {
    X: model.get("X"),
    Y: model.get("Y"),
    batch: Number(chosen(model, "batch_size")),
    learningRate: model.get("learning_rate"),
    epochs: model.get("epochs"),
    seed: model.get("seed"),
  };
}

function render({ model, el }) {
  const kept = {};
  return liveRunView({
    model,
    el,
    name: "minibatch",
    label: "mini-batch and full-batch gradient descent",
    traits: MINIBATCH_TRAITS,
    work: (m) => {
      const s = miniBatchSettings(m);
      return miniBatchWork(s.X, s.Y, s.batch, s.learningRate, s.epochs, s.seed, kept);
    },
    draw: drawMiniBatch,
    running: (state) => `Training (${state.phase}): update ${state.t} of ${state.updates}…`,
    status: (state) =>
      miniBatchStatus(state.batch, state.n, state.learningRate, state.epochs, state.full.history, state.mini.history),
  });
}

export default { render };
