"""The numerical core: activations, losses, the dense :class:`Network` with its forward and
backward passes, parameter names, traces and training (numpy only)."""
