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
 * `{stop: id}`; from it, after each slice of `PLAYGROUND_WORKER_SLICE_MS`, `{id, t, from,
 * count, params, loss, validationLoss, history}`: the parameters of updates from .. from +
 * count - 1 in one Float64Array (transferred), the loss buffers so far, and `history` once
 * the run is done; or `{id, error}` (the message of what went wrong).
 */
const PLAYGROUND_WORKER_SLICE_MS = 30;
const PLAYGROUND_IN_WORKER =
  typeof WorkerGlobalScope !== "undefined" && typeof self !== "undefined" && self instanceof WorkerGlobalScope;

/** The next message of a run in the worker: at least one update, then `budget` ms more. */
function playgroundWorkerSlice(run, id, sent, budget = PLAYGROUND_WORKER_SLICE_MS) {
  const began = performance.now();
  let next;
  do next = run.steps.next();
  while (!next.done && performance.now() - began < budget);
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

/** The worker's side: one run at a time, a slice per task, so a new run or stop gets in. */
function playgroundServe(scope) {
  let current = null;
  scope.onmessage = (event) => {
    const { id, settings, stop } = event.data;
    if (stop !== undefined) {
      if (stop === current) current = null;
      return;
    }
    current = id;
    let run;
    try {
      run = playgroundRun(playgroundSetup(settings));
    } catch (error) {
      scope.postMessage({ id, error: error.message });
      return;
    }
    let sent = 0;
    const slice = () => {
      if (current !== id) return;
      let message;
      try {
        message = playgroundWorkerSlice(run, id, sent);
      } catch (error) {
        scope.postMessage({ id, error: error.message });
        return;
      }
      sent = message.from + message.count;
      scope.postMessage(message, [message.params.buffer]);
      if (message.history) current = null;
      else setTimeout(slice, 0);
    };
    slice();
  };
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
