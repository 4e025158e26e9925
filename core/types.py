"""Type aliases shared across Cairn's core."""

from typing import Any

JSON = dict[str, Any]
"""A JSON object as decoded from a request body or stored document."""
