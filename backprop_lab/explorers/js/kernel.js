/**
 * The kernel explorer (chapter 7): a 1-D convolution z = x * w + b of the chapter's signal
 * with a kernel of 2 or 3 taps, the loss E = 1/2 sum_j (z_j - y_j)^2, and its gradients by
 * the engine's conv1d and conv1dBackward. Left, the inputs, the outputs (each below the
 * middle of its window) and the targets; middle, each tap's gradient dE/dw_m as the running
 * sum of its uses g_j x_{j+m} over the positions j; right, the input's gradient dE/dx.
 * Traits read: taps (menu index), w0, w1, w2. The status line is the Python explorer's
 * (`ConvolutionKernelExplorer.status`), word for word.
 */

const KERNEL_TRAITS = ["taps", "w0", "w1", "w2", "choices"];
const KERNEL_SIGNAL = [1.0, 2.0, 0.0, -1.0, 3.0];
const KERNEL_TARGETS = [-0.5, 4.5, 2.5, -6.5];
const KERNEL_BIAS = 0.5;

/** Python's `f"{round(v, 9) + 0.0:.4g}"`: sums that cancel show 0, whatever their order. */
function kernelNumber(value) {
  return shortNumber(Math.round(value * 1e9) / 1e9 + 0);
}

function kernelVector(values) {
  return `(${Array.from(values, kernelNumber).join(", ")})`;
}

/** Everything the picture and the status need, for `taps` taps of the sliders' `weights`. */
function kernelCompute(taps, weights) {
  const kernel = weights.slice(0, taps);
  const z = conv1d(KERNEL_SIGNAL, kernel, KERNEL_BIAS);
  const y = KERNEL_TARGETS.slice(0, z.length);
  const g = z.map((v, j) => v - y[j]);
  let loss = 0.0;
  for (const v of g) loss += v * v;
  const back = conv1dBackward(KERNEL_SIGNAL, kernel, g);
  return { taps, weights, kernel, z, y, g, loss: 0.5 * loss, ...back };
}

/** `ConvolutionKernelExplorer.status` for one state. */
function kernelStatus(s) {
  return (
    `kernel ${kernelVector(s.kernel)}, b = ${kernelNumber(KERNEL_BIAS)}: z = ${kernelVector(s.z)}, ` +
    `E = ${kernelNumber(s.loss)}; dE/dw = ${kernelVector(s.gradKernel)} (each a sum over ` +
    `${s.z.length} positions), dE/db = ${kernelNumber(s.gradBias)}; ` +
    `dE/dx = ${kernelVector(s.gradX)}`
  );
}

function kernelState(model) {
  const taps = Number(chosen(model, "taps"));
  return kernelCompute(taps, [model.get("w0"), model.get("w1"), model.get("w2")]);
}

/** Limits of a value axis holding `values` and 0, with some room. */
function kernelLimits(values) {
  const low = Math.min(0, ...values);
  const high = Math.max(0, ...values);
  const pad = 0.12 * (high - low || 1);
  return [low - pad, high + pad];
}

function kernelBar(ctx, axes, x, value, halfWidth, color) {
  const left = axes.x(x - halfWidth);
  const right = axes.x(x + halfWidth);
  const top = axes.y(Math.max(0, value));
  const bottom = axes.y(Math.min(0, value));
  ctx.save();
  ctx.fillStyle = color;
  ctx.fillRect(left, top, right - left, Math.max(1, bottom - top));
  ctx.restore();
}

function kernelLabel(ctx, axes, theme, x, value, text, color = null) {
  ctx.save();
  ctx.font = `${Math.max(9, Math.min(12, (axes.right - axes.left) / 22))}px sans-serif`;
  ctx.fillStyle = color || theme.foreground;
  ctx.textAlign = "center";
  ctx.textBaseline = value >= 0 ? "bottom" : "top";
  ctx.fillText(text, axes.x(x), axes.y(value) + (value >= 0 ? -2 : 2));
  ctx.restore();
}

function drawKernel(figure, s) {
  const { ctx, panels, theme } = figure;
  const k = s.kernel.length;
  const n = KERNEL_SIGNAL.length;
  const centre = (j) => j + (k - 1) / 2;
  // left: inputs (bars), outputs (blue, below the middle of their windows), targets (orange)
  const forward = drawAxes(ctx, panels[0], theme, {
    xlim: [-0.6, n - 0.4],
    ylim: kernelLimits([...KERNEL_SIGNAL, ...s.z, ...s.y]),
    xlabel: "position",
    ylabel: "value",
    title: "inputs x, outputs z (blue), targets (orange)",
    zeroLines: true,
  });
  KERNEL_SIGNAL.forEach((v, i) => kernelBar(ctx, forward, i, v, 0.3, theme.dark ? "#4a4f55" : "#d0d0d0"));
  s.z.forEach((v, j) => {
    drawCurve(ctx, forward, [centre(j), centre(j)], [v, s.y[j]], { color: theme.muted, width: 1, dash: [3, 3] });
  });
  drawCurve(ctx, forward, s.z.map((_, j) => centre(j)), s.z, { color: BOOK.blue, width: 1.5 });
  s.z.forEach((v, j) => drawPoint(ctx, forward, centre(j), v, { color: BOOK.blue, radius: 4.5 }));
  s.y.forEach((v, j) => drawPoint(ctx, forward, centre(j), v, { color: BOOK.orange, radius: 3.5 }));
  // middle: each tap's gradient, the running sum of g_j x_{j+m} over the positions
  const running = [];
  for (let m = 0; m < 3; m++) {
    const steps = [0];
    if (m < k) for (let j = 0; j < s.g.length; j++) steps.push(steps[j] + s.g[j] * KERNEL_SIGNAL[j + m]);
    running.push(steps);
  }
  const used = s.kernel.map(kernelNumber).join(", ");
  const middle = drawAxes(ctx, panels[1], theme, {
    xlim: [-0.5, 2.5],
    ylim: kernelLimits(running.flat()),
    xlabel: k === 3 ? `tap m of w = (${used})` : `tap m of w = (${used}); w2 = ${kernelNumber(s.weights[2])} unused`,
    ylabel: "dE/dw_m",
    title: "dE/dw_m, summed position by position",
    zeroLines: true,
  });
  for (let m = 0; m < k; m++) {
    const total = s.gradKernel[m];
    kernelBar(ctx, middle, m, total, 0.32, "rgba(33, 102, 172, 0.35)");
    const steps = running[m];
    const xs = steps.map((_, j) => m - 0.3 + (0.6 * j) / (steps.length - 1));
    drawCurve(ctx, middle, xs, steps, { color: BOOK.blue, width: 2 });
    xs.forEach((x, j) => j > 0 && drawPoint(ctx, middle, x, steps[j], { color: BOOK.blue, radius: 2.5 }));
    kernelLabel(ctx, middle, theme, m, total, kernelNumber(total));
  }
  // right: the input's gradient, one bar per input
  const right = drawAxes(ctx, panels[2], theme, {
    xlim: [-0.6, n - 0.4],
    ylim: kernelLimits(s.gradX),
    xlabel: "input i",
    ylabel: "dE/dx_i",
    title: "dE/dx_i = Σ_m g_{i−m} w_m",
    zeroLines: true,
  });
  s.gradX.forEach((v, i) => {
    kernelBar(ctx, right, i, v, 0.3, BOOK.orange);
    kernelLabel(ctx, right, theme, i, v, kernelNumber(v));
  });
}

function render({ model, el }) {
  return liveView({
    model,
    el,
    name: "kernel",
    label: "a convolution kernel and its gradients",
    traits: KERNEL_TRAITS,
    panels: 3,
    aspect: 0.8,
    compute: kernelState,
    draw: drawKernel,
    status: kernelStatus,
  });
}

export default { render };
