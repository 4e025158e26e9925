"""Dotted paths into event data: ``properties.items.0.sku``.

A path is a dot-separated list of steps read from the left. A step is a mapping key
or, when the value reached so far is a list, a list index (``0`` is the first item,
``-1`` the last). Keys are read literally, so ``properties.Order ID`` works; a key
that itself holds a dot cannot be reached (the condition language can).

>>> read_path({"properties": {"items": [{"sku": "A-1"}]}}, "properties.items.0.sku")
'A-1'
>>> read_path({"properties": {}}, "properties.email") is MISSING
True
"""

from __future__ import annotations

from typing import Any

from cairn.core.conditions import MISSING


# One "nothing there" value for the whole of Cairn: the condition language's.
__all__ = ["MISSING", "check_path", "read_path"]


def read_path(data: Any, path: str) -> Any:
    """Return the value at ``path`` inside ``data``, or :data:`MISSING`."""
    value = data
    for step in path.split("."):
        if isinstance(value, dict):
            if step not in value:
                return MISSING
            value = value[step]
        elif isinstance(value, list | tuple):
            try:
                value = value[int(step)]
            except (ValueError, IndexError):
                return MISSING
        else:
            return MISSING
    return value


def check_path(path: str) -> str:
    """Return ``path`` stripped if it is a well-formed dotted path; raise ``ValueError`` otherwise.

    For config validators: ``properties..email`` or an empty path is refused with a hint.
    """
    path = path.strip()
    if not path:
        raise ValueError("the path is empty; write the keys to follow, e.g. 'properties.email'")
    if any(not step.strip() for step in path.split(".")):
        raise ValueError(f"the path {path!r} has an empty step; separate keys with single dots, "
                         "e.g. 'properties.items.0.sku'")
    return path
