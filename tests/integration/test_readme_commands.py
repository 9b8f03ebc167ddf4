"""The README's first command, `make book`, really opens the book in JupyterLab.

The test runs `make book` as a newcomer would (with the venv already set up by `make
test`), on a free port without a browser, waits until the server answers with the chapter
list, and stops it. It catches what a reader would hit first: a Makefile that cannot start
JupyterLab (as root it needs --allow-root), or a server that does not serve book/.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

REPO = next(p for p in Path(__file__).resolve().parents if (p / "pyproject.toml").is_file())
TOKEN = "readme-test"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def listing(port: int) -> list[str]:
    url = f"http://127.0.0.1:{port}/api/contents?token={TOKEN}"
    with urllib.request.urlopen(url, timeout=2) as response:
        return sorted(item["name"] for item in json.load(response)["content"])


@pytest.mark.slow
def test_make_book_serves_the_chapters(tmp_path):
    if not (REPO / ".venv" / ".installed").exists():
        pytest.skip("the venv is not set up: run `make test` (or `make setup`) first")
    port = free_port()
    lab_args = (
        f"--no-browser --ip=127.0.0.1 --port={port} --ServerApp.port_retries=0 "
        f"--IdentityProvider.token={TOKEN} --LabApp.news_url=None"
    )
    log = tmp_path / "lab.log"
    with log.open("w") as out:
        process = subprocess.Popen(
            ["make", "--no-print-directory", "book", f"LAB_ARGS={lab_args}"],
            cwd=REPO,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        deadline = time.monotonic() + 60
        names: list[str] = []
        while time.monotonic() < deadline and process.poll() is None:
            try:
                names = listing(port)
                break
            except OSError:
                time.sleep(0.5)
        assert names, f"`make book` did not serve JupyterLab:\n{log.read_text()[-2000:]}"
        chapters = sorted(p.name for p in (REPO / "book").glob("*.ipynb"))
        assert set(chapters) <= set(names), f"the server shows {names}, not the chapters"
        assert "_vendor" not in names
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
