"""Reversible escaping of document keys that MongoDB would misread.

Customers' properties and traits are free-form: a key may start with ``$``, hold a
dot or a NUL byte. Such keys are stored percent-escaped (``%24``, ``%2E``, ``%00``;
``%`` itself becomes ``%25``) and decoded on the way out, so callers always see the
keys exactly as they were sent.

Every event and profile passes through here on its way in and out, so the walk is
written for speed: scalars are not descended into, and keys are only rewritten
when they hold one of the four characters.
"""

import re
from datetime import datetime
from typing import Any

_ESCAPES = {"%": "%25", "$": "%24", ".": "%2E", "\x00": "%00"}
_ESCAPE_TABLE = str.maketrans(_ESCAPES)
_UNESCAPES = {escaped: plain for plain, escaped in _ESCAPES.items()}
_ESCAPED = re.compile("|".join(re.escape(escaped) for escaped in _UNESCAPES))
_LEAVES = frozenset({str, int, float, bool, type(None), datetime, bytes})


def escape_key(key: str) -> str:
    """Return ``key`` in its stored form."""
    if "%" in key or "$" in key or "." in key or "\x00" in key:
        return key.translate(_ESCAPE_TABLE)
    return key


def unescape_key(key: str) -> str:
    """Return the key a stored key stands for (the inverse of :func:`escape_key`)."""
    if "%" not in key:
        return key
    return _ESCAPED.sub(lambda match: _UNESCAPES[match.group()], key)


def escape_keys(value: Any) -> Any:
    """Return ``value`` with every mapping key escaped, recursively (new dicts and lists)."""
    if isinstance(value, dict):
        escaped = {}
        for key, item in value.items():
            if "%" in key or "$" in key or "." in key or "\x00" in key:
                key = key.translate(_ESCAPE_TABLE)
            escaped[key] = item if type(item) in _LEAVES else escape_keys(item)
        return escaped
    if isinstance(value, list):
        return [item if type(item) in _LEAVES else escape_keys(item) for item in value]
    return value


def unescape_keys(value: Any) -> Any:
    """Return ``value`` with every mapping key unescaped, recursively (new dicts and lists)."""
    if isinstance(value, dict):
        plain = {}
        for key, item in value.items():
            if "%" in key:
                key = unescape_key(key)
            plain[key] = item if type(item) in _LEAVES else unescape_keys(item)
        return plain
    if isinstance(value, list):
        return [item if type(item) in _LEAVES else unescape_keys(item) for item in value]
    return value
