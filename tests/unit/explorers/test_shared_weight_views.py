"""Chapter 7's live explorers (``ConvolutionKernelExplorer``, ``GradientThroughTimeExplorer``):
their views, run under Node, write the status line the Python explorer computes, word for
word, on many states (the sliders' grid, the menus' choices, the ends of every range);
nothing a reader can set makes a view throw or say "nan"; the constructors refuse bad
arguments with the package's words.

Node 20 is a prerequisite: without ``node`` on PATH these tests skip (they fail under CI).
"""

from __future__ import annotations

import itertools
from typing import Any

import numpy as np
import pytest
from junk import JUNK, RAW
from test_live_views import call_view

import backprop_lab as bl
from backprop_lab.explorers.kernel import SIGNAL, TARGETS, KernelView
from backprop_lab.explorers.through_time import ThroughTimeView

KERNEL_CALL = (
    "function kernelStatusFor(taps, weights) { return kernelStatus(kernelCompute(taps, weights)); }"
)
THROUGH_TIME_CALL = (
    "function throughTimeStatusFor(w, steps, clipping, maxNorm) {"
    " return throughTimeStatus(throughTimeCompute(w, steps, clipping, maxNorm)); }"
)

# A 2-D context that accepts every drawing call and counts those given a number that is
# not finite (a NaN coordinate draws nothing, silently): the pictures drawn under Node.
FAKE_CANVAS = """
function fakeFigure(panels) {
  const bad = [];
  const target = { calls: 0 };
  const ctx = new Proxy(target, {
    get: (t, key) => (key in t ? t[key] : (...args) => {
      t.calls += 1;
      if (args.some((a) => typeof a === "number" && !Number.isFinite(a))) bad.push(String(key));
    }),
    set: (t, key, value) => { t[key] = value; return true; },
  });
  const rects = Array.from({ length: panels }, (_, k) => ({ x: 300 * k, y: 0, w: 300, h: 240 }));
  const theme = { dark: false, background: "#fff", foreground: "#222", muted: "#666",
                  frame: "#888", zero: "#bbb" };
  return { figure: { ctx, panels: rects, theme, width: 300 * panels, height: 240 }, bad, target };
}
function fakeCanvasSeesNaN() {
  const f = fakeFigure(1);
  const { ctx, panels, theme } = f.figure;
  const axes = drawAxes(ctx, panels[0], theme, { xlim: [0, 1], ylim: [0, 1] });
  const before = f.bad.length;
  drawPoint(ctx, axes, 0.5, NaN);
  return [before, f.bad.length];
}
"""
KERNEL_DRAW = (
    FAKE_CANVAS + "function kernelDrawFor(taps, weights) { const f = fakeFigure(3);"
    " drawKernel(f.figure, kernelCompute(taps, weights));"
    " return { calls: f.target.calls, bad: f.bad }; }"
)
THROUGH_TIME_DRAW = (
    FAKE_CANVAS + "function throughTimeDrawFor(w, steps, clipping, maxNorm) {"
    " const f = fakeFigure(2);"
    " drawThroughTime(f.figure, throughTimeCompute(w, steps, clipping, maxNorm));"
    " return { calls: f.target.calls, bad: f.bad }; }"
)

# ----------------------------------------------------------------- the kernel explorer


def kernel_states() -> list[list[float]]:
    rng = np.random.default_rng(7)
    kernels: list[list[float]] = [[2.0, -1.0], [2.0, -1.0, 0.0], [0.0, 0.0], [0.0, 0.0, 0.0]]
    kernels += [[3.0, 3.0, 3.0], [-3.0, -3.0], [-3.0, 3.0, -3.0], [0.1, 0.2, 0.3]]
    for k in range(80):
        taps = 2 + k % 2
        kernels.append([round(float(v), 1) for v in rng.uniform(-3, 3, taps)])
    return kernels


def test_the_kernel_status_is_the_python_explorers(tmp_path):
    explorers = [bl.ConvolutionKernelExplorer(kernel) for kernel in kernel_states()]
    calls = []
    for explorer in explorers:
        v = explorer.values()  # on the sliders' grid
        calls.append({"fn": "kernelStatusFor", "args": [v["taps"], [v["w0"], v["w1"], v["w2"]]]})
    answers = call_view("kernel.js", ["kernelStatusFor"], calls, tmp_path, KERNEL_CALL)["answers"]
    for explorer, got in zip(explorers, answers, strict=True):
        assert got.get("result") == explorer.status, explorer.values()


def test_the_kernel_explorer_starts_at_the_chapters_numbers():
    explorer = bl.ConvolutionKernelExplorer()
    grad_x, grad_kernel, grad_bias = explorer.gradients
    assert explorer.outputs.tolist() == [0.5, 4.5, 1.5, -4.5]
    assert grad_kernel.tolist() == [-1.0, 9.0] and grad_bias == 2.0 and explorer.loss == 3.0
    assert grad_x.tolist() == [2.0, -1.0, -2.0, 5.0, -2.0]
    assert explorer.status == (
        "kernel (2, -1), b = 0.5: z = (0.5, 4.5, 1.5, -4.5), E = 3; dE/dw = (-1, 9) (each a "
        "sum over 4 positions), dE/db = 2; dE/dx = (2, -1, -2, 5, -2)"
    )
    # three taps: three outputs against the first three targets, by the package's functions
    three = bl.ConvolutionKernelExplorer([1.0, 0.5, -2.0])
    z = np.array([sum(w * SIGNAL[j + m] for m, w in enumerate([1.0, 0.5, -2.0])) + 0.5
                  for j in range(3)])  # fmt: skip
    np.testing.assert_allclose(three.outputs, z)
    np.testing.assert_allclose(three.grad_out, z - np.array(TARGETS[:3]))


def test_sums_that_cancel_show_zero_in_both_languages(tmp_path):
    """0.1 + 0.2 - 0.3 is 5.6e-17 in floating point: the status says 0 (Python and page)."""
    explorer = bl.ConvolutionKernelExplorer([0.1, 0.2, -0.3])
    assert "e-1" not in explorer.status
    call = {"fn": "kernelStatusFor", "args": [3, [0.1, 0.2, -0.3]]}
    answer = call_view("kernel.js", ["kernelStatusFor"], [call], tmp_path, KERNEL_CALL)
    assert answer["answers"][0]["result"] == explorer.status


def test_no_kernel_a_reader_can_set_throws_or_says_nan(tmp_path):
    """Every tap on a 0.5 grid of its slider (and its ends), with 2 and 3 taps: the status
    and the picture (drawn on a counting fake canvas)."""
    grid = [-3.0 + 0.5 * k for k in range(13)]
    calls = [
        {"fn": "kernelStatusFor", "args": [taps, list(weights)]}
        for taps in (2, 3)
        for weights in itertools.product(grid, repeat=3)
        if taps == 3 or weights[2] == 0.0
    ]
    draws = [{"fn": "kernelDrawFor", "args": call["args"]} for call in calls]
    answers = call_view(
        "kernel.js",
        ["kernelStatusFor", "kernelDrawFor", "fakeCanvasSeesNaN"],
        [*calls, *draws, {"fn": "fakeCanvasSeesNaN", "args": []}],
        tmp_path,
        KERNEL_CALL + KERNEL_DRAW,
    )["answers"]
    assert answers.pop()["result"] == [0, 1]  # the fake canvas does see a NaN coordinate
    for call, got in zip(calls + draws, answers, strict=True):
        assert "error" not in got, (call, got)
        if call["fn"] == "kernelDrawFor":  # drawn, with finite numbers only
            assert got["result"]["calls"] > 50 and not got["result"]["bad"], (call, got)
        else:
            assert "nan" not in got["result"] and "inf" not in got["result"], (call, got)
    assert len(calls) == 13**2 + 13**3


def test_kernel_view_holds_the_explorers_settings():
    explorer = bl.ConvolutionKernelExplorer([1.5, -0.5, 2.0])
    view = explorer.view
    assert isinstance(view, KernelView)
    assert (view.w0, view.w1, view.w2) == (1.5, -0.5, 2.0)
    assert view.choices["taps"][view.taps] == "3"
    linked = {(link.source[0], link.source[1], link.target[1]) for link in explorer.links}
    for name, control in explorer.controls.items():
        assert (control, "index" if name == "taps" else "value", name) in linked


# ----------------------------------------------------- the gradient-through-time explorer

WEIGHTS = [round(0.05 * k, 2) for k in range(41)]  # the W_h slider's grid, 0 to 2
LENGTHS = [2, 3, 5, 10, 20, 37, 60]


def through_time_states() -> list[dict[str, Any]]:
    rng = np.random.default_rng(3)
    states = []
    for w, steps in itertools.product(WEIGHTS, LENGTHS):
        clip = bool(rng.integers(0, 2))
        max_norm = float(10 ** (0.1 * rng.integers(-20, 21)))
        states.append(dict(recurrent_weight=w, steps=steps, clip=clip, max_norm=max_norm))
    states += [
        dict(recurrent_weight=1.5, steps=20, clip=True, max_norm=1.0),  # the chapter's
        dict(recurrent_weight=1.5, steps=20, clip=True, max_norm=100.0),  # 4783 > 100
        dict(recurrent_weight=1.0, steps=60, clip=True, max_norm=100.0),  # below
        dict(recurrent_weight=0.0, steps=2, clip=False, max_norm=0.01),
    ]
    return states


def test_the_through_time_status_is_the_python_explorers(tmp_path):
    explorers = [bl.GradientThroughTimeExplorer(**state) for state in through_time_states()]
    calls = []
    for explorer in explorers:
        v = explorer.values()  # on the sliders' grid
        args = [v["recurrent_weight"], v["steps"], v["clipping"], v["max_norm"]]
        calls.append({"fn": "throughTimeStatusFor", "args": args})
    answers = call_view(
        "through_time.js", ["throughTimeStatusFor"], calls, tmp_path, THROUGH_TIME_CALL
    )["answers"]
    said = set()
    for explorer, got in zip(explorers, answers, strict=True):
        assert got.get("result") == explorer.status, explorer.values()
        status = explorer.status
        said |= {words for words in ("shrinks", "grows", "about as large", "is 0 there",
                                     "clipping off", "clipped to", "changes nothing")
                 if words in status}  # fmt: skip
    assert len(said) == 7, said  # every kind of sentence is checked


def test_no_setting_a_reader_can_reach_throws_or_says_nan(tmp_path):
    """Every W_h of the slider and every length, clipping on at the slider's ends: the
    status and the picture (drawn on a counting fake canvas)."""
    calls = [
        {"fn": "throughTimeStatusFor", "args": [w, steps, True, max_norm]}
        for w in WEIGHTS
        for steps in range(2, 61)
        for max_norm in (0.01, 100.0)
    ]
    draws = [{"fn": "throughTimeDrawFor", "args": call["args"]} for call in calls]
    answers = call_view(
        "through_time.js",
        ["throughTimeStatusFor", "throughTimeDrawFor"],
        calls + draws,
        tmp_path,
        THROUGH_TIME_CALL + THROUGH_TIME_DRAW,
    )["answers"]
    for call, got in zip(calls + draws, answers, strict=True):
        assert "error" not in got, (call, got)
        if call["fn"] == "throughTimeDrawFor":  # drawn, with finite numbers only
            assert got["result"]["calls"] > 50 and not got["result"]["bad"], (call, got)
        else:
            assert "nan" not in got["result"] and "inf" not in got["result"], (call, got)


def test_the_through_time_explorer_starts_at_the_chapters_example():
    explorer = bl.GradientThroughTimeExplorer(clip=True)
    assert round(0.1 * abs(explorer.backward.b[0])) == 478  # the chapter's number
    assert explorer.clipped.clipped and explorer.clipped.max_norm == pytest.approx(1.0)
    reaching = explorer.reaching
    assert reaching.shape == (20,) and reaching[0] > 1000 * reaching[-1]
    # a quiet-ish sequence: with W_h = 0.5 the gradient at step 1 is 0.5^19 of the last
    small = bl.GradientThroughTimeExplorer(recurrent_weight=0.5, steps=20)
    np.testing.assert_allclose(small.reaching[0] / small.reaching[-1], 0.5**19, rtol=1e-6)


def test_through_time_view_holds_the_explorers_settings():
    explorer = bl.GradientThroughTimeExplorer(recurrent_weight=0.9, steps=33, clip=True)
    view = explorer.view
    assert isinstance(view, ThroughTimeView)
    assert (view.recurrent_weight, view.steps) == (0.9, 33)
    assert view.max_norm == explorer.controls["max_norm"].value == pytest.approx(1.0)
    assert view.choices["clipping"][view.clipping] == "on"
    linked = {(link.source[0], link.source[1], link.target[1]) for link in explorer.links}
    for name, control in explorer.controls.items():
        assert (control, "index" if name == "clipping" else "value", name) in linked


# -------------------------------------------------------------------------- bad inputs


@pytest.mark.parametrize(
    ("make", "words"),
    [
        (lambda: bl.ConvolutionKernelExplorer([1.0]), "kernel must have 2 or 3 taps"),
        (lambda: bl.ConvolutionKernelExplorer([1.0] * 4), "kernel must have 2 or 3 taps"),
        (lambda: bl.ConvolutionKernelExplorer([1.0, 3.5]), "kernel[1] must be within"),
        (lambda: bl.ConvolutionKernelExplorer("12"), "kernel"),
        (lambda: bl.GradientThroughTimeExplorer(recurrent_weight=-0.5), "recurrent_weight"),
        (lambda: bl.GradientThroughTimeExplorer(recurrent_weight=2.5), "recurrent_weight"),
        (lambda: bl.GradientThroughTimeExplorer(steps=1), "steps must be within"),
        (lambda: bl.GradientThroughTimeExplorer(steps=61), "steps must be within"),
        (lambda: bl.GradientThroughTimeExplorer(steps=2.5), "steps"),
        (lambda: bl.GradientThroughTimeExplorer(clip="yes"), "clip"),
        (lambda: bl.GradientThroughTimeExplorer(max_norm=0.0), "max_norm"),
        (lambda: bl.GradientThroughTimeExplorer(max_norm=1000.0), "max_norm must be within"),
    ],
)
def test_bad_arguments_are_refused_with_their_name(make, words):
    with pytest.raises((ValueError, TypeError)) as raised:
        make()
    assert words in str(raised.value)


ARGUMENTS = {
    bl.ConvolutionKernelExplorer: ["kernel"],
    bl.GradientThroughTimeExplorer: ["recurrent_weight", "steps", "clip", "max_norm"],
}


@pytest.mark.parametrize(
    ("cls", "argument"),
    [(cls, argument) for cls, names in ARGUMENTS.items() for argument in names],
    ids=lambda v: getattr(v, "__name__", v),
)
def test_junk_in_any_argument_is_a_clear_error_or_a_valid_explorer(cls, argument):
    for name, junk in JUNK.items():
        try:
            explorer = cls(**{argument: junk})
        except (ValueError, TypeError) as error:
            message = str(error)
            assert argument in message, (name, message)
            assert not any(words in message for words in RAW), (name, message)
        else:  # accepted: then it is a value its slider shows
            assert "nan" not in explorer.status, name
