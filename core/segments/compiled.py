"""Segment conditions: checked with positions, compiled once, evaluated or translated.

A segment condition reads the profile (``profile.traits.country == "FR"``) and may
call the history functions (``events_count("purchase", 30d) >= 1``). It becomes a
MongoDB filter when it can (recomputed by store queries), and is streamed otherwise.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from cairn.core.conditions import Condition, ConditionError, compile_condition, validate_condition
from cairn.core.conditions.errors import error_at
from cairn.core.conditions.functions import Function
from cairn.core.conditions.nodes import Call, Literal, Node, Now, Path, walk
from cairn.core.store.keys import escape_key

from .functions import HISTORY, HISTORY_FUNCTIONS, WINDOW_ARGUMENT, HistoryNeeds, ProfileHistory
from .models import Segment

ROOTS = ("profile",)
"""Segment conditions read the profile only."""
_TIME_FUNCTIONS = frozenset({"days_since"})
_PROFILE_ONLY_FUNCTIONS = frozenset({"lower", "upper", "len", "days_since", *HISTORY_FUNCTIONS})
_ALWAYS_READ = ("segments", "last_session_id", "version")


def function_table(extra: Mapping[str, Function] | None = None) -> dict[str, Function]:
    """The functions segment conditions may call: the history functions plus ``extra``."""
    return {**HISTORY_FUNCTIONS, **(extra or {})}


def check_condition(source: str, functions: Mapping[str, Function] | None = None) -> list[ConditionError]:
    """Every problem in a segment condition (``[]`` when it is fine), in source order."""
    table = function_table(functions)
    errors = validate_condition(source, functions=table, roots=ROOTS)
    if errors:
        return errors
    node = compile_condition(source, functions=table, roots=ROOTS).node
    return [error for call in walk(node) if isinstance(call, Call) for error in _history_call_problems(call, source)]


def _history_call_problems(call: Call, source: str) -> list[ConditionError]:
    """History functions take a literal event type and a literal window, so the lookup is bounded."""
    if call.name not in WINDOW_ARGUMENT:
        return []
    problems = []
    window_at = WINDOW_ARGUMENT[call.name]
    for index, arg in enumerate(call.args):
        if index == window_at and not (isinstance(arg, Literal) and isinstance(arg.value, timedelta)
                                       and arg.value > timedelta(0)):
            problems.append(error_at(source, arg.position, f"The window of {call.name}() must be a duration",
                                     end=arg.end, hint="write a positive duration such as 30d, 12h or 2w"))
        elif index != window_at and not (isinstance(arg, Literal) and isinstance(arg.value, str)):
            problems.append(error_at(source, arg.position, f"The event type of {call.name}() must be a string",
                                     end=arg.end, hint='write the type in quotes, e.g. events_count("purchase", 30d)'))
    return problems


@dataclass(frozen=True, eq=False)
class CompiledSegment:
    """A segment with its condition compiled, ready to evaluate many profiles."""

    segment: Segment
    condition: Condition
    needs: HistoryNeeds
    time_dependent: bool
    projection: dict[str, int] | None

    @property
    def id(self) -> str:
        """The segment id."""
        return self.segment.id

    def matches(self, profile: Mapping[str, Any], history: ProfileHistory | None, now: datetime) -> bool:
        """Whether ``profile`` (plain, unescaped) is a member; may raise if a function fails."""
        context = {"profile": profile, HISTORY: history}
        return self.condition.evaluate(context, now=now)

    def mongo_filter(self, now: datetime) -> dict[str, Any] | None:
        """The condition as a filter over stored profiles, or None when it must be streamed."""
        if self.needs:
            return None
        return self.condition.to_mongo_filter("profile", now=now, field_map=stored_field)


def compile_segment(segment: Segment, functions: Mapping[str, Function] | None = None) -> CompiledSegment:
    """Compile ``segment``'s condition; raise :class:`ConditionError` (the first problem) if invalid."""
    errors = check_condition(segment.condition, functions)
    if errors:
        raise errors[0]
    condition = compile_condition(segment.condition, functions=function_table(functions), roots=ROOTS)
    return CompiledSegment(segment, condition, history_needs(condition.node), _time_dependent(condition.node),
                           _projection(condition.node))


def stored_field(name: str) -> str | None:
    """The stored name of a dotted profile field (keys escaped, ``id`` is ``_id``)."""
    if name == "id":
        return "_id"
    return ".".join(escape_key(key) for key in name.split("."))


def history_needs(node: Node) -> HistoryNeeds:
    """The history lookup the condition's calls need."""
    needs = HistoryNeeds()
    for call in walk(node):
        if not isinstance(call, Call) or call.name not in WINDOW_ARGUMENT:
            continue
        values = [arg.value for arg in call.args if isinstance(arg, Literal)]
        window = next((value for value in values if isinstance(value, timedelta)), None)
        if window is None:
            continue
        if call.name == "visits":
            needs |= HistoryNeeds(visit_window=window)
        else:
            types = frozenset(value for value in values if isinstance(value, str))
            needs |= HistoryNeeds(event_types=types, event_window=window)
    return needs


def _time_dependent(node: Node) -> bool:
    """True when membership can change with time alone (``now``, ``days_since``, windows)."""
    clock = any(isinstance(sub, Now) or (isinstance(sub, Call) and sub.name in _TIME_FUNCTIONS) for sub in walk(node))
    return clock or bool(history_needs(node))


def _projection(node: Node) -> dict[str, int] | None:
    """The stored fields the condition reads, or None when it may read the whole profile."""
    fields: set[str] = set(_ALWAYS_READ)
    for sub in walk(node):
        if isinstance(sub, Call):
            if sub.name not in _PROFILE_ONLY_FUNCTIONS:
                return None
            if sub.name in HISTORY_FUNCTIONS:
                fields.add("stats")
        elif isinstance(sub, Path):
            keys: list[str] = []
            for segment in sub.segments:
                if not isinstance(segment, str):
                    break
                keys.append("_id" if segment == "id" and not keys else escape_key(segment))
            if not keys:
                return None
            fields.add(".".join(keys))
    kept = sorted(fields)
    return {name: 1 for name in kept if not any(name.startswith(other + ".") for other in kept)}
