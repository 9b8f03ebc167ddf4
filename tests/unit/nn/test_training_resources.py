"""Long runs under control (issue 11): bounded snapshots and paths, a history that grows
with the run rather than with the request, and a progress bar only where a reader sees it."""

import sys
import tracemalloc
import types

import ipywidgets
import numpy as np
import pytest
from training_helpers import assert_same_bits as _assert_same_bits
from training_helpers import parameters as _params

import backprop_lab as bl
from backprop_lab.calc import datasets
from backprop_lab.calc.descent import MAX_STEPS, QUADRATIC, gradient_descent_1d
from backprop_lab.nn import progress, training
from backprop_lab.textbook import progress as notebook_progress


def _stop_at(k):
    def callback(t, loss):
        if t == k:
            raise KeyboardInterrupt

    return callback


# ------------------------------------------------------------------ snapshots


def test_snapshots_every_update_are_capped_by_thinning():
    X, Y = datasets.xor()
    history = bl.Network([2, 3, 1], seed=0).train(X, Y, iterations=5000, snapshot_every=1)
    iterations = [s.iteration for s in history.snapshots]
    assert len(iterations) <= 1000
    spacing = history.snapshot_every
    assert spacing > 1 and spacing & (spacing - 1) == 0  # 1 doubled, a power of two
    assert iterations[:-1] == list(range(0, iterations[-2] + 1, spacing))
    assert iterations[-1] == 5000 and 5000 - iterations[-2] <= spacing
    for snap in history.snapshots[1::200]:
        fresh = bl.Network([2, 3, 1], seed=0)
        fresh.train(X, Y, iterations=snap.iteration)
        _assert_same_bits(snap.weights + snap.biases, _params(fresh))


@pytest.mark.parametrize("every", [1, 3])
def test_thinning_keeps_the_snapshots_on_the_doubled_grid(every, monkeypatch):
    monkeypatch.setattr(training, "_MAX_SNAPSHOTS", 10)
    X, Y = datasets.xor()
    history = bl.Network([2, 3, 1], seed=0).train(X, Y, iterations=500, snapshot_every=every)
    iterations = [s.iteration for s in history.snapshots]
    assert len(iterations) <= 10
    spacing = history.snapshot_every
    assert spacing % every == 0 and (spacing // every) & (spacing // every - 1) == 0
    assert iterations[:-1] == list(range(0, len(iterations[:-1]) * spacing, spacing))
    assert iterations[-1] == 500


def test_snapshots_of_a_big_network_are_capped_by_bytes(monkeypatch):
    net = bl.Network([20, 50, 1], seed=0)
    size = sum(p.nbytes for p in net.weights + net.biases)
    monkeypatch.setattr(training, "_SNAPSHOT_BYTES", 12 * size)
    rng = np.random.default_rng(0)
    X, Y = rng.normal(size=(10, 20)), rng.uniform(size=(10, 1))
    history = net.train(X, Y, learning_rate=0.01, iterations=300, snapshot_every=1)
    assert len(history.snapshots) <= 12


def test_snapshot_memory_stays_bounded_over_a_long_run():
    """snapshot_every=1 used to keep one copy per update: 8000 updates of a 2-16-16-1
    network made 8000 snapshots (about 30 MB with Python's overhead). Now it is at most
    1000 snapshots, plus the loss history (8 bytes an update)."""
    data = datasets.two_moons(n_samples=20, seed=0)
    net = bl.Network([2, 16, 16, 1], activation="tanh", seed=0)
    snapshot_bytes = sum(p.nbytes for p in net.weights + net.biases)
    tracemalloc.start()
    try:
        history = net.train(data.X, data.Y, learning_rate=0.1, iterations=8000,
                            snapshot_every=1)  # fmt: skip
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert len(history.snapshots) <= 1000
    assert peak < 1000 * (snapshot_bytes + 1500) + 2_000_000


# --------------------------------------------------------- the loss history


def test_a_huge_request_allocates_nothing_up_front():
    """iterations=10**12 would be 8 TB of loss history if allocated at the start."""
    X, Y = datasets.xor()
    history = bl.Network([2, 3, 1], seed=0).train(X, Y, iterations=10**12,
                                                  callback=_stop_at(5000))  # fmt: skip
    assert history.interrupted and len(history.loss) == 5001
    assert history.loss.base is None or history.loss.base.nbytes < 100_000


def test_the_growing_history_records_the_same_numbers(monkeypatch):
    data = datasets.two_moons(n_samples=30, seed=0)
    held_out = datasets.two_moons(n_samples=30, seed=1)
    kwargs = dict(learning_rate=0.5, iterations=70, batch_size=7, validation=held_out)
    plain = bl.Network([2, 5, 1], seed=0).train(data.X, data.Y, **kwargs)
    monkeypatch.setattr(training, "_FIRST_CAPACITY", 3)
    grown = bl.Network([2, 5, 1], seed=0).train(data.X, data.Y, **kwargs)
    assert plain.loss.tobytes() == grown.loss.tobytes()
    assert plain.validation_loss.tobytes() == grown.validation_loss.tobytes()
    assert len(grown.loss) == len(grown.validation_loss) == 71


# ------------------------------------------------------------- descent paths


def test_a_descent_path_of_too_many_steps_is_refused_with_its_size():
    with pytest.raises(ValueError) as caught:
        gradient_descent_1d(QUADRATIC.f, QUADRATIC.df, 1.0, 0.1, 10**9)
    message = str(caught.value)
    for word in ["steps", f"at most {MAX_STEPS:,}", "1,000,000,000", "24,000 MB"]:
        assert word in message, message


def test_a_descent_path_is_three_float64_arrays_of_the_steps_taken():
    path = gradient_descent_1d(QUADRATIC.f, QUADRATIC.df, 1.0, 0.1, 50)
    for values in (path.x, path.fx, path.dfx):
        assert values.dtype == np.float64 and values.shape == (51,)
    np.testing.assert_allclose(path.x, 0.8 ** np.arange(51), rtol=1e-12)
    diverging = gradient_descent_1d(QUADRATIC.f, QUADRATIC.df, 1.0, 10.0, 100)
    assert diverging.diverged and len(diverging.x) == diverging.diverged_at
    assert diverging.x.base is None  # not a view into the 101-entry buffer


# ------------------------------------------------------------------- progress


class _FakeShell:
    pass


def _fake_ipython(monkeypatch, kind, request="execute_request"):
    """Make backprop_lab believe it runs in IPython: 'ZMQInteractiveShell' is ipykernel's,
    answering a message of type `request` (a cell: execute_request; a widget: comm_msg)."""
    shell = type(kind, (_FakeShell,), {})() if kind else None
    if shell is not None:
        shell.parent_header = {"header": {"msg_type": request}}
    module = types.ModuleType("IPython")
    module.get_ipython = lambda: shell
    monkeypatch.setitem(sys.modules, "IPython", module)


SERVER = {"JPY_SESSION_NAME": "/home/reader/book/05.ipynb"}


@pytest.mark.parametrize(
    ("shell", "environ", "shown"),
    [
        (None, SERVER, False),  # plain Python
        ("TerminalInteractiveShell", SERVER, False),  # terminal IPython
        ("ZMQInteractiveShell", {}, False),  # a kernel with no server: nbval, jupyter-book
        ("ZMQInteractiveShell", SERVER, True),  # JupyterLab, Notebook, Binder
        ("ZMQInteractiveShell", {**SERVER, "CI": "true"}, False),
        ("ZMQInteractiveShell", {**SERVER, "CI": "0"}, True),
        ("ZMQInteractiveShell", {**SERVER, "PYTEST_CURRENT_TEST": "t.py::x"}, False),
        ("ZMQInteractiveShell", {**SERVER, "BACKPROP_LAB_SITE": "1"}, False),  # site build
        ("ZMQInteractiveShell", {**SERVER, "BACKPROP_LAB_PROGRESS": "0"}, False),
        ("ZMQInteractiveShell", {"BACKPROP_LAB_PROGRESS": "1", "CI": "true"}, True),
        ("TerminalInteractiveShell", {"BACKPROP_LAB_PROGRESS": "1"}, False),
    ],
)
def test_automatic_progress_only_in_a_notebook_served_by_jupyter(shell, environ, shown,
                                                                 monkeypatch):  # fmt: skip
    _fake_ipython(monkeypatch, shell)
    assert progress.auto_progress(environ) is shown


def test_no_automatic_progress_in_a_widget_callback(monkeypatch):
    _fake_ipython(monkeypatch, "ZMQInteractiveShell", request="comm_msg")
    assert progress.auto_progress(SERVER) is False


def test_no_progress_bar_and_no_output_in_the_tests(monkeypatch, capfd):
    def refuse(*args, **kwargs):
        raise AssertionError("no progress bar may be made here")

    monkeypatch.setattr(training, "Progress", refuse)
    X, Y = datasets.xor()
    bl.Network([2, 3, 1], seed=0).train(X, Y, iterations=2000)
    assert capfd.readouterr() == ("", "")


def _kernel_with_display(monkeypatch):
    _fake_ipython(monkeypatch, "ZMQInteractiveShell")
    shown = []
    monkeypatch.setattr(notebook_progress, "_display", shown.append)
    return shown


def test_forced_progress_in_a_kernel_is_a_widget_that_ends_with_the_message(monkeypatch, capfd):
    shown = _kernel_with_display(monkeypatch)
    monkeypatch.setattr(progress, "_PROGRESS_REDRAW", 0.0)  # redraw at every probe
    X, Y = datasets.xor()
    history = bl.Network([2, 3, 1], seed=0).train(X, Y, iterations=300, progress=True)
    (box,) = shown
    bar, label = box.children
    assert isinstance(bar, ipywidgets.IntProgress) and bar.max == 300
    assert bar.value == 300 and bar.bar_style == "success"
    assert label.value == history.message
    assert capfd.readouterr() == ("", "")  # nothing printed, nothing on stderr


@pytest.mark.parametrize(
    ("expected_seconds", "shown"), [(0.0, True), (1e9, False)], ids=["long", "short"]
)
def test_automatic_progress_appears_only_for_a_long_run(expected_seconds, shown, monkeypatch):
    displayed = _kernel_with_display(monkeypatch)
    monkeypatch.setattr(training, "auto_progress", lambda: True)
    monkeypatch.setattr(progress, "_PROGRESS_PROBE", 0.0)
    monkeypatch.setattr(progress, "_PROGRESS_AFTER", expected_seconds)
    X, Y = datasets.xor()
    a = bl.Network([2, 3, 1], seed=0)
    a.train(X, Y, iterations=200)
    assert bool(displayed) is shown
    b = bl.Network([2, 3, 1], seed=0)
    b.train(X, Y, iterations=200, progress=False)
    _assert_same_bits(_params(a), _params(b))  # the bar never changes the run


def test_progress_shows_an_interrupt_and_a_divergence(monkeypatch):
    shown = _kernel_with_display(monkeypatch)
    X, Y = datasets.xor()
    stopped = bl.Network([2, 3, 1], seed=0).train(X, Y, iterations=10**9, progress=True,
                                                  callback=_stop_at(50))  # fmt: skip
    bar, label = shown[-1].children
    assert bar.bar_style == "warning" and bar.value == 50 and label.value == stopped.message
    linear = bl.Network([2, 1], activation="identity", output_activation="identity", seed=0)
    blown = linear.train(100 * X, Y, learning_rate=1e6, progress=True)
    bar, label = shown[-1].children
    assert blown.diverged and bar.bar_style == "danger" and label.value == blown.message


def test_forced_progress_outside_a_notebook_writes_to_stdout_only(monkeypatch, capfd):
    _fake_ipython(monkeypatch, None)
    monkeypatch.setattr(progress, "_PROGRESS_REDRAW", 0.0)
    X, Y = datasets.xor()
    history = bl.Network([2, 3, 1], seed=0).train(X, Y, iterations=500, progress=True)
    out, err = capfd.readouterr()
    assert err == ""
    assert out.endswith(f"training: {history.message}\n")
