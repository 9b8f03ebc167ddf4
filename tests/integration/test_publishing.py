"""Ready to publish: licence, citation, one version, the GitHub Pages workflow, the package.

- LICENSE is the MIT licence that pyproject.toml declares;
- CITATION.cff is valid Citation File Format 1.2.0 (the schema check-jsonschema ships);
- the version is written once (pyproject.toml) and read back everywhere;
- every GitHub Actions workflow validates against the GitHub workflow schema that
  check-jsonschema ships (offline: no network is needed or used), and the site workflow
  builds with `make site` and deploys with upload-pages-artifact and deploy-pages;
- `python -m build` makes a wheel and an sdist that `twine check` accepts, holding only
  the package, which install in a fresh virtual environment with only the package's own
  dependencies and compute the worked example there.
"""

from __future__ import annotations

import functools
import json
import re
import shutil
import subprocess
import sys
import tarfile
import zipfile
from importlib import metadata
from pathlib import Path

import pytest
import tomllib
import yaml

import backprop_lab as bl

REPO = next(p for p in Path(__file__).resolve().parents if (p / "pyproject.toml").is_file())
WORKFLOWS = sorted((REPO / ".github" / "workflows").glob("*.y*ml"))
PYPROJECT = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))


def run(command: list[str], timeout: float, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(command, capture_output=True, text=True, timeout=timeout, **kwargs)


@functools.cache
def offline() -> list[str]:
    """A command prefix that runs without any network (a new, empty network namespace),
    where this machine allows it (root with util-linux unshare); else no prefix."""
    unshare = shutil.which("unshare")
    if unshare and run([unshare, "-n", "true"], timeout=10).returncode == 0:
        return [unshare, "-n"]
    return []


def check_jsonschema(schema: str, *paths: Path) -> tuple[int, dict[str, list[str]]]:
    """check-jsonschema on ``paths`` against one of the schemas vendored inside the package;
    returns its exit code and, for each path, its errors as "where: what" lines."""
    command = [sys.executable, "-m", "check_jsonschema", "--builtin-schema", schema,
               "--output-format", "JSON", "--verbose", *map(str, paths)]  # fmt: skip
    result = run([*offline(), *command], timeout=120)
    assert result.stdout.startswith("{"), result.stdout + result.stderr
    report = json.loads(result.stdout)
    errors: dict[str, list[str]] = {str(path): [] for path in paths}
    for error in report.get("errors", []):
        for each in [error, *error.get("sub_errors", [])]:
            errors[error["filename"]].append(f"{each['path']}: {each['message']}")
    for error in report.get("parse_errors", []):
        errors[error["filename"]].append(f"cannot parse: {error.get('message', error)}")
    return result.returncode, errors


# --- licence, citation, version ---------------------------------------------------------


def test_license_is_the_mit_licence_pyproject_declares():
    text = (REPO / "LICENSE").read_text(encoding="utf-8")
    assert text.startswith("MIT License\n")
    assert "Copyright (c) 2026 The backprop-lab authors" in text
    assert 'THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND' in text
    project = PYPROJECT["project"]
    assert project["license"] == "MIT"
    assert project["license-files"] == ["LICENSE"]
    assert project["authors"] == [{"name": "The backprop-lab authors"}]


def test_citation_is_valid_citation_file_format():
    citation = yaml.safe_load((REPO / "CITATION.cff").read_text(encoding="utf-8"))
    assert citation["cff-version"] == "1.2.0"
    for key in ("message", "title", "authors"):  # what CFF 1.2.0 requires
        assert citation[key], key
    assert citation["license"] == PYPROJECT["project"]["license"]
    assert citation["repository-code"] == PYPROJECT["project"]["urls"]["Source"]
    code, errors = check_jsonschema("vendor.citation-file-format", REPO / "CITATION.cff")
    assert (code, errors) == (0, {str(REPO / "CITATION.cff"): []})


BROKEN_CITATIONS = {
    # (text to replace, replacement, an error check-jsonschema must report)
    "unchanged": ("", "", None),
    "no-cff-version": ("cff-version: 1.2.0\n", "", "$: 'cff-version' is a required property"),
    "no-authors": ('authors:\n  - name: "The backprop-lab authors"\n', "", "'authors'"),
    "bad-author": ('  - name: "The backprop-lab authors"', "  - nickname: 7", "$.authors[0]"),
    "bad-date": ('date-released: "2026-12-01"', 'date-released: "1 December"', "date-released"),
}


@pytest.fixture(scope="module")
def broken_citations(tmp_path_factory) -> dict[str, list[str]]:
    """One check-jsonschema run on copies of CITATION.cff with one mistake each."""
    folder = tmp_path_factory.mktemp("citations")
    text = (REPO / "CITATION.cff").read_text(encoding="utf-8")
    for case, (old, new, _) in BROKEN_CITATIONS.items():
        assert old in text, case
        (folder / f"{case}.cff").write_text(text.replace(old, new, 1), encoding="utf-8")
    code, errors = check_jsonschema(
        "vendor.citation-file-format", *(folder / f"{case}.cff" for case in BROKEN_CITATIONS)
    )
    assert code == 1
    return {Path(path).stem: lines for path, lines in errors.items()}


@pytest.mark.parametrize("case", BROKEN_CITATIONS)
def test_a_broken_citation_is_rejected(broken_citations, case):
    """So the citation check cannot pass by accident (the unchanged copy passes)."""
    expected = BROKEN_CITATIONS[case][2]
    if expected is None:
        assert broken_citations[case] == []
    else:
        assert any(expected in line for line in broken_citations[case]), broken_citations[case]


def test_the_version_is_written_once_and_read_everywhere():
    """pyproject.toml holds it; the installed metadata, bl.__version__ and CITATION.cff
    agree with it (after a change, `make setup` reinstalls, as pyproject.toml changed)."""
    version = PYPROJECT["project"]["version"]
    assert "version" not in PYPROJECT["project"].get("dynamic", [])
    assert metadata.version("backprop_lab") == version, "reinstall: make setup"
    assert bl.__version__ == version
    citation = yaml.safe_load((REPO / "CITATION.cff").read_text(encoding="utf-8"))
    assert citation["version"] == version
    sources = [p for p in (REPO / "backprop_lab").glob("*.py") if version in p.read_text()]
    assert not sources, f"the version is written again in {sources}"


# --- the GitHub Pages workflow ----------------------------------------------------------


def test_there_is_a_site_workflow():
    assert REPO / ".github" / "workflows" / "deploy-site.yml" in WORKFLOWS


@pytest.mark.parametrize("workflow", WORKFLOWS, ids=[p.name for p in WORKFLOWS])
def test_workflow_matches_the_github_schema(workflow):
    code, errors = check_jsonschema("vendor.github-workflows", workflow)
    assert (code, errors) == (0, {str(workflow): []})


BROKEN_WORKFLOWS = {
    # (text to replace, replacement, an error check-jsonschema must report)
    "unchanged": ("", "", None),
    "no-runs-on": (
        "    runs-on: ubuntu-latest\n    timeout-minutes",
        "    timeout-minutes",
        "$.jobs.build: 'runs-on' is a required property",
    ),
    "jobs-misspelt": ("\njobs:\n", "\njob:\n", "$: 'jobs' is a required property"),
    "bad-permission": (
        "      pages: write",
        "      pages: publish",
        "$.jobs.deploy.permissions.pages: 'publish' is not one of",
    ),
    "uses-and-run": (
        "        uses: actions/deploy-pages@v4\n",
        "        uses: actions/deploy-pages@v4\n        run: echo deploy\n",
        "$.jobs.deploy.steps[0]: ",
    ),
    "not-yaml": ("\njobs:\n", "\njobs: [\n", "cannot parse"),
}


@pytest.fixture(scope="module")
def broken_workflows(tmp_path_factory) -> dict[str, list[str]]:
    """One check-jsonschema run on copies of deploy-site.yml with one mistake each."""
    folder = tmp_path_factory.mktemp("workflows")
    text = (REPO / ".github" / "workflows" / "deploy-site.yml").read_text(encoding="utf-8")
    for case, (old, new, _) in BROKEN_WORKFLOWS.items():
        assert old in text, case
        (folder / f"{case}.yml").write_text(text.replace(old, new, 1), encoding="utf-8")
    code, errors = check_jsonschema(
        "vendor.github-workflows", *(folder / f"{case}.yml" for case in BROKEN_WORKFLOWS)
    )
    assert code == 1
    return {Path(path).stem: lines for path, lines in errors.items()}


@pytest.mark.parametrize("case", BROKEN_WORKFLOWS)
def test_a_broken_workflow_is_rejected(broken_workflows, case):
    """So the schema check cannot pass by accident (the unchanged copy passes)."""
    expected = BROKEN_WORKFLOWS[case][2]
    if expected is None:
        assert broken_workflows[case] == []
    else:
        assert any(expected in line for line in broken_workflows[case]), broken_workflows[case]


def test_the_schema_check_needs_no_network():
    """check-jsonschema validates from the schema inside the package: here it runs in an
    empty network namespace, where even a name lookup fails."""
    if not offline():
        pytest.skip("cannot make an empty network namespace here (needs root and unshare)")
    probe = "import socket; socket.getaddrinfo('pypi.org', 443)"
    assert run([*offline(), sys.executable, "-c", probe], timeout=30).returncode != 0
    assert check_jsonschema("vendor.github-workflows", *WORKFLOWS)[0] == 0


def site_workflow_problems(workflow: dict) -> list[str]:
    """What keeps a workflow from building the site with `make site` and deploying it to
    GitHub Pages the way Jupyter Book's guide describes (empty when it does)."""
    problems = []
    # YAML 1.1 reads the key `on` as True.
    trigger = workflow.get("on", workflow.get(True)) or {}
    if "main" not in (trigger.get("push") or {}).get("branches", []):
        problems.append("not run on a push to main")
    jobs = workflow.get("jobs", {})
    steps = [(name, step) for name, job in jobs.items() for step in job.get("steps", [])]

    def uses(action: str) -> list[tuple[str, dict]]:
        return [(n, s) for n, s in steps if s.get("uses", "").startswith(action + "@")]

    runs = "\n".join(step.get("run", "") for _, step in steps)
    if not re.search(r"^\s*make site\b", runs, flags=re.M):
        problems.append("no step runs `make site`")
    apt = [step["run"] for _, step in steps if "apt-get install" in step.get("run", "")]
    if not apt or not all(re.search(rf"\b{tool}\b", apt[0]) for tool in ("make", "npm")):
        problems.append("make and npm are not installed with apt-get")
    python = (REPO / "runtime.txt").read_text().strip().removeprefix("python-")
    setup = uses("actions/setup-python")
    if not setup or str(setup[0][1].get("with", {}).get("python-version")) != python:
        problems.append(f"Python is not runtime.txt's {python}")
    upload = uses("actions/upload-pages-artifact")
    if not upload or upload[0][1].get("with", {}).get("path") != "_build/html":
        problems.append("_build/html is not uploaded with actions/upload-pages-artifact")
    deploy = uses("actions/deploy-pages")
    if not deploy:
        problems.append("no actions/deploy-pages step")
    else:
        job = jobs[deploy[0][0]]
        permissions = {**(workflow.get("permissions") or {}), **(job.get("permissions") or {})}
        for scope in ("pages", "id-token"):
            if permissions.get(scope) != "write":
                problems.append(f"the deploy job lacks permission {scope}: write")
        if (job.get("environment") or {}).get("name") != "github-pages":
            problems.append("the deploy job is not in the github-pages environment")
        needs = job.get("needs", [])
        needs = [needs] if isinstance(needs, str) else needs
        if upload and upload[0][0] != deploy[0][0] and upload[0][0] not in needs:
            problems.append("the deploy job does not wait for the build job")
    return problems


def test_site_workflow_builds_with_make_site_and_deploys_to_pages():
    text = (REPO / ".github" / "workflows" / "deploy-site.yml").read_text(encoding="utf-8")
    assert site_workflow_problems(yaml.safe_load(text)) == []


@pytest.mark.parametrize(
    ("old", "new", "problem"),
    [
        ("make site PYTHON=python", "jupyter-book build .", "no step runs `make site`"),
        ("path: _build/html", "path: _build", "_build/html is not uploaded"),
        ("      id-token: write\n", "", "lacks permission id-token: write"),
        ('python-version: "3.11"', 'python-version: "3.13"', "Python is not runtime.txt's"),
        ("    needs: build\n", "", "does not wait for the build job"),
        ("uses: actions/deploy-pages@v4", "run: echo", "no actions/deploy-pages step"),
        ("sudo apt-get install -y -qq", "echo", "make and npm are not installed with apt-get"),
        ("branches: [main]", "branches: [gh-pages]", "not run on a push to main"),
        ("name: github-pages", "name: production", "not in the github-pages environment"),
    ],
)
def test_a_site_workflow_that_would_not_publish_is_caught(old, new, problem):
    text = (REPO / ".github" / "workflows" / "deploy-site.yml").read_text(encoding="utf-8")
    assert old in text
    problems = site_workflow_problems(yaml.safe_load(text.replace(old, new, 1)))
    assert any(problem in p for p in problems), problems


# --- the package stands alone ------------------------------------------------------------

# Top-level entries of the sdist, besides the package itself: nothing of the book.
SDIST_TOP = {"PKG-INFO", "README.md", "LICENSE", "MANIFEST.in", "pyproject.toml", "setup.cfg"}
NOT_PACKAGED = {"book", "node_modules", "_build", ".venv", "tests", "tools", "benchmarks"}
BOOK_AND_TEST_TOOLS = ["jupyter_book", "sphinx", "myst_nb", "jupyterlab", "pytest", "nbval",
                       "hypothesis", "playwright", "ruff", "check_jsonschema"]  # fmt: skip

RUN_IN_FRESH_ENV = """
import importlib.util, json, sys
import backprop_lab as bl
example = bl.datasets.worked_example()
net = example.network
print(json.dumps({
    "file": bl.__file__,
    "version": bl.__version__,
    "forward": net.forward(example.x).tolist(),
    "gradients_pass": bool(bl.check_gradients(net, example.x, example.y).passed),
    "present": [m for m in sys.argv[1:] if importlib.util.find_spec(m) is not None],
}))
"""


@pytest.fixture(scope="module")
def dist(tmp_path_factory) -> Path:
    """`python -m build` of the repository: an sdist, and a wheel built from that sdist."""
    out = tmp_path_factory.mktemp("dist")
    result = run([sys.executable, "-m", "build", "--outdir", str(out), str(REPO)], timeout=600)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return out


def only(folder: Path, pattern: str) -> Path:
    found = sorted(folder.glob(pattern))
    assert len(found) == 1, found
    return found[0]


@pytest.mark.slow
def test_twine_accepts_the_wheel_and_the_sdist(dist):
    files = [only(dist, "*.whl"), only(dist, "*.tar.gz")]
    result = run([sys.executable, "-m", "twine", "check", "--strict", *map(str, files)], 120)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.count("PASSED") == 2, result.stdout


@pytest.mark.slow
def test_the_sdist_holds_the_package_and_nothing_of_the_book(dist):
    version = PYPROJECT["project"]["version"]
    with tarfile.open(only(dist, "*.tar.gz")) as sdist:
        names = sdist.getnames()
    prefix = f"backprop_lab-{version}/"
    assert all(name == prefix.rstrip("/") or name.startswith(prefix) for name in names)
    inside = [name.removeprefix(prefix) for name in names if name.startswith(prefix)]
    top = {name.split("/")[0] for name in inside}
    assert top - SDIST_TOP == {"backprop_lab", "backprop_lab.egg-info"}, top
    assert not [name for name in inside if set(name.split("/")) & NOT_PACKAGED]
    modules = {p.relative_to(REPO).as_posix() for p in (REPO / "backprop_lab").rglob("*.py")}
    assert modules <= set(inside), modules - set(inside)


@pytest.mark.slow
def test_the_wheel_holds_only_the_package(dist):
    version = PYPROJECT["project"]["version"]
    with zipfile.ZipFile(only(dist, "*.whl")) as wheel:
        names = wheel.namelist()
        info = f"backprop_lab-{version}.dist-info"
        meta = wheel.read(f"{info}/METADATA").decode()
    assert {name.split("/")[0] for name in names} == {"backprop_lab", info}
    modules = {p.relative_to(REPO).as_posix() for p in (REPO / "backprop_lab").rglob("*.py")}
    assert modules <= set(names)
    assert f"{info}/licenses/LICENSE" in names
    assert f"\nVersion: {version}\n" in meta
    assert "\nLicense-Expression: MIT\n" in meta
    requires = sorted(re.findall(r"^Requires-Dist: (\S+)", meta, flags=re.M))
    assert requires == sorted(PYPROJECT["project"]["dependencies"])
    assert "Project-URL: Source, https://github.com/backprop-lab/backprop-lab" in meta


@pytest.mark.slow
def test_the_package_installs_and_runs_alone_in_a_fresh_environment(dist, tmp_path):
    """A virtual environment without the system's packages gets the wheel and its own
    dependencies (numpy, matplotlib, ipywidgets) only, imports it from there (not from
    this checkout) and computes the worked example; then the sdist, built and installed
    over it, does the same."""
    venv = tmp_path / "venv"
    assert run([sys.executable, "-m", "venv", str(venv)], timeout=120).returncode == 0
    python = str(venv / "bin" / "python")
    pip = [python, "-m", "pip", "--disable-pip-version-check", "--quiet", "install"]
    for artifact, extra in [
        (only(dist, "*.whl"), []),
        (only(dist, "*.tar.gz"), ["--no-deps", "--force-reinstall"]),
    ]:
        result = run([*pip, *extra, str(artifact)], timeout=600)
        assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
        result = run(
            [python, "-c", RUN_IN_FRESH_ENV, *BOOK_AND_TEST_TOOLS], timeout=120, cwd=tmp_path
        )
        assert result.returncode == 0, result.stderr[-3000:]
        found = json.loads(result.stdout)
        assert Path(found["file"]).is_relative_to(venv), found["file"]
        assert found["version"] == PYPROJECT["project"]["version"]
        assert found["forward"] == pytest.approx([0.75136507, 0.77292847], abs=1e-8)
        assert found["gradients_pass"] is True
        assert found["present"] == [], f"not the package's dependencies: {found['present']}"
