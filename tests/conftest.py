"""Shared pytest settings: headless matplotlib, hypothesis profiles, a headless browser,
one line when the site tests skipped because the site is not built."""

import atexit
import os
import shutil
import tempfile

# matplotlib's font cache, for this test run and every process it starts (kernels, fresh
# environments), apart from the user's: `make test` builds the site beside the tests, and
# a test that makes a fresh environment (tests/integration/test_binder.py) would rewrite
# the shared cache with paths into its temporary folder while the site's kernels read it
# ("findfont: ... not found" on stderr fails the build). The cache is built here, once,
# before any kernel starts (a kernel building it says so on stderr, which fails a test).
if "MPLCONFIGDIR" not in os.environ:
    os.environ["MPLCONFIGDIR"] = tempfile.mkdtemp(prefix="backprop-lab-matplotlib-")
    atexit.register(shutil.rmtree, os.environ["MPLCONFIGDIR"], ignore_errors=True)

import matplotlib
import matplotlib.font_manager  # builds the font cache
import pytest
from hypothesis import HealthCheck, settings

matplotlib.use("Agg")

# Under CI=true the examples are derandomized (drawn from a fixed seed per test), so a
# green CI run means the same on every machine and a red one reproduces anywhere with
# `CI=true pytest ...`; print_blob prints the @reproduce_failure line of a failure.
# Locally the examples are random, which keeps looking for new counterexamples.
settings.register_profile(
    "ci",
    max_examples=60,
    deadline=None,
    derandomize=True,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile("dev", max_examples=30, deadline=None, print_blob=True)
settings.load_profile("ci" if os.environ.get("CI") else "dev")


@pytest.fixture(scope="session")
def chromium():
    """Headless Chromium (a playwright Browser), shared by the browser tests.

    Skips when Chromium is missing, fails instead under CI=true (see tests/browser.py).
    """
    from browser import launch_chromium

    with launch_chromium() as browser:
        yield browser


# Fixtures that need the built site, or a browser or JupyterLab (which share the machine's
# two cores with a site build badly): `make test` runs the tests using them after the site
# build, and every other test beside the build (`-m "not after_site"`).
AFTER_SITE_FIXTURES = frozenset({"site", "site_url", "chromium", "lab"})


def pytest_collection_modifyitems(config, items):
    """Mark ``after_site`` every test that uses one of :data:`AFTER_SITE_FIXTURES`."""
    for item in items:
        if AFTER_SITE_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.after_site)


def pytest_terminal_summary(terminalreporter):
    """One line at the end when tests skipped because the site is not built (a fresh clone:
    `pytest` before `make site`), saying how to build it."""
    from browser import SITE_NOT_BUILT

    reasons = [
        report.longrepr[2]
        for report in terminalreporter.stats.get("skipped", [])
        if isinstance(report.longrepr, tuple)
        and report.longrepr[2].startswith(f"Skipped: {SITE_NOT_BUILT}")
    ]
    if reasons:
        reason = reasons[0].removeprefix("Skipped: ")
        terminalreporter.write_line(f"{len(reasons)} tests skipped: {reason}")
