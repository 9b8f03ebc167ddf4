"""The live explorers' ES modules under Node: each loads as one module (no name clash
between the engine, the drawing code and the view), has a ``render``, and writes the status
line the Python explorer computes, word for word, on a table of states.

Node 20 is a prerequisite: without ``node`` on PATH these tests skip (they fail under CI).
"""

from __future__ import annotations

import html
import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import example, given
from hypothesis import strategies as st

import backprop_lab as bl
from backprop_lab.explorers.live import JS_FOLDER, BrowserView, view_module, view_parts
from backprop_lab.explorers.neuron import NeuronView

RUNNER = Path(__file__).with_name("views_runner.mjs")
NODE = shutil.which("node")

if NODE is None:
    if os.environ.get("CI"):
        raise RuntimeError("node (Node 20) must be on PATH for the live view tests")
    pytest.skip("node (Node 20) is not on PATH", allow_module_level=True)


def call_view(
    view_file: str, exports: list[str], calls: list[dict], tmp_path: Path, extra: str = ""
) -> dict:
    """Import the view's module in Node with ``exports`` (and the functions of ``extra``)
    made visible, run ``calls``."""
    shared = next((cls._shared_files for cls in views() if cls._view_file == view_file), ())
    module = tmp_path / f"{view_file}.mjs"
    code = view_module(view_file, shared)
    module.write_text(code + f"\n{extra}\nexport {{ {', '.join(exports)} }};\n")
    done = subprocess.run(
        [NODE, str(RUNNER), str(module)],
        input=json.dumps(calls),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def views() -> list[type[BrowserView]]:
    """Every view class of the package (one per live explorer)."""
    found, todo = [], list(BrowserView.__subclasses__())
    while todo:
        cls = todo.pop()
        found.append(cls)
        todo += cls.__subclasses__()
    return found


def test_every_view_file_is_a_view_of_the_package_or_a_part_of_one_or_shared():
    used = {cls._view_file for cls in views()}
    parts = {path.name for name in used for path in view_parts(name)}
    shared = {file for cls in views() for file in cls._shared_files}
    files = {p.name for p in JS_FOLDER.glob("*.js")} - {"engine.js", "draw.js"}
    assert used | parts | shared == files
    assert "playground.worker.js" in parts
    module = view_module("playground.js")
    assert module.index("// ---- playground.worker.js") < module.index("// ---- playground.js")


@pytest.mark.parametrize("view", views(), ids=lambda cls: cls.__name__)
def test_each_view_loads_as_one_module_with_a_render(view, tmp_path):
    answer = call_view(view._view_file, ["neuron as engineNeuron"], [], tmp_path)
    assert not answer["answers"]
    assert answer["defaultExport"] == "function"
    assert view()._esm == view_module(view._view_file, view._shared_files)  # what it sends


def neuron_states() -> list[dict[str, Any]]:
    rng = np.random.default_rng(0)
    activations = ["sigmoid", "tanh", "relu", "identity"]
    states = []
    for k in range(60):
        w1, w2, b = (round(float(v), 1) for v in rng.uniform(-5, 5, 3))
        x1, x2 = (round(float(v), 1) for v in rng.uniform(-3, 3, 2))
        states.append(dict(w1=w1, w2=w2, b=b, x1=x1, x2=x2, activation=activations[k % 4]))
    states.append(dict(w1=0.0, w2=0.0, b=0.0, x1=0.0, x2=0.0, activation="relu"))
    states.append(dict(w1=-5.0, w2=5.0, b=-5.0, x1=3.0, x2=-3.0, activation="sigmoid"))
    return states


def test_the_neuron_status_is_the_python_explorers(tmp_path):
    explorers = [bl.NeuronExplorer(**state) for state in neuron_states()]
    states = [explorer.values() for explorer in explorers]  # on the sliders' grid
    calls = []
    for s in states:
        z = s["w1"] * s["x1"] + s["w2"] * s["x2"] + s["b"]
        a = float(bl.get_activation(s["activation"]).function(z))
        calls.append({"fn": "neuronStatus", "args": [s, z, a]})
    answers = call_view("neuron.js", ["neuronStatus"], calls, tmp_path)["answers"]
    for explorer, state, got in zip(explorers, states, answers):
        assert got["result"] == explorer.status, state


@given(
    st.lists(
        st.one_of(
            st.floats(allow_nan=False, allow_infinity=False, width=64).filter(
                lambda v: v == 0 or 1e-300 < abs(v) < 1e300
            ),
            st.integers(-(10**7), 10**7).map(lambda n: n / 64),  # exact ties at 4 digits
        ),
        min_size=1,
        max_size=40,
    )
)
def test_short_numbers_are_pythons_4g(values):
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        calls = [{"fn": "shortNumber", "args": [v]} for v in values]
        answers = call_view("neuron.js", ["shortNumber"], calls, Path(folder))["answers"]
    assert [a["result"] for a in answers] == [f"{v:.4g}" for v in values]


def test_neuron_view_holds_the_explorers_settings():
    explorer = bl.NeuronExplorer(w1=2.0, w2=-0.5, b=1.0, activation="relu", x1=0.5, x2=-1.0)
    view = explorer.view
    assert isinstance(view, NeuronView)
    assert (view.w1, view.w2, view.b, view.x1, view.x2) == (2.0, -0.5, 1.0, 0.5, -1.0)
    assert view.choices["activation"][view.activation] == "relu"
    linked = {(link.source[0], link.source[1], link.target[1]) for link in explorer.links}
    for name, control in explorer.controls.items():
        synced = "index" if name == "activation" else "value"
        assert (control, synced, name) in linked


def descent_states() -> list[dict[str, Any]]:
    rates = [0.001, 0.003, 0.03, 0.1, 0.15, 0.3, 0.5, 0.6, 0.9, 1.1, 2.0, 3.1]
    states = []
    for function, start in (("quadratic", 2.5), ("double_well", 1.8), ("double_well", -1.5)):
        for rate in rates:
            for steps in (0, 1, 5, 20, 100):
                states.append(dict(function=function, learning_rate=rate, steps=steps, start=start))
    return states


def test_the_descent_status_is_the_python_explorers(tmp_path):
    explorers = [bl.GradientDescentExplorer(**state) for state in descent_states()]
    states = [explorer.values() for explorer in explorers]  # on the sliders' grid
    calls = [
        {
            "fn": "descentStatusFor",
            "args": [s["function"], s["start"], s["learning_rate"], s["steps"]],
        }
        for s in states
    ]
    extra = (
        "function descentStatusFor(name, start, rate, steps) {"
        " return descentMessage(descend1d(name, start, rate, steps)); }"
    )
    answers = call_view("descent.js", ["descentStatusFor"], calls, tmp_path, extra)["answers"]
    regimes = set()
    for explorer, state, got in zip(explorers, states, answers):
        regimes.add(explorer.path.regime)
        assert got.get("result") == explorer.status, (state, got)
    assert regimes == {"too small", "good", "oscillating", "diverging"}


@given(
    st.lists(
        st.one_of(
            st.floats(allow_nan=False, allow_infinity=False, width=64).filter(
                lambda v: abs(v) < 1e15
            ),
            st.integers(-(10**6), 10**6).map(lambda n: n / 16),  # exact halves and quarters
            st.integers(-(10**6), 10**6).map(lambda n: n / 1000),
        ),
        min_size=1,
        max_size=40,
    ),
    st.integers(0, 3),
)
# below one unit of the last place: 0.05 is a little over half of 0.1 ("0.1"), 0.25 and 0.5
# are exact halves (to the even "0.2", "0"), 0.005 a little over half of 0.01
@example(values=[0.05, 0.25, -0.05, 0.15, 0.0005, 0.00051], places=1)
@example(values=[0.5, 0.05, 1.5, 2.5], places=0)
@example(values=[0.005, 0.015, 0.0049999], places=2)
def test_fixed_numbers_are_pythons_f(values, places):
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        calls = [{"fn": "fixedNumber", "args": [v, places]} for v in values]
        answers = call_view("neuron.js", ["fixedNumber"], calls, Path(folder))["answers"]
    assert [a["result"] for a in answers] == [f"{v:.{places}f}" for v in values]


FRAMES_SCRIPT = """
import {{ runInFrames, trainSteps, train, portableNetwork, playgroundData }} from {module};
const data = playgroundData("two_moons", {{ nSamples: 200, seed: 1 }});
const make = () => portableNetwork({{ sizes: [2, 8, 8, 1], activation: "tanh", seed: 2 }});
const options = {{ learningRate: 0.3, iterations: 600 }};
const whole = train(make(), data.train.X, data.train.Y, options);
const seen = [];
const finished = await new Promise((resolve) => {{
  runInFrames(trainSteps(make(), data.train.X, data.train.Y, options), {{
    budget: 1,
    onFrame: (progress) => seen.push(progress.t),
    onDone: resolve,
  }});
}});
let afterStop = 0;
const stop = runInFrames(trainSteps(make(), data.train.X, data.train.Y, options), {{
  budget: 1,
  onFrame: () => {{ afterStop += 1; stop(); }},
  onDone: () => {{ afterStop += 100; }},
}});
function* failing() {{ yield 1; throw new RangeError("options.learningRate went wrong"); }}
const failure = await new Promise((resolve) => runInFrames(failing(), {{ onError: resolve }}));
await new Promise((resolve) => setTimeout(resolve, 50));
console.log(JSON.stringify({{
  frames: seen,
  same: Array.from(finished.loss).every((v, k) => Object.is(v, whole.loss[k])),
  runs: [finished.iterationsRun, whole.iterationsRun],
  afterStop,
  failure: String(failure),
}}));
"""


def test_run_in_frames_trains_in_slices_to_the_same_history(tmp_path):
    module = tmp_path / "frames.mjs"
    module.write_text(view_module("descent.js") + "\nexport { runInFrames };\n")
    script = tmp_path / "run.mjs"
    script.write_text(FRAMES_SCRIPT.format(module=json.dumps(module.as_uri())))
    done = subprocess.run([NODE, str(script)], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    answer = json.loads(done.stdout)
    frames = answer["frames"]
    assert len(frames) > 1, "600 updates with a 1 ms budget take more than one slice"
    assert frames == sorted(frames) and frames[-1] == 600  # drawn as it goes, then at the end
    assert answer["same"] and answer["runs"] == [600, 600]  # the same run as train's
    assert answer["afterStop"] == 1  # stop() ends the work: one frame, never done
    assert answer["failure"] == "RangeError: options.learningRate went wrong"


def test_an_explorer_closed_by_with_leaves_no_widget_open_and_keeps_its_numbers():
    """Hidden check cells close the explorers they build (the kernel then keeps none of
    their widgets); the numbers stay readable."""
    with bl.NeuronExplorer() as explorer:
        status = explorer.status
        parts = [*explorer.controls.values(), *explorer.links, explorer.view, explorer.widget]
        parts += [part.layout for part in parts if hasattr(part, "layout")]
        assert all(part.comm is not None for part in parts)  # open inside
    assert all(part.comm is None for part in parts)  # every one closed after
    assert explorer.status == status


def test_on_the_website_an_explorer_also_says_its_status_to_readers_without_javascript(
    monkeypatch,
):
    """Displayed while the site is built, an explorer is its widget and then the place of
    its static picture (naming its view's model, which the site build draws there) holding
    a <noscript> paragraph with its status line (escaped); in JupyterLab only the widget."""
    import IPython.display

    shown: list[Any] = []
    monkeypatch.setattr(IPython.display, "display", lambda *objects: shown.extend(objects))
    explorer = bl.NeuronExplorer()
    monkeypatch.setenv("BACKPROP_LAB_SITE", "1")
    explorer._ipython_display_()
    assert len(shown) == 2 and shown[0] is explorer.widget
    text = shown[1].data
    place = f'<div class="bpl-fallback" data-bpl-view="{explorer.view.model_id}">'
    assert text.startswith(place + "<noscript>") and text.endswith("</noscript></div>")
    assert html.escape(explorer.status) in text and "JavaScript" in text
    shown.clear()
    monkeypatch.setenv("BACKPROP_LAB_SITE", "")
    explorer._ipython_display_()
    assert shown == [explorer.widget]
    explorer.close()
