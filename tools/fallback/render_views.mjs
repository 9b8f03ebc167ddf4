// Draws explorers' starting pictures as SVG, for the site build (tools/fallback_pictures.py).
//
// Usage: node render_views.mjs < views.json > pictures.json
// views.json: [{key, esm, state, widths, seconds}]: a view's ES module (the `_esm` of a
// BrowserView, engine + draw.js + view, as the page imports it), its saved model state,
// the column widths to draw for and, optionally, how long it may work (60 s by default).
// Each view is rendered as the page renders it (`render({model, el})`) in a small DOM
// (linkedom), with a canvas whose 2-D context records SVG (svg_canvas.mjs), at the first
// width; every run it starts is driven to its end. Then the column is resized to each
// other width, as a reader's window would be: the view redraws what it computed (its
// ResizeObserver), without computing it again. Answers, in order: [{key, pictures:
// [[svg, ...] per width], status}] (one SVG per canvas of the view, and its status line)
// or [{key, error}].
import { readFileSync } from "node:fs";
import { parseHTML } from "linkedom";
import { SvgContext } from "./svg_canvas.mjs";

const MAX_SECONDS = 60; // a view still working after this long is an error, not a picture

/** A page whose column is `column.width` CSS pixels wide; `resize(width)` changes it and
 * tells the elements' ResizeObservers, as a browser does. */
function installPage(column) {
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
      return column.width;
    },
  });
  const frames = [];
  const observers = new Set();
  class ResizeObserver {
    constructor(callback) {
      this.callback = callback;
    }
    observe() {
      observers.add(this);
    }
    disconnect() {
      observers.delete(this);
    }
  }
  const resize = (width) => {
    column.width = width;
    for (const observer of [...observers]) observer.callback([]);
  };
  const globals = {
    window,
    document,
    HTMLElement: window.HTMLElement,
    Node: window.Node,
    requestAnimationFrame: (callback) => frames.push(callback),
    cancelAnimationFrame: () => {},
    ResizeObserver,
  };
  window.devicePixelRatio = 1;
  window.location = { hash: "", href: "http://localhost/", search: "" };
  window.history = { state: null, replaceState() {} };
  for (const [name, value] of Object.entries(globals)) {
    Object.defineProperty(globalThis, name, { configurable: true, writable: true, value });
  }
  return { document, frames, resize };
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

async function renderView({ key, esm, state, widths, seconds = MAX_SECONDS }) {
  const { document, frames, resize } = installPage({ width: widths[0] });
  const module = await import(`data:text/javascript;base64,${Buffer.from(esm).toString("base64")}`);
  const el = document.createElement("div");
  document.body.appendChild(el);
  const dispose = module.default.render({ model: modelOf(state), el });
  const statusOf = () => (el.querySelector(".bpl-live-status") || {}).textContent || "";
  const deadline = performance.now() + 1000 * seconds;
  // Drive the view until nothing is left to do: animation frames run at once, timers in
  // turn; done when no frame is queued and the status line stays the same for a few turns.
  async function settle() {
    let quiet = 0;
    let last = null;
    while (quiet < 5) {
      if (performance.now() > deadline) throw new Error(`the view was still working after ${seconds} s`);
      const queued = frames.splice(0);
      for (const frame of queued) frame(performance.now());
      await turn();
      const now = statusOf();
      quiet = queued.length === 0 && now === last ? quiet + 1 : 0;
      last = now;
    }
  }
  const drawn = () =>
    [...el.querySelectorAll("canvas")]
      .map((canvas) => {
        const context = canvas.__svgContext;
        const cssWidth = parseFloat(canvas.style.width) || canvas.width;
        const cssHeight = parseFloat(canvas.style.height) || canvas.height;
        return context ? context.svg(cssWidth, cssHeight, canvas.getAttribute("aria-label") || "") : "";
      })
      .filter(Boolean);
  const pictures = [];
  for (const [k, width] of widths.entries()) {
    if (k > 0) resize(width);
    await settle();
    pictures.push(drawn());
  }
  if (typeof dispose === "function") dispose();
  return { key, pictures, status: statusOf() };
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
