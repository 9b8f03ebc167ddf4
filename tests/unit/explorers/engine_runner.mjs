// Runs cases against the browser engine for tests/unit/explorers/test_engine.py.
// Usage: node engine_runner.mjs <path of engine.js>  < cases.json  > results.json
// Input: a JSON array of cases {op, ...arguments}; output: a JSON array, one entry per
// case, {result} or {error, name}. Typed arrays become arrays; NaN and infinities become
// the strings "NaN", "Infinity", "-Infinity" (JSON has no such numbers).
import { readFileSync } from "node:fs";
import { pathToFileURL } from "node:url";

const engine = await import(pathToFileURL(process.argv[2]).href);

// {flat: true}: the net's weights and biases as Float64Arrays (weights row by row)
function flatten(net) {
  const weights = net.weights.map((rows) => Float64Array.from(rows.flat()));
  return { ...net, weights, biases: net.biases.map((b) => Float64Array.from(b)) };
}

function run(c) {
  if (c.flat) c.net = flatten(c.net);
  switch (c.op) {
    case "forward":
      return engine.forward(c.net, c.X);
    case "loss":
      return engine.loss(c.net, c.X, c.Y);
    case "gradients":
      return engine.gradients(c.net, c.X, c.Y);
    case "train": {
      const start = performance.now();
      const history = engine.train(c.net, c.X, c.Y, c.options);
      const ms = performance.now() - start;
      return { history, weights: c.net.weights, biases: c.net.biases, ms };
    }
    case "trainSteps": {
      // step through the run; keep every yielded t, the loss buffer's prefix at each yield
      // (it must already hold the history's numbers), and the network at step c.at
      const steps = engine.trainSteps(c.net, c.X, c.Y, c.options);
      const ts = [];
      const prefixesAgree = [];
      let at = null;
      for (;;) {
        const { done, value } = steps.next();
        if (done) {
          const history = value;
          const agree = prefixesAgree.every(([t, loss]) => loss.every((v, k) => Object.is(v, history.loss[k])) && loss.length === t + 1);
          return { ts, history, weights: c.net.weights, biases: c.net.biases, at, agree };
        }
        ts.push(value.t);
        prefixesAgree.push([value.t, Array.from(value.loss.subarray(0, value.t + 1))]);
        if (value.t === c.at) {
          at = value.network();
          at.fromParameters = engine.withParameters(c.net, value.parameters());
        }
      }
    }
    case "chainRule":
      return engine.chainRule(c.net, c.x, c.y, c.param);
    case "descend1d":
      return engine.descend1d(c.fn, c.start, c.learningRate, c.steps, c.options ?? {});
    case "neuron":
      return engine.neuron(c.weights, c.bias, c.inputs, c.activation);
    case "random": {
      const rng = engine.createRandom(c.seed);
      if (c.kind === "permutation") return rng.permutation(c.n);
      const out = [];
      for (let k = 0; k < c.n; k++) {
        out.push(c.kind === "uniform" ? rng.uniform(c.low, c.high) : rng[c.kind]());
      }
      return out;
    }
    case "initialParameters":
      return engine.initialParameters(c.sizes, c.activation, c.seed, c.init);
    case "batchOrder":
      return engine.batchOrder(c.n, c.epochs, c.seed);
    case "playgroundData":
      return engine.playgroundData(c.name, c.options);
    case "call": // any export by name, e.g. {op: "call", fn: "conv1d", args: [x, kernel, bias]}
      return engine[c.fn](...c.args);
    case "import":
      return import(pathToFileURL(c.path).href).then((module) => Object.keys(module).sort());
    default:
      throw new Error(`unknown op ${c.op}`);
  }
}

function replacer(key, value) {
  if (ArrayBuffer.isView(value)) return Array.from(value, (v) => (Number.isFinite(v) ? v : String(v)));
  if (typeof value === "number" && !Number.isFinite(value)) return String(value);
  if (typeof value === "function") return undefined;
  return value;
}

const cases = JSON.parse(readFileSync(0, "utf8"));
const results = [];
for (const c of cases) {
  try {
    results.push({ result: await run(c) });
  } catch (error) {
    results.push({ error: String(error && error.message), name: error && error.name });
  }
}
process.stdout.write(JSON.stringify(results, replacer));
