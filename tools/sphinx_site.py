"""Sphinx extension for the backprop-lab site: `jupyter-book build .` works like `make site`.

`_config.yml` loads it as a local extension (``sphinx: local_extensions: {sphinx_site:
tools}``). On ``config-inited``, before Sphinx checks ``html_static_path`` and before any
chapter is executed, it

- sets ``BACKPROP_LAB_SITE=1`` in the environment, which the kernels that execute the
  chapters inherit: the exercises then write themselves as HTML that the page checks, and
  long runs show no progress bar (see ``backprop_lab.textbook.site``);
- vendors the site's JavaScript into ``book/_vendor`` (``tools/vendor_js.py``) when it is
  missing or stale, running ``npm ci`` first when ``node_modules`` lacks the pinned
  packages. Without npm it stops the build with one line that says what to do.

``make site`` vendors first (``make vendor``), so this finds everything current there.

As Sphinx writes each page (``html-page-context``, before myst-nb adds the page's widget
state), it keeps in that state only the models the page's widget views reach
(``tools/widget_state.py``): explorers made in hidden checks cost the page nothing. Then
it draws each explorer's starting picture where the explorer left a place for it
(``tools/fallback_pictures.py``), for the reader without JavaScript and while widgets load,
and moves the explorers' ES modules out of the page into parts the site shares
(``tools/view_parts.py``).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

TOOLS = Path(__file__).resolve().parent
if str(TOOLS) not in sys.path:  # Jupyter Book appends it for local_extensions; tests may not
    sys.path.append(str(TOOLS))

import fallback_pictures  # noqa: E402  (tools/ is a folder of scripts, not a package)
import vendor_js  # noqa: E402
import view_parts  # noqa: E402
import widget_state  # noqa: E402

WIDGET_STATE_KEY = "ipywidgets_state"  # myst-nb's key for a page's widget-state script

SITE_VARIABLE = "BACKPROP_LAB_SITE"
NPM_CI = ["ci", "--ignore-scripts", "--no-audit", "--no-fund"]


class SiteSetupError(SystemExit):
    """Stops the build with one line (SystemExit: neither Sphinx nor Jupyter Book wraps it
    in a traceback)."""


def prepare(
    root: Path,
    *,
    which: Callable[[str], str | None] = shutil.which,
    run: Callable[..., Any] = subprocess.run,
) -> str:
    """Make ``root/book/_vendor`` current; return what was done, in a few words."""
    reason = vendor_js.stale(root)
    if reason is None:
        return "book/_vendor is current"
    done = []
    problems = vendor_js.node_modules_problems(root)
    if problems:
        npm = which("npm")
        if npm is None:
            raise SiteSetupError(
                f"sphinx_site: the site's JavaScript is not vendored ({reason}) and npm is not "
                "installed to fetch it: install npm (Debian: apt-get install npm) and run "
                "`make site`"
            )
        result = run([npm, *NPM_CI], cwd=root, check=False)
        if result.returncode != 0:
            raise SiteSetupError(
                f"sphinx_site: `npm ci` failed (exit {result.returncode}, output above) while "
                f"vendoring the site's JavaScript ({reason}); fix it and run `make site`"
            )
        # The stamp that the Makefile's node_modules rule makes, so `make` agrees.
        (root / "node_modules" / ".installed").touch()
        done.append("npm ci")
    vendor_js.vendor(root)
    done.append(f"vendored book/_vendor ({reason})")
    return ", ".join(done)


def config_inited(app: Any, config: Any) -> None:
    # "1" unless the builder said otherwise: the exercises then write themselves as HTML
    # that the page checks (backprop_lab/textbook/site.py)
    os.environ.setdefault(SITE_VARIABLE, "1")
    from sphinx.util import logging

    done = prepare(Path(app.confdir))
    logging.getLogger(__name__).info(f"sphinx_site: {done}; {SITE_VARIABLE}=1")


def finish_page_widgets(
    app: Any, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    """Keep in ``pagename``'s widget state only what its widget views reach, draw the
    page's explorers' static pictures, and move the views' modules into the site's shared
    parts (loaded by deferred scripts)."""
    metadata = getattr(app.env, "nb_metadata", {}).get(pagename, {})
    entry = metadata.get("js_files", {}).get(WIDGET_STATE_KEY)
    if entry is None:
        return
    uri, attributes = entry
    saved = json.loads(attributes["body"])
    shown = widget_state.shown_models(context.get("body", ""))
    pruned = widget_state.prune_widget_state(saved, shown)
    context["body"] = fallback_pictures.add_pictures(context.get("body", ""), pruned, page=pagename)
    split, scripts = view_parts.split_modules(pruned, Path(app.outdir) / "_static")
    body = json.dumps(split).replace("</", "<\\/")  # as myst-nb's sanitize_script_content
    metadata["js_files"][WIDGET_STATE_KEY] = (uri, {**attributes, "body": body})
    for script in scripts:
        metadata["js_files"][f"bpl-{script}"] = (script, {"defer": "defer"})


def setup(app: Any) -> dict[str, Any]:
    # Priority 500 runs before Sphinx's own html_static_path check (priority 800).
    app.connect("config-inited", config_inited, priority=500)
    # Before myst-nb's add_per_page_html_resources (priority 500) reads the state.
    app.connect("html-page-context", finish_page_widgets, priority=400)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
