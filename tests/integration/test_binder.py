"""Binder builds the environment from requirements.txt alone; so does this test.

A fresh virtual environment is made with the same Python, `pip install -r requirements.txt`
runs from the repository root (for its `-e .` line; pip's cache makes it quick after the
first time), and then the package imports and the first chapter executes from start to end
on a kernel of that environment, just as it would on mybinder.org.

Binder (repo2docker) picks the Python version from runtime.txt (`python-3.11`), or uses
its default, Python 3.10, without one; every pinned package must install on that version.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from importlib import metadata
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet
from packaging.version import Version
from test_site import toc_docnames

REPO = next(p for p in Path(__file__).resolve().parents if (p / "pyproject.toml").is_file())

# repo2docker's Python when runtime.txt does not name one (its documentation).
REPO2DOCKER_DEFAULT_PYTHON = "3.10"


def binder_python() -> str:
    runtime = REPO / "runtime.txt"
    if runtime.exists():
        match = re.fullmatch(r"python-(\d+\.\d+)", runtime.read_text(encoding="utf-8").strip())
        assert match, (
            f"runtime.txt must read python-X.Y, e.g. python-3.11; got {runtime.read_text()!r}"
        )
        return match.group(1)
    return REPO2DOCKER_DEFAULT_PYTHON


def test_binder_python_can_install_every_pin():
    """Each pinned package's Requires-Python admits the Python that Binder will use."""
    python = Version(binder_python())
    refused = []
    for line in (REPO / "requirements.txt").read_text(encoding="utf-8").splitlines():
        line = line.split("#")[0].strip()
        if not line or line.startswith("-"):
            continue
        name = Requirement(line).name
        requires = metadata.metadata(name).get("Requires-Python") or ""
        if requires and python not in SpecifierSet(requires):
            refused.append(f"{line} (Requires-Python {requires})")
    assert not refused, (
        f"Binder would use Python {python} (runtime.txt: "
        f"{'present' if (REPO / 'runtime.txt').exists() else 'missing'}), which cannot "
        f"install: {', '.join(refused)}. Add runtime.txt with e.g. python-3.11."
    )


def run(command: list[str], timeout: float, **kwargs) -> subprocess.CompletedProcess:
    result = subprocess.run(
        command, cwd=REPO, capture_output=True, text=True, timeout=timeout, **kwargs
    )
    assert result.returncode == 0, (
        f"{' '.join(map(str, command))} failed ({result.returncode}):\n"
        f"{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
    )
    return result


@pytest.fixture(scope="module")
def binder_env(tmp_path_factory) -> Path:
    """A virtual environment with only what requirements.txt installs; returns its bin/."""
    venv = tmp_path_factory.mktemp("binder") / "venv"
    run([sys.executable, "-m", "venv", str(venv)], timeout=120)
    python = venv / "bin" / "python"
    run(
        [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
         "-r", "requirements.txt"],
        timeout=900,
    )  # fmt: skip
    return venv / "bin"


@pytest.mark.slow
def test_package_imports_in_the_binder_environment(binder_env):
    result = run(
        [str(binder_env / "python"), "-c",
         "import json, sys, backprop_lab, numpy, matplotlib, ipywidgets; "
         "print(json.dumps([sys.prefix, backprop_lab.__file__]))"],
        timeout=120,
    )  # fmt: skip
    prefix, package = json.loads(result.stdout)
    assert Path(prefix) == binder_env.parent
    assert Path(package).resolve().is_relative_to(REPO / "backprop_lab")


@pytest.mark.slow
def test_first_chapter_executes_in_the_binder_environment(binder_env, tmp_path):
    chapter = next(name for name in toc_docnames() if (REPO / f"{name}.ipynb").exists())
    # A kernel spec of the new environment, so the notebook cannot run on this one.
    kernel = "backprop-lab-binder-test"
    run(
        [str(binder_env / "python"), "-m", "ipykernel", "install", "--sys-prefix",
         f"--name={kernel}"],
        timeout=120,
    )  # fmt: skip
    spec = binder_env.parent / "share" / "jupyter" / "kernels" / kernel / "kernel.json"
    assert Path(json.loads(spec.read_text())["argv"][0]).parent == binder_env
    env = dict(os.environ, MPLBACKEND="module://matplotlib_inline.backend_inline")
    env.pop("JUPYTER_PATH", None)
    run(
        [str(binder_env / "jupyter"), "nbconvert", "--to", "notebook", "--execute",
         f"--ExecutePreprocessor.kernel_name={kernel}", "--ExecutePreprocessor.timeout=600",
         f"--output-dir={tmp_path}", f"{chapter}.ipynb"],
        timeout=900,
        env=env,
    )  # fmt: skip
    executed = json.loads((tmp_path / Path(chapter).with_suffix(".ipynb").name).read_text())
    outputs = [out for cell in executed["cells"] for out in cell.get("outputs", [])]
    assert outputs, f"{chapter} produced no output"
    assert not [out for out in outputs if out["output_type"] == "error"]
