"""Functions callable from conditions, and how the evaluator calls them.

A function table maps names to plain Python callables. The evaluator calls a
function with the values of its arguments; when any argument is Missing the call
is skipped and evaluates to Missing. A function that needs the evaluation's
context or clock is decorated with :func:`uses_env` and receives an :class:`Env`
as its first argument::

    @uses_env
    def count_events(env: Env, event_type: str, within: timedelta) -> int: ...

Exceptions raised by a function are not caught: they are bugs or outages that the
caller (a flow node, a segment job) must see.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from types import MappingProxyType
from typing import Any, TypeVar

from .values import MISSING, as_datetime, is_list

Function = Callable[..., Any]
F = TypeVar("F", bound=Function)

_USES_ENV = "__cairn_condition_uses_env__"


@dataclass(frozen=True, slots=True)
class Env:
    """What one evaluation sees: the context, the time, and the function table."""

    context: Mapping[str, Any]
    now: datetime
    functions: Mapping[str, Function]


def uses_env(function: F) -> F:
    """Mark ``function`` to receive the evaluation's :class:`Env` as first argument."""
    setattr(function, _USES_ENV, True)
    return function


def wants_env(function: Function) -> bool:
    """True when ``function`` was decorated with :func:`uses_env`."""
    return bool(getattr(function, _USES_ENV, False))


def call_function(env: Env, name: str, args: list[Any]) -> Any:
    """Call the function ``name`` with ``args`` (Missing if an argument is Missing)."""
    if any(arg is MISSING for arg in args):
        return MISSING
    function = env.functions[name]
    if wants_env(function):
        return function(env, *args)
    return function(*args)


def arity_problem(name: str, function: Function, count: int) -> str | None:
    """Describe why ``count`` arguments do not fit ``function``, or None if they do."""
    try:
        signature = inspect.signature(function)
    except (TypeError, ValueError):
        return None
    extra = 1 if wants_env(function) else 0
    try:
        signature.bind(*range(count + extra))
    except TypeError:
        return f"{name}() takes {_arity(signature, extra)}"
    return None


def _arity(signature: inspect.Signature, skip: int) -> str:
    positional = [
        parameter
        for parameter in signature.parameters.values()
        if parameter.kind in (parameter.POSITIONAL_ONLY, parameter.POSITIONAL_OR_KEYWORD)
    ][skip:]
    low = sum(1 for parameter in positional if parameter.default is parameter.empty)
    high = len(positional)
    if any(parameter.kind is parameter.VAR_POSITIONAL for parameter in signature.parameters.values()):
        return f"at least {low} argument{'s' if low != 1 else ''}"
    count = f"{low}" if low == high else f"{low} to {high}"
    return f"{count} argument{'s' if high != 1 else ''}"


def lower(value: Any) -> Any:
    """``lower(x)``: the string in lower case (Missing for non-strings)."""
    return value.lower() if isinstance(value, str) else MISSING


def upper(value: Any) -> Any:
    """``upper(x)``: the string in upper case (Missing for non-strings)."""
    return value.upper() if isinstance(value, str) else MISSING


def length(value: Any) -> Any:
    """``len(x)``: the length of a string, list or object (Missing otherwise)."""
    if isinstance(value, str | Mapping) or is_list(value):
        return len(value)
    return MISSING


@uses_env
def days_since(env: Env, value: Any) -> Any:
    """``days_since(x)``: days (a float) from the datetime ``x`` until now."""
    moment = as_datetime(value)
    if moment is None:
        return MISSING
    return (env.now - moment).total_seconds() / 86_400


BUILTIN_FUNCTIONS: Mapping[str, Function] = MappingProxyType(
    {"lower": lower, "upper": upper, "len": length, "days_since": days_since}
)
"""The functions every condition can call; a caller's table adds to or overrides them."""


def function_table(functions: Mapping[str, Function] | None) -> Mapping[str, Function]:
    """Merge a caller's functions over the built-ins into a read-only table."""
    table = dict(BUILTIN_FUNCTIONS)
    table.update(functions or {})
    return MappingProxyType(table)
