"""Flow-run traces: what each node received, where it went, what it changed, how long it took.

A trace is one flow run on one event. It is stored in ``flow_traces`` with an
``expires_at`` (the store's TTL index deletes it later; queries skip expired ones
already). Values are made storable: dataclasses and models become dicts, other
objects their ``repr``, and anything longer than the configured size is cut.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

import orjson
from pydantic import BaseModel
from pymongo import ASCENDING, DESCENDING, IndexModel

from cairn.core.clock import utcnow
from cairn.core.reads.pagination import Page, newest_first
from cairn.core.store.database import Database
from cairn.core.store.keys import escape_keys, unescape_keys

TRACE_INDEXES = [
    IndexModel([("expires_at", ASCENDING)], expireAfterSeconds=0),
    IndexModel([("flow_id", ASCENDING), ("started_at", DESCENDING)]),
    IndexModel([("profile_id", ASCENDING), ("started_at", DESCENDING)]),
    IndexModel([("started_at", DESCENDING)]),
]
_MAX_DEPTH = 20
_ODD_KEY = re.compile(rb'"[^"]*[.$%][^"]*":|\\u0000')
"""A key that may need escaping in serialized JSON (false positives only cost an escape pass)."""


def to_plain(value: Any, limit: int = 16 * 1024, *, escape: bool = False) -> Any:
    """A JSON-like copy of ``value`` (dicts, lists, strings, numbers), cut to about ``limit`` bytes (0: no limit).

    Datetimes become ISO strings, dataclasses and pydantic models dicts, sets lists,
    anything else its ``repr``. A copy: later changes to ``value`` do not reach the trace.
    ``escape`` gives keys MongoDB would misread their stored form (for stored traces).
    """
    try:
        raw = orjson.dumps(value, default=_default, option=orjson.OPT_NON_STR_KEYS)
    except (TypeError, orjson.JSONEncodeError):
        raw = orjson.dumps(_plain(value, 0), default=repr, option=orjson.OPT_NON_STR_KEYS)
    if limit and len(raw) > limit:
        return {"truncated": True, "preview": raw[: limit // 2].decode(errors="ignore")}
    plain = orjson.loads(raw)
    if escape and _ODD_KEY.search(raw):
        plain = escape_keys(plain)
    return plain


def _plain(value: Any, depth: int) -> Any:
    """The slow path, for what orjson refuses (huge integers, cycles): convert by hand, depth-limited."""
    if depth > _MAX_DEPTH:
        return "…"
    if value is None or isinstance(value, str | float | bool | dt.datetime):
        return value
    if isinstance(value, int):
        return value if -(2**63) <= value < 2**64 else str(value)
    if isinstance(value, dict):
        return {str(key): _plain(item, depth + 1) for key, item in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [_plain(item, depth + 1) for item in value]
    if isinstance(value, BaseModel):
        return _plain(value.model_dump(mode="json"), depth + 1)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name), depth + 1) for f in dataclasses.fields(value)}
    return repr(value)


def _default(value: Any) -> Any:
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json")
    if isinstance(value, set | frozenset | tuple):
        return list(value)
    return repr(value)


def describe_change(change: Any, *, escape: bool = False) -> dict[str, Any]:
    """A profile change as a dict: ``{"op": "SetField", "path": "traits.plan", "value": "pro"}``."""
    described: dict[str, Any] = {"op": type(change).__name__}
    if dataclasses.is_dataclass(change):
        for f in dataclasses.fields(change):
            item = getattr(change, f.name)
            described[f.name] = ".".join(item) if f.name == "path" else to_plain(item, 0, escape=escape)
    return described


@dataclass
class StepTrace:
    """One node run."""

    step: int
    node_id: str
    node_type: str
    input: Any
    started_at: dt.datetime
    outputs: list[dict[str, Any]] = field(default_factory=list)
    changes: list[dict[str, Any]] = field(default_factory=list)
    ux: list[dict[str, Any]] = field(default_factory=list)
    logs: list[str] = field(default_factory=list)
    error: str | None = None
    duration_ms: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        """The step as plain data (its values are plain copies already)."""
        return dict(vars(self))


@dataclass
class RunTrace:
    """One flow run on one event; ``status`` is ``ok``, ``error`` (a node failed) or ``step_limit``."""

    id: str
    flow_id: str
    flow_name: str
    flow_version: int | None
    event_id: str | None
    event_type: str
    profile_id: str | None
    rule_id: str | None
    dry_run: bool
    started_at: dt.datetime
    steps: list[StepTrace] = field(default_factory=list)
    status: str = "ok"
    error: str | None = None
    duration_ms: float = 0.0

    @property
    def error_count(self) -> int:
        """How many nodes failed."""
        return sum(1 for step in self.steps if step.error)

    def to_dict(self) -> dict[str, Any]:
        """The trace as plain data (what is stored and what GraphQL shows)."""
        data = dict(vars(self))
        data["steps"] = [step.to_dict() for step in self.steps]
        data["error_count"] = self.error_count
        return data


class TraceStore:
    """Stores and finds traces; expired ones are never returned."""

    def __init__(self, database: Database) -> None:
        self.collection = database.collection("flow_traces")
        database.add_indexes("flow_traces", TRACE_INDEXES)

    async def save(self, traces: list[RunTrace], ttl: dt.timedelta) -> None:
        """Store traces (one round trip), to expire after ``ttl``; their values must be in stored
        form already (the engine escapes them for live runs)."""
        if not traces:
            return
        expires_at = utcnow() + ttl
        docs = []
        for trace in traces:
            doc = trace.to_dict()
            doc["_id"] = doc.pop("id")
            doc["expires_at"] = expires_at
            docs.append(doc)
        await self.collection.insert_many(docs, ordered=False)

    async def get(self, trace_id: str) -> dict[str, Any] | None:
        """One trace, unless expired."""
        doc = await self.collection.find_one({"_id": trace_id, "expires_at": {"$gt": utcnow()}})
        return _from_document(doc) if doc else None

    async def page(self, *, first: int, after: str | None = None, flow_id: str | None = None,
                   profile_id: str | None = None, event_id: str | None = None,
                   errors_only: bool = False) -> Page[dict[str, Any]]:
        """A page of traces, newest first (keyset pagination: pass the previous page's end cursor)."""
        return await newest_first(self.collection, _query(flow_id, profile_id, event_id, errors_only),
                                  time_field="started_at", first=first, after=after, convert=_from_document)

    async def find(self, *, flow_id: str | None = None, profile_id: str | None = None,
                   event_id: str | None = None, errors_only: bool = False, limit: int = 50,
                   offset: int = 0) -> tuple[list[dict[str, Any]], bool]:
        """Traces newest first, filtered; returns ``(page, whether more follow)``."""
        query = _query(flow_id, profile_id, event_id, errors_only)
        cursor = self.collection.find(query).sort([("started_at", DESCENDING), ("_id", DESCENDING)])
        docs = await cursor.skip(max(offset, 0)).limit(limit + 1).to_list(None)
        return [_from_document(doc) for doc in docs[:limit]], len(docs) > limit


def _query(flow_id: str | None, profile_id: str | None, event_id: str | None, errors_only: bool) -> dict[str, Any]:
    query: dict[str, Any] = {"expires_at": {"$gt": utcnow()}}
    if flow_id:
        query["flow_id"] = flow_id
    if profile_id:
        query["profile_id"] = profile_id
    if event_id:
        query["event_id"] = event_id
    if errors_only:
        query["status"] = {"$ne": "ok"}
    return query


def _from_document(doc: dict[str, Any]) -> dict[str, Any]:
    trace = unescape_keys({key: value for key, value in doc.items() if key != "_id"})
    trace["id"] = doc["_id"]
    return dict(trace)
