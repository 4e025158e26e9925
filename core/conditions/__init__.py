"""Cairn's condition language: one safe expression language for flows, rules and segments.

A condition reads the context (``event``, ``profile``, ``session``, ``flow``… —
whatever keys the caller passes) and says true or false::

    profile.traits.age >= 18 and "vip" in profile.tags
    event.type == "purchase" and event.properties.total > 100
    profile.stats.last_seen > now - 30d
    profile.traits.email ends with "@example.com" and not profile.traits.phone exists

Conditions are tokenized, parsed and evaluated by this package — never by Python's
``eval`` — so they can only read the context and call the functions they are given.
The full user guide is ``docs/conditions.md``.

Values
    ``42  -7  3.25  1e3``, ``"text"`` or ``'text'`` (escapes ``\\\\ \\" \\' \\n \\r
    \\t \\/ \\uXXXX``), ``true false null``, lists ``[1, "a"]``, durations ``10s 15m
    12h 30d 2w``, and ``now`` (the evaluation time, UTC).

Paths
    ``profile.traits.age``, ``event.properties.items[0].sku``, ``items[-1]``,
    ``profile.traits["first name"]``. A path that is not in the context is
    *Missing* (:data:`MISSING`), which is neither an error nor ``null``.

Operators, loosest first
    ``or``; ``and``; ``not``; comparisons ``== != > >= < <=`` and the word
    operators; ``+ -``; ``* /``; unary ``-``. ``not a == b`` means ``not (a == b)``;
    comparisons do not chain. ``#`` starts a comment.

Word operators (each can be negated by a ``not`` right before it)
    ``x in [..]``, ``x not in [..]``, ``"vip" in profile.tags`` (list contains),
    ``"ab" in "xabx"`` (substring), ``list contains x`` (same as ``x in list``),
    ``s starts with "a"``, ``s ends with "z"``, ``s matches "^re.*gex$"``
    (``re.search``), the case-insensitive ``icontains``, ``istarts with``,
    ``iends with`` (strings only), and postfix ``x exists`` / ``x not exists``.

Meaning
    * Every comparison with a Missing operand is false (``!=`` and ``not in`` too);
      ``not (…)`` is the way to include absent fields.
    * Values of different types are never equal (``30 == "30"`` is false, ``!=`` is
      true) and cannot be ordered (``>`` etc. are false); nothing raises.
    * A datetime compares with a datetime or with an ISO-8601 string; naive
      datetimes are UTC. ``now - 7d``, ``now - profile.stats.last_seen > 30d``.
    * ``+ - * /`` work on numbers, and on datetimes and durations; anything else,
      and division by zero, gives Missing.
    * As a condition, only the boolean ``true`` is true.

Functions
    ``name(arg, …)`` from the table given to :func:`compile_condition`, over the
    built-ins ``lower(s)``, ``upper(s)``, ``len(x)``, ``days_since(d)``. A Missing
    argument skips the call (the result is Missing). Decorate a function with
    :func:`uses_env` to receive the evaluation's :class:`Env` (context, now).

API::

    condition = compile_condition(source, functions=None, roots=None)  # ConditionError if invalid
    condition.evaluate(context, now=None) -> bool
    condition.value(context, now=None) -> Any        # the expression's value (or MISSING)
    condition.paths() -> frozenset[str]             # {"profile.traits.age", ...}
    condition.to_mongo_filter("profile", now=None, field_map=None) -> dict | None
    validate_condition(source, functions=None, roots=None) -> list[ConditionError]

Errors carry ``position`` (0-based), ``line``, ``column``, ``expected`` and a
``hint``: ``Unexpected '=' at line 1, column 20. Hint: did you mean `==`?``.
Limits: 4,000 characters, 50 levels of nesting, 500-character regexes.
"""

from .condition import Condition, compile_condition, validate_condition
from .errors import ConditionError
from .functions import BUILTIN_FUNCTIONS, Env, uses_env
from .values import MISSING, MissingType

__all__ = [
    "BUILTIN_FUNCTIONS",
    "MISSING",
    "Condition",
    "ConditionError",
    "Env",
    "MissingType",
    "compile_condition",
    "uses_env",
    "validate_condition",
]
