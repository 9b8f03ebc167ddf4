"""A network as plain data: a dict, JSON text or a file, and back (chapter 5).

The functions that build a network take its class as an argument, so this module imports
nothing of :mod:`backprop_lab.nn.network`; :class:`~backprop_lab.Network`'s ``to_dict``,
``from_dict``, ``to_json``, ``from_json``, ``save`` and ``load`` call them.

A network exported by the playground (chapter 5) also carries how it was trained: its
``"input_features"`` (the names of the columns its inputs are, e.g. ``["x1", "x2",
"x1^2"]``) and its ``"regularization"`` (``{"l2": ..., "l1": ...}``). ``from_dict`` checks
them when they are there and rebuilds the network without them;
:func:`network_training_settings` reads them.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from backprop_lab.checks.arguments import check_layer_sizes, check_memory, check_path, describe

if TYPE_CHECKING:
    from backprop_lab.nn.network import Network

__all__ = [
    "load_network",
    "network_from_dict",
    "network_from_json",
    "network_to_dict",
    "network_to_json",
    "network_training_settings",
    "save_network",
]

_FORMAT = "backprop_lab.Network/1"
_KEYS = ("layer_sizes", "activation", "output_activation", "loss", "dtype", "weights", "biases")


def network_to_dict(
    net: Network,
    *,
    input_features: Any = None,
    regularization: dict[str, float] | None = None,
) -> dict[str, Any]:
    """Everything needed to rebuild this network, as plain Python (JSON-ready).

    ``input_features`` (one name per input) and ``regularization`` (``{"l2": ..., "l1":
    ...}``) are written when given, as the playground exports them (checked as
    :func:`network_training_settings` checks them).
    """
    data = {
        "format": _FORMAT,
        "layer_sizes": net.layer_sizes,
        "activation": net.activation,
        "output_activation": net.output_activation,
        "loss": net.loss_name,
        "dtype": np.dtype(net.dtype).name,
        "weights": [w.tolist() for w in net.weights],
        "biases": [b.tolist() for b in net.biases],
    }
    if input_features is not None:
        data["input_features"] = list(input_features)
    if regularization is not None:
        data["regularization"] = dict(regularization)
    _check_training_settings(data, net.layer_sizes[0])
    return data


def _check_training_settings(data: dict[str, Any], n_inputs: int) -> dict[str, Any]:
    features = data.get("input_features")
    if features is not None:
        if (
            not isinstance(features, list | tuple)
            or len(features) != n_inputs
            or not all(isinstance(f, str) and f for f in features)
            or len(set(features)) != len(features)
        ):
            raise ValueError(
                f"data['input_features'] must name each of the network's {n_inputs} inputs "
                f"once (a list of {n_inputs} different names such as 'x1'); got "
                f"{describe(features)}"
            )
        features = tuple(features)
    rates = data.get("regularization", {"l2": 0.0, "l1": 0.0})
    if not isinstance(rates, dict) or set(rates) != {"l2", "l1"}:
        raise ValueError(
            "data['regularization'] must be a dict with the keys 'l2' and 'l1'; got "
            f"{describe(rates)}"
        )
    for key, rate in rates.items():
        if isinstance(rate, bool) or not isinstance(rate, int | float) or not 0 <= rate < np.inf:
            raise ValueError(
                f"data['regularization']['{key}'] must be a number >= 0; got {describe(rate)}"
            )
    return {"input_features": features, "l2": float(rates["l2"]), "l1": float(rates["l1"])}


def network_training_settings(data: dict[str, Any]) -> dict[str, Any]:
    """How a network exported by the playground was trained (chapter 5): its
    ``input_features`` (a tuple of names, or None when the data do not say) and its
    ``l2`` and ``l1`` rates (0 when they do not say).

    Raises
    ------
    ValueError
        If ``data`` is not a network's dict (see :func:`network_from_dict`), or its
        ``"input_features"`` do not name each input once, or ``"regularization"`` is not
        ``{"l2": rate, "l1": rate}`` with rates >= 0.
    """
    found = data.get("format") if isinstance(data, dict) else None
    if found != _FORMAT:
        raise ValueError(
            f"data must be a dict made by Network.to_dict (format {_FORMAT!r}); "
            f"got {type(data).__name__} with format {found!r}"
        )
    sizes = check_layer_sizes("data['layer_sizes']", data.get("layer_sizes"))
    return _check_training_settings(data, sizes[0])


def network_from_dict(cls: type[Network], data: dict[str, Any]) -> Network:
    """Rebuild a network from :meth:`to_dict`'s output.

    Raises
    ------
    ValueError
        If ``data`` is not a dict made by :meth:`to_dict`: another format, a key
        missing, ``layer_sizes`` that contradict the weights, or any value
        :meth:`from_weights` refuses.
    TypeError
        If a field has the wrong type (e.g. ``"activation": 3``).
    """
    found = data.get("format") if isinstance(data, dict) else None
    if found != _FORMAT:
        raise ValueError(
            f"data must be a dict made by Network.to_dict (format {_FORMAT!r}); "
            f"got {type(data).__name__} with format {found!r}"
        )
    missing = [key for key in _KEYS if key not in data]
    if missing:
        raise ValueError(
            f"data must hold the keys {', '.join(map(repr, _KEYS))} (as Network.to_dict "
            f"writes them); {', '.join(map(repr, missing))} missing"
        )
    net = cls.from_weights(
        data["weights"],
        data["biases"],
        activation=data["activation"],
        output_activation=data["output_activation"],
        loss=data["loss"],
        dtype=data["dtype"],
    )
    sizes = check_layer_sizes("data['layer_sizes']", data["layer_sizes"])
    if sizes != net.layer_sizes:
        raise ValueError(
            f"data['layer_sizes'] must match the weights, which describe layer sizes "
            f"{net.layer_sizes}; got {sizes} (the data were edited or damaged)"
        )
    _check_training_settings(data, sizes[0])
    return net


def network_to_json(net: Network) -> str:
    """The network as a JSON string; floats round-trip exactly."""
    return json.dumps(network_to_dict(net))


def network_from_json(cls: type[Network], text: str) -> Network:
    """Rebuild a network from :meth:`to_json`'s output.

    Raises
    ------
    TypeError
        If ``text`` is not a string.
    ValueError
        If it is not JSON, or not a network (see :meth:`from_dict`).
    """
    if not isinstance(text, str | bytes | bytearray):
        raise TypeError(
            f"text must be a string of JSON made by Network.to_json; got {describe(text)}"
        )
    try:
        data = json.loads(text)
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        reason = error.msg if isinstance(error, json.JSONDecodeError) else "not UTF-8 text"
        raise ValueError(
            f"text must be JSON made by Network.to_json; got text that is not JSON "
            f"({reason}, at character {getattr(error, 'pos', getattr(error, 'start', 0))})"
        ) from None
    except RecursionError:
        raise ValueError(
            "text must be JSON made by Network.to_json; got JSON nested too deeply"
        ) from None
    return network_from_dict(cls, data)


def save_network(net: Network, path: str | Path) -> Path:
    """Write the network to a JSON file, so a reader can keep a trained network.

    Raises
    ------
    TypeError
        If ``path`` is not a string or :class:`~pathlib.Path`.
    ValueError
        If it is empty, a folder, in a folder that does not exist, or cannot be
        written.
    """
    path = check_path("path", path)
    if path.is_dir():
        raise ValueError(f"path must name a file to write; got the folder {str(path)!r}")
    if not path.parent.is_dir():
        raise ValueError(
            f"path must be in a folder that exists; got {str(path)!r}, whose folder "
            f"{str(path.parent)!r} does not exist"
        )
    try:
        path.write_text(network_to_json(net), encoding="utf-8")
    except OSError as error:
        raise ValueError(
            f"path {str(path)!r} cannot be written: {error.strerror or error}"
        ) from None
    return path


def load_network(cls: type[Network], path: str | Path) -> Network:
    """Read a network written by :meth:`save`.

    Raises
    ------
    TypeError
        If ``path`` is not a string or :class:`~pathlib.Path`.
    ValueError
        If the file does not exist, is a folder, cannot be read, is not text, or does
        not hold a network saved by :meth:`save`.
    """
    path = check_path("path", path)
    if path.is_dir():
        raise ValueError(
            f"path must name a file saved by Network.save; got the folder {str(path)!r}"
        )
    if not path.exists():
        raise ValueError(
            f"path must name a file saved by Network.save; {str(path)!r} does not exist"
        )
    try:
        text = path.read_bytes()
    except OSError as error:
        raise ValueError(f"path {str(path)!r} cannot be read: {error.strerror or error}") from None
    check_memory(f"the file {str(path)!r}", 8 * len(text), "it is not a saved network")
    try:
        text = text.decode("utf-8")
    except UnicodeDecodeError:
        raise ValueError(
            f"path {str(path)!r} is not a text file; Network.save writes JSON text"
        ) from None
    try:
        return network_from_json(cls, text)
    except ValueError as error:
        raise ValueError(
            f"path {str(path)!r} does not hold a network saved by Network.save: {error}"
        ) from None
