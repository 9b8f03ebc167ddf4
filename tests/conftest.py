"""Shared pytest settings: headless matplotlib, hypothesis profiles, a headless browser."""

import os

import matplotlib
import pytest
from hypothesis import HealthCheck, settings

matplotlib.use("Agg")

settings.register_profile(
    "ci", max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile("dev", max_examples=30, deadline=None)
settings.load_profile("ci" if os.environ.get("CI") else "dev")


@pytest.fixture(scope="session")
def chromium():
    """Headless Chromium (a playwright Browser), shared by the browser tests.

    Skips when Chromium is missing, fails instead under CI=true (see tests/browser.py).
    """
    from browser import launch_chromium

    with launch_chromium() as browser:
        yield browser
