"""What applies to incoming events, compiled and cached: rules with their deployed flows,
event schemas, mappings and identification points.

The ingestion path asks :meth:`Catalog.current` for every request; it re-reads the
store at most every ``cache_seconds`` (another process's changes show up then) and at
once after a change made through this process.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

import jsonschema
from jsonschema.protocols import Validator

from cairn.core.conditions import Condition
from cairn.core.flows.compiled import CompiledFlow, compile_graph
from cairn.core.flows.models import (
    ANY_EVENT,
    EventFilter,
    EventMapping,
    EventSchema,
    IdentificationPoint,
    Rule,
    compile_expression,
)
from cairn.core.flows.flows import FlowVersion
from cairn.core.nodes.registry import NodeRegistry

F = TypeVar("F", bound=EventFilter)
logger = logging.getLogger("cairn.flows")


@dataclass(frozen=True)
class ActiveRule:
    """A rule ready to match: its compiled condition and the flow version it runs."""

    rule: Rule
    condition: Condition | None
    flow: CompiledFlow


@dataclass(frozen=True)
class ActiveSchema:
    """An event schema with its JSON Schema validator."""

    schema: EventSchema
    validator: Validator


@dataclass(frozen=True)
class ActiveMapping:
    """A mapping with each field's compiled source expression."""

    mapping: EventMapping
    sources: tuple[Condition, ...]


@dataclass(frozen=True)
class ActivePoint:
    """An identification point with each identifier's compiled source expression."""

    point: IdentificationPoint
    sources: tuple[Condition, ...]


class ByEventType(Generic[F]):
    """Items indexed by event type, for a quick look-up on every event."""

    def __init__(self, items: Iterable[tuple[F, Any]]) -> None:
        self._by_type: dict[str, list[tuple[F, Any]]] = {}
        for item in items:
            self._by_type.setdefault(item[0].event_type, []).append(item)

    def __bool__(self) -> bool:
        return bool(self._by_type)

    def matching(self, event: dict[str, Any]) -> list[Any]:
        """The active items whose type (or ``*``) and source match ``event``."""
        candidates = self._by_type.get(str(event.get("type")), []) + self._by_type.get(ANY_EVENT, [])
        return [active for item, active in candidates if item.applies_to(event)]


@dataclass
class ActiveConfig:
    """Everything that applies to events, at one moment."""

    rules: ByEventType[Rule] = field(default_factory=lambda: ByEventType([]))
    schemas: ByEventType[EventSchema] = field(default_factory=lambda: ByEventType([]))
    mappings: ByEventType[EventMapping] = field(default_factory=lambda: ByEventType([]))
    points: ByEventType[IdentificationPoint] = field(default_factory=lambda: ByEventType([]))
    flows: dict[tuple[str, int], CompiledFlow] = field(default_factory=dict)

    @property
    def empty(self) -> bool:
        """Whether nothing applies to any event (the ingestion path then does no work at all)."""
        return not (self.rules or self.schemas or self.mappings or self.points)


@dataclass
class Sources:
    """Where the catalog reads its items from (the flow services' stores)."""

    rules: Callable[[], Awaitable[list[Rule]]]
    schemas: Callable[[], Awaitable[list[EventSchema]]]
    mappings: Callable[[], Awaitable[list[EventMapping]]]
    points: Callable[[], Awaitable[list[IdentificationPoint]]]
    deployed: Callable[[Iterable[str]], Awaitable[dict[str, FlowVersion]]]


class Catalog:
    """The cached :class:`ActiveConfig`."""

    def __init__(self, sources: Sources, registry: NodeRegistry, cache_seconds: Callable[[], float]) -> None:
        self.sources = sources
        self.registry = registry
        self.cache_seconds = cache_seconds
        self._config = ActiveConfig()
        self._loaded_at: float | None = None
        self._lock = asyncio.Lock()

    def invalidate(self) -> None:
        """Forget the cached config: the next request reads the store."""
        self._loaded_at = None

    async def current(self) -> ActiveConfig:
        """The config, re-read if stale."""
        if self._fresh():
            return self._config
        async with self._lock:
            if not self._fresh():
                started = time.monotonic()
                self._config = await self._load(self._config)
                self._loaded_at = started
        return self._config

    def _fresh(self) -> bool:
        return self._loaded_at is not None and time.monotonic() - self._loaded_at < self.cache_seconds()

    async def _load(self, previous: ActiveConfig) -> ActiveConfig:
        rules = await self.sources.rules()
        versions = await self.sources.deployed(rule.flow_id for rule in rules)
        flows = {}
        for version in versions.values():
            key = (version.flow_id, version.version)
            flows[key] = previous.flows.get(key) or compile_graph(
                version.graph, self.registry, flow_id=version.flow_id, version=version.version, name=version.name)

        def activate_rule(rule: Rule) -> ActiveRule:
            condition = compile_expression(rule.condition) if rule.condition else None
            return ActiveRule(rule, condition, flows[(rule.flow_id, versions[rule.flow_id].version)])

        return ActiveConfig(
            rules=ByEventType(_activated([r for r in rules if r.flow_id in versions], activate_rule)),
            schemas=ByEventType(_activated(await self.sources.schemas(),
                                           lambda s: ActiveSchema(s, _validator(s.json_schema)))),
            mappings=ByEventType(_activated(await self.sources.mappings(), lambda m: ActiveMapping(
                m, tuple(compile_expression(f.source) for f in m.fields)))),
            points=ByEventType(_activated(await self.sources.points(), lambda p: ActivePoint(
                p, tuple(compile_expression(f.source) for f in p.identifiers)))),
            flows=flows,
        )


def _activated(items: Iterable[F], activate: Callable[[F], Any]) -> list[tuple[F, Any]]:
    """Each item with its active form; an item that no longer compiles is logged and left out."""
    active = []
    for item in items:
        try:
            active.append((item, activate(item)))
        except Exception:  # noqa: BLE001 - one stale item must not stop the others
            logger.exception("%s %s cannot be used and is skipped", type(item).__name__, item.id)
    return active


def _validator(schema: dict[str, Any]) -> Validator:
    cls = jsonschema.validators.validator_for(schema)
    return cls(schema, format_checker=cls.FORMAT_CHECKER)  # type: ignore[no-any-return]
