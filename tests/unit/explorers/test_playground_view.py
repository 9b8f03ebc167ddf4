"""The playground's view (``js/playground.js``) under Node against the Python explorer.

For a table of settings (every data set, layers added and removed, each activation, seeds,
mini-batches, momentum, L1 and L2, input features, a diverging rate), the page's code
trains from the same portable start on the same points and writes the status line
``TrainingExplorer.status`` writes, word for word; its loss history is the package's
(``Network.train``) to 1e-6 over whole runs. The constructor refuses bad values with
messages naming the argument.
"""

from __future__ import annotations

import json

import numpy as np
import pytest
from test_live_views import call_view
from training_helpers import page_settings

import backprop_lab as bl
from backprop_lab.calc.playground_data import PLAYGROUND_NAMES
from backprop_lab.explorers.training import playground_status

SETTINGS = [
    dict(dataset="xor", hidden_layers=(4,), learning_rate=1.0, iterations=1000),
    dict(dataset="two_moons", hidden_layers=(8,), learning_rate=1.0, iterations=1000),
    dict(dataset="two_moons", hidden_layers=(8,), learning_rate=1.0, iterations=37),
    dict(dataset="circles", hidden_layers=(3, 2), activation="relu", seed=5, iterations=0),
    dict(dataset="spirals", hidden_layers=(8, 8, 8), activation="sigmoid", seed=2, noise=0.2),
    dict(dataset="three_spirals", hidden_layers=(8, 8), learning_rate=0.2, max_iterations=300),
    dict(dataset="regression_1d", hidden_layers=(6,), activation="identity", test_fraction=0.3),
    dict(dataset="regression_1d", hidden_layers=(4,), learning_rate=10.0, max_iterations=100),
    dict(dataset="xor", hidden_layers=(), features=("x1*x2",), max_iterations=200),
    dict(dataset="circles", hidden_layers=(2,), features=("x1^2", "x2^2", "sin(x1)")),
    dict(dataset="two_moons", batch_size=8, momentum=0.5, max_iterations=300, seed=7),
    dict(dataset="xor", regularization="L2", regularization_rate=0.01, max_iterations=200),
    dict(
        dataset="spirals",
        regularization="L1",
        regularization_rate=0.001,
        batch_size=1,
        max_iterations=250,
        iterations=249,
    ),
    dict(dataset="xor", learning_rate=10.0, hidden_layers=(4,), max_iterations=30),  # rises
]


@pytest.fixture(scope="module")
def answers(tmp_path_factory):
    explorers = [bl.TrainingExplorer(**kwargs) for kwargs in SETTINGS]
    calls = [
        {
            "fn": "playgroundState",
            "args": [page_settings(e), int(e.controls["iterations"].value)],
        }
        for e in explorers
    ]
    got = call_view(
        "playground.js", ["playgroundState"], calls, tmp_path_factory.mktemp("playground")
    )
    return list(zip(SETTINGS, explorers, got["answers"], strict=True))


@pytest.mark.parametrize("k", range(len(SETTINGS)))
def test_the_page_writes_the_python_status(answers, k):
    kwargs, explorer, answer = answers[k]
    assert "error" not in answer, answer
    assert answer["result"]["status"] == explorer.status, kwargs


@pytest.mark.parametrize("k", range(len(SETTINGS)))
def test_the_page_trains_the_packages_run(answers, k):
    kwargs, explorer, answer = answers[k]
    result = answer["result"]
    history = explorer.history
    assert result["iterationsRun"] == history.iterations_run, kwargs
    np.testing.assert_allclose(result["loss"], history.loss, rtol=1e-6, atol=1e-12)
    numbers = result["numbers"]
    net = explorer.network
    X, Y, *_ = explorer._inputs(explorer.setting())
    assert numbers["train"] == pytest.approx(net.loss(X, Y), rel=1e-9)
    assert numbers["t"] == explorer.shown


def test_the_table_covers_every_data_set_and_activation():
    assert {k["dataset"] for k in SETTINGS} == set(PLAYGROUND_NAMES)
    assert {k.get("activation", "tanh") for k in SETTINGS} == {
        "tanh",
        "relu",
        "sigmoid",
        "identity",
    }


def test_a_diverging_rate_says_so_in_words(answers):
    diverged = [
        (e, a) for _, e, a in answers if e.history.diverged and "Diverged at iteration" in e.status
    ]
    assert diverged, "the table holds a diverging run"
    for explorer, answer in diverged:
        assert "nan" not in explorer.status.lower()
        assert explorer.status.endswith("Try a smaller learning rate.")
        assert answer["result"]["status"] == explorer.status


def test_the_status_words_of_each_case():
    base = dict(t=3, train=0.5, test=0.25, start=0.7, end=0.1, endTest=0.2, run=10, diverged=None)
    assert playground_status(base) == (
        "Iteration 3: training loss 0.5, test loss 0.25. After 10 iterations the training loss "
        "is 0.1 and the test loss 0.2."
    )
    rose = playground_status({**base, "end": 0.8, "accuracy": 0.5, "testAccuracy": 0.125})
    assert rose == (
        "Iteration 3: training loss 0.5, test loss 0.25; accuracy 50.0% (training), 12.5% "
        "(test). The training loss rose from 0.7 to 0.8: the learning rate is too large."
    )


@pytest.mark.parametrize(
    ("kwargs", "error", "words"),
    [
        ({"dataset": "mnist"}, ValueError, "dataset must be one of"),
        ({"hidden_layers": (9,)}, ValueError, "each from 1 to 8"),
        ({"hidden_layers": (2,) * 7}, ValueError, "at most 6 sizes"),
        ({"hidden_layers": "x"}, ValueError, "whole numbers separated by commas"),
        ({"activation": "softmax"}, ValueError, "activation must be one of"),
        ({"learning_rate": 20.0}, ValueError, "learning_rate must be within"),
        ({"learning_rate": -1}, ValueError, "learning_rate"),
        ({"iterations": 5000}, ValueError, "iterations must be within"),
        ({"max_iterations": 9}, ValueError, "max_iterations"),
        ({"seed": 21}, ValueError, "seed must be within"),
        ({"noise": 0.7}, ValueError, "noise must be within"),
        ({"test_fraction": 0.0}, ValueError, "test_fraction must be within"),
        ({"batch_size": 3}, ValueError, "batch_size must be None"),
        ({"batch_size": True}, ValueError, "batch_size must be None"),
        ({"momentum": 1.0}, ValueError, "momentum must be within"),
        ({"regularization": "L3"}, ValueError, "regularization must be one of"),
        ({"regularization_rate": 5.0}, ValueError, "regularization_rate must be within"),
        ({"features": ("x3",)}, ValueError, "features must be names from"),
        ({"features": "x1"}, TypeError, "features must be a list"),
        ({"features": ()}, ValueError, "at least one input feature"),
        ({"dataset": "regression_1d", "features": ("x2",)}, ValueError, "need x2"),
        ({"n_samples": 10}, ValueError, "n_samples"),
    ],
)
def test_bad_values_are_refused_naming_the_argument(kwargs, error, words):
    with pytest.raises(error, match=words):
        bl.TrainingExplorer(**kwargs)


def test_the_page_exports_the_json_python_writes(answers):
    for kwargs, explorer, answer in answers:
        exported = answer["result"]["exported"]
        expected = json.loads(explorer.to_json())
        assert exported.keys() == expected.keys(), kwargs
        for key in expected:
            if key in ("weights", "biases"):
                for ours, theirs in zip(exported[key], expected[key], strict=True):
                    np.testing.assert_allclose(ours, theirs, rtol=1e-9, atol=1e-12)
            else:
                assert exported[key] == expected[key], (kwargs, key)
        bl.Network.from_json(json.dumps(exported))  # the package reads the page's file


def test_an_imported_network_is_the_start_in_the_page_and_in_python(tmp_path):
    trained = bl.TrainingExplorer(dataset="circles", hidden_layers=(3,), max_iterations=100)
    trained.features = ("x1^2", "x2^2")
    text = trained.to_json()
    fresh = bl.TrainingExplorer(dataset="circles", max_iterations=100, iterations=0, seed=4)
    fresh.load_json(text)
    assert fresh.hidden_layers == (3,) and fresh.features == ("x1^2", "x2^2")
    start = fresh.network
    for ours, theirs in zip(start.weights, bl.Network.from_json(text).weights, strict=True):
        np.testing.assert_array_equal(ours, theirs)
    fresh.controls["iterations"].value = 100
    refit = bl.TrainingExplorer(dataset="circles", max_iterations=100, iterations=0, seed=4)
    refit.load_json(text)
    refit.hidden_layers = (4,)  # no longer fits: the portable start of the seed
    assert refit.network.layer_sizes == [2, 4, 1]
    calls = [
        {"fn": "playgroundState", "args": [page_settings(e), int(e.controls["iterations"].value)]}
        for e in (fresh, refit)
    ]
    calls.append({"fn": "playgroundImport", "args": [text, "circles"]})
    calls.append({"fn": "playgroundImport", "args": [text, "three_spirals"]})
    calls.append({"fn": "playgroundImport", "args": ["{", "circles"]})
    got = call_view("playground.js", ["playgroundState", "playgroundImport"], calls, tmp_path)
    first, second, imported, wrong, broken = got["answers"]
    assert first["result"]["status"] == fresh.status
    assert second["result"]["status"] == refit.status
    assert imported["result"]["features"] == ["x1^2", "x2^2"]
    assert imported["result"]["hidden_layers"] == [3] and imported["result"]["start"] == text
    assert "must fit three_spirals: 3 output(s)" in wrong["error"]
    assert "not JSON" in broken["error"]
    with pytest.raises(ValueError, match="must be a network for 'three_spirals'"):
        bl.TrainingExplorer(dataset="three_spirals", max_iterations=10).load_json(text)


def test_the_address_keeps_the_settings_it_can_show(tmp_path):
    choices = bl.TrainingExplorer(max_iterations=10).view.choices
    state = {
        "dataset": "spirals",
        "learning_rate": 0.1,
        "hidden_layers": [3, 2],
        "features": ["x2", "x1"],
        "iterations": 7,
        "noise": 3.0,  # beyond the slider: left out
        "seed": "x",
        "batch_size": "16",
        "unknown": 1,
    }
    got = call_view(
        "playground.js",
        ["playgroundHashTraits"],
        [{"fn": "playgroundHashTraits", "args": [state, choices, 10]}],
        tmp_path,
    )["answers"][0]["result"]
    assert got == {
        "dataset": choices["dataset"].index("spirals"),
        "learning_rate": 0.1,
        "hidden_layers": [3, 2],
        "features": ["x1", "x2"],
        "iterations": 7,
        "batch_size": choices["batch_size"].index("16"),
    }


# The worker's side driven by hand: each message of a run in the worker
# (`playgroundWorkerSlice`) goes through a structured clone, as postMessage sends it, into
# a second run on the page's side (`playgroundReceive`), as `playgroundTrainInWorker` does.
THROUGH_MESSAGES = """
function stateThroughMessages(s, iterations, budget) {
  const settings = { start: "", ...s, features: playgroundUsableFeatures(s.features, s.dataset) };
  const inWorker = playgroundRun(playgroundSetup(settings));
  const onPage = playgroundRun(playgroundSetup(settings));
  let sent = 0;
  let messages = 0;
  for (;;) {
    const message = structuredClone(playgroundWorkerSlice(inWorker, 7, sent, budget));
    sent = message.from + message.count;
    playgroundReceive(onPage, message);
    messages += 1;
    if (message.history) break;
  }
  const n = playgroundNumbers(onPage, iterations);
  const shown = playgroundNet(onPage, n.t);
  return { messages, status: playgroundStatus(n), iterationsRun: onPage.history.iterationsRun,
           loss: Array.from(onPage.history.loss),
           exported: playgroundExport(shown, onPage.setup.s) };
}
"""


def test_a_run_sent_in_worker_messages_is_the_run_trained_on_the_page(answers, tmp_path):
    """The page shows the same run whether it trained on its own thread or in the Web
    Worker: one update per message (budget 0 ms) and a few milliseconds per message give
    the same status, loss history and exported network as the page's own run."""
    calls = []
    for budget in (0, 3):
        calls += [
            {
                "fn": "stateThroughMessages",
                "args": [page_settings(e), int(e.controls["iterations"].value), budget],
            }
            for _, e, _ in answers
        ]
    got = call_view("playground.js", ["stateThroughMessages"], calls, tmp_path, THROUGH_MESSAGES)
    through = got["answers"]
    for k, (kwargs, _, own) in enumerate(answers * 2):
        assert "result" in through[k], (kwargs, through[k])
        sent, direct = through[k]["result"], own["result"]
        assert sent["status"] == direct["status"], kwargs
        assert sent["loss"] == direct["loss"], kwargs
        assert sent["exported"] == direct["exported"], kwargs
        if k < len(answers):  # one update per message: one for each t, and the end's
            assert sent["messages"] == direct["iterationsRun"] + 2, kwargs


# The worker's warm-up (issue 15): short runs between the reader's runs, thrown away.
WARM_UP = """
function runNumbers(run) {
  return { loss: Array.from(run.history.loss), test: Array.from(run.history.validationLoss),
           params: run.params.map((p) => Array.from(p)) };
}

function warmUpLeavesNoTrace(s) {
  const settings = { start: "", ...s, features: playgroundUsableFeatures(s.features, s.dataset) };
  const before = runNumbers(playgroundRunAll(playgroundSetup(settings)));
  let updates = 0;
  for (const t of playgroundWarmUp(settings)) updates += 1;
  const after = runNumbers(playgroundRunAll(playgroundSetup(settings)));
  return { before, after, updates };
}

// The worker's side on a stand-in scope, its queue of slices run by hand, one at a time:
// a run, one slice of the warm-up, a second run, then the rest of the warm-up.
function servedTwoRuns(s) {
  const settings = { start: "", ...s, features: playgroundUsableFeatures(s.features, s.dataset) };
  const messages = [];
  const queue = [];
  const scope = { postMessage: (m) => messages.push(structuredClone(m)) };
  const served = playgroundServe(scope, { later: (task) => queue.push(task) });
  const runOf = (id) => messages.filter((m) => m.id === id);
  const finished = (id) => runOf(id).some((m) => m.history || m.error);
  const warm = [served.warmUpdates];
  scope.onmessage({ data: { id: 1, settings } });
  while (!finished(1)) queue.shift()();
  warm.push(served.warmUpdates);
  queue.shift()(); // one slice of the warm-up
  warm.push(served.warmUpdates);
  scope.onmessage({ data: { id: 2, settings } });
  while (!finished(2)) {
    queue.shift()();
    warm.push(served.warmUpdates);
  }
  let slices = 0;
  for (; queue.length; slices++) queue.shift()();
  const numbers = (ms) => {
    const end = ms[ms.length - 1];
    const params = ms.flatMap((m) => Array.from(m.params));
    return { loss: end.loss, test: end.validationLoss, t: end.t, params };
  };
  return { warm, warmTotal: served.warmUpdates, warmedUp: served.warmedUp, slices,
           first: numbers(runOf(1)), second: numbers(runOf(2)), messages: runOf(2).length };
}
"""


@pytest.mark.parametrize("k", [1, 4, 5, 10, 11, 12])
def test_the_warm_up_leaves_no_trace(answers, tmp_path, k):
    """A run trained after the worker's warm-up is the run trained before it, to the last
    bit (loss, test loss, every update's parameters), for several kinds of run; and the
    warm-up makes its updates (one per hidden activation, 500 each unless one diverges)."""
    kwargs, explorer, _ = answers[k]
    got = call_view(
        "playground.js",
        ["warmUpLeavesNoTrace"],
        [{"fn": "warmUpLeavesNoTrace", "args": [page_settings(explorer)]}],
        tmp_path,
        WARM_UP,
    )["answers"][0]
    assert "result" in got, got
    result = got["result"]
    assert result["after"] == result["before"], kwargs
    assert len(result["before"]["loss"]) >= 2
    assert 4 <= result["updates"] <= 4 * 501, kwargs  # t = 0 .. 500 in each


def test_the_worker_warms_up_between_runs_and_gives_way(answers, tmp_path):
    """The worker's side on a stand-in scope, its slices run by hand: no warm-up before
    the first run is done; then a slice of it; a run asked for meanwhile goes first (no
    warm-up update while it trains, over several slices) with the same numbers as the
    first run; then the warm-up goes on to its end (4 activations, t = 0 .. 500)."""
    kwargs, explorer, _ = answers[1]  # two moons, 1000 updates
    got = call_view(
        "playground.js",
        ["servedTwoRuns"],
        [{"fn": "servedTwoRuns", "args": [page_settings(explorer)]}],
        tmp_path,
        WARM_UP,
    )["answers"][0]
    assert "result" in got, got
    result = got["result"]
    warm = result["warm"]
    assert warm[0] == warm[1] == 0  # nothing before the first run is done
    assert warm[2] > 0  # one slice of the warm-up
    assert len(warm) > 4  # the second run took several slices ...
    assert set(warm[2:]) == {warm[2]}  # ... and no warm-up update among them
    assert result["second"] == result["first"]
    assert result["second"]["t"] == kwargs["iterations"]
    assert result["slices"] > 1 and result["warmedUp"]
    assert result["warmTotal"] == 4 * 501  # t = 0 .. 500 in each
