"""Helpers for the tests that look at the book as a reader would: in headless Chromium.

The browser is Debian's ``chromium`` (``apt-get install chromium``), driven by the
``playwright`` Python package; ``playwright install`` is never needed (nor run). Without
Chromium the browser tests skip, except under ``CI=true``, where a missing browser fails.
The same goes for the built site (``make site``): :func:`require_site`.

Everything a page asks for must come from 127.0.0.1: :class:`PageWatch` aborts any other
request and records it, along with console errors, uncaught exceptions, failed requests and
HTTP error responses, so a test can assert that a page loaded cleanly.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import os
import shutil
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

REPO = next(p for p in Path(__file__).resolve().parents if (p / "pyproject.toml").is_file())
SITE = REPO / "_build" / "html"

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
    "--disable-dev-shm-usage",
]

LOCAL_HOSTS = {"127.0.0.1", "localhost", "[::1]", "::1"}
LOCAL_SCHEMES = {"data", "blob", "about", "javascript"}


def chromium_path() -> str | None:
    """The Chromium executable: $CHROMIUM, /usr/bin/chromium, or chromium on the PATH."""
    candidates = [os.environ.get("CHROMIUM"), "/usr/bin/chromium", shutil.which("chromium")]
    for candidate in candidates:
        if candidate and Path(candidate).is_file() and os.access(candidate, os.X_OK):
            return candidate
    return None


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def require_chromium() -> str:
    """Return Chromium's path; skip the test without it (fail under CI=true)."""
    path = chromium_path()
    if path is None:
        message = (
            "headless Chromium is needed for the browser tests and was not found at "
            "/usr/bin/chromium or on the PATH (Debian: apt-get install -y chromium; "
            "or set CHROMIUM=/path/to/chromium)"
        )
        if in_ci():
            pytest.fail(message + " [CI=true: a missing browser is a failure]", pytrace=False)
        pytest.skip(message)
    return path


SITE_NOT_BUILT = "the site is not built"


def require_site(site: Path = SITE) -> Path:
    """Return the built site's folder; skip the test when it has not been built (a fresh
    clone), fail instead under CI=true, where `make test` builds it first. (conftest.py
    sums such skips up in one line at the end of the run.)"""
    if not (site / "index.html").is_file():
        shown = site.relative_to(REPO) if site.is_relative_to(REPO) else site
        message = f"{SITE_NOT_BUILT} ({shown}/index.html is missing): run `make site` first"
        if in_ci():
            pytest.fail(message + " [CI=true: a missing site is a failure]", pytrace=False)
        pytest.skip(message)
    return site


@contextlib.contextmanager
def launch_chromium() -> Iterator[Any]:
    """Start headless Chromium through playwright; yield the Browser, close it after."""
    executable = require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=executable, args=CHROMIUM_ARGS, headless=True
        )
        try:
            yield browser
        finally:
            browser.close()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@contextlib.contextmanager
def serve_directory(directory: Path) -> Iterator[str]:
    """Serve ``directory`` over HTTP on 127.0.0.1 at a free port; yield its base URL."""
    handler = functools.partial(_QuietHandler, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, name="site-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


def is_local(url: str) -> bool:
    """Whether a request for ``url`` stays on this machine."""
    parts = urlsplit(url)
    if parts.scheme in LOCAL_SCHEMES:
        return True
    return parts.scheme in {"http", "https", "ws", "wss"} and parts.hostname in LOCAL_HOSTS


@dataclass
class PageWatch:
    """Everything that went wrong while a page loaded and ran.

    Attach to a page before navigating (:meth:`attach`); every request to another host is
    aborted and recorded in ``non_local``.
    """

    non_local: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    failed_requests: list[str] = field(default_factory=list)
    http_errors: list[str] = field(default_factory=list)
    ignore_console: tuple[str, ...] = ()

    def attach(self, page: Any) -> PageWatch:
        page.route("**/*", self._route)
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.page_errors.append(str(error)))
        page.on("requestfailed", self._request_failed)
        page.on("response", self._response)
        return self

    def _route(self, route: Any) -> None:
        url = route.request.url
        if is_local(url):
            route.continue_()
        else:
            self.non_local.append(url)
            route.abort("blockedbyclient")

    def _console(self, message: Any) -> None:
        if message.type != "error":
            return
        text = message.text
        if any(pattern in text for pattern in self.ignore_console):
            return
        location = message.location or {}
        where = location.get("url", "")
        self.console_errors.append(f"{text} ({where})" if where else text)

    def _request_failed(self, request: Any) -> None:
        if not is_local(request.url):
            return  # already recorded as non-local
        self.failed_requests.append(f"{request.url}: {request.failure}")

    def _response(self, response: Any) -> None:
        if response.status >= 400:
            self.http_errors.append(f"{response.status} {response.url}")

    def problems(self) -> list[str]:
        """One line per problem, grouped by kind; empty when the page was clean."""
        lines = []
        for label, items in [
            ("request to a non-local address", self.non_local),
            ("console error", self.console_errors),
            ("uncaught exception", self.page_errors),
            ("failed request", self.failed_requests),
            ("HTTP error", self.http_errors),
        ]:
            lines.extend(f"{label}: {item}" for item in items)
        return lines


# MathJax typesets the site's equations lazily (_config.yml loads ui/lazy): an equation is
# typeset when it comes near the window, and all of them when the page is printed. A test
# that reads every equation first asks for all of them, as printing does.
TYPESET_ALL = """
() => MathJax.startup.promise.then(() => {
  const doc = MathJax.startup.document;
  return doc.lazyTypesetAll ? doc.lazyTypesetAll() : null;
}).then(() => true)
"""


def typeset_all_math(page: Any, timeout_ms: int = 30_000) -> None:
    """Wait for MathJax to start on ``page``, then have it typeset every equation.

    Raises Playwright's TimeoutError when MathJax never starts.
    """
    page.wait_for_function(
        "() => window.MathJax && MathJax.startup && MathJax.startup.promise", timeout=timeout_ms
    )
    page.evaluate(TYPESET_ALL)
