"""The shape of what built-in nodes send through their ``error`` port."""

from __future__ import annotations

from typing import Any

from cairn.core.nodes import Output


def error_output(message: str, **details: Any) -> Output:
    """Follow the ``error`` port with ``{"error": message, **details}``."""
    return Output("error", {"error": message, **details})
