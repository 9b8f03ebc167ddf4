/**
 * The momentum explorer (chapter 6.4): a linear neuron w1 x1 + w2 x2 trained by the
 * engine's `train` on the long narrow valley's data (sent by Python), once without momentum
 * and once with it, from the same start. Left, the contours of the loss (ellipses: the loss
 * is exactly 1/2 (l1 (w1 - 1)^2 + l2 (w2 - 1)^2)) with both paths; right, both losses
 * against the step (log scale). Traits read: momentum, learning_rate, steps, X, Y, start.
 * The status line is the Python explorer's (`MomentumExplorer.status`), word for word.
 */

const MOMENTUM_TRAITS = ["momentum", "learning_rate", "steps", "X", "Y", "start"];
const MOMENTUM_GREY = "#8c8c8c"; // matplotlib's "0.55", the reference run

/** The linear neuron of `linear_neuron(start)` trained as `MomentumExplorer.train`. */
function momentumRun(X, Y, start, learningRate, momentum, steps) {
  const net = {
    sizes: [2, 1],
    activation: "sigmoid",
    outputActivation: "identity",
    loss: "squared_error",
    weights: [[[start[0]], [start[1]]]],
    biases: [[0]],
  };
  return train(net, X, Y, { learningRate, momentum, iterations: steps, updateBiases: false, snapshotEvery: 1 });
}

/** The curvatures l1, l2 measured on the data, as Python's `np.mean(X[:, k] ** 2)`. */
function momentumCurvatures(X) {
  return [0, 1].map((k) => X.reduce((sum, row) => sum + row[k] * row[k], 0) / X.length);
}

/** `MomentumExplorer.status` from the two runs. */
function momentumStatus(momentum, learningRate, steps, plain, heavy) {
  let message =
    `After ${steps} steps at learning rate ${shortNumber(learningRate, 2)}: loss ` +
    `${shortNumber(plain.finalLoss, 3)} without momentum, ${shortNumber(heavy.finalLoss, 3)} ` +
    `with momentum ${fixedNumber(momentum, 2)}.`;
  for (const [history, name] of [
    [plain, "Without momentum"],
    [heavy, "With momentum"],
  ]) {
    if (history.diverged) message += ` ${name} the run diverged at step ${history.divergedAt}.`;
  }
  return message;
}

/** The status for a setting, computed from scratch (what the tests call). */
function momentumStatusFor(X, Y, start, momentum, learningRate, steps) {
  const plain = momentumRun(X, Y, start, learningRate, 0, steps);
  const heavy = momentumRun(X, Y, start, learningRate, momentum, steps);
  return momentumStatus(momentum, learningRate, steps, plain, heavy);
}

function momentumState(model) {
  const X = model.get("X");
  const Y = model.get("Y");
  const start = model.get("start");
  const mu = model.get("momentum");
  const eta = model.get("learning_rate");
  const steps = model.get("steps");
  return {
    mu,
    eta,
    steps,
    curvatures: momentumCurvatures(X),
    plain: momentumRun(X, Y, start, eta, 0, steps),
    heavy: momentumRun(X, Y, start, eta, mu, steps),
  };
}

function drawMomentum(figure, state) {
  const { ctx, panels, theme } = figure;
  const { mu, eta, steps, curvatures, plain, heavy } = state;
  const [l1, l2] = curvatures;
  const runs = [
    [plain, MOMENTUM_GREY, "no momentum"],
    [heavy, BOOK.orange, `momentum ${fixedNumber(mu, 2)}`],
  ];
  const left = drawAxes(ctx, panels[0], theme, {
    xlim: [-2.0, 2.5],
    ylim: [-2.0, 4.0],
    xlabel: `w₁ (steep: curvature ${shortNumber(l1, 3)})`,
    ylabel: `w₂ (shallow: ${shortNumber(l2, 3)})`,
    title: `η = ${shortNumber(eta, 2)}, ${steps} steps`,
  });
  // the contours E = level are ellipses around the minimum (1, 1)
  for (let k = 0; k < 12; k++) {
    const level = 0.5 * 1e-3 * Math.pow(8 / 1e-3, k / 11);
    const a = Math.sqrt((2 * level) / l1);
    const b = Math.sqrt((2 * level) / l2);
    const xs = [];
    const ys = [];
    for (let s = 0; s <= 120; s++) {
      const angle = (2 * Math.PI * s) / 120;
      xs.push(1 + a * Math.cos(angle));
      ys.push(1 + b * Math.sin(angle));
    }
    drawCurve(ctx, left, xs, ys, { color: theme.zero, width: 0.8 });
  }
  drawMarker(ctx, left, 1, 1, { shape: "*", color: theme.foreground, size: 7 });
  for (const [history, color] of runs) {
    const w1 = history.snapshots.map((s) => s.weights[0][0]);
    const w2 = history.snapshots.map((s) => s.weights[0][1]);
    drawCurve(ctx, left, w1, w2, { color, width: 1.2 });
    ctx.save();
    clipTo(ctx, left);
    w1.forEach((w, k) => drawMarker(ctx, left, w, w2[k], { color, size: 2 }));
    ctx.restore();
  }
  drawLegend(ctx, left, theme, runs.map(([, color, label]) => ({ label, color, width: 1.2, marker: "o" })), { corner: "upper left" });
  const right = drawAxes(ctx, panels[1], theme, {
    xlim: [0, steps],
    ylim: logLimits([plain.loss, heavy.loss]),
    yscale: "log",
    xlabel: "step",
    ylabel: "loss E",
  });
  for (const [history, color] of runs) {
    drawCurve(ctx, right, Array.from(history.loss, (_, t) => t), history.loss, { color, width: 1.6 });
  }
  drawLegend(ctx, right, theme, runs.map(([, color, label]) => ({ label, color, width: 1.6 })));
}

function render({ model, el }) {
  return liveView({
    model,
    el,
    name: "momentum",
    label: "gradient descent with and without momentum",
    traits: MOMENTUM_TRAITS,
    compute: momentumState,
    draw: drawMomentum,
    status: (state) => momentumStatus(state.mu, state.eta, state.steps, state.plain, state.heavy),
  });
}

export default { render };
