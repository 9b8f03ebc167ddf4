"""Tests of chapter 6's explorers and helpers (backprop_lab.explorers).

Every explorer builds with no arguments; its controls drive it; the status line states the
numbers of the run it shows (checked against direct calls of ``Network.train``); bad
constructor values are refused with messages naming the argument; nothing a reader does
raises; and the website's precomputed frames are what the live explorer draws (on trimmed
grids).
"""

from __future__ import annotations

import figure_state
import numpy as np
import pytest
from ipywidgets import FloatLogSlider

import backprop_lab as bl
from backprop_lab import explorers as le

EXPLORERS = (
    le.OverfittingExplorer,
    le.GradientSizeExplorer,
    le.MiniBatchExplorer,
    le.MomentumExplorer,
    le.StoppingExplorer,
)


no_global_state = figure_state.no_global_state  # autouse: no test leaves matplotlib changed


def assert_clean(explorer):
    for ax in explorer.figure.axes:
        for line in ax.get_lines():
            assert np.all(np.isfinite(np.asarray(line.get_ydata(), dtype=float)))
    assert "nan" not in explorer.status.lower()
    assert explorer.status_level in ("ok", "warning"), explorer.status
    assert explorer.png.startswith(b"\x89PNG")


def extremes(control):
    if hasattr(control, "options"):
        return [control.options[0], control.options[-1]]
    if isinstance(control, FloatLogSlider):
        return [control.base**control.min, control.base**control.max]
    return [control.min, control.max]


@pytest.fixture(scope="module", params=EXPLORERS, ids=lambda c: c.__name__)
def explorer(request):
    return request.param()


def test_builds_with_no_arguments_and_displays(explorer):
    assert explorer.status and explorer.status_level == "ok"
    assert explorer.image in explorer.widget.children
    bundle = explorer._repr_mimebundle_()
    assert "image/png" in bundle and type(explorer).__name__ in bundle["text/plain"]
    assert_clean(explorer)


def test_every_control_to_its_extremes_never_raises(explorer):
    saved = {name: c.value for name, c in explorer.controls.items()}
    for name, control in explorer.controls.items():
        for value in extremes(control):
            before = explorer.png
            changed = control.value != value
            control.value = value
            assert_clean(explorer)
            if changed:
                assert explorer.png != before, (name, value)
    explorer._apply(saved)


# ------------------------------------------------------------------ overfitting


def test_overfitting_explorer_states_the_run_it_shows():
    explorer = le.OverfittingExplorer(hidden_units=20)
    data = bl.datasets.regression_1d(n_samples=30, noise=0.25, seed=3)
    train, val = bl.datasets.split(data, 0.5, seed=0)
    net = bl.Network([1, 20, 1], activation="tanh", output_activation="identity", seed=0)
    run = net.train(train.X, train.Y, learning_rate=0.2, iterations=2000, validation=(val.X, val.Y))
    np.testing.assert_array_equal(explorer.history.loss, run.loss)
    np.testing.assert_array_equal(explorer.history.validation_loss, run.validation_loss)
    assert explorer.floor == pytest.approx(
        0.5 * np.mean((train.Y[:, 0] - data.target_function(train.X[:, 0])) ** 2)
    )
    assert f"training loss {run.loss[-1]:.4g}" in explorer.status
    assert f"at iteration {run.best_iteration}" in explorer.status
    assert "fits the noise" in explorer.status  # the training loss is below the floor
    explorer.controls["iterations"].value = 0
    assert "Iteration 0:" in explorer.status and "fits the noise" not in explorer.status
    explorer.controls["hidden_units"].value = 1
    explorer.controls["iterations"].value = 2000
    assert "fits the noise" not in explorer.status  # one unit cannot bend to the noise


def test_overfitting_explorer_every_size_from_three_units_fits_the_noise():
    """Chapter 6: one unit stays above the noise floor; from three on the training loss goes
    below it and the validation loss turns upwards after its minimum."""
    explorer = le.OverfittingExplorer()
    for hidden in explorer.STATIC_HIDDEN_UNITS:
        _, run = explorer.run(hidden)
        below = run.loss[-1] < explorer.floor
        assert below == (hidden >= 3), (hidden, run.loss[-1])
        if hidden >= 3:
            assert run.best_iteration < 1000
            assert run.validation_loss[-1] > 1.4 * run.best_validation_loss


def test_overfitting_explorer_shows_the_snapshot_of_the_iteration():
    explorer = le.OverfittingExplorer(hidden_units=5, iterations=500)
    snap = explorer.history.snapshot(500)
    assert snap.iteration == 500
    np.testing.assert_array_equal(explorer.network.weights[0], snap.weights[0])


# ------------------------------------------------------------------ gradients


def test_gradient_size_explorer_measures_the_package_network():
    explorer = le.GradientSizeExplorer(activation="sigmoid", weight_scale=1.0, depth=8)
    net = bl.Network(
        [2] + [16] * 8 + [1],
        activation="sigmoid",
        output_activation="sigmoid",
        loss="binary_cross_entropy",
        seed=0,
    )
    sizes = net.gradients(*bl.datasets.two_moons(200, noise=0.1, seed=0)).layer_norms()
    np.testing.assert_allclose(explorer.sizes, sizes, rtol=1e-12)
    assert sizes[0] / sizes[-1] < 1e-4 and "vanishes" in explorer.status
    explorer.controls["activation"].value = "tanh"
    assert explorer.sizes[0] / explorer.sizes[-1] > 0.1 and "vanishes" not in explorer.status
    explorer.controls["weight_scale"].value = 0.5
    np.testing.assert_allclose(
        explorer.network.weights[0], 0.5 * explorer.build("tanh", 1.0, 8).weights[0]
    )
    explorer._apply({"activation": "relu", "weight_scale": 1.0})
    he_sizes = explorer.sizes
    explorer._apply({"activation": "relu", "weight_scale": 4.0})
    assert explorer.sizes.min() > 1e2 and "explode" in explorer.status
    assert np.all(explorer.sizes > 1e4 * he_sizes)  # chapter 6: over ten thousand times
    assert np.all(np.diff(explorer.spreads) > 0)  # the activations grow layer by layer
    explorer._apply({"activation": "tanh", "weight_scale": 4.0})
    assert explorer.sizes[0] > 10 * explorer.sizes[-1] and "grows" in explorer.status
    explorer._apply({"activation": "tanh", "weight_scale": 0.25})
    assert explorer.sizes.max() < 1e-3 and "tiny" in explorer.status
    assert len(explorer.spreads) == 8


# ------------------------------------------------------------------ mini-batches


def test_mini_batch_explorer_runs_whole_epochs_and_records_the_full_loss():
    explorer = le.MiniBatchExplorer(batch_size=20, learning_rate=1.0, epochs=5)
    assert explorer.mini.iterations_run == 5 * 10 and explorer.full.iterations_run == 5
    assert explorer.mini.epochs_run == explorer.full.epochs_run == 5
    updates, losses = explorer.mini_curve.T
    assert updates[0] == 0 and updates[-1] == 50 and set(range(0, 51, 10)) <= set(updates)
    assert losses[-1] == pytest.approx(explorer.mini.final_loss)
    net = explorer.start.copy()
    run = net.train(*explorer.data, learning_rate=1.0, iterations=50, batch_size=20, seed=0)
    assert run.final_loss == pytest.approx(explorer.mini.final_loss, rel=1e-12)
    np.testing.assert_allclose(explorer.full_curve[:, 1], explorer.full.loss, rtol=1e-12)
    assert f"batches of 20: 50 updates, loss {run.final_loss:.4g}" in explorer.status
    explorer.controls["batch_size"].value = 200
    assert "batches of" not in explorer.status and "full batch 5 updates" in explorer.status


def test_mini_batch_explorer_warns_when_a_run_diverges():
    explorer = le.MiniBatchExplorer(batch_size=1, learning_rate=3.0, epochs=5)
    if explorer.mini.diverged or explorer.full.diverged:
        assert explorer.status_level == "warning" and "smaller learning rate" in explorer.status
    else:
        assert explorer.status_level == "ok"


# ------------------------------------------------------------------ momentum


def test_elongated_quadratic_is_the_quadratic():
    data = le.elongated_quadratic((2.0, 0.1), minimum=(1.0, -0.5), n_samples=9, seed=4)
    np.testing.assert_allclose(data.X.T @ data.X / 9, np.diag([2.0, 0.1]), atol=1e-12)
    rng = np.random.default_rng(0)
    for w in rng.normal(size=(5, 2)):
        neuron = le.linear_neuron(tuple(w))
        expected = 0.5 * (2.0 * (w[0] - 1) ** 2 + 0.1 * (w[1] + 0.5) ** 2)
        assert neuron.loss(*data) == pytest.approx(expected, rel=1e-10)


def test_momentum_explorer_follows_the_hand_written_heavy_ball():
    explorer = le.MomentumExplorer(momentum=0.9, learning_rate=0.3, steps=40)
    w, v, path = np.array(explorer.START), np.zeros(2), [np.array(explorer.START)]
    lam = np.array(explorer.curvatures)
    for _ in range(40):
        v = 0.9 * v + lam * (w - 1.0)
        w = w - 0.3 * v
        path.append(w.copy())
    np.testing.assert_allclose(explorer.path(explorer.heavy), np.array(path), atol=1e-12)
    assert explorer.plain.momentum == 0 and explorer.heavy.momentum == 0.9
    assert f"{explorer.plain.final_loss:.3g} without" in explorer.status
    assert f"{explorer.heavy.final_loss:.3g} with momentum 0.90" in explorer.status
    explorer.controls["learning_rate"].value = 3.0  # above 2 / lambda_1: plain descent diverges
    assert explorer.plain.diverged and explorer.status_level == "warning"
    assert "Without momentum the run diverged" in explorer.status


# ------------------------------------------------------------------ stopping


def test_stopping_explorer_stops_where_train_stops():
    explorer = le.StoppingExplorer(tolerance=1e-4, patience=100)
    s = explorer.setup
    conv = explorer.start.copy().train(
        *s.train_data, learning_rate=0.2, iterations=2000, tolerance=1e-4
    )
    early = explorer.start.copy().train(
        *s.train_data,
        learning_rate=0.2,
        iterations=2000,
        validation=tuple(s.validation_data),
        patience=100,
    )
    assert explorer.converging.converged_at == conv.converged_at
    assert explorer.early.iterations_run == early.iterations_run == early.best_iteration + 100
    assert f"converged after {conv.converged_at} iterations" in explorer.status
    assert f"kept iteration {early.best_iteration}" in explorer.status
    explorer.controls["patience"].value = 2000
    assert "never stopped early" in explorer.status


# ------------------------------------------------------------------ bad values


@pytest.mark.parametrize(
    ("make", "error", "words"),
    [
        (lambda: le.OverfittingExplorer(hidden_units=0), ValueError, "hidden_units"),
        (lambda: le.OverfittingExplorer(hidden_units=51), ValueError, "hidden_units"),
        (lambda: le.OverfittingExplorer(iterations=5000), ValueError, "iterations"),
        (lambda: le.OverfittingExplorer(validation_share=1.0), ValueError, "validation_share"),
        (lambda: le.GradientSizeExplorer(activation="softmax"), ValueError, "activation"),
        (lambda: le.GradientSizeExplorer(weight_scale=10.0), ValueError, "weight_scale"),
        (lambda: le.GradientSizeExplorer(depth=13), ValueError, "depth"),
        (lambda: le.GradientSizeExplorer(weight_scale="big"), TypeError, "weight_scale"),
        (lambda: le.MiniBatchExplorer(batch_size=7), ValueError, "batch_size must be one of"),
        (lambda: le.MiniBatchExplorer(learning_rate=0.0), ValueError, "learning_rate"),
        (lambda: le.MiniBatchExplorer(epochs=0), ValueError, "epochs"),
        (lambda: le.MomentumExplorer(momentum=1.0), ValueError, "momentum"),
        (lambda: le.MomentumExplorer(momentum=-0.1), ValueError, "momentum"),
        (lambda: le.MomentumExplorer(steps=1000), ValueError, "steps"),
        (lambda: le.StoppingExplorer(tolerance=0.5), ValueError, "tolerance"),
        (lambda: le.StoppingExplorer(patience=0), ValueError, "patience"),
        (lambda: le.elongated_quadratic((1.0, -1.0)), ValueError, "curvatures"),
        (lambda: le.elongated_quadratic((1.0,)), ValueError, "two numbers"),
        (lambda: le.noise_floor(bl.datasets.xor()), ValueError, "regression"),
    ],
)
def test_bad_values_are_refused_with_clear_messages(make, error, words):
    with pytest.raises(error, match=words):
        make()


# ------------------------------------------------------------------ the website


def trimmed(explorer, keep=2):
    """The explorer's own static axes, each cut to ``keep`` values around its default."""
    axes = explorer.static_axes()
    cut = []
    for axis in axes:
        values, labels = axis.resolve()
        here = explorer.controls[axis.name].value
        k = min(range(len(values)), key=lambda i: abs(float(values[i]) - float(here))
                if not isinstance(here, str) else values[i] != here)  # fmt: skip
        lo = max(0, min(k, len(values) - keep))
        cut.append(
            bl.explorers.base.StaticAxis(axis.name, values[lo : lo + keep], labels[lo : lo + keep])
        )
    explorer.static_axes = lambda: cut
    return explorer


def test_static_frames_are_the_live_renders(explorer):
    explorer = trimmed(type(explorer)())
    view = explorer.static_view()
    assert len(view.frames) == 4
    for key, state in view.states.items():
        explorer._apply(state)
        image, status, *_ = view.frames[key].children
        assert bytes(image.value) == explorer.frame_png(), state
        assert status.value == explorer._status_widget.value


def test_the_chapter_precomputes_few_enough_frames():
    total = 0
    for cls in EXPLORERS:
        explorer = cls()
        count = explorer._count_frames(explorer.static_axes())
        assert count <= 40, (cls.__name__, count)
        total += count
    assert total <= 150
