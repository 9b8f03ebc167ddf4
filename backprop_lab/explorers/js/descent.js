/**
 * The 1-D gradient descent explorer (chapter 4): x <- x - eta f'(x) on x^2 or on the
 * double well x^4 - 3x^2 + x, computed in the page by the engine's descend1d (the path of
 * `bl.descent.gradient_descent_1d`). Left, the function and the visited points; right,
 * f(x_t) against the step. Traits read: learning_rate, steps, function (menu index), start.
 * The status line is the Python explorer's (`DescentPath.message`), word for word.
 */

const DESCENT_TRAITS = ["learning_rate", "steps", "function", "start", "choices"];
const DESCENT_FUNCTIONS = {
  quadratic: { formula: "f(x) = x²", domain: [-3, 3], start: 2.5, f: (x) => x * x },
  double_well: {
    formula: "f(x) = x⁴ − 3x² + x",
    domain: [-2, 2],
    start: 1.8,
    f: (x) => x ** 4 - 3 * x ** 2 + x,
  },
};

function descentSteps(n) {
  return n === 1 ? "1 step" : `${n} steps`;
}

/** Python's `f"{value:.0%}"`. */
function descentPercent(value) {
  return `${fixedNumber(100 * value, 0)}%`;
}

/** `DescentPath.message` for the engine's path `p` (see backprop_lab/calc/descent.py). */
function descentMessage(p, bound = 1e12) {
  const eta = `learning rate ${shortNumber(p.learningRate, 3)}`;
  const start = Math.abs(p.dfx[0]);
  const end = Math.abs(p.dfx[p.dfx.length - 1]);
  if (p.regime === "diverging") {
    if (p.diverged) {
      return (
        `Diverging (${eta}): step ${p.divergedAt} left the finite range ` +
        `(|x| > ${shortNumber(bound, 6)} or a non-finite value), so the run stopped there.`
      );
    }
    return (
      `Diverging (${eta}): the slope grew from ${shortNumber(start, 3)} to ${shortNumber(end, 3)} in ` +
      `${descentSteps(p.stepsRun)}; every step lands further up the other side.`
    );
  }
  if (p.regime === "oscillating") {
    const how =
      p.convergedAt !== null
        ? `converged after ${descentSteps(p.convergedAt)}`
        : `after ${descentSteps(p.stepsRun)} the slope is ${shortNumber(end, 3)} (from ${shortNumber(start, 3)})`;
    return (
      `Oscillating (${eta}): the steps overshoot the minimum, changing direction ` +
      `${p.reversals} time${p.reversals !== 1 ? "s" : ""}; ${how}.`
    );
  }
  if (p.regime === "good") {
    return (
      `Good (${eta}): converged to x = ${shortNumber(p.x[p.convergedAt])} in ` +
      `${descentSteps(p.convergedAt)} without overshooting.`
    );
  }
  if (p.stepsRun === 0) return `Too small (${eta}): no steps taken yet.`;
  const share = start ? end / start : 0;
  return (
    `Too small (${eta}): after ${descentSteps(p.stepsRun)} x = ${shortNumber(p.x[p.x.length - 1])} and the ` +
    `slope is still ${descentPercent(share)} of its starting value.`
  );
}

function descentState(model) {
  const name = chosen(model, "function");
  const path = descend1d(name, model.get("start"), model.get("learning_rate"), model.get("steps"));
  return { name, path };
}

function drawDescent(figure, state) {
  const { ctx, panels, theme } = figure;
  const { name, path } = state;
  const fn = DESCENT_FUNCTIONS[name];
  const xs = Array.from(path.x).filter(Number.isFinite);
  const low = Math.min(fn.domain[0], ...xs.filter((x) => Math.abs(x) < 10));
  const high = Math.max(fn.domain[1], ...xs.filter((x) => Math.abs(x) < 10));
  const grid = [];
  const values = [];
  for (let k = 0; k <= 240; k++) {
    const x = low + ((high - low) * k) / 240;
    grid.push(x);
    values.push(fn.f(x));
  }
  const fLow = Math.min(...values);
  const fHigh = Math.max(...values);
  const pad = 0.06 * (fHigh - fLow || 1);
  const left = drawAxes(ctx, panels[0], theme, {
    xlim: [low, high],
    ylim: [fLow - pad, fHigh + pad],
    xlabel: "x",
    ylabel: "f(x)",
    title: `${fn.formula}, η = ${shortNumber(path.learningRate, 3)}`,
  });
  drawCurve(ctx, left, grid, values, { color: theme.muted, width: 1.5 });
  const shown = Array.from(path.x).map((x, t) => [x, path.fx[t]]).filter(([x]) => x >= low && x <= high);
  drawCurve(ctx, left, shown.map((p) => p[0]), shown.map((p) => p[1]), { color: BOOK.orange, width: 1.2 });
  shown.forEach(([x, f], t) => drawPoint(ctx, left, x, f, { color: t === 0 ? BOOK.blue : BOOK.orange, radius: t === 0 ? 5 : 3.5 }));
  const steps = Array.from(path.fx, (_, t) => t);
  const fx = Array.from(path.fx);
  const finite = fx.filter(Number.isFinite);
  const top = Math.max(...finite);
  const bottom = Math.min(...finite);
  const padding = 0.06 * (top - bottom || 1);
  const right = drawAxes(ctx, panels[1], theme, {
    xlim: [0, Math.max(1, path.stepsRun)],
    ylim: [bottom - padding, top + padding],
    xlabel: "step t",
    ylabel: "f(x_t)",
    title: `regime: ${path.regime}`,
  });
  drawCurve(ctx, right, steps, fx, { color: BOOK.orange, width: 1.5 });
  steps.forEach((t) => drawPoint(ctx, right, t, fx[t], { color: BOOK.orange, radius: 2.5 }));
}

function render({ model, el }) {
  return liveView({
    model,
    el,
    name: "descent",
    label: "gradient descent in one dimension",
    traits: DESCENT_TRAITS,
    compute: descentState,
    draw: drawDescent,
    status: (state) => descentMessage(state.path),
    // another function starts from its own suggested start (the start slider follows)
    onChange: {
      function: (m) => {
        m.set("start", DESCENT_FUNCTIONS[chosen(m, "function")].start);
        m.save_changes();
      },
    },
  });
}

export default { render };
