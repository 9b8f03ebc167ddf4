/**
 * The stopping explorer (chapter 6.6): the 1-20-1 tanh network of chapter 6.1 (its start
 * from the portable generator, as Python's `overfitting_start`) trained three times on the
 * chapter's 15 points (sent by Python) by the engine's `trainSteps`: to max_iterations with
 * validation (the faint reference, kept while the page lives), with `tolerance`, and with
 * validation and `patience`. The runs go a slice per animation frame and draw as they go.
 * Traits read: tolerance, patience, hidden_units, max_iterations, learning_rate, seed,
 * train_X, train_Y, validation_X, validation_Y (all but the first two, with the start and
 * the run, shared with the overfitting view: `sine_fit.js`). The status line is the Python
 * explorer's (`StoppingExplorer.status`), word for word.
 */

const STOPPING_TRAITS = [...SINE_FIT_TRAITS, "tolerance", "patience"];
const FAINT_BLUE = "rgba(33, 102, 172, 0.45)";
const FAINT_ORANGE = "rgba(224, 130, 20, 0.45)";

/** The setting's numbers, read from the model (or given by the tests). */
function stoppingSettings(model) {
  return { ...sineFitSettings(model), tolerance: model.get("tolerance"), patience: model.get("patience") };
}

/** The three runs of a setting, yielding drawable states; `kept` holds the reference. */
function* stoppingWork(s, kept = {}) {
  const key = sineFitKey(s);
  const state = { ...s, reference: kept.key === key ? kept.reference : null, converging: null, early: null };
  if (state.reference === null) {
    state.phase = "the whole run";
    state.reference = yield* stoppingStage(state, "referenceSoFar", sineFitRun(s, { validation: s.validation }));
    kept.key = key;
    kept.reference = state.reference;
  }
  state.phase = "with tolerance";
  state.converging = yield* stoppingStage(state, "convergingSoFar", sineFitRun(s, { tolerance: s.tolerance }));
  state.phase = "with patience";
  state.early = yield* stoppingStage(state, "earlySoFar", sineFitRun(s, { validation: s.validation, patience: s.patience }));
  return { ...state, finished: true };
}

/** Run `run` to its end, yielding `state` with its progress under `name` meanwhile. */
function* stoppingStage(state, name, run) {
  for (;;) {
    const { done, value } = run.next();
    if (done) {
      state[name] = null;
      return value;
    }
    state[name] = value;
    state.t = value.t;
    yield state;
  }
}

/** `StoppingExplorer.status` of the finished runs. */
function stoppingStatus(tolerance, patience, maxIterations, conv, early) {
  const tol = expNumber(tolerance, 1);
  const first = conv.converged
    ? `tolerance ${tol}: converged after ${conv.iterationsRun} iterations (training loss ${shortNumber(conv.finalLoss)})`
    : `tolerance ${tol}: not converged within ${maxIterations} iterations (training loss ${shortNumber(conv.finalLoss)})`;
  const bestLoss = early.validationLoss[early.bestIteration];
  const second = early.stoppedEarly
    ? `patience ${patience}: stopped at iteration ${early.iterationsRun}, kept iteration ${early.bestIteration} ` +
      `(validation loss ${shortNumber(bestLoss)})`
    : `patience ${patience}: never stopped early; ran all ${maxIterations} iterations (best validation loss ` +
      `${shortNumber(bestLoss)} at ${early.bestIteration})`;
  return `${first}; ${second}.`;
}

/** The status of a setting, run to the end at once (what the tests call). */
function stoppingFor(s) {
  const work = stoppingWork(s);
  for (;;) {
    const { done, value } = work.next();
    if (done) return stoppingStatus(s.tolerance, s.patience, s.maxIterations, value.converging, value.early);
  }
}

/** The part 0 .. t of a progress's buffers (the engine fills them as it goes). */
function sofar(buffer, t) {
  return buffer ? Array.from(buffer.subarray(0, t + 1)) : [];
}

function drawStopping(figure, state) {
  const { ctx, panels, theme } = figure;
  const max = state.maxIterations;
  const ref = state.reference || null;
  const refLoss = ref ? Array.from(ref.loss) : state.referenceSoFar ? sofar(state.referenceSoFar.loss, state.t) : [];
  const refVal = ref ? Array.from(ref.validationLoss) : state.referenceSoFar ? sofar(state.referenceSoFar.validationLoss, state.t) : [];
  const ylim = logLimits([refLoss, refVal]);
  const axes = drawAxes(ctx, panels[0], theme, {
    xlim: [-0.01 * max, max * 1.01],
    ylim,
    yscale: "log",
    xlabel: "iteration",
    ylabel: "loss E",
    title: `${state.hidden} hidden units; faint: the whole run of ${max}`,
  });
  const index = (values) => values.map((_, t) => t);
  drawCurve(ctx, axes, index(refLoss), refLoss, { color: FAINT_BLUE, width: 1 });
  drawCurve(ctx, axes, index(refVal), refVal, { color: FAINT_ORANGE, width: 1 });
  const conv = state.converging;
  const convLoss = conv ? Array.from(conv.loss) : state.convergingSoFar ? sofar(state.convergingSoFar.loss, state.t) : [];
  drawCurve(ctx, axes, index(convLoss), convLoss, { color: BOOK.blue, width: 2 });
  const early = state.early;
  const earlyVal = early ? Array.from(early.validationLoss) : state.earlySoFar ? sofar(state.earlySoFar.validationLoss, state.t) : [];
  drawCurve(ctx, axes, index(earlyVal), earlyVal, { color: BOOK.orange, width: 2 });
  const entries = [
    { label: "training loss (run with tolerance)", color: BOOK.blue, width: 2 },
    { label: "validation loss (run with patience)", color: BOOK.orange, width: 2 },
  ];
  if (conv && conv.converged) {
    drawCurve(ctx, axes, [conv.iterationsRun, conv.iterationsRun], ylim, { color: BOOK.blue, width: 1, dash: [5, 4] });
    drawMarker(ctx, axes, conv.iterationsRun, conv.finalLoss, { shape: "s", color: BOOK.blue, size: 4.5 });
    entries.push({ label: `converged: stops at ${conv.iterationsRun}`, color: BOOK.blue, marker: "s" });
  }
  if (early && early.stoppedEarly) {
    const best = early.bestIteration;
    drawCurve(ctx, axes, [early.iterationsRun, early.iterationsRun], ylim, { color: BOOK.orange, width: 1, dash: [5, 4] });
    drawMarker(ctx, axes, best, early.validationLoss[best], { shape: "v", color: BOOK.orange, size: 6 });
    entries.push({ label: `early stopping: stops at ${early.iterationsRun}, keeps ${best}`, color: BOOK.orange, marker: "v" });
  }
  drawLegend(ctx, axes, theme, entries);
}

function render({ model, el }) {
  const kept = {};
  return liveRunView({
    model,
    el,
    name: "stopping",
    label: "where tolerance and patience stop a run",
    traits: STOPPING_TRAITS,
    panels: 1,
    aspect: (width) => (width < 560 ? 0.8 : 0.42), // a phone's column: not a thin strip
    work: (m) => stoppingWork(stoppingSettings(m), kept),
    draw: drawStopping,
    running: (state) => `Training (${state.phase}): iteration ${state.t} of ${state.maxIterations}…`,
    status: (state) => stoppingStatus(state.tolerance, state.patience, state.maxIterations, state.converging, state.early),
  });
}

export default { render };
