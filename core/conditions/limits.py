"""Size limits that keep compiling and evaluating a condition cheap and safe."""

MAX_SOURCE_LENGTH = 4_000
"""Longest condition source accepted, in characters."""

MAX_DEPTH = 50
"""Deepest nesting accepted (parentheses, lists, calls, ``not`` and unary minus)."""

MAX_PATTERN_LENGTH = 500
"""Longest regular expression accepted by ``matches``, in characters."""
