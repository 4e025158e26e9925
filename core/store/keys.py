"""Reversible escaping of document keys that MongoDB would misread.

Customers' properties and traits are free-form: a key may start with ``$``, hold a
dot or a NUL byte. Such keys are stored percent-escaped (``%24``, ``%2E``, ``%00``;
``%`` itself becomes ``%25``) and decoded on the way out, so callers always see the
keys exactly as they were sent.
"""

import re
from typing import Any

_ESCAPES = {"%": "%25", "$": "%24", ".": "%2E", "\x00": "%00"}
_MUST_ESCAPE = frozenset(_ESCAPES)
_UNESCAPES = {escaped: plain for plain, escaped in _ESCAPES.items()}
_ESCAPED = re.compile("|".join(re.escape(escaped) for escaped in _UNESCAPES))


def escape_key(key: str) -> str:
    """Return ``key`` in its stored form."""
    if not _MUST_ESCAPE.intersection(key):
        return key
    return "".join(_ESCAPES.get(char, char) for char in key)


def unescape_key(key: str) -> str:
    """Return the key a stored key stands for (the inverse of :func:`escape_key`)."""
    if "%" not in key:
        return key
    return _ESCAPED.sub(lambda match: _UNESCAPES[match.group()], key)


def escape_keys(value: Any) -> Any:
    """Return ``value`` with every mapping key escaped, recursively."""
    if isinstance(value, dict):
        return {escape_key(k): escape_keys(v) for k, v in value.items()}
    if isinstance(value, list):
        return [escape_keys(item) for item in value]
    return value


def unescape_keys(value: Any) -> Any:
    """Return ``value`` with every mapping key unescaped, recursively."""
    if isinstance(value, dict):
        return {unescape_key(k): unescape_keys(v) for k, v in value.items()}
    if isinstance(value, list):
        return [unescape_keys(item) for item in value]
    return value
