"""`jupyter-book build .` on its own: tools/sphinx_site.py, and the site tests on a fresh clone.

The Sphinx extension vendors the site's JavaScript (tools/vendor_js.py) when book/_vendor is
missing or stale, runs `npm ci` first when node_modules lacks the pinned packages, stops
with one line when npm is not there, and sets BACKPROP_LAB_SITE=1 for the kernels. These
tests run it on a small fake repository in tmp_path (fake npm packages at the pinned
versions), and once inside a real, tiny Sphinx build, where it must act before Sphinx
checks html_static_path.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import browser
import pytest
import yaml

REPO = next(p for p in Path(__file__).resolve().parents if (p / "pyproject.toml").is_file())
sys.path.insert(0, str(REPO / "tools"))

import sphinx_site  # noqa: E402
import vendor_js  # noqa: E402


def fake_node_modules(root: Path) -> None:
    """node_modules with every pinned package at its pinned version: a package.json and a
    small file at each path that vendor_js copies (plus a source map it must skip)."""
    for package, (version, copies) in vendor_js.PACKAGES.items():
        home = root / "node_modules" / package
        home.mkdir(parents=True)
        (home / "package.json").write_text(json.dumps({"name": package, "version": version}))
        for source, _ in copies:
            if source.endswith(".js"):
                (home / source).write_text(f"// {package}/{source}\n")
            else:
                (home / source).mkdir(parents=True)
                (home / source / "main.js").write_text(f"// {package}/{source}/main.js\n")
                (home / source / "main.js.map").write_text("{}")


@pytest.fixture
def root(tmp_path) -> Path:
    """A repository with tools/site_static (copied from the real one) and node_modules."""
    root = tmp_path / "repo"
    (root / "book").mkdir(parents=True)
    shutil.copytree(REPO / "tools" / "site_static", root / "tools" / "site_static")
    fake_node_modules(root)
    return root


def no_npm(name: str) -> None:
    return None


def npm_must_not_run(*args, **kwargs):
    raise AssertionError(f"npm ran: {args}")


def test_vendors_a_missing_folder_then_finds_it_current(root):
    assert vendor_js.stale(root) == "book/_vendor has not been vendored"
    done = sphinx_site.prepare(root, which=no_npm, run=npm_must_not_run)
    assert done == "vendored book/_vendor (book/_vendor has not been vendored)"
    vendored = root / "book" / "_vendor"
    assert (vendored / "requirejs" / "require.js").read_text() == "// requirejs/require.js\n"
    assert (vendored / "mathjax" / "tex-chtml.js").read_text() == "// mathjax/tex-chtml.js\n"
    assert (vendored / "mathjax" / "input" / "main.js").is_file()
    assert not (vendored / "mathjax" / "input" / "main.js.map").exists()  # maps are skipped
    # MathJax's font, where _config.yml's loader.paths.fonts ("[mathjax]/../@mathjax") points
    fonts = vendored / "@mathjax" / "mathjax-newcm-font" / "chtml"
    assert (fonts / "woff2" / "main.js").is_file() and (fonts / "dynamic" / "main.js").is_file()
    for asset in (REPO / "tools" / "site_static").iterdir():
        assert (vendored / asset.name).read_bytes() == asset.read_bytes()
    assert vendor_js.stale(root) is None
    stamp = vendored / vendor_js.STAMP
    before = stamp.stat().st_mtime_ns
    assert sphinx_site.prepare(root, which=no_npm, run=npm_must_not_run) == (
        "book/_vendor is current"
    )
    assert stamp.stat().st_mtime_ns == before  # nothing copied again


@pytest.mark.parametrize(
    ("spoil", "reason"),
    [
        (
            lambda root: (root / "tools" / "site_static" / "widgets-setup.js").write_text("//"),
            "tools/site_static/ changed since book/_vendor was vendored",
        ),
        (
            lambda root: (root / "tools" / "site_static" / "new.css").write_text("p {}"),
            "tools/site_static/ changed since book/_vendor was vendored",
        ),
        (
            lambda root: (root / "book" / "_vendor" / "requirejs" / "require.js").unlink(),
            "book/_vendor/requirejs/require.js is missing",
        ),
        (
            lambda root: (root / "book" / "_vendor" / ".vendored").write_text("{not json"),
            "book/_vendor/.vendored is not valid JSON",
        ),
        (
            # a stamp as an older vendor_js wrote it: versions only
            lambda root: (root / "book" / "_vendor" / ".vendored").write_text(
                json.dumps({p: v for p, (v, _) in vendor_js.PACKAGES.items()})
            ),
            "the pinned versions changed since book/_vendor was vendored",
        ),
    ],
    ids=["asset-edited", "asset-added", "file-deleted", "stamp-broken", "stamp-old"],
)
def test_a_stale_folder_is_vendored_again(root, spoil, reason):
    vendor_js.vendor(root)
    spoil(root)
    assert vendor_js.stale(root) == reason
    assert sphinx_site.prepare(root, which=no_npm, run=npm_must_not_run) == (
        f"vendored book/_vendor ({reason})"
    )
    assert vendor_js.stale(root) is None
    for asset in (root / "tools" / "site_static").iterdir():
        assert (root / "book" / "_vendor" / asset.name).read_bytes() == asset.read_bytes()


def test_without_node_modules_or_npm_it_stops_with_one_line(root):
    shutil.rmtree(root / "node_modules")
    with pytest.raises(SystemExit) as stopped:
        sphinx_site.prepare(root, which=no_npm, run=npm_must_not_run)
    message = str(stopped.value.code)
    assert "\n" not in message
    assert "npm is not installed" in message and "run `make site`" in message
    assert not (root / "book" / "_vendor").exists()


def test_a_wrong_version_in_node_modules_runs_npm_ci(root):
    manifest = root / "node_modules" / "mathjax" / "package.json"
    manifest.write_text(json.dumps({"name": "mathjax", "version": "2.7.9"}))
    calls = []

    def npm_ci(command, cwd, check):
        calls.append((command, cwd))
        shutil.rmtree(root / "node_modules")
        fake_node_modules(root)  # what `npm ci` installs: the versions of package-lock.json
        return SimpleNamespace(returncode=0)

    done = sphinx_site.prepare(root, which=lambda name: f"/usr/bin/{name}", run=npm_ci)
    assert calls == [(["/usr/bin/npm", "ci", "--ignore-scripts", "--no-audit", "--no-fund"], root)]
    assert done.startswith("npm ci, vendored book/_vendor")
    assert (root / "node_modules" / ".installed").is_file()  # the Makefile's stamp
    assert vendor_js.stale(root) is None


def test_a_failing_npm_ci_stops_with_one_line(root):
    shutil.rmtree(root / "node_modules")
    failed = SimpleNamespace(returncode=1)
    with pytest.raises(SystemExit, match=r"`npm ci` failed \(exit 1") as stopped:
        sphinx_site.prepare(root, which=lambda name: "/usr/bin/npm", run=lambda *a, **k: failed)
    assert "\n" not in str(stopped.value.code)
    assert not (root / "book" / "_vendor").exists()


def test_config_inited_sets_the_site_variable(root, monkeypatch):
    # setenv first, so that monkeypatch removes the variable config_inited sets (a bare
    # delenv of a missing variable records nothing to undo: every later test saw "1")
    monkeypatch.setenv("BACKPROP_LAB_SITE", "unset")
    monkeypatch.delenv("BACKPROP_LAB_SITE")
    vendor_js.vendor(root)
    sphinx_site.config_inited(SimpleNamespace(confdir=str(root)), config=None)
    assert os.environ["BACKPROP_LAB_SITE"] == "1"


def test_config_yml_loads_the_extension():
    """Jupyter Book turns _config.yml into a Sphinx configuration with the extension in it
    and tools/ on sys.path."""
    from jupyter_book.config import get_final_config

    config = yaml.safe_load((REPO / "_config.yml").read_text(encoding="utf-8"))
    assert config["sphinx"]["local_extensions"] == {"sphinx_site": "tools"}
    tools, before = (REPO / "tools").as_posix(), list(sys.path)
    sys.path[:] = [path for path in before if path != tools]  # this module put it there
    try:
        sphinx_config, _ = get_final_config(
            user_yaml=REPO / "_config.yml",
            cli_config={"latex_individualpages": False},
            sourcedir=REPO,
        )
        tools_on_path = tools in sys.path
    finally:
        sys.path[:] = before
    assert "sphinx_site" in sphinx_config["extensions"]
    assert "book/_vendor" in sphinx_config["html_static_path"]
    assert tools_on_path


def test_mathjax_finds_its_font_in_the_vendored_folder(tmp_path):
    """MathJax 4 takes its font from `loader.paths.fonts` (by default a CDN): _config.yml
    points it at _static/@mathjax, and vendor_js puts there every woff2 file that the real
    tex-chtml.js names and the character data it loads on demand."""
    if vendor_js.node_modules_problems(REPO):
        pytest.skip("needs `npm ci` (the pinned MathJax in node_modules)")
    config = yaml.safe_load((REPO / "_config.yml").read_text(encoding="utf-8"))
    mathjax = config["sphinx"]["config"]["mathjax3_config"]
    assert config["sphinx"]["config"]["mathjax_path"] == "mathjax/tex-chtml.js"
    assert mathjax["loader"]["paths"]["fonts"] == "[mathjax]/../@mathjax"
    root = tmp_path / "repo"
    (root / "book").mkdir(parents=True)
    shutil.copytree(REPO / "tools" / "site_static", root / "tools" / "site_static")
    (root / "node_modules").symlink_to(REPO / "node_modules")
    static = vendor_js.vendor(root)
    # [mathjax] is the folder of tex-chtml.js; MathJax adds "<font name>-font" to [fonts]
    font = static / "mathjax" / ".." / "@mathjax" / "mathjax-newcm-font" / "chtml"
    script = (static / "mathjax" / "tex-chtml.js").read_text(encoding="utf-8")
    named = set(re.findall(r"%%URL%%/(mjx-ncm-[a-z0-9-]+\.woff2)", script))
    assert len(named) > 20
    assert named <= {p.name for p in (font / "woff2").iterdir()}
    assert (font / "dynamic" / "arrows.js").is_file()


def probe_notebook() -> str:
    """A one-cell notebook that prints BACKPROP_LAB_SITE as its kernel sees it."""
    code = "import os\nprint('BACKPROP_LAB_SITE=' + os.environ.get('BACKPROP_LAB_SITE', 'unset'))"
    notebook = {
        "cells": [
            {"cell_type": "markdown", "metadata": {}, "source": "# Site"},
            {"cell_type": "code", "metadata": {}, "execution_count": None, "outputs": [],
             "source": code},
        ],
        "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3",
                                    "language": "python"}},
        "nbformat": 4,
        "nbformat_minor": 5,
    }  # fmt: skip
    return json.dumps(notebook)


@pytest.mark.slow
@pytest.mark.parametrize("with_extension", [True, False], ids=["extension", "without"])
def test_a_real_sphinx_build_vendors_first_and_its_kernels_see_the_site_variable(
    root, tmp_path, with_extension
):
    """A tiny Sphinx + myst-nb project configured like _config.yml (html_static_path =
    book/_vendor, notebooks executed): with the extension it builds with -W, serves the
    vendored files, and the notebook's kernel prints BACKPROP_LAB_SITE=1; without it, the
    same build fails on the missing folder, so the first result is the extension's doing."""
    (root / "index.ipynb").write_text(probe_notebook())
    extensions = ["sphinx_site", "myst_nb"] if with_extension else ["myst_nb"]
    (root / "conf.py").write_text(
        "import sys\n"
        f"sys.path.insert(0, {str(REPO / 'tools')!r})\n"
        f"extensions = {extensions!r}\n"
        "html_static_path = ['book/_vendor']\n"
        "exclude_patterns = ['node_modules', 'book', 'tools']\n"
        "nb_execution_mode = 'force'\n"
        "nb_execution_raise_on_error = True\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "BACKPROP_LAB_SITE"}
    result = subprocess.run(
        [sys.executable, "-m", "sphinx", "-W", "-q", "-b", "html", ".", str(tmp_path / "html")],
        cwd=root, capture_output=True, text=True, timeout=300, env=env,
    )  # fmt: skip
    if with_extension:
        assert result.returncode == 0, result.stderr
        static = tmp_path / "html" / "_static"
        assert (static / "requirejs" / "require.js").is_file()
        assert (static / "widgets-setup.js").is_file()
        page = (tmp_path / "html" / "index.html").read_text(encoding="utf-8")
        assert "BACKPROP_LAB_SITE=1" in page
    else:
        assert result.returncode != 0
        assert "html_static_path entry 'book/_vendor' does not exist" in result.stderr


# --- the site tests on a fresh clone ---------------------------------------------------------


def test_a_missing_site_skips_locally_and_fails_under_ci(tmp_path, monkeypatch):
    site = tmp_path / "_build" / "html"
    monkeypatch.setenv("CI", "")
    with pytest.raises(pytest.skip.Exception, match=r"not built .* run `make site` first"):
        browser.require_site(site)
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="CI=true"):
        browser.require_site(site)
    site.mkdir(parents=True)
    (site / "index.html").write_text("<html></html>")
    assert browser.require_site(site) == site


FRESH_CLONE_PLUGIN = """
import os
from pathlib import Path


def pytest_collection_modifyitems(session, config, items):
    import test_site

    test_site.SITE = Path(os.environ["UNBUILT_SITE"])
"""


@pytest.mark.slow
@pytest.mark.parametrize("ci", ["", "true"], ids=["local", "ci"])
def test_site_tests_on_a_fresh_clone(tmp_path, ci):
    """pytest on test_site.py with the site never built (SITE pointed at an empty folder):
    locally the tests that need the site skip, and one line at the end says to run
    `make site`; under CI=true they fail. (Browser tests are left out: they go through
    the same `site` fixture, and need Chromium besides.)"""
    (tmp_path / "fresh_clone.py").write_text(FRESH_CLONE_PLUGIN)
    env = dict(os.environ, CI=ci, UNBUILT_SITE=str(tmp_path / "_build" / "html"))
    env["PYTHONPATH"] = os.pathsep.join([str(tmp_path), env.get("PYTHONPATH", "")])
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "tests/integration/test_site.py", "-p", "fresh_clone",
         "-m", "not browser", "-q", "--no-header"],
        cwd=REPO, capture_output=True, text=True, timeout=300, env=env,
    )  # fmt: skip
    output = result.stdout + result.stderr
    if ci:
        assert result.returncode == 1, output
        assert "a missing site is a failure" in output
        assert " skipped" not in output.splitlines()[-1]
    else:
        assert result.returncode == 0, output
        last = output.splitlines()[-1]
        skipped = re.search(r"(\d+) skipped", last)
        assert skipped and "failed" not in last and "error" not in last, output
        assert int(skipped.group(1)) >= 2  # test_every_built_page_is_checked, ..._exist
        lines = [line for line in output.splitlines() if "make site" in line]
        assert lines == [
            f"{skipped.group(1)} tests skipped: the site is not built "
            f"({tmp_path}/_build/html/index.html is missing): run `make site` first"
        ], output
