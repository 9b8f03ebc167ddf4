// Draws explorers' starting pictures as SVG, for the site build (tools/fallback_pictures.py).
//
// Usage: node render_views.mjs < views.json > pictures.json
// views.json: [{key, esm, state, width, seconds}]: a view's ES module (the `_esm` of a
// BrowserView, engine + draw.js + view, as the page imports it), its saved model state,
// the column width to draw for and, optionally, how long it may work (60 s by default).
// Each view is rendered as the page renders it (`render({model, el})`) in a small DOM
// (linkedom), with a canvas whose 2-D context records SVG (svg_canvas.mjs), and every run
// it starts is driven to its end. Answers, in order: [{key, svgs: [...], status}] (one SVG
// per canvas of the view, and its status line) or [{key, error}].
import { readFileSync } from "node:fs";
import { parseHTML } from "linkedom";
import { SvgContext } from "./svg_canvas.mjs";

const MAX_SECONDS = 60; // a view still working after this long is an error, not a picture

function installPage(width) {
  const { window, document } = parseHTML("<!doctype html><html><head></head><body></body></html>");
  const canvasProto = window.HTMLCanvasElement.prototype;
  for (const side of ["width", "height"]) {
    Object.defineProperty(canvasProto, side, {
      configurable: true,
      get() {
        return this[`__${side}`] ?? (side === "width" ? 300 : 150);
      },
      set(value) {
        this[`__${side}`] = Math.max(0, Math.floor(Number(value)));
        if (this.__svgContext) this.__svgContext.reset(); // as a canvas clears when resized
      },
    });
  }
  canvasProto.getContext = function getContext(kind) {
    if (kind !== "2d") return null;
    if (!this.__svgContext) this.__svgContext = new SvgContext(this);
    return this.__svgContext;
  };
  Object.defineProperty(window.HTMLElement.prototype, "clientWidth", {
    configurable: true,
    get() {
      return width;
    },
  });
  const frames = [];
  const globals = {
    window,
    document,
    HTMLElement: window.HTMLElement,
    Node: window.Node,
    requestAnimationFrame: (callback) => frames.push(callback),
    cancelAnimationFrame: () => {},
  };
  window.devicePixelRatio = 1;
  window.location = { hash: "", href: "http://localhost/", search: "" };
  window.history = { state: null, replaceState() {} };
  for (const [name, value] of Object.entries(globals)) {
    Object.defineProperty(globalThis, name, { configurable: true, writable: true, value });
  }
  return { document, frames };
}

/** A model with the widget's saved state, as anywidget gives a view. */
function modelOf(state) {
  const values = { ...state };
  const listeners = new Map();
  return {
    get: (name) => values[name],
    set(name, value) {
      const old = values[name];
      values[name] = value;
      if (old !== value) for (const f of listeners.get(`change:${name}`) || []) f();
    },
    save_changes() {},
    send() {},
    on(event, f) {
      listeners.set(event, [...(listeners.get(event) || []), f]);
    },
    off(event, f) {
      listeners.set(
        event,
        (listeners.get(event) || []).filter((g) => g !== f),
      );
    },
  };
}

const turn = () => new Promise((resolve) => setTimeout(resolve, 0));

async function renderView({ key, esm, state, width, seconds = MAX_SECONDS }) {
  const { document, frames } = installPage(width);
  const module = await import(`data:text/javascript;base64,${Buffer.from(esm).toString("base64")}`);
  const el = document.createElement("div");
  document.body.appendChild(el);
  const dispose = module.default.render({ model: modelOf(state), el });
  // Drive the view until nothing is left to do: animation frames run at once, timers in
  // turn; done when no frame is queued and the status line stays the same for a few turns.
  const statusOf = () => (el.querySelector(".bpl-live-status") || {}).textContent || "";
  let quiet = 0;
  let last = null;
  const deadline = performance.now() + 1000 * seconds;
  while (quiet < 5) {
    if (performance.now() > deadline) throw new Error(`the view was still working after ${seconds} s`);
    const queued = frames.splice(0);
    for (const frame of queued) frame(performance.now());
    await turn();
    const now = statusOf();
    quiet = queued.length === 0 && now === last ? quiet + 1 : 0;
    last = now;
  }
  const svgs = [...el.querySelectorAll("canvas")].map((canvas) => {
    const context = canvas.__svgContext;
    const cssWidth = parseFloat(canvas.style.width) || canvas.width;
    const cssHeight = parseFloat(canvas.style.height) || canvas.height;
    return context ? context.svg(cssWidth, cssHeight, canvas.getAttribute("aria-label") || "") : "";
  });
  if (typeof dispose === "function") dispose();
  return { key, svgs: svgs.filter(Boolean), status: statusOf() };
}

const views = JSON.parse(readFileSync(0, "utf-8"));
const answers = [];
for (const view of views) {
  try {
    answers.push(await renderView(view));
  } catch (error) {
    answers.push({ key: view.key, error: String(error && error.stack ? error.stack : error) });
  }
}
process.stdout.write(JSON.stringify(answers));
