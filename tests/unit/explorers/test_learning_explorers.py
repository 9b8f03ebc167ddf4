"""Tests of chapter 6's explorers and helpers (backprop_lab.explorers), in Python.

Every explorer builds with no arguments and is a live explorer (its picture computed in the
page); its controls drive it; the status line states the numbers of the run it shows
(checked against direct calls of ``Network.train`` on the portable starts); what chapter 6
says about each explorer holds; nothing a reader does with a control raises or says "nan".
The page's side (the same status lines under Node, bad values) is ``test_ch6_views.py``.
"""

from __future__ import annotations

import numpy as np
import pytest
from ipywidgets import FloatLogSlider

import backprop_lab as bl
from backprop_lab import explorers as le
from backprop_lab.explorers.live import LiveExplorer
from backprop_lab.nn.portable_random import batch_order, portable_network

EXPLORERS = (
    le.OverfittingExplorer,
    le.GradientSizeExplorer,
    le.MiniBatchExplorer,
    le.MomentumExplorer,
    le.StoppingExplorer,
)


def extremes(control):
    if hasattr(control, "options"):
        return [control.options[0], control.options[-1]]
    if isinstance(control, FloatLogSlider):
        return [control.base**control.min, control.base**control.max]
    return [control.min, control.max]


@pytest.fixture(scope="module", params=EXPLORERS, ids=lambda c: c.__name__)
def explorer(request):
    return request.param()


def test_builds_with_no_arguments_and_displays_live(explorer):
    assert isinstance(explorer, LiveExplorer)
    assert explorer.status and "nan" not in explorer.status
    assert explorer.view in explorer.widget.children
    bundle = explorer._repr_mimebundle_()
    assert bundle["application/vnd.jupyter.widget-view+json"]["model_id"] == (
        explorer.widget.model_id
    )


def test_every_control_to_its_extremes_never_raises(explorer):
    saved = explorer.values()
    for name, control in explorer.controls.items():
        for value in extremes(control):
            before = explorer.status
            changed = control.value != value
            control.value = value
            status = explorer.status
            assert status and "nan" not in status.lower(), (name, value, status)
            if changed:
                assert status != before, (name, value)
    for name, value in saved.items():
        explorer.controls[name].value = value


# ------------------------------------------------------------------ overfitting


def test_overfitting_explorer_states_the_run_it_shows():
    explorer = le.OverfittingExplorer(hidden_units=20)
    data = bl.datasets.regression_1d(n_samples=30, noise=0.25, seed=3)
    train, val = bl.datasets.split(data, 0.5, seed=0)
    net = portable_network([1, 20, 1], "tanh", "identity", "squared_error", seed=0)
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


def test_overfitting_explorer_every_size_from_two_units_fits_the_noise():
    """Chapter 6, the paragraph before the explorer: one unit stays above the noise floor;
    from two on the training loss goes below it and the validation loss turns upwards
    after its minimum."""
    explorer = le.OverfittingExplorer()
    for hidden in (1, 2, 3, 5, 20, 50):
        _, run = explorer.run(hidden)
        below = run.loss[-1] < explorer.floor
        assert below == (hidden >= 2), (hidden, run.loss[-1])
        if hidden >= 2:
            assert run.best_iteration < 1000
            assert run.validation_loss[-1] > 1.2 * run.best_validation_loss


def test_overfitting_explorer_shows_the_snapshot_of_the_iteration():
    explorer = le.OverfittingExplorer(hidden_units=5, iterations=500)
    snap = explorer.history.snapshot(500)
    assert snap.iteration == 500
    np.testing.assert_array_equal(explorer.network.weights[0], snap.weights[0])
    assert "Iteration 500:" in explorer.status


# ------------------------------------------------------------------ gradients


def test_gradient_size_explorer_measures_the_portable_network():
    explorer = le.GradientSizeExplorer(activation="sigmoid", weight_scale=1.0, depth=8)
    net = portable_network(
        [2] + [16] * 8 + [1], "sigmoid", "sigmoid", "binary_cross_entropy", seed=0
    )
    np.testing.assert_array_equal(explorer.network.weights[3], net.weights[3])
    sizes = net.gradients(*bl.datasets.two_moons(200, noise=0.1, seed=0)).layer_norms()
    np.testing.assert_allclose(explorer.sizes, sizes, rtol=1e-12)
    assert len(explorer.spreads) == 8


def test_gradient_size_explorer_shows_what_chapter_6_says():
    """Chapter 6's paragraph before the explorer, on the explorer's own (portable) networks."""
    explorer = le.GradientSizeExplorer(activation="sigmoid", weight_scale=1.0, depth=8)
    assert explorer.sizes[0] / explorer.sizes[-1] < 1e-4 and "vanishes" in explorer.status
    first_at_glorot = explorer.sizes[0]
    explorer.controls["weight_scale"].value = 0.25  # small weights: smaller than ever
    assert explorer.sizes[0] < 1e-3 * first_at_glorot
    for scale in (0.25, 0.5, 2.0, 4.0):  # no scale brings the first layers level with the last
        explorer.controls["weight_scale"].value = scale
        assert explorer.sizes[0] < 0.1 * explorer.sizes[-1], scale
    explorer.controls["activation"].value = "tanh"
    explorer.controls["weight_scale"].value = 1.0
    assert explorer.sizes[0] / explorer.sizes[-1] > 0.1 and "vanishes" not in explorer.status
    explorer.controls["weight_scale"].value = 0.5
    np.testing.assert_allclose(
        explorer.network.weights[0], 0.5 * explorer.build("tanh", 1.0, 8).weights[0]
    )
    explorer.controls["activation"].value = "relu"
    explorer.controls["weight_scale"].value = 1.0
    he_sizes = explorer.sizes
    explorer.controls["weight_scale"].value = 4.0
    assert explorer.sizes.min() > 1e2 and "explode" in explorer.status
    assert np.all(explorer.sizes > 1e4 * he_sizes)  # over ten thousand times
    assert np.all(np.diff(explorer.spreads) > 0)  # the activations grow layer by layer
    explorer.controls["activation"].value = "tanh"
    assert explorer.sizes[0] > explorer.sizes[-1]  # saturated: layer 1's is the larger
    for activation in ("tanh", "relu"):
        explorer.controls["activation"].value = activation
        explorer.controls["weight_scale"].value = 0.25
        assert explorer.sizes.max() < 1e-3, activation  # every gradient tiny
    assert "tiny" in explorer.status


# ------------------------------------------------------------------ mini-batches


def test_mini_batch_explorer_runs_whole_epochs_and_records_the_full_loss():
    explorer = le.MiniBatchExplorer(batch_size=20, learning_rate=1.0, epochs=5)
    eta = explorer.values()["learning_rate"]
    assert explorer.mini.iterations_run == 5 * 10 and explorer.full.iterations_run == 5
    assert explorer.mini.epochs_run == explorer.full.epochs_run == 5
    updates, losses = explorer.mini_curve.T
    assert updates[0] == 0 and updates[-1] == 50 and set(range(0, 51, 10)) <= set(updates)
    assert losses[-1] == pytest.approx(explorer.mini.final_loss)
    # the same run by hand: the portable start, the portable batch order
    net = portable_network([2, 8, 1], "tanh", "sigmoid", "binary_cross_entropy", seed=0)
    order = batch_order(200, 5, seed=0)
    run = net.train(
        *explorer.data, learning_rate=eta, iterations=50, batch_size=20, batch_order=order
    )
    assert run.final_loss == pytest.approx(explorer.mini.final_loss, rel=1e-12)
    np.testing.assert_allclose(explorer.full_curve[:, 1], explorer.full.loss, rtol=1e-12)
    assert f"batches of 20: 50 updates, loss {run.final_loss:.4g}" in explorer.status
    explorer.controls["batch_size"].value = 200
    assert "batches of" not in explorer.status and "full batch 5 updates" in explorer.status


def test_mini_batch_explorer_wins_per_epoch_as_chapter_6_says():
    """The paragraph before the explorer: per epoch, batches of 10 are far ahead."""
    explorer = le.MiniBatchExplorer(batch_size=10, learning_rate=1.0, epochs=10)
    assert explorer.mini.final_loss < explorer.full.final_loss / 2
    assert not explorer.mini.diverged and not explorer.full.diverged


def test_mini_batch_explorer_never_diverges_on_its_sliders():
    """Even single samples at learning rate 3 stay finite (the divergence rule allows a
    batch loss up to 1000 x 200 times the start), so the status has no warning."""
    explorer = le.MiniBatchExplorer(batch_size=1, learning_rate=3.0, epochs=5)
    assert not explorer.mini.diverged and not explorer.full.diverged
    assert "diverged" not in explorer.status.lower()


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
    eta = explorer.values()["learning_rate"]  # 0.3 on the log slider's grid
    w, v, path = np.array(explorer.START), np.zeros(2), [np.array(explorer.START)]
    lam = np.array(explorer.curvatures)
    for _ in range(40):
        v = 0.9 * v + lam * (w - 1.0)
        w = w - eta * v
        path.append(w.copy())
    np.testing.assert_allclose(explorer.path(explorer.heavy), np.array(path), atol=1e-12)
    assert explorer.plain.momentum == 0 and explorer.heavy.momentum == 0.9
    assert f"{explorer.plain.final_loss:.3g} without" in explorer.status
    assert f"{explorer.heavy.final_loss:.3g} with momentum 0.90" in explorer.status
    assert "diverged" not in explorer.status
    explorer.controls["learning_rate"].value = 3.0  # above 2 / lambda_1: plain descent diverges
    assert explorer.plain.diverged and not explorer.heavy.diverged
    assert f"Without momentum the run diverged at step {explorer.plain.diverged_at}." in (
        explorer.status
    )


# ------------------------------------------------------------------ stopping


def test_stopping_explorer_stops_where_train_stops():
    explorer = le.StoppingExplorer(tolerance=1e-4, patience=100)
    tol = explorer.values()["tolerance"]
    train, val = explorer.train_data, explorer.validation_data
    start = portable_network([1, 20, 1], "tanh", "identity", "squared_error", seed=0)
    conv = start.copy().train(*train, learning_rate=0.2, iterations=2000, tolerance=tol)
    early = start.copy().train(
        *train, learning_rate=0.2, iterations=2000, validation=tuple(val), patience=100
    )
    assert explorer.converging.converged_at == conv.converged_at
    assert explorer.early.iterations_run == early.iterations_run == early.best_iteration + 100
    assert f"converged after {conv.converged_at} iterations" in explorer.status
    assert f"kept iteration {early.best_iteration}" in explorer.status
    np.testing.assert_array_equal(explorer.reference.loss[: conv.converged_at + 1], conv.loss)
    explorer.controls["patience"].value = 2000
    assert "never stopped early" in explorer.status


def test_stopping_explorer_shows_what_chapter_6_says():
    """At the chapter's settings the tolerance stops well after the validation loss
    turned, and the run with patience keeps the parameters of its best validation loss."""
    explorer = le.StoppingExplorer(tolerance=1e-5, patience=100)
    conv, early = explorer.converging, explorer.early
    assert conv.converged and early.stopped_early
    assert conv.iterations_run > early.best_iteration
    assert conv.final_loss < bl.explorers.noise_floor(explorer.train_data)
    assert early.best_validation_loss == explorer.reference.best_validation_loss
