"""The package's layers as a reader of the code meets them: the numerical core loads no
plotting or widget library, ``import backprop_lab`` loads nothing heavy until a name is
used, and every top-level name resolves (the import rules themselves: ``make lint``)."""

import json
import subprocess
import sys

import pytest

import backprop_lab as bl

HEAVY = ("matplotlib", "ipywidgets", "IPython")


def loaded_after(code: str) -> list[str]:
    """The heavy top-level packages loaded by ``code`` in a fresh interpreter."""
    probe = (
        f"{code}\nimport json, sys\n"
        f"print(json.dumps(sorted({{m.split('.')[0] for m in sys.modules}} & {set(HEAVY)!r})))"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=120
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize(
    "code",
    [
        "import backprop_lab",
        "import backprop_lab.checks.arguments",
        "import backprop_lab.nn.network, backprop_lab.nn.training",
        "import backprop_lab.calc.chain_rule, backprop_lab.calc.datasets, "
        "backprop_lab.calc.gradcheck, backprop_lab.calc.efficiency, backprop_lab.calc.autodiff",
        "import backprop_lab as bl; X, Y = bl.datasets.xor(); "
        "bl.Network([2, 3, 1], seed=0).train(X, Y, iterations=5)",
    ],
)
def test_the_core_loads_no_plotting_or_widget_library(code):
    assert loaded_after(code) == []


def test_a_figure_loads_matplotlib_and_an_explorer_ipywidgets():
    assert "matplotlib" in loaded_after("import backprop_lab as bl; bl.plotting")
    assert "ipywidgets" in loaded_after("import backprop_lab as bl; bl.NeuronExplorer")


def test_every_top_level_name_resolves():
    for name in bl.__all__:
        assert getattr(bl, name) is not None, name
    assert set(bl.__all__) <= set(dir(bl))


def test_an_unknown_top_level_name_is_an_attribute_error_naming_it():
    with pytest.raises(AttributeError, match="no attribute 'Netwerk'"):
        bl.Netwerk  # noqa: B018


def test_network_train_shows_the_one_training_signature():
    import inspect

    train = inspect.signature(bl.train).parameters
    method = inspect.signature(bl.Network.train).parameters
    assert next(iter(method)) == "self"
    assert list(method)[1:] == list(train)[1:]
    assert [p.default for p in method.values()][1:] == [p.default for p in train.values()][1:]
