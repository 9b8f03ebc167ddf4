/**
 * The overfitting explorer (chapter 6.1): a 1-h-1 tanh network (its start from the
 * portable generator, as Python's `overfitting_start`) trained on the chapter's 15 noisy
 * points with the other 15 held out (sent by Python), full batch, with snapshots. Left, the
 * fitted curve at the iteration shown with the points and the true curve; right, both
 * losses over the run, the noise floor and the iteration shown. A new number of hidden
 * units trains through the engine's `trainSteps` a slice per animation frame and draws as
 * it goes; each run is kept, so the iterations slider reads its snapshots at once. Traits
 * read: hidden_units, iterations, max_iterations, snapshot_every, learning_rate, seed,
 * train_X, train_Y, validation_X, validation_Y, floor, grid, truth (the first eight, with
 * the start and the run, shared with the stopping view: `sine_fit.js`). The status line is
 * the Python explorer's (`OverfittingExplorer.status`), word for word.
 */

const OVERFITTING_TRAITS = [...SINE_FIT_TRAITS, "iterations", "snapshot_every", "floor", "grid", "truth"];
const OVERFITTING_RUNS_KEPT = 12;

/** The setting's numbers, read from the model (or given by the tests). */
function overfittingSettings(model) {
  const get = (name) => model.get(name);
  return {
    ...sineFitSettings(model),
    iterations: get("iterations"),
    snapshotEvery: get("snapshot_every"),
    floor: get("floor"),
    grid: get("grid"),
    truth: get("truth"),
  };
}

/** The run of a setting's number of hidden units, a generator (the engine's progress). */
function overfittingRun(s) {
  return sineFitRun(s, { validation: s.validation, snapshotEvery: s.snapshotEvery });
}

/** The latest snapshot at or before `t` (`TrainingHistory.snapshot`). */
function overfittingSnapshot(history, t) {
  let best = history.snapshots[0];
  for (const snap of history.snapshots) if (snap.iteration <= t) best = snap;
  return best;
}

/** The finished state for the iteration slider's value, read from a finished run. */
function overfittingShown(s, history) {
  const t = overfittingSnapshot(history, Math.min(s.iterations, history.iterationsRun)).iteration;
  const snap = overfittingSnapshot(history, t);
  const net = { ...sineFitStart(s), weights: snap.weights, biases: snap.biases };
  return { ...s, history, t, net, finished: true };
}

/** `OverfittingExplorer.status` of the iteration shown. */
function overfittingStatus(history, t, floor) {
  const trainLoss = history.loss[t];
  const valLoss = history.validationLoss[t];
  const best = history.bestIteration;
  let message =
    `Iteration ${t}: training loss ${shortNumber(trainLoss)}, validation loss ${shortNumber(valLoss)} ` +
    `(noise floor ${shortNumber(floor)}). The validation loss was lowest, ` +
    `${shortNumber(history.validationLoss[best])}, at iteration ${best}.`;
  if (trainLoss < floor) message += " The training loss is below the noise floor: the network fits the noise.";
  return message;
}

/** The status of a setting, trained to the end at once (what the tests call). */
function overfittingFor(s) {
  const run = overfittingRun(s);
  for (;;) {
    const { done, value } = run.next();
    if (done) {
      const shown = overfittingShown(s, value);
      return { status: overfittingStatus(value, shown.t, s.floor), loss: Array.from(value.loss), fit: forward(shown.net, s.grid.map((x) => [x])).map((row) => row[0]) };
    }
  }
}

function drawOverfitting(figure, state) {
  const { ctx, panels, theme } = figure;
  const finished = !!state.finished;
  const t = finished ? state.t : state.progress.t;
  const net = finished ? state.net : state.progress.network();
  const losses = finished ? Array.from(state.history.loss) : Array.from(state.progress.loss.subarray(0, t + 1));
  const vals = finished ? Array.from(state.history.validationLoss) : Array.from(state.progress.validationLoss.subarray(0, t + 1));
  // left: the fit
  const fit = drawAxes(ctx, panels[0], theme, {
    xlim: [-1.1, 1.1],
    ylim: [-2.0, 2.0],
    xlabel: "x",
    ylabel: "y",
    title: `${state.hidden} hidden unit${state.hidden > 1 ? "s" : ""}, iteration ${t}`,
  });
  drawCurve(ctx, fit, state.grid, state.truth, { color: theme.muted, width: 1.2, dash: [5, 4] });
  const outputs = forward(net, state.grid.map((x) => [x])).map((row) => row[0]);
  drawCurve(ctx, fit, state.grid, outputs, { color: theme.foreground, width: 1.8 });
  ctx.save();
  clipTo(ctx, fit);
  state.train[0].forEach((x, k) => drawMarker(ctx, fit, x[0], state.train[1][k][0], { color: BOOK.blue, size: 3.5 }));
  state.validation[0].forEach((x, k) =>
    drawMarker(ctx, fit, x[0], state.validation[1][k][0], { color: BOOK.orange, size: 3.5, fill: theme.background }),
  );
  ctx.restore();
  drawLegend(
    ctx,
    fit,
    theme,
    [
      { label: "true curve", color: theme.muted, width: 1.2, dash: [5, 4] },
      { label: "network", color: theme.foreground, width: 1.8 },
      { label: "training", color: BOOK.blue, marker: "o" },
      { label: "validation", color: BOOK.orange, marker: "o", fill: theme.background },
    ],
    { corner: "lower right" },
  );
  // right: both losses, the floor, the best iteration and the one shown
  const ylim = logLimits([losses, vals, [state.floor]]);
  const right = drawAxes(ctx, panels[1], theme, {
    xlim: [0, state.maxIterations],
    ylim,
    yscale: "log",
    xlabel: "iteration",
    ylabel: "loss E",
  });
  const steps = losses.map((_, k) => k);
  drawCurve(ctx, right, steps, losses, { color: BOOK.blue, width: 1.6 });
  drawCurve(ctx, right, steps, vals, { color: BOOK.orange, width: 1.6 });
  drawCurve(ctx, right, [0, state.maxIterations], [state.floor, state.floor], { color: theme.muted, width: 1.2, dash: [2, 3] });
  if (finished) {
    const best = state.history.bestIteration;
    drawMarker(ctx, right, best, vals[best], { shape: "v", color: BOOK.orange, size: 5.5 });
  }
  drawCurve(ctx, right, [t, t], ylim, { color: theme.foreground, width: 0.8 });
  drawLegend(ctx, right, theme, [
    { label: "training loss", color: BOOK.blue, width: 1.6 },
    { label: "validation loss", color: BOOK.orange, width: 1.6 },
    { label: "noise floor (training)", color: theme.muted, width: 1.2, dash: [2, 3] },
  ]);
}

function render({ model, el }) {
  const runs = new Map(); // hidden units -> finished history (the last few kept)
  const keyOf = (s) => `${sineFitKey(s)}|${s.snapshotEvery}`;
  return liveRunView({
    model,
    el,
    name: "overfitting",
    label: "training and validation loss of a growing network",
    traits: OVERFITTING_TRAITS,
    quick: (m) => {
      const s = overfittingSettings(m);
      const history = runs.get(keyOf(s));
      return history ? overfittingShown(s, history) : null;
    },
    work: function* (m) {
      const s = overfittingSettings(m);
      const run = overfittingRun(s);
      for (;;) {
        const { done, value } = run.next();
        if (done) {
          runs.set(keyOf(s), value);
          if (runs.size > OVERFITTING_RUNS_KEPT) runs.delete(runs.keys().next().value);
          // the iterations slider may have moved meanwhile: show its value now
          return overfittingShown(overfittingSettings(m), value);
        }
        yield { ...s, progress: value };
      }
    },
    draw: drawOverfitting,
    running: (state) => `Training ${state.hidden} hidden unit${state.hidden > 1 ? "s" : ""}: iteration ${state.progress.t} of ${state.maxIterations}…`,
    status: (state) => overfittingStatus(state.history, state.t, state.floor),
  });
}

export default { render };
