"""How a view's ES module is joined (``view_module``): a file of ``js/`` that two views
share (a view class's ``_shared_files``) comes into each of their modules, once, before the
view's parts and the view, and into no other; every module stays self-contained; no file
of views declares a name beginning with ``_`` (the engine's private names); and the shared
``js/sine_fit.js`` reads exactly the traits of its Python twin, ``SineFitTraits``.

Node 20 is a prerequisite (see ``test_live_views.py``, whose ``call_view`` runs a module).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from test_live_views import call_view, views

import backprop_lab as bl
from backprop_lab.explorers.live import JS_FOLDER, view_module
from backprop_lab.explorers.overfitting import SineFitTraits

TOP_LEVEL_NAME = re.compile(r"^(?:async\s+)?(?:function\*?|const|let|var|class)\s+([\w$]+)", re.M)


def sharing() -> dict[str, dict[str, type]]:
    """Each shared file of ``js/`` and the views that name it, by their view file (a
    module reloaded by another test may leave a second class of the same view)."""
    found: dict[str, dict[str, type]] = {}
    for cls in views():
        for file in cls._shared_files:
            found.setdefault(file, {})[cls._view_file] = cls
    return found


def esm(cls: type) -> str:
    """The module a view of class ``cls`` sends to the page."""
    view = cls()
    module = view._esm
    view.close()
    return module


def test_a_shared_file_is_shared_by_views_and_joined_before_each_ones_own_code():
    shared = sharing()
    assert set(shared["sine_fit.js"]) == {"overfitting.js", "stopping.js"}
    for file, classes in shared.items():
        assert (JS_FOLDER / file).is_file(), file
        assert len(classes) >= 2, f"{file} serves one view: make it a part of that view"
        for view_file, cls in classes.items():
            module = esm(cls)
            assert module.count(f"// ---- {file}\n") == 1, (view_file, file)
            assert module.index(f"// ---- {file}\n") < module.index(f"// ---- {view_file}\n")
    for cls in views():  # the others' modules do not carry it
        if cls._view_file not in shared["sine_fit.js"]:
            assert "// ---- sine_fit.js" not in esm(cls), cls


def test_view_module_joins_the_shared_files_given_before_the_view():
    source = (JS_FOLDER / "sine_fit.js").read_text(encoding="utf-8")
    assert source not in view_module("stopping.js")
    joined = view_module("stopping.js", ("sine_fit.js",))
    assert source in joined
    assert joined.index("// ---- sine_fit.js") < joined.index("// ---- stopping.js")


def test_no_view_file_declares_a_name_beginning_with_an_underscore():
    for path in sorted(JS_FOLDER.glob("*.js")):
        if path.name == "engine.js":
            continue
        names = TOP_LEVEL_NAME.findall(path.read_text(encoding="utf-8"))
        assert names, path.name  # the pattern sees the file's declarations
        assert not [name for name in names if name.startswith("_")], path.name


def test_a_shared_file_declares_no_name_of_a_view_that_joins_it():
    """Loading each module (``test_each_view_loads_as_one_module_with_a_render``) would
    fail on such a clash; this names the clash."""
    for file, classes in sharing().items():
        ours = set(TOP_LEVEL_NAME.findall((JS_FOLDER / file).read_text(encoding="utf-8")))
        for view_file in classes:
            theirs = set(TOP_LEVEL_NAME.findall((JS_FOLDER / view_file).read_text("utf-8")))
            assert not ours & theirs, (file, view_file, ours & theirs)


@pytest.mark.parametrize(
    "make",
    [
        lambda: bl.explorers.OverfittingExplorer(4, 130, n_samples=20, max_iterations=300),
        lambda: bl.explorers.StoppingExplorer(hidden_units=3, max_iterations=500, weights_seed=2),
    ],
    ids=["overfitting", "stopping"],
)
def test_sine_fit_js_reads_the_traits_of_sine_fit_traits(make, tmp_path: Path):
    """In each module that joins it, ``sineFitSettings`` reads ``SineFitTraits``'s traits,
    no more, no fewer, from a real view's values."""
    explorer = make()
    view = explorer.view
    traits = {name: getattr(view, name) for name in SineFitTraits.class_trait_names()}
    extra = (
        "function sineFitTraits() { return SINE_FIT_TRAITS; }\n"
        "function sineFitSettingsOf(values) {"
        " return sineFitSettings({ get: (name) => values[name] }); }"
    )
    calls = [{"fn": "sineFitTraits", "args": []}, {"fn": "sineFitSettingsOf", "args": [traits]}]
    exports = ["sineFitTraits", "sineFitSettingsOf"]
    answers = call_view(view._view_file, exports, calls, tmp_path, extra)["answers"]
    names, settings = (answer["result"] for answer in answers)
    assert sorted(names) == sorted(traits)
    assert settings == {
        "hidden": view.hidden_units,
        "maxIterations": view.max_iterations,
        "learningRate": view.learning_rate,
        "seed": view.seed,
        "train": [view.train_X, view.train_Y],
        "validation": [view.validation_X, view.validation_Y],
    }
    explorer.close()
