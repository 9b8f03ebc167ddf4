"""The progress of a long training run (chapter 5): a line on stdout, or a notebook view.

The numerical core imports no widget library. In a Jupyter kernel the view comes from a
factory registered with :func:`use_notebook_view` by a higher layer
(:mod:`backprop_lab.textbook.progress`, registered as soon as ``backprop_lab`` is used in a
kernel); without one, progress is a line on stdout.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable
from typing import Any

__all__ = ["Progress", "auto_progress", "shell_kind", "use_notebook_view"]

# Shown in automatic mode when the run is expected to take longer than this (seconds),
# estimated once the first updates have taken _PROGRESS_PROBE seconds; then redrawn every
# _PROGRESS_REDRAW seconds.
_PROGRESS_AFTER = 2.0
_PROGRESS_PROBE = 0.1
_PROGRESS_REDRAW = 0.25
NEVER = sys.maxsize

_notebook_view: Callable[[int], Any] | None = None


def use_notebook_view(factory: Callable[[int], Any] | None) -> None:
    """Show progress in a Jupyter kernel with ``factory(total)``.

    The view it returns has ``update(t, text)`` and ``close(history)``. None goes back to
    the line on stdout.
    """
    global _notebook_view
    if factory is not None and not callable(factory):
        raise TypeError(f"factory must be callable or None; got {type(factory).__name__}")
    _notebook_view = factory


def _shell() -> Any:
    ipython = sys.modules.get("IPython")
    return None if ipython is None else ipython.get_ipython()


def shell_kind() -> str | None:
    """``"kernel"`` inside a Jupyter kernel, ``"terminal"`` in terminal IPython, else None."""
    shell = _shell()
    if shell is None:
        return None
    return "kernel" if type(shell).__name__ == "ZMQInteractiveShell" else "terminal"


def _running_a_cell() -> bool:
    """False when the kernel is answering a widget (a ``comm_msg``), not running a cell."""
    parent = getattr(_shell(), "parent_header", None)
    header = parent.get("header") if isinstance(parent, dict) else None
    kind = header.get("msg_type") if isinstance(header, dict) else None
    return kind in (None, "execute_request")


def _truthy(text: str | None) -> bool:
    return (text or "").strip().lower() not in ("", "0", "false", "no", "off")


def auto_progress(environ: Any = None) -> bool:
    """Whether ``progress=None`` may show a bar (the run must still be long).

    Only in a Jupyter kernel that a Jupyter server started for a notebook (JupyterLab,
    Notebook, Binder: the server sets ``JPY_SESSION_NAME``), never under ``CI``, pytest or
    ``BACKPROP_LAB_SITE=1``, so not in ``jupyter-book`` execution, nbval or the tests,
    whose kernels are started without a server; and only while a cell runs, not in a
    widget's callback (an explorer retraining on a slider move).
    ``BACKPROP_LAB_PROGRESS=0`` turns it off, ``=1`` on in any kernel.
    """
    environ = os.environ if environ is None else environ
    setting = environ.get("BACKPROP_LAB_PROGRESS")
    if setting is not None and setting.strip() and not _truthy(setting):
        return False
    if shell_kind() != "kernel" or not _running_a_cell():
        return False
    if _truthy(setting):
        return True
    if _truthy(environ.get("CI")) or "PYTEST_CURRENT_TEST" in environ:
        return False
    if _truthy(environ.get("BACKPROP_LAB_SITE")):  # chapters executed for the website
        return False
    return "JPY_SESSION_NAME" in environ


class Progress:
    """The progress of one run: a notebook view in a kernel (when one is registered), else
    a line on stdout.

    In automatic mode nothing is shown until the first updates have taken
    ``_PROGRESS_PROBE`` seconds and the whole run is then expected to take longer than
    ``_PROGRESS_AFTER``. :meth:`update` returns the iteration at which to call it again.
    """

    def __init__(self, total: int, forced: bool) -> None:
        self.total = total
        self.start = time.perf_counter()
        self.in_kernel = shell_kind() == "kernel" and _notebook_view is not None
        self.view: Any = None
        self.shown = False
        if forced:
            self._show()

    def _show(self) -> None:
        self.shown = True
        if self.in_kernel:
            self.view = _notebook_view(self.total)

    def _text(self, t: int, loss: float, elapsed: float) -> str:
        text = f"{t:,} / {self.total:,} iterations, loss {loss:.4g}, {elapsed:.0f} s"
        if t:
            text += f", about {elapsed * (self.total - t) / t:.0f} s left"
        return text

    def update(self, t: int, loss: float) -> int:
        elapsed = time.perf_counter() - self.start
        if not self.shown:
            if elapsed < _PROGRESS_PROBE:
                return 2 * t  # probe again after twice as many updates
            if elapsed * self.total / t <= _PROGRESS_AFTER:
                return NEVER  # a short run: no bar
            self._show()
        text = self._text(t, loss, elapsed)
        if self.view is not None:
            self.view.update(t, text)
        else:
            sys.stdout.write(f"\rtraining: {text}   ")
            sys.stdout.flush()
        return t + max(1, int(t / elapsed * _PROGRESS_REDRAW)) if elapsed > 0 else t + 1

    def close(self, history: Any) -> None:
        if not self.shown:
            return
        if self.view is not None:
            self.view.close(history)
        else:
            sys.stdout.write(f"\rtraining: {history.message}\n")
            sys.stdout.flush()
