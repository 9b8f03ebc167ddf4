/**
 * What every live explorer draws with: a canvas as wide as its column, panels side by side
 * (stacked on a narrow screen), axes with ticks and labels in the book's style, curves,
 * points, a shaded map of a function over the plane, and the colours of the light or dark
 * theme. Plain canvas 2D, no dependencies.
 *
 * Joined after the engine and before each explorer's own code into one ES module (see
 * `backprop_lab/explorers/live.py`), so its names share one scope with theirs: it declares
 * no name that begins with `_` (the engine's private names) and none of the engine's
 * exports.
 */

// ------------------------------------------------------------------------- colours

/** The book's colours, as the matplotlib figures use them. */
const BOOK = Object.freeze({
  blue: "#2166ac",
  orange: "#e08214",
  red: "#b2182b",
  green: "#1b7837",
  grey: "#666666",
});

// matplotlib's "RdBu" (red for low, blue for high), the map of the book's decision plots
const RDBU_STOPS = [
  [103, 0, 31], [178, 24, 43], [214, 96, 77], [244, 165, 130], [253, 219, 199],
  [247, 247, 247], [209, 229, 240], [146, 197, 222], [67, 147, 195], [33, 102, 172],
  [5, 48, 97],
];

/** The RdBu colour of a number t in [0, 1] (clipped), as [r, g, b]. */
function rdbu(t) {
  const x = Math.min(1, Math.max(0, Number.isFinite(t) ? t : 0.5)) * (RDBU_STOPS.length - 1);
  const k = Math.min(Math.floor(x), RDBU_STOPS.length - 2);
  const f = x - k;
  const a = RDBU_STOPS[k];
  const b = RDBU_STOPS[k + 1];
  return [a[0] + f * (b[0] - a[0]), a[1] + f * (b[1] - a[1]), a[2] + f * (b[2] - a[2])];
}

/**
 * Whether the colour behind `el` is dark: the background of the nearest box that paints
 * one (a computed `rgb(...)`/`rgba(...)` with some opacity), by its relative luminance;
 * `null` when nothing behind it paints a colour we can read.
 */
function backgroundIsDark(el) {
  for (let box = el; box && box.nodeType === 1; box = box.parentElement) {
    const match = /rgba?\(([^)]+)\)/.exec(getComputedStyle(box).backgroundColor || "");
    if (!match) continue;
    const [r, g, b, a = 1] = match[1].split(/[\s,/]+/).filter(Boolean).map(Number);
    if (!(a > 0)) continue;
    const linear = (c) => ((c /= 255) <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4);
    return 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b) < 0.18;
  }
  return null;
}

/**
 * The colours to draw in where the widget is: those of the box behind it (in the book's
 * dark mode the theme shows every output, figures and widgets alike, on a light card; in
 * JupyterLab's dark theme the cell is dark), else the page's theme: the book's site
 * (pydata theme, `data-theme` on <html>), JupyterLab (`data-jp-theme-light` on <body>), or
 * the reader's system setting.
 */
function themeOf(el) {
  const html = document.documentElement;
  const body = document.body;
  let dark = el && typeof getComputedStyle === "function" ? backgroundIsDark(el) : null;
  if (dark === null) {
    if (html && html.dataset && html.dataset.theme) dark = html.dataset.theme === "dark";
    else if (body && body.dataset && body.dataset.jpThemeLight !== undefined) {
      dark = body.dataset.jpThemeLight === "false";
    } else dark = !!(window.matchMedia && window.matchMedia("(prefers-color-scheme: dark)").matches);
  }
  return dark
    ? { dark, background: "#14181e", foreground: "#e6e6e6", muted: "#9aa0a6", frame: "#70757a", zero: "#4a4f55" }
    : { dark, background: "#ffffff", foreground: "#222222", muted: "#666666", frame: "#888888", zero: "#bbbbbb" };
}

// ---------------------------------------------------------------------- the figure

/**
 * A canvas that fills the width of `el` (up to `maxWidth` CSS pixels) and redraws when that
 * width changes. `panels` panels sit side by side, or one above the other when the column
 * is narrower than `stackBelow`; each panel is `aspect` times as high as it is wide
 * (`aspect` may be a function of the panel's width in CSS pixels).
 * `draw(figure)` is called with `{ctx, width, height, panels: [{x, y, w, h}], theme}`.
 * Returns `{canvas, redraw, dispose}`.
 */
function createFigure(el, { panels = 1, aspect = 0.75, maxWidth = 880, stackBelow = 560, label = "figure", draw }) {
  const canvas = document.createElement("canvas");
  canvas.setAttribute("role", "img");
  canvas.setAttribute("aria-label", label);
  canvas.className = "bpl-live-canvas";
  canvas.style.display = "block";
  canvas.style.maxWidth = "100%";
  el.appendChild(canvas);
  let lastWidth = -1;

  function redraw() {
    const available = Math.max(240, Math.min(maxWidth, el.clientWidth || maxWidth));
    const stacked = panels > 1 && available < stackBelow;
    const columns = stacked ? 1 : panels;
    const rows = stacked ? panels : 1;
    const panelWidth = available / columns;
    const panelHeight = Math.round(panelWidth * (typeof aspect === "function" ? aspect(panelWidth) : aspect));
    const width = Math.round(available);
    const height = panelHeight * rows;
    const ratio = window.devicePixelRatio || 1;
    canvas.width = Math.round(width * ratio);
    canvas.height = Math.round(height * ratio);
    canvas.style.width = `${width}px`;
    canvas.style.height = `${height}px`;
    const ctx = canvas.getContext("2d");
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    const theme = themeOf(el);
    ctx.fillStyle = theme.background;
    ctx.fillRect(0, 0, width, height);
    const rects = [];
    for (let k = 0; k < panels; k++) {
      const column = stacked ? 0 : k;
      const row = stacked ? k : 0;
      rects.push({ x: column * panelWidth, y: row * panelHeight, w: panelWidth, h: panelHeight });
    }
    lastWidth = width;
    draw({ ctx, width, height, panels: rects, theme, stacked });
  }

  let observer = null;
  if (typeof ResizeObserver !== "undefined") {
    observer = new ResizeObserver(() => {
      const available = Math.max(240, Math.min(maxWidth, el.clientWidth || maxWidth));
      if (Math.round(available) !== lastWidth) redraw();
    });
    observer.observe(el);
  }
  return {
    canvas,
    redraw,
    dispose: () => observer && observer.disconnect(),
  };
}

/** The line under the picture that says what it shows now (also the picture's text). */
function createStatus(el, canvas) {
  const status = document.createElement("div");
  status.className = "bpl-live-status";
  status.setAttribute("aria-live", "polite");
  el.appendChild(status);
  return (text) => {
    status.textContent = text;
    canvas.setAttribute("aria-label", text);
  };
}

/**
 * Record the work since `began` (a `performance.now()`) as a User Timing measure named
 * `name`, which benchmarks/bench_pages.py reads to find the longest task of our own code.
 */
function timed(name, began) {
  if (typeof performance.measure === "function") performance.measure(name, { start: began });
}

/**
 * Call `start()` once, when `el` first comes near the visible part of the page (within
 * `margin`), or before the page is printed, whichever is first: an explorer below the fold
 * costs nothing until the reader scrolls to it. Without IntersectionObserver (Node),
 * at once. Returns a function that cancels the wait.
 */
function whenVisible(el, start, margin = "300px") {
  if (typeof IntersectionObserver !== "function") {
    start();
    return () => {};
  }
  let waiting = true;
  const observer = new IntersectionObserver(
    (entries) => {
      if (entries.some((entry) => entry.isIntersecting)) go();
    },
    { rootMargin: `${margin} 0px` },
  );
  function cancel() {
    waiting = false;
    observer.disconnect();
    window.removeEventListener("beforeprint", go);
  }
  function go() {
    if (!waiting) return;
    cancel();
    start();
  }
  observer.observe(el);
  window.addEventListener("beforeprint", go);
  return cancel;
}

/**
 * A view's link to its model: `update()` on every change of one of `traits`, after
 * `onChange[trait](model)` when there is one (it may set other traits); `start()` then
 * `update()` when `el` first comes into sight (`whenVisible`). Returns the function that
 * ends both.
 */
function followModel({ model, el, traits, onChange = {}, update, start }) {
  const handlers = traits.map((trait) => {
    const handler = onChange[trait]
      ? () => {
          onChange[trait](model);
          update();
        }
      : update;
    model.on(`change:${trait}`, handler);
    return [trait, handler];
  });
  const cancel = whenVisible(el, () => {
    start();
    update();
  });
  return () => {
    cancel();
    for (const [trait, handler] of handlers) model.off(`change:${trait}`, handler);
  };
}

/**
 * The whole life of a view in `render({model, el})`: a figure and a status line; on every
 * change of one of `traits`, `compute(model)` gives the state, `draw(figure, state)` draws
 * it and `status(state)` says it. `onChange[name]` runs first for that trait (it may set
 * other traits). Nothing is computed until the view first comes into sight
 * (`whenVisible`); changes before that are read then. Returns the clean-up function
 * anywidget calls when the view goes.
 */
function liveView({ model, el, name, label, traits, panels = 2, aspect = 0.75, compute, draw, status, onChange = {} }) {
  el.classList.add("bpl-live", `bpl-live-${name}`);
  let state = null;
  let started = false;
  const figure = createFigure(el, { panels, aspect, label, draw: (f) => state !== null && draw(f, state) });
  const say = createStatus(el, figure.canvas);
  function update() {
    if (!started) return;
    const began = performance.now();
    state = compute(model);
    figure.redraw();
    say(status(state));
    el.dataset.renders = String(Number(el.dataset.renders || 0) + 1);
    timed(`bpl ${name} update`, began);
  }
  const unfollow = followModel({ model, el, traits, onChange, update, start: () => (started = true) });
  return () => {
    unfollow();
    figure.dispose();
  };
}

/**
 * The life of a view whose state takes a run to compute (chapter 6's training explorers):
 * as `liveView`, but `work(model)` returns a generator (of the engine's `trainSteps` kind):
 * a first slice of `budget` milliseconds runs at once, the rest a slice per animation frame
 * (`runInFrames`). Each value it yields is drawn as it
 * comes (`draw(figure, value)`, with `running(value)` as the status meanwhile); the value it
 * returns is the finished state (`draw`, then `status`). `quick(model)` may give the
 * finished state at once (read from a stored run) or null. A change abandons the run under
 * way; an error is said in words under the picture. As `liveView`, nothing runs until the
 * view first comes into sight (`whenVisible`), and the work done at once is a User Timing
 * measure (the slices are `runInFrames`' own).
 */
function liveRunView({ model, el, name, label, traits, panels = 2, aspect = 0.75, work, quick = () => null, draw, status, running, budget = 8, onChange = {} }) {
  el.classList.add("bpl-live", `bpl-live-${name}`);
  let state = null;
  const figure = createFigure(el, { panels, aspect, label, draw: (f) => state !== null && draw(f, state) });
  const say = createStatus(el, figure.canvas);
  let stop = () => {};
  let started = false;
  const failed = (error) => say(`This setting cannot be computed here: ${error && error.message ? error.message : error}`);
  function finish(result, began = null) {
    state = result;
    figure.redraw();
    say(status(result));
    el.dataset.renders = String(Number(el.dataset.renders || 0) + 1);
    if (began !== null) timed(`bpl ${name} update`, began);
  }
  const show = (value) => {
    state = value;
    figure.redraw();
    say(running(value));
  };
  function update() {
    if (!started) return;
    stop();
    stop = () => {};
    const began = performance.now();
    let steps;
    let last;
    try {
      const stored = quick(model);
      if (stored) return finish(stored, began);
      steps = work(model);
      // the first slice at once, so that the next frame already shows the change (a short
      // run is then finished before the page paints)
      const deadline = performance.now() + budget;
      for (;;) {
        const { done, value } = steps.next();
        if (done) return finish(value, began);
        last = value;
        if (performance.now() >= deadline) break;
      }
    } catch (error) {
      return failed(error);
    }
    show(last);
    timed(`bpl ${name} update`, began);
    stop = runInFrames(steps, { onFrame: show, onDone: finish, onError: failed, budget });
  }
  const unfollow = followModel({ model, el, traits, onChange, update, start: () => (started = true) });
  return () => {
    unfollow();
    stop();
    figure.dispose();
  };
}

/**
 * Run a generator of work (the engine's `trainSteps`) a slice at a time, so that the page
 * never freezes: each animation frame takes `next()` until `budget` milliseconds have gone,
 * then calls `onFrame(progress)` with the last value yielded (to draw as it goes). When the
 * generator returns, `onDone(result)` gets its value. An error thrown by the work goes to
 * `onError(error)` (default: `console.error`), so that a view can say it in words.
 * Returns `stop()`, which abandons the work (a new setting makes new work). Without
 * `requestAnimationFrame` (Node) the slices are run with `setTimeout`.
 */
function runInFrames(steps, { onFrame = () => {}, onDone = () => {}, onError = console.error, budget = 8 } = {}) {
  const schedule =
    typeof requestAnimationFrame === "function" ? requestAnimationFrame : (f) => setTimeout(f, 0);
  let stopped = false;
  function slice() {
    if (stopped) return;
    const began = performance.now();
    const deadline = began + budget;
    let last;
    try {
      do {
        const { done, value } = steps.next();
        if (done) {
          stopped = true;
          if (last !== undefined) onFrame(last);
          onDone(value);
          timed("bpl frame", began);
          return;
        }
        last = value;
      } while (performance.now() < deadline);
    } catch (error) {
      stopped = true;
      onError(error);
      return;
    }
    onFrame(last);
    timed("bpl frame", began);
    schedule(slice);
  }
  schedule(slice);
  return () => {
    stopped = true;
  };
}

/**
 * `TrainingHistory.message` of a run that diverged (see backprop_lab/nn/history.py), for
 * the engine's history `h`: the views of training runs say it in their status lines.
 */
function divergedMessage(h) {
  if (h.divergedAt === 0) return "Diverged before the first update: the starting loss is not finite.";
  const kept = Number.isFinite(h.finalLoss)
    ? `(loss ${shortNumber(h.finalLoss)})`
    : "(their loss on all the data already overflows)";
  const what =
    h.divergedLoss !== null && h.divergedLoss !== undefined && Number.isFinite(h.divergedLoss)
      ? `the loss exploded to ${shortNumber(h.divergedLoss)}, above the divergence threshold ` +
        `${shortNumber(h.divergenceThreshold)} (1000 times the starting loss or 1, whichever is larger` +
        (h.batchSize ? ", times n_samples / batch_size" : "") +
        ")"
      : "the loss became NaN or infinite";
  return (
    `Diverged at iteration ${h.divergedAt}: ${what}, so training stopped and kept the parameters ` +
    `from iteration ${h.divergedAt - 1} ${kept}.`
  );
}

// ------------------------------------------------------------------------------ axes

/** About `count` round tick values covering [low, high]. */
function niceTicks(low, high, count = 5) {
  if (!(high > low)) return [low];
  const raw = (high - low) / count;
  const power = Math.pow(10, Math.floor(Math.log10(raw)));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * power).find((s) => s >= raw) || 10 * power;
  const ticks = [];
  for (let v = Math.ceil(low / step - 1e-9) * step; v <= high + 1e-9 * step; v += step) {
    ticks.push(Math.abs(v) < 1e-12 * step ? 0 : v);
  }
  return ticks;
}

/**
 * The map of an axis scale: "linear", "log" (base 10; a value <= 0 maps to -Infinity or
 * NaN, which the drawing functions skip) or "symlog" (matplotlib's `symlog` with
 * `linthresh=1`: linear between -1 and 1, logarithmic beyond, one decade wide each).
 */
function scaleOf(scale) {
  if (scale === "log") return (v) => Math.log10(v);
  if (scale === "symlog") return (v) => (Math.abs(v) <= 1 ? v : Math.sign(v) * (1 + Math.log10(Math.abs(v))));
  return (v) => v;
}

/** Ticks at the powers of ten in [low, high] (with 2 and 5 times them when fewer than 3). */
function logTicks(low, high) {
  const ticks = [];
  for (let p = Math.ceil(Math.log10(low) - 1e-9); p <= Math.floor(Math.log10(high) + 1e-9); p++) ticks.push(10 ** p);
  if (ticks.length >= 3) {
    const every = Math.ceil(ticks.length / 6);
    return ticks.filter((_, k) => k % every === 0);
  }
  const more = [];
  for (let p = Math.floor(Math.log10(low)); p <= Math.ceil(Math.log10(high)); p++) {
    for (const m of [1, 2, 5]) {
      const v = m * 10 ** p;
      if (v >= low * (1 - 1e-9) && v <= high * (1 + 1e-9)) more.push(v);
    }
  }
  return more;
}

/** Ticks of a symlog axis over [low >= 0, high]: 0, 1, 10, 100, ... */
function symlogTicks(low, high) {
  const ticks = low <= 0 ? [0] : [];
  for (let v = 1; v <= high * (1 + 1e-9); v *= 10) if (v >= low) ticks.push(v);
  return ticks;
}

/**
 * Limits of a log axis that shows every finite positive number of the `series` (arrays or
 * Float64Arrays), widened by 1.5 each way (the explorers' loss axes); `fallback` if none.
 */
function logLimits(series, fallback = [1e-3, 1]) {
  let low = Infinity;
  let high = -Infinity;
  for (const values of series) {
    for (const v of values) {
      if (Number.isFinite(v) && v > 0) {
        if (v < low) low = v;
        if (v > high) high = v;
      }
    }
  }
  return low <= high ? [low / 1.5, high * 1.5] : fallback;
}

/** A tick's text: as few digits as tell the ticks apart. */
function tickText(value) {
  if (value === 0) return "0";
  const text = Math.abs(value) >= 1e4 || Math.abs(value) < 1e-3 ? value.toExponential(0) : String(+value.toPrecision(4));
  return text.replace("-", "\u2212");
}

/**
 * Axes in a panel: a frame, ticks and their labels, axis labels and a title; returns the
 * transform `{x(v), y(v), left, right, top, bottom, xlim, ylim}` from data to pixels.
 * `xscale`, `yscale`: "linear", "log" or "symlog" (see `scaleOf`); `xticks`: the x ticks
 * to write (default: round numbers).
 */
function drawAxes(ctx, panel, theme, { xlim, ylim, xlabel = "", ylabel = "", title = "", zeroLines = false, xscale = "linear", yscale = "linear", xticks = null }) {
  const font = Math.max(10, Math.min(13, panel.w / 34));
  const left = panel.x + font * 4.2;
  const right = panel.x + panel.w - font * 1.2;
  const top = panel.y + (title ? font * 2.2 : font);
  const bottom = panel.y + panel.h - font * 3.2;
  const fx = scaleOf(xscale);
  const fy = scaleOf(yscale);
  const x = (v) => left + ((fx(v) - fx(xlim[0])) / (fx(xlim[1]) - fx(xlim[0]))) * (right - left);
  const y = (v) => bottom - ((fy(v) - fy(ylim[0])) / (fy(ylim[1]) - fy(ylim[0]))) * (bottom - top);
  const ticksOf = (scale, low, high, count) =>
    scale === "log" ? logTicks(low, high) : scale === "symlog" ? symlogTicks(low, high) : niceTicks(low, high, count);
  ctx.save();
  ctx.font = `${font}px sans-serif`;
  ctx.fillStyle = theme.foreground;
  ctx.strokeStyle = theme.frame;
  ctx.lineWidth = 1;
  if (zeroLines) {
    ctx.strokeStyle = theme.zero;
    if (xlim[0] < 0 && xlim[1] > 0) line(ctx, x(0), top, x(0), bottom);
    if (ylim[0] < 0 && ylim[1] > 0) line(ctx, left, y(0), right, y(0));
    ctx.strokeStyle = theme.frame;
  }
  ctx.strokeRect(left, top, right - left, bottom - top);
  ctx.textAlign = "center";
  ctx.textBaseline = "top";
  const xs = xticks ? xticks.filter((t) => t >= xlim[0] && t <= xlim[1]) : ticksOf(xscale, xlim[0], xlim[1], Math.max(3, Math.round((right - left) / 70)));
  for (const t of xs) {
    line(ctx, x(t), bottom, x(t), bottom + 4);
    ctx.fillText(tickText(t), x(t), bottom + 6);
  }
  ctx.textAlign = "right";
  ctx.textBaseline = "middle";
  for (const t of ticksOf(yscale, ylim[0], ylim[1], Math.max(3, Math.round((bottom - top) / 50)))) {
    line(ctx, left - 4, y(t), left, y(t));
    ctx.fillText(tickText(t), left - 6, y(t));
  }
  ctx.textAlign = "center";
  ctx.textBaseline = "bottom";
  if (xlabel) ctx.fillText(xlabel, (left + right) / 2, panel.y + panel.h - 2);
  if (title) {
    ctx.textBaseline = "top";
    ctx.fillText(title, (left + right) / 2, panel.y + 2);
  }
  if (ylabel) {
    ctx.translate(panel.x + font * 0.2, (top + bottom) / 2);
    ctx.rotate(-Math.PI / 2);
    ctx.textBaseline = "top";
    ctx.fillText(ylabel, 0, 0);
  }
  ctx.restore();
  return { x, y, left, right, top, bottom, xlim, ylim };
}

function line(ctx, x0, y0, x1, y1) {
  ctx.beginPath();
  ctx.moveTo(x0, y0);
  ctx.lineTo(x1, y1);
  ctx.stroke();
}

/** A curve through the points (xs[k], ys[k]) inside the axes; non-finite points break it. */
function drawCurve(ctx, axes, xs, ys, { color = BOOK.blue, width = 2, dash = [] } = {}) {
  ctx.save();
  clipTo(ctx, axes);
  ctx.strokeStyle = color;
  ctx.lineWidth = width;
  ctx.setLineDash(dash);
  ctx.beginPath();
  let drawing = false;
  for (let k = 0; k < xs.length; k++) {
    if (!Number.isFinite(ys[k])) {
      drawing = false;
      continue;
    }
    const px = axes.x(xs[k]);
    const py = axes.y(ys[k]);
    if (!Number.isFinite(px) || !Number.isFinite(py)) {
      drawing = false; // off a log axis (a value <= 0)
      continue;
    }
    if (drawing) ctx.lineTo(px, py);
    else ctx.moveTo(px, py);
    drawing = true;
  }
  ctx.stroke();
  ctx.restore();
}

/** A round marker at (x, y). */
function drawPoint(ctx, axes, x, y, { color = BOOK.orange, radius = 5, edge = null } = {}) {
  ctx.save();
  ctx.beginPath();
  ctx.arc(axes.x(x), axes.y(y), radius, 0, 2 * Math.PI);
  ctx.fillStyle = color;
  ctx.fill();
  if (edge) {
    ctx.strokeStyle = edge;
    ctx.lineWidth = 1.5;
    ctx.stroke();
  }
  ctx.restore();
}

function clipTo(ctx, axes) {
  ctx.beginPath();
  ctx.rect(axes.left, axes.top, axes.right - axes.left, axes.bottom - axes.top);
  ctx.clip();
}

/**
 * A `cells` x `cells` grid of colours stretched over `box` ({x, y, w, h} in pixels,
 * smoothed): `colour(col, row)` gives each cell's [r, g, b], row 0 at the top.
 */
function drawColourGrid(ctx, box, cells, colour) {
  const image = ctx.createImageData(cells, cells);
  for (let row = 0; row < cells; row++) {
    for (let col = 0; col < cells; col++) {
      const [r, g, b] = colour(col, row);
      const k = 4 * (row * cells + col);
      image.data[k] = r;
      image.data[k + 1] = g;
      image.data[k + 2] = b;
      image.data[k + 3] = 255;
    }
  }
  const grid = document.createElement("canvas");
  grid.width = cells;
  grid.height = cells;
  grid.getContext("2d").putImageData(image, 0, 0);
  ctx.save();
  ctx.imageSmoothingEnabled = true;
  ctx.drawImage(grid, box.x, box.y, box.w, box.h);
  ctx.restore();
}

/**
 * The plane shaded by `value(x1, x2)` mapped through RdBu from `low` (red) to `high`
 * (blue), on a `cells` x `cells` grid of the axes' limits.
 */
function drawShadedPlane(ctx, axes, value, low, high, cells = 60) {
  const span = high - low || 1;
  const box = { x: axes.left, y: axes.top, w: axes.right - axes.left, h: axes.bottom - axes.top };
  drawColourGrid(ctx, box, cells, (col, row) => {
    const x1 = axes.xlim[0] + ((col + 0.5) / cells) * (axes.xlim[1] - axes.xlim[0]);
    const x2 = axes.ylim[1] - ((row + 0.5) / cells) * (axes.ylim[1] - axes.ylim[0]);
    return rdbu((value(x1, x2) - low) / span);
  });
}

/** The part of the line a x1 + b x2 + c = 0 inside the axes (nothing if it misses them). */
function drawLineWhereZero(ctx, axes, a, b, c, { color = "#000000", width = 1.5 } = {}) {
  const [x0, x1] = axes.xlim;
  const [y0, y1] = axes.ylim;
  const points = [];
  if (Math.abs(b) > 1e-12) {
    for (const x of [x0, x1]) points.push([x, -(a * x + c) / b]);
  }
  if (Math.abs(a) > 1e-12) {
    for (const y of [y0, y1]) points.push([-(b * y + c) / a, y]);
  }
  const inside = points.filter(([x, y]) => x >= x0 - 1e-9 && x <= x1 + 1e-9 && y >= y0 - 1e-9 && y <= y1 + 1e-9);
  if (inside.length < 2) return false;
  ctx.save();
  clipTo(ctx, axes);
  ctx.strokeStyle = color;
  ctx.lineWidth = width;
  line(ctx, axes.x(inside[0][0]), axes.y(inside[0][1]), axes.x(inside[1][0]), axes.y(inside[1][1]));
  ctx.restore();
  return true;
}

/** The option chosen in the menu setting `name` (the trait holds its index). */
function chosen(model, name) {
  const options = (model.get("choices") || {})[name] || [];
  return options[model.get(name)];
}

/**
 * The decimal digits of |value| rounded to `digits` significant digits, halves to even as
 * Python rounds them (JavaScript's toFixed and toPrecision round halves up), and the
 * power of ten of the first digit: roundDecimal(1.0625, 4) is ["1062", 0].
 */
function roundDecimal(value, digits) {
  const exact = Math.abs(value).toExponential(Math.min(100, digits + 40));
  const [mantissa, power] = exact.split("e");
  const all = mantissa.replace(".", "");
  let exponent = parseInt(power, 10);
  const kept = all.slice(0, digits).split("").map(Number);
  const rest = all.slice(digits);
  const odd = kept[kept.length - 1] % 2 === 1;
  const up = rest[0] > "5" || (rest[0] === "5" && (/[1-9]/.test(rest.slice(1)) || odd));
  if (up) {
    let k = kept.length - 1;
    while (k >= 0 && kept[k] === 9) kept[k--] = 0;
    if (k >= 0) kept[k] += 1;
    else {
      kept.unshift(1);
      kept.pop();
      exponent += 1;
    }
  }
  return [kept.join(""), exponent];
}

function stripZeros(text) {
  return text.includes(".") ? text.replace(/0+$/, "").replace(/\.$/, "") : text;
}

function signOf(value) {
  return value < 0 || Object.is(value, -0) ? "-" : "";
}

/** A number as Python's `f"{value:.{digits}g}"` writes it (the explorers' status lines). */
function shortNumber(value, digits = 4) {
  if (Number.isNaN(value)) return "nan";
  if (!Number.isFinite(value)) return value > 0 ? "inf" : "-inf";
  if (value === 0) return `${signOf(value)}0`;
  const [head, exponent] = roundDecimal(value, digits);
  if (exponent < -4 || exponent >= digits) {
    const mantissa = stripZeros(`${head[0]}.${head.slice(1)}`);
    const magnitude = String(Math.abs(exponent)).padStart(2, "0");
    return `${signOf(value)}${mantissa}e${exponent < 0 ? "-" : "+"}${magnitude}`;
  }
  const text =
    exponent >= 0
      ? `${head.slice(0, exponent + 1)}.${head.slice(exponent + 1)}`
      : `0.${"0".repeat(-exponent - 1)}${head}`;
  return `${signOf(value)}${stripZeros(text)}`;
}

/** A number as Python's `f"{value:.{places}f}"` writes it (halves to even). */
function fixedNumber(value, places) {
  if (!Number.isFinite(value)) return shortNumber(value);
  const magnitude = value === 0 ? 0 : parseInt(Math.abs(value).toExponential(20).split("e")[1], 10);
  const digits = magnitude + 1 + places;
  let units; // |value| in units of 10^-places, as a digit string
  if (value === 0 || digits < 0) units = "0";
  else if (digits === 0) {
    // below one unit (its first digit is the one after the last place): 0 or 1, from the
    // exact decimal digits, as Python reads them (0.05 is 0.05000000000000000277: "0.1");
    // exactly half a unit rounds to the even 0
    const all = Math.abs(value).toExponential(40).split("e")[0].replace(".", "");
    units = all[0] > "5" || (all[0] === "5" && /[1-9]/.test(all.slice(1))) ? "1" : "0";
  } else {
    const [head, exponent] = roundDecimal(value, digits);
    units = head + "0".repeat(Math.max(0, exponent - magnitude));
  }
  units = units.padStart(places + 1, "0");
  const text = places ? `${units.slice(0, -places)}.${units.slice(-places)}` : units;
  return `${signOf(value)}${text}`;
}

/** A number as Python's `f"{value:.{places}e}"` writes it (halves to even). */
function expNumber(value, places) {
  if (!Number.isFinite(value)) return shortNumber(value);
  if (value === 0) return `${signOf(value)}${fixedNumber(0, places)}e+00`;
  const [head, exponent] = roundDecimal(value, places + 1);
  const mantissa = places ? `${head[0]}.${head.slice(1)}` : head[0];
  const magnitude = String(Math.abs(exponent)).padStart(2, "0");
  return `${signOf(value)}${mantissa}e${exponent < 0 ? "-" : "+"}${magnitude}`;
}

// --------------------------------------------------------- markers, bars and legends

/**
 * A marker of matplotlib's shapes at (x, y): "o" (circle), "s" (square), "v" (triangle
 * down), "^" (triangle up), "*" (star); `size` its radius in pixels; `fill` null for an
 * open marker (its edge in `color`).
 */
function drawMarker(ctx, axes, x, y, { shape = "o", color = BOOK.orange, size = 5, fill = undefined } = {}) {
  const px = axes.x(x);
  const py = axes.y(y);
  if (!Number.isFinite(px) || !Number.isFinite(py)) return;
  markerPath(ctx, shape, px, py, size);
  ctx.save();
  const inside = fill === undefined ? color : fill;
  if (inside !== null) {
    ctx.fillStyle = inside;
    ctx.fill();
  }
  if (inside !== color) {
    ctx.strokeStyle = color;
    ctx.lineWidth = 1.5;
    ctx.stroke();
  }
  ctx.restore();
}

function markerPath(ctx, shape, px, py, size) {
  ctx.beginPath();
  if (shape === "s") ctx.rect(px - size, py - size, 2 * size, 2 * size);
  else if (shape === "v" || shape === "^") {
    const d = shape === "v" ? 1 : -1;
    ctx.moveTo(px - size, py - d * size * 0.8);
    ctx.lineTo(px + size, py - d * size * 0.8);
    ctx.lineTo(px, py + d * size);
    ctx.closePath();
  } else if (shape === "*") {
    for (let k = 0; k < 10; k++) {
      const r = k % 2 === 0 ? size : size * 0.42;
      const angle = -Math.PI / 2 + (k * Math.PI) / 5;
      const qx = px + r * Math.cos(angle);
      const qy = py + r * Math.sin(angle);
      if (k === 0) ctx.moveTo(qx, qy);
      else ctx.lineTo(qx, qy);
    }
    ctx.closePath();
  } else ctx.arc(px, py, size, 0, 2 * Math.PI);
}

/** A vertical bar from 0 to `height` centred on x, `width` in data units. */
function drawBar(ctx, axes, x, height, { color = BOOK.orange, width = 0.6 } = {}) {
  const x0 = axes.x(x - width / 2);
  const x1 = axes.x(x + width / 2);
  const y0 = axes.y(Math.max(axes.ylim[0], 0));
  const y1 = axes.y(Math.min(height, axes.ylim[1]));
  if (![x0, x1, y0, y1].every(Number.isFinite)) return;
  ctx.save();
  ctx.fillStyle = color;
  ctx.fillRect(x0, Math.min(y0, y1), x1 - x0, Math.abs(y0 - y1));
  ctx.restore();
}

/**
 * A legend in a corner of the axes ("upper left", "upper right", "lower right"): each
 * entry `{label, color, width, dash, marker, fill}` is a short line, a marker, or both.
 */
function drawLegend(ctx, axes, theme, entries, { corner = "upper right", font = null } = {}) {
  const size = font || Math.max(9, Math.min(11.5, (axes.right - axes.left) / 30));
  ctx.save();
  ctx.font = `${size}px sans-serif`;
  const widest = Math.max(...entries.map((e) => ctx.measureText(e.label).width));
  const rowHeight = size * 1.35;
  const boxWidth = widest + size * 3.2;
  const x0 = corner.endsWith("left") ? axes.left + 6 : axes.right - 6 - boxWidth;
  const y0 = corner.startsWith("upper") ? axes.top + 4 : axes.bottom - 4 - rowHeight * entries.length;
  ctx.textAlign = "left";
  ctx.textBaseline = "middle";
  entries.forEach((entry, k) => {
    const cy = y0 + rowHeight * (k + 0.5);
    const sample = { x: (v) => v, y: (v) => v };
    if (entry.width) {
      ctx.strokeStyle = entry.color;
      ctx.lineWidth = entry.width;
      ctx.setLineDash(entry.dash || []);
      line(ctx, x0, cy, x0 + size * 2.2, cy);
      ctx.setLineDash([]);
    }
    if (entry.marker) {
      drawMarker(ctx, sample, x0 + size * 1.1, cy, { shape: entry.marker, color: entry.color, size: size * 0.38, fill: entry.fill });
    }
    ctx.fillStyle = theme.foreground;
    ctx.fillText(entry.label, x0 + size * 2.7, cy);
  });
  ctx.restore();
}
