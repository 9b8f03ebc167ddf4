/**
 * The gradient-through-time explorer (chapter 7): a one-state tanh unit reads 1e-4 and then
 * zeros (W_x = 1, b = 0, h_0 = 0), the loss is (h_T - 1)^2 / 2, and the engine's rnnForward,
 * rnnBackward and clipGradients give the gradient reaching every step and the norm of the
 * parameters' gradients. Left, log10 |dE/dh_t| against the step t (with clipping on, also
 * the same times the clipping factor); right, the norm before and after clipping and the
 * threshold, on a log scale. Traits read: recurrent_weight, steps, clipping (menu index),
 * max_norm. The status line is the Python explorer's (`GradientThroughTimeExplorer.status`),
 * word for word.
 */

const THROUGH_TIME_TRAITS = ["recurrent_weight", "steps", "clipping", "max_norm", "choices"];
const THROUGH_TIME_FIRST_INPUT = 1e-4;

/** Everything the picture and the status need for one setting. */
function throughTimeCompute(recurrentWeight, steps, clipping, maxNorm) {
  const xs = new Array(steps).fill(0.0);
  xs[0] = THROUGH_TIME_FIRST_INPUT;
  const hs = rnnForward(xs, 1.0, recurrentWeight, 0.0);
  const gradHs = new Array(steps).fill(0.0);
  gradHs[steps - 1] = hs[steps - 1][0] - 1.0; // E = (h_T - 1)^2 / 2
  const back = rnnBackward(xs, 1.0, recurrentWeight, 0.0, gradHs);
  const clip = clipGradients([back.Wx, back.Wh, back.b], maxNorm);
  const reaching = back.gradStates.map((row) => Math.abs(row[0]));
  return { recurrentWeight, steps, clipping, maxNorm, reaching, clip };
}

/** `GradientThroughTimeExplorer.status` for one state. */
function throughTimeStatus(s) {
  const T = s.steps;
  const ratio = s.reaching[0] / s.reaching[T - 1];
  let head = `W_h = ${shortNumber(s.recurrentWeight, 3)}, T = ${T}: `;
  if (ratio === 0) head += `no gradient reaches step 1 from step ${T} (it is 0 there)`;
  else if (!Number.isFinite(ratio)) head += "the gradient reaching step 1 overflowed";
  else if (shortNumber(ratio, 3) === "1") {
    head += `the gradient reaching step 1 is about as large as the one at step ${T}`;
  } else {
    head +=
      `the gradient reaching step 1 is ${shortNumber(ratio, 3)} times the one at step ${T} ` +
      `(it ${ratio < 1 ? "shrinks" : "grows"} going back)`;
  }
  const { norm, maxNorm, scale, clipped } = s.clip;
  let tail = `the gradients of W_x, W_h and b have norm ${shortNumber(norm, 3)}`;
  if (!s.clipping) tail += " (clipping off)";
  else if (clipped) tail += `, clipped to ${shortNumber(maxNorm, 3)} (every gradient times ${shortNumber(scale, 3)})`;
  else tail += `, below the threshold ${shortNumber(maxNorm, 3)}: clipping changes nothing`;
  return `${head}; ${tail}.`;
}

function throughTimeState(model) {
  const clipping = chosen(model, "clipping") === "on";
  return throughTimeCompute(model.get("recurrent_weight"), model.get("steps"), clipping, model.get("max_norm"));
}

/** log10 of |v|, or NaN for 0 and non-finite values (drawn as a gap). */
function throughTimeLog(v) {
  return v > 0 && Number.isFinite(v) ? Math.log10(v) : NaN;
}

/** Limits of a log10 axis holding the finite `values`, a whole number of decades wide. */
function throughTimeLimits(values) {
  const finite = values.filter(Number.isFinite);
  if (!finite.length) return [-1, 1];
  const low = Math.floor(Math.min(...finite) - 0.25);
  const high = Math.ceil(Math.max(...finite) + 0.25);
  return [low, Math.max(high, low + 1)];
}

function drawThroughTime(figure, s) {
  const { ctx, panels, theme } = figure;
  const T = s.steps;
  const ts = s.reaching.map((_, k) => k + 1);
  const raw = s.reaching.map(throughTimeLog);
  const shift = Math.log10(s.clip.scale);
  const after = raw.map((v) => v + shift);
  const shown = s.clipping && s.clip.clipped ? [...raw, ...after] : raw;
  const left = drawAxes(ctx, panels[0], theme, {
    xlim: [0.5, T + 0.5],
    ylim: throughTimeLimits(shown),
    xlabel: "step t",
    ylabel: "log10 |dE/dh_t|",
    title: `gradient reaching each step, W_h = ${shortNumber(s.recurrentWeight, 3)}`,
  });
  drawCurve(ctx, left, ts, raw, { color: BOOK.blue, width: 1.8 });
  ts.forEach((t, k) => Number.isFinite(raw[k]) && drawPoint(ctx, left, t, raw[k], { color: BOOK.blue, radius: 2.5 }));
  if (s.clipping && s.clip.clipped) {
    drawCurve(ctx, left, ts, after, { color: BOOK.orange, width: 1.8, dash: [5, 3] });
  }
  // right: the norm before and after clipping, and the threshold c (log10)
  const before = throughTimeLog(s.clip.norm);
  const kept = s.clipping ? throughTimeLog(s.clip.norm * s.clip.scale) : before;
  const threshold = Math.log10(s.maxNorm);
  const limits = throughTimeLimits([before, kept, threshold]);
  const right = drawAxes(ctx, panels[1], theme, {
    xlim: [-0.7, 1.7],
    ylim: limits,
    xlabel: s.clipping ? "0: before, 1: after clipping" : "0: before, 1: after (clipping off)",
    ylabel: "log10 norm of the gradients",
    title: `norm ${shortNumber(s.clip.norm, 3)}, threshold c = ${shortNumber(s.maxNorm, 3)}`,
  });
  [before, kept].forEach((v, k) => {
    if (!Number.isFinite(v)) return;
    const x0 = right.x(k - 0.3);
    const x1 = right.x(k + 0.3);
    const top = right.y(v);
    const bottom = right.y(limits[0]);
    ctx.save();
    ctx.fillStyle = k === 0 ? BOOK.blue : s.clipping ? BOOK.orange : theme.muted;
    ctx.fillRect(x0, Math.min(top, bottom), x1 - x0, Math.abs(bottom - top));
    ctx.restore();
  });
  drawCurve(ctx, right, [-0.7, 1.7], [threshold, threshold], {
    color: s.clipping ? theme.foreground : theme.muted,
    width: 1.5,
    dash: [6, 4],
  });
  ctx.save();
  ctx.font = "12px sans-serif";
  ctx.fillStyle = s.clipping ? theme.foreground : theme.muted;
  ctx.textAlign = "right";
  ctx.textBaseline = "bottom";
  ctx.fillText(`c = ${shortNumber(s.maxNorm, 3)}`, right.right - 4, right.y(threshold) - 2);
  ctx.restore();
}

function render({ model, el }) {
  return liveView({
    model,
    el,
    name: "through-time",
    label: "the gradient reaching each step of a recurrent layer",
    traits: THROUGH_TIME_TRAITS,
    compute: throughTimeState,
    draw: drawThroughTime,
    status: throughTimeStatus,
  });
}

export default { render };
