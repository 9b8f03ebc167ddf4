"""What the book's static website needs from the package (every chapter).

The website is built by executing every chapter with ``BACKPROP_LAB_SITE=1`` in the
environment (``make site``, or ``jupyter-book build .`` through ``tools/sphinx_site.py``).
Then, and only then, the exercises write themselves as HTML that the page checks in
JavaScript (``tools/site_static/backprop-lab.js``). In JupyterLab and on Binder the
variable is unset and the exercises are ipywidgets checked by Python. (The explorers are
the same everywhere: they compute in the page.)
"""

from __future__ import annotations

import base64
import json
import os
from typing import Any

__all__ = ["SITE_VARIABLE", "building_site", "encode_data"]

SITE_VARIABLE = "BACKPROP_LAB_SITE"


def building_site() -> bool:
    """Whether the chapter is being executed for the static website.

    True when the environment variable ``BACKPROP_LAB_SITE`` is ``"1"``.
    """
    return os.environ.get(SITE_VARIABLE, "") == "1"


def encode_data(data: Any) -> str:
    """``data`` as JSON in base64: for an HTML attribute the reader does not see as text."""
    text = json.dumps(data, separators=(",", ":"), allow_nan=False)
    return base64.b64encode(text.encode("utf-8")).decode("ascii")
