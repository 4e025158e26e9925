"""Compiled conditions: :func:`compile_condition`, :func:`validate_condition`, :class:`Condition`."""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from cairn.core.clock import as_utc, utcnow

from .checks import check
from .errors import ConditionError
from .evaluator import evaluate_node
from .functions import Env, Function, function_table
from .mongo import to_mongo_filter
from .nodes import Node, Path, walk
from .parser import parse
from .values import is_truthy


@dataclass(frozen=True, slots=True, eq=False)
class Condition:
    """A compiled condition: immutable, reusable and safe to share between threads.

    Build one with :func:`compile_condition`; compile once, evaluate many times.
    """

    source: str
    """The text the condition was compiled from."""
    node: Node
    """The root of the syntax tree (see :mod:`cairn.core.conditions.nodes`)."""
    functions: Mapping[str, Function]
    """The read-only function table calls are resolved in."""

    def __repr__(self) -> str:
        return f"Condition({self.source!r})"

    def evaluate(self, context: Mapping[str, Any], *, now: datetime | None = None) -> bool:
        """Return whether the condition holds for ``context``.

        ``context`` maps roots (``event``, ``profile``, ``session``, ``flow``…) to
        plain data (dicts, lists, strings, numbers, booleans, None, datetimes).
        ``now`` is the time ``now`` stands for (default: the current UTC time).
        Only a result that is exactly ``true`` counts as true.
        """
        return is_truthy(self.value(context, now=now))

    def value(self, context: Mapping[str, Any], *, now: datetime | None = None) -> Any:
        """Evaluate the condition as an expression and return its value.

        Useful for templates and debugging: ``profile.traits.age + 1`` gives a
        number; a path that is not in the context gives :data:`MISSING`.
        """
        env = Env(context, _moment(now), self.functions)
        return evaluate_node(self.node, env)

    def paths(self) -> frozenset[str]:
        """The paths the condition reads, e.g. ``{"profile.traits.age"}``.

        Keys that are not plain names are spelled in brackets and quotes, and list
        indexes in brackets: ``profile.traits["first name"]``, ``event.properties.items[0]``.
        """
        return frozenset(node.text for node in walk(self.node) if isinstance(node, Path))

    def to_mongo_filter(
        self,
        root: str,
        *,
        now: datetime | None = None,
        field_map: Callable[[str], str | None] | None = None,
    ) -> dict[str, Any] | None:
        """Translate the condition into a MongoDB filter over ``root`` documents.

        Paths under ``root.`` become field names with the root stripped
        (``profile.traits.age >= 18`` → ``{"traits.age": {"$gte": 18}}``); ``now``
        is fixed to a concrete datetime. ``field_map`` may rename each dotted field
        name (return None to declare a field untranslatable). Returns None when any
        part of the condition has no equivalent filter; the filter then has to be
        replaced by evaluating the condition document by document.
        """
        return to_mongo_filter(self.node, root=root, now=_moment(now), field_map=field_map)


def compile_condition(
    source: str,
    *,
    functions: Mapping[str, Function] | None = None,
    roots: Collection[str] | None = None,
) -> Condition:
    """Compile ``source`` into a :class:`Condition`; raise :class:`ConditionError` if invalid.

    ``functions`` adds callables to (or overrides) the built-in ``lower``, ``upper``,
    ``len`` and ``days_since``; unknown names fail here, with their position.
    ``roots``, when given, lists the names a path may start with (e.g. ``event``,
    ``profile``); an unknown root is then an error. Without it, a lone word on the
    right of an operator (``event.type == purchase``) is reported as a missing quote.
    """
    node, table, errors = _analyse(source, functions, roots)
    if errors:
        raise errors[0]
    return Condition(source, node, table)


def validate_condition(
    source: str,
    *,
    functions: Mapping[str, Function] | None = None,
    roots: Collection[str] | None = None,
) -> list[ConditionError]:
    """Return the problems in ``source`` (``[]`` when it compiles), for editors and APIs.

    Takes the same keyword arguments as :func:`compile_condition`. A syntax error
    stops the analysis, so it is reported alone.
    """
    try:
        return _analyse(source, functions, roots)[2]
    except ConditionError as error:
        return [error]


def _analyse(
    source: str,
    functions: Mapping[str, Function] | None,
    roots: Collection[str] | None,
) -> tuple[Node, Mapping[str, Function], list[ConditionError]]:
    if not isinstance(source, str):
        raise TypeError(f"a condition is a string, not {type(source).__name__}")
    node = parse(source)
    table = function_table(functions)
    return node, table, check(node, source, table, roots)


def _moment(now: datetime | None) -> datetime:
    return utcnow() if now is None else as_utc(now)
