"""Tests that look at the book as a whole. The helpers of tests/ (browser.py) are
importable from here too."""

import sys
from pathlib import Path

TESTS = Path(__file__).resolve().parents[1]
if str(TESTS) not in sys.path:
    sys.path.insert(0, str(TESTS))
