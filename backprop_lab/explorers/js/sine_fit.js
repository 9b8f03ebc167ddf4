/**
 * What chapter 6's overfitting and stopping views share, the twin of Python's
 * `SineFitTraits` and `overfitting_start`: the settings of a run on the noisy sine points
 * (read from the model, or given by the tests), the 1-h-1 tanh network the runs start
 * from (the portable generator), and a run from it on the training points. Joined into
 * the module of each view whose class has `SineFitTraits` (its `_shared_files`).
 */

/** The traits of `SineFitTraits`. */
const SINE_FIT_TRAITS = [
  "hidden_units",
  "max_iterations",
  "learning_rate",
  "seed",
  "train_X",
  "train_Y",
  "validation_X",
  "validation_Y",
];

/** The settings of `SineFitTraits`, read from the model. */
function sineFitSettings(model) {
  const get = (name) => model.get(name);
  return {
    hidden: get("hidden_units"),
    maxIterations: get("max_iterations"),
    learningRate: get("learning_rate"),
    seed: get("seed"),
    train: [get("train_X"), get("train_Y")],
    validation: [get("validation_X"), get("validation_Y")],
  };
}

/** What tells one run of these settings from another (a key for the runs a view keeps). */
function sineFitKey(s) {
  return JSON.stringify([s.hidden, s.maxIterations, s.learningRate, s.seed, s.train, s.validation]);
}

/** Python's `overfitting_start(hidden_units, seed)`: the network every run starts from. */
function sineFitStart(s) {
  return portableNetwork({ sizes: [1, s.hidden, 1], activation: "tanh", outputActivation: "identity", loss: "squared_error", seed: s.seed });
}

/**
 * A run from `sineFitStart` on the training points, full batch, to `maxIterations` at
 * `learningRate`, with the engine's other `options` (validation, snapshotEvery, tolerance,
 * patience): a generator (yields the engine's progress, returns the history).
 */
function sineFitRun(s, options = {}) {
  return trainSteps(sineFitStart(s), s.train[0], s.train[1], { learningRate: s.learningRate, iterations: s.maxIterations, ...options });
}
