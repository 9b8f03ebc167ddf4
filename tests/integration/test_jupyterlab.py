"""The chapters in JupyterLab, as a reader runs them (`make book`), in headless Chromium.

A JupyterLab server starts on 127.0.0.1 with a random token and a throw-away settings
folder (news and update checks off, every cell kept in the page). For each chapter the
test opens the notebook, runs *Run > Run All Cells*, waits for the kernel, and fails on
any error or stderr output. In each explorer with sliders described "learning rate" and
"iterations" it moves each slider with the keyboard, as a reader would, and checks that
the figure and the status text change. The server is shut down by its process id.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import nbformat
import pytest
from browser import REPO, PageWatch
from test_site import raw_latex, toc_docnames

pytestmark = [pytest.mark.browser, pytest.mark.slow]

CHAPTERS = [name for name in toc_docnames() if (REPO / f"{name}.ipynb").exists()]
SLIDER_WORDS = ("learning rate", "iterations")
# Chapter 4 teaches the learning rate and iterations with sliders (DESIGN.md).
MUST_HAVE_SLIDERS = {"book/04_updating_weights": SLIDER_WORDS}

RUN_TIMEOUT_S = 240
REDRAW_TIMEOUT_S = 60


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def write_json(path: Path, data: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data), encoding="utf-8")


@pytest.fixture(scope="module")
def lab(tmp_path_factory, chromium):
    """A JupyterLab server on the repository; yields (base URL, token)."""
    home = tmp_path_factory.mktemp("jupyterlab")
    config_dir, settings, workspaces = home / "config", home / "settings", home / "workspaces"
    # No "would you like news?" prompt, no update check.
    write_json(
        config_dir / "labconfig" / "page_config.json",
        {"disabledExtensions": {"@jupyterlab/apputils-extension:announcements": True}},
    )
    write_json(
        settings / "@jupyterlab" / "apputils-extension" / "notification.jupyterlab-settings",
        {"fetchNews": "false", "checkForUpdates": False},
    )
    # Never write the executed chapters back to book/ (they are committed without outputs).
    write_json(
        settings / "@jupyterlab" / "docmanager-extension" / "plugin.jupyterlab-settings",
        {"autosave": False},
    )
    # Every cell stays in the page (no virtual scrolling), so the test can see them all.
    write_json(
        settings / "@jupyterlab" / "notebook-extension" / "tracker.jupyterlab-settings",
        {"windowingMode": "none"},
    )
    port, token = free_port(), secrets.token_hex(16)
    env = dict(
        os.environ,
        JUPYTER_CONFIG_DIR=str(config_dir),
        JUPYTER_RUNTIME_DIR=str(home / "runtime"),
        MPLBACKEND="module://matplotlib_inline.backend_inline",
    )
    command = [
        sys.executable, "-m", "jupyterlab",
        "--no-browser", "--allow-root", "--ip=127.0.0.1", f"--port={port}",
        f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={REPO}",
        f"--LabApp.user_settings_dir={settings}", f"--LabApp.workspaces_dir={workspaces}",
        "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
        "--LabApp.news_url=None",
    ]  # fmt: skip
    log = (home / "server.log").open("w")
    server = subprocess.Popen(command, cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.monotonic() + 90
        while True:
            if server.poll() is not None:
                pytest.fail(f"JupyterLab exited:\n{(home / 'server.log').read_text()}")
            try:
                with urllib.request.urlopen(f"{base}api/status?token={token}", timeout=5):
                    break
            except OSError:
                if time.monotonic() > deadline:
                    pytest.fail(f"JupyterLab did not start:\n{(home / 'server.log').read_text()}")
                time.sleep(0.5)
        yield base, token
    finally:
        server.terminate()  # by its process id; the server shuts its kernels down
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(timeout=10)
        log.close()


CELL_STATE = """
() => {
  const cells = Array.from(document.querySelectorAll(".jp-Notebook .jp-CodeCell"));
  const prompts = cells.map((cell) => {
    const prompt = cell.querySelector(".jp-InputArea-prompt");
    return prompt ? prompt.textContent.trim() : "";
  });
  return {
    cells: cells.length,
    running: prompts.filter((p) => p.includes("*")).length,
    done: prompts.filter((p) => /\\[\\d+\\]/.test(p)).length,
  };
}
"""

ERROR_OUTPUTS = """
() => Array.from(document.querySelectorAll(
    '.jp-Notebook .jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]'))
  .map((output) => {
    const cell = output.closest(".jp-CodeCell");
    const source = cell ? cell.querySelector(".jp-InputArea-editor").innerText : "";
    return source.trim().split("\\n")[0].slice(0, 80) + "  ->  " +
           output.innerText.trim().slice(0, 600);
  })
"""

# Sliders whose description names one of the words, grouped by the explorer (the outermost
# widget box) that holds them, with what that explorer currently shows.
EXPLORERS = """
(words) => {
  const boxes = new Map();
  for (const slider of document.querySelectorAll(".jp-Notebook .widget-slider")) {
    const label = slider.querySelector(".widget-label");
    const text = label ? label.textContent.trim().toLowerCase() : "";
    const word = words.find((w) => text.includes(w));
    if (!word) continue;
    let box = slider;
    for (let up = slider.parentElement; up; up = up.parentElement) {
      if (up.classList.contains("jp-OutputArea-output")) break;
      if (up.classList.contains("jupyter-widgets")) box = up;
    }
    if (!boxes.has(box)) boxes.set(box, {});
    boxes.get(box)[word] = true;
  }
  const result = [];
  let index = 0;
  for (const [box, found] of boxes) {
    box.setAttribute("data-test-explorer", String(index));
    result.push({ index: index, sliders: Object.keys(found) });
    index += 1;
  }
  return result;
}
"""

SHOWN = """
(index) => {
  const box = document.querySelector(`[data-test-explorer="${index}"]`);
  // pictures: precomputed images, or the canvas a live explorer draws in the page
  const images = Array.from(box.querySelectorAll("img")).map((img) => img.src)
    .concat(Array.from(box.querySelectorAll("canvas")).map((canvas) => canvas.toDataURL()));
  const texts = Array.from(box.querySelectorAll(
      ".widget-html-content, .widget-htmlmath-content, .bpl-live-status"))
    .map((node) => node.innerText.trim());
  const readouts = Array.from(box.querySelectorAll(".widget-readout"))
                        .map((node) => node.value !== undefined && node.tagName === "INPUT"
                                       ? node.value : node.textContent.trim());
  return { images: images, texts: texts, readouts: readouts };
}
"""


def code_cells(chapter: str) -> int:
    notebook = nbformat.read(REPO / f"{chapter}.ipynb", as_version=4)
    return sum(cell.cell_type == "code" for cell in notebook.cells)


def wait_until(page, condition, timeout_s: float, failure: str) -> dict:
    """Poll ``condition(state)`` on CELL_STATE (plus the kernel status) until it holds."""
    deadline = time.monotonic() + timeout_s
    while True:
        state = page.evaluate(CELL_STATE)
        state["idle"] = (
            page.locator(".jp-Notebook-ExecutionIndicator[data-status='idle']").count() > 0
        )
        if condition(state):
            return state
        if time.monotonic() > deadline:
            pytest.fail(f"{failure} after {timeout_s:.0f} s: {state}")
        page.wait_for_timeout(250)


def run_all_cells(page, chapter: str) -> None:
    """Run > Run All Cells, as a reader does; retried if the kernel was not listening yet."""
    for _attempt in range(3):
        page.locator(".jp-Notebook .jp-Cell").first.click()
        page.locator(".lm-MenuBar-itemLabel", has_text=re.compile("^Run$")).click()
        page.locator(".lm-Menu-itemLabel", has_text=re.compile("^Run All Cells$")).click()
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            state = page.evaluate(CELL_STATE)
            if state["running"] or state["done"]:
                return
            page.wait_for_timeout(250)
    screenshot(page, chapter, "not-started")
    pytest.fail(f"{chapter}: Run All Cells did not start any cell")


def expand_all_code(page) -> None:
    """View > Expand All Code: the exercise cells open collapsed (their inputs hold the
    answers), and a collapsed cell shows no execution count to count."""
    page.locator(".jp-Notebook .jp-Cell").first.click()
    page.locator(".lm-MenuBar-itemLabel", has_text=re.compile("^View$")).click()
    page.locator(".lm-Menu-itemLabel", has_text=re.compile("^Expand All Code$")).click()
    page.wait_for_function(
        "() => document.querySelectorAll('.jp-Notebook .jp-InputPlaceholder').length === 0",
        timeout=10_000,
    )


def screenshot(page, chapter: str, suffix: str = "") -> None:
    shots = REPO / "_build" / "screenshots"
    shots.mkdir(parents=True, exist_ok=True)
    name = re.sub(r"\W", "-", chapter) + (f"-{suffix}" if suffix else "")
    page.screenshot(path=str(shots / f"lab__{name}.png"))


def move_slider(page, explorer: int, word: str) -> None:
    """Focus the slider's handle and press keys, as a reader would: ArrowRight twice and
    End, or Home when the slider already sits at its maximum."""
    box = page.locator(f'[data-test-explorer="{explorer}"]')
    slider = box.locator(".widget-slider").filter(
        has=page.locator(".widget-label", has_text=re.compile(word, re.IGNORECASE))
    )
    handle = slider.first.locator(".noUi-handle").first
    handle.scroll_into_view_if_needed()
    now = float(handle.get_attribute("aria-valuenow"))
    top = float(handle.get_attribute("aria-valuemax"))
    keys = ["ArrowRight", "ArrowRight", "End"] if now < top else ["Home"]
    handle.focus()
    for key in keys:
        handle.press(key)


def wait_for_change(page, explorer: int, before: dict) -> dict:
    deadline = time.monotonic() + REDRAW_TIMEOUT_S
    now = before
    while time.monotonic() < deadline:
        page.wait_for_timeout(500)
        now = page.evaluate(SHOWN, explorer)
        if now["images"] != before["images"] and now["texts"] != before["texts"]:
            # let a burst of updates settle, then read the final state
            page.wait_for_timeout(500)
            return page.evaluate(SHOWN, explorer)
    return now


def run_new_cell(page, code: str) -> str:
    """A new cell at the end of the notebook with ``code``, run as a reader runs it (the
    notebook is not saved); its text output."""
    page.locator(".jp-Notebook .jp-Cell .jp-InputArea-prompt").last.click()
    page.keyboard.press("Escape")  # command mode
    page.keyboard.press("b")  # a new cell below, selected
    page.keyboard.press("Enter")  # edit it
    page.keyboard.type(code)
    page.keyboard.press("Control+Enter")  # run it and stay (Shift+Enter would add a cell)
    output = page.locator(".jp-Notebook .jp-CodeCell").last.locator(".jp-OutputArea-output")
    output.first.wait_for(timeout=REDRAW_TIMEOUT_S * 1000)
    return output.first.inner_text().strip()


def check_the_kernel_reads_the_playground(page, chapter: str) -> None:
    """The playground after the slider moves above: what the kernel's explorer says
    (its status, computed from ``explorer.history`` and ``explorer.network``, the package's
    run from the same start) is what the page's engine drew."""
    notebook = nbformat.read(REPO / f"{chapter}.ipynb", as_version=4)
    names = [
        match.group(1)
        for cell in notebook.cells
        if cell.cell_type == "code" and "remove-cell" not in cell.metadata.get("tags", [])
        for match in [re.search(r"^(\w+) = bl\.TrainingExplorer\(", cell.source, re.M)]
        if match
    ]
    assert len(names) == 1, f"{chapter}: one shown playground expected, found {names}"
    # at the chapter's settings (page and package agree on them; a chaotic run, such as a
    # learning rate at the slider's end, parts in the last bits), move the iterations slider
    playground = page.locator(".bpl-live-playground").first
    playground.scroll_into_view_if_needed()
    status = playground.locator(".bpl-live-status")
    finished = "(s) => s.textContent !== '' && !s.textContent.startsWith('Training')"
    page.wait_for_function(finished, arg=status.element_handle(), timeout=120_000)
    before = status.inner_text()
    box = page.locator(".bpl-live-explorer", has=playground).first
    handle = box.locator(".bpl-control-iterations .noUi-handle")
    handle.focus()
    handle.press("Home")
    page.wait_for_function(
        "([s, before]) => s.textContent !== before", arg=[status.element_handle(), before]
    )
    page.wait_for_function(finished, arg=status.element_handle(), timeout=120_000)
    shown = status.inner_text().strip()
    said = run_new_cell(page, f"print({names[0]}.status)")
    assert said == shown, f"{chapter}: the kernel says {said!r}, the page {shown!r}"


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_chapter_runs_and_sliders_redraw(chromium, lab, chapter, tmp_path):
    base, token = lab
    context = chromium.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    watch = PageWatch().attach(page)
    workspace = re.sub(r"\W", "-", chapter)
    committed = (REPO / f"{chapter}.ipynb").read_bytes()
    try:
        page.goto(f"{base}lab/workspaces/{workspace}/tree/{chapter}.ipynb?token={token}")
        total = code_cells(chapter)
        # the whole notebook is on the page and its kernel is ready
        wait_until(
            page, lambda s: s["cells"] == total and s["idle"], 120, f"{chapter} did not open"
        )
        expand_all_code(page)
        run_all_cells(page, chapter)
        state = wait_until(
            page,
            lambda s: s["done"] == total or (s["idle"] and s["done"] and not s["running"]),
            RUN_TIMEOUT_S,
            f"{chapter}: Run All Cells did not finish",
        )
        page.wait_for_timeout(1000)  # outputs of the last cell
        errors = page.evaluate(ERROR_OUTPUTS)
        assert not errors, f"{chapter}: error or stderr output in JupyterLab:\n" + "\n".join(errors)
        assert state["done"] == total, f"{chapter}: only {state['done']} of {total} cells ran"
        raw = raw_latex(page, ".jp-OutputArea-output")
        assert not raw, f"{chapter}: outputs show raw LaTeX: {raw}"

        explorers = page.evaluate(EXPLORERS, list(SLIDER_WORDS))
        for word in MUST_HAVE_SLIDERS.get(chapter, ()):
            assert any(word in e["sliders"] for e in explorers), (
                f"{chapter}: no slider described {word!r}"
            )
        if page.locator(".bpl-live-playground").count():
            check_the_kernel_reads_the_playground(page, chapter)
        for explorer in explorers:
            # live views draw when they first come into sight: bring each into view and
            # let it draw before the first "before"
            box = page.locator(f'[data-test-explorer="{explorer["index"]}"]')
            box.scroll_into_view_if_needed()
            page.wait_for_function(
                "(box) => Array.from(box.querySelectorAll('.bpl-live-status'))"
                ".every((s) => s.textContent !== '')",
                arg=box.element_handle(),
                timeout=REDRAW_TIMEOUT_S * 1000,
            )
            for word in explorer["sliders"]:
                before = page.evaluate(SHOWN, explorer["index"])
                assert before["images"], f"{chapter}: explorer with {word!r} shows no figure"
                move_slider(page, explorer["index"], word)
                after = wait_for_change(page, explorer["index"], before)
                where = f"{chapter}, explorer {explorer['index']}, slider {word!r}"
                assert after["readouts"] != before["readouts"], f"{where}: slider did not move"
                assert after["images"] != before["images"], f"{where}: figure not redrawn"
                assert after["texts"] != before["texts"], f"{where}: status text unchanged"
                errors = page.evaluate(ERROR_OUTPUTS)
                assert not errors, f"{where}: error after moving the slider:\n" + "\n".join(errors)
        screenshot(page, chapter)
    except BaseException:
        screenshot(page, chapter, "failed")
        raise
    finally:
        context.close()
    assert (REPO / f"{chapter}.ipynb").read_bytes() == committed, f"{chapter} was saved"
    assert not watch.page_errors, f"{chapter}: uncaught JavaScript errors: {watch.page_errors}"
    assert not watch.non_local, f"{chapter}: requests to other hosts: {watch.non_local}"
