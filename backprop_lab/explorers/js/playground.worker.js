/**
 * The playground's training off the page's thread (a part of `playground.js`'s module:
 * `live.view_module` joins `js/<view>.<part>.js` files before their view).
 */

/*
 * A retrain (2-8-8-1, 1000 full-batch updates and as many test losses) is about 100 ms of
 * arithmetic; on the page's thread, in slices between pictures, it took half a second to
 * finish and held up everything else. So the playground trains in a Web Worker: this very
 * module (engine, drawing code, playground), started a second time from the URL it was
 * loaded from. anywidget imports a widget's module from a blob: URL and revokes that URL
 * once the import is done, so the worker is made while the module is evaluated, once per
 * module. Where there is no worker (Node, a page whose security policy forbids one, a
 * worker that failed to start) the run goes in animation-frame slices on the page's thread
 * (`runInFrames`): the same code and the same numbers either way.
 *
 * Messages: to the worker `{id, settings}` (start a run; it replaces the one before) or
 * `{stop: id}`; from it, after each slice of `PLAYGROUND_WORKER_SLICE_MS` once the run is
 * `PLAYGROUND_WORKER_QUIET_MS` old (or done), `{id, t, from, count, params, loss,
 * validationLoss, history}`: the parameters of updates from .. from +
 * count - 1 in one Float64Array (transferred), the loss buffers so far, and `history` once
 * the run is done; or `{id, error}` (the message of what went wrong).
 */
const PLAYGROUND_WORKER_SLICE_MS = 30;
// No message before a run is this old, unless it is done: a run done by then (the usual
// retrain, issue 15) goes straight to its finished picture, without pictures in between
// that the page's thread would draw while the worker trains (on a machine of two cores
// they took the worker's time: 4 or 5 pictures of 10-35 ms in a run of 150 ms). A longer
// run shows its progress from then on. The slices stay short, so a new run or stop still
// gets in within PLAYGROUND_WORKER_SLICE_MS.
const PLAYGROUND_WORKER_QUIET_MS = 100;
const PLAYGROUND_IN_WORKER =
  typeof WorkerGlobalScope !== "undefined" && typeof self !== "undefined" && self instanceof WorkerGlobalScope;

/**
 * The next slice of a run in the worker: at least one update, then `budget` ms more; its
 * message, or null while the run is not done and the clock is before `quietUntil`.
 */
function playgroundWorkerSlice(run, id, sent, budget = PLAYGROUND_WORKER_SLICE_MS, quietUntil = 0) {
  const began = performance.now();
  let next;
  do next = run.steps.next();
  while (!next.done && performance.now() - began < budget);
  if (!next.done && performance.now() < quietUntil) return null;
  const from = sent;
  const count = Math.max(0, run.t + 1 - from);
  const size = count ? run.params[from].length : 0;
  const params = new Float64Array(count * size);
  for (let k = 0; k < count; k++) params.set(run.params[from + k], k * size);
  return {
    id,
    t: run.t,
    from,
    count,
    params,
    loss: run.loss ? run.loss.slice() : null,
    validationLoss: run.validationLoss ? run.validationLoss.slice() : null,
    history: next.done ? run.history : null,
  };
}

/** Take a message of the worker into the page's copy of the run. */
function playgroundReceive(run, message) {
  const size = message.count ? message.params.length / message.count : 0;
  for (let k = 0; k < message.count; k++) {
    run.params[message.from + k] = message.params.subarray(k * size, (k + 1) * size);
  }
  run.loss = message.loss;
  run.validationLoss = message.validationLoss;
  run.t = message.t;
  if (message.history) {
    run.history = message.history;
    run.done = true;
  }
}

/**
 * `later(task)`: run `task` as a new task of the event loop, so that messages waiting get
 * in first. A MessageChannel's message, not `setTimeout(task, 0)`: nested timeouts wait at
 * least 4 ms from the fifth on, which was 4 ms lost in every slice of 30.
 */
function playgroundLater() {
  if (typeof MessageChannel !== "function") return (task) => setTimeout(task, 0);
  const channel = new MessageChannel();
  const waiting = [];
  channel.port1.onmessage = () => waiting.shift()();
  if (typeof channel.port1.unref === "function") channel.port1.unref(); // Node: not a reason to stay
  return (task) => {
    waiting.push(task);
    channel.port2.postMessage(null);
  };
}

/*
 * The warm-up (issue 15). The first run of a new kind (another network, another
 * activation) ran at half speed while V8 compiled the engine's loops for it, and it took a
 * few runs to reach full speed. So once the worker's first run is done (the first picture
 * is never held up), it trains a few short runs of the same data set and inputs, one per
 * hidden activation, 2-8-8-out on 40 points, in slices of PLAYGROUND_WARM_UP_SLICE_MS
 * between the reader's runs: a run asked for meanwhile starts after the slice, and the
 * warm-up goes on once it is done. Its results are thrown away; the engine keeps no state
 * between runs, so no number the page shows depends on it (a test checks).
 */
const PLAYGROUND_WARM_UP_SLICE_MS = 5;
const PLAYGROUND_WARM_UP_UPDATES = 500;

/** The warm-up's work for runs like `settings`: one update per `next()`. */
function* playgroundWarmUp(settings) {
  for (const activation of HIDDEN_ACTIVATIONS) {
    const short = { ...settings, start: "", activation, hiddenLayers: [8, 8], nSamples: 40, maxIterations: PLAYGROUND_WARM_UP_UPDATES };
    const run = playgroundRun(playgroundSetup(short));
    for (let next = run.steps.next(); !next.done; next = run.steps.next()) yield next.value.t;
  }
}

/**
 * The worker's side: one run at a time, a slice per task, so a new run or stop gets in;
 * after the first run, the warm-up between runs (`warmUp: false`: none); `later(task)`
 * queues the next slice (`playgroundLater`; the tests run the queue by hand). Returns
 * `{warmUpdates, warmedUp}`: the warm-up's updates so far, and whether it is over (read
 * by the tests).
 */
function playgroundServe(scope, { warmUp = true, later = playgroundLater() } = {}) {
  let current = null;
  const served = { warmUpdates: 0, warmedUp: false };
  let warm = null; // the warm-up's generator while it has work left
  let warmStarted = !warmUp;
  let warmQueued = false;
  const resume = () => {
    if (warm === null || warmQueued) return;
    warmQueued = true;
    later(warmSlice);
  };
  const warmSlice = () => {
    warmQueued = false;
    if (current !== null || warm === null) return; // a run first; it resumes us when done
    const began = performance.now();
    try {
      let next;
      do {
        next = warm.next();
        if (!next.done) served.warmUpdates += 1;
      } while (!next.done && performance.now() - began < PLAYGROUND_WARM_UP_SLICE_MS);
      if (next.done) warm = null;
    } catch (error) {
      warm = null; // a warm-up is never worth an error
    }
    served.warmedUp = warm === null;
    resume();
  };
  const ended = (settings) => {
    current = null;
    if (!warmStarted) {
      warmStarted = true;
      warm = playgroundWarmUp(settings);
    }
    resume();
  };
  scope.onmessage = (event) => {
    const { id, settings, stop } = event.data;
    if (stop !== undefined) {
      if (stop === current) current = null;
      resume();
      return;
    }
    current = id;
    const quietUntil = performance.now() + PLAYGROUND_WORKER_QUIET_MS;
    let run;
    try {
      run = playgroundRun(playgroundSetup(settings));
    } catch (error) {
      scope.postMessage({ id, error: error.message });
      ended(settings);
      return;
    }
    let sent = 0;
    const slice = () => {
      if (current !== id) return;
      let message;
      try {
        message = playgroundWorkerSlice(run, id, sent, PLAYGROUND_WORKER_SLICE_MS, quietUntil);
      } catch (error) {
        scope.postMessage({ id, error: error.message });
        ended(settings);
        return;
      }
      if (message !== null) {
        sent = message.from + message.count;
        scope.postMessage(message, [message.params.buffer]);
        if (message.history) {
          ended(settings);
          return;
        }
      }
      later(slice);
    };
    slice();
  };
  return served;
}

function playgroundStartWorker() {
  if (PLAYGROUND_IN_WORKER || typeof Worker !== "function") return null;
  const url = import.meta.url;
  if (typeof url !== "string" || !url.startsWith("blob:")) return null;
  try {
    const worker = new Worker(url, { type: "module" });
    worker.failed = false;
    worker.addEventListener("error", (event) => {
      worker.failed = true;
      event.preventDefault();
    });
    return worker;
  } catch (error) {
    return null;
  }
}

if (PLAYGROUND_IN_WORKER) playgroundServe(self);
const PLAYGROUND_WORKER = playgroundStartWorker();
let playgroundRuns = 0;

/**
 * Train `run` (made here from `settings` by `playgroundRun(playgroundSetup(settings))`) in
 * the worker: `onFrame()` at most once an animation frame while it goes, `onDone(history)`
 * at the end, `onError(error)`; `onLost()` if the worker turns out unable to run it (the
 * caller then trains on the page's thread). Returns `stop()`, like `runInFrames`.
 */
function playgroundTrainInWorker(worker, run, settings, { onFrame, onDone, onError, onLost }) {
  const id = ++playgroundRuns;
  let stopped = false;
  let drawing = false;
  const finish = () => {
    stopped = true;
    worker.removeEventListener("message", listen);
    worker.removeEventListener("error", lost);
  };
  const listen = (event) => {
    const message = event.data;
    if (stopped || message.id !== id) return;
    if (message.error !== undefined) {
      finish();
      onError(new Error(message.error));
      return;
    }
    const began = performance.now();
    playgroundReceive(run, message);
    timed("bpl worker message", began);
    if (run.done) {
      finish();
      onDone(run.history);
    } else if (!drawing) {
      drawing = true;
      requestAnimationFrame(() => {
        drawing = false;
        if (!stopped) onFrame();
      });
    }
  };
  const lost = () => {
    if (stopped) return;
    finish();
    onLost();
  };
  worker.addEventListener("message", listen);
  worker.addEventListener("error", lost);
  worker.postMessage({ id, settings });
  return () => {
    if (stopped) return;
    finish();
    worker.postMessage({ stop: id });
  };
}
