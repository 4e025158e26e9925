"""How the flow engine behaves: limits, tracing, caching (``CAIRN_*`` environment variables)."""

from __future__ import annotations

import os
from dataclasses import dataclass, replace
from datetime import timedelta


def _env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    return default if raw is None else raw.strip().lower() not in ("0", "false", "no", "off", "")


@dataclass(frozen=True)
class FlowSettings:
    """The flow engine's settings.

    ``step_limit`` caps the node runs of one flow run (cycles are allowed; this ends
    endless loops); ``node_timeout`` is the default per-node limit in seconds (a node
    type's ``timeout`` overrides it); ``node_failure_limit`` disables a node type that
    raises that many times in a row (0: never); traces are kept ``trace_ttl`` and each
    traced value is cut to ``trace_value_bytes``; rules, flows, schemas and mappings
    are re-read from the store at most every ``cache_seconds`` (changes made through
    this process apply at once).
    """

    step_limit: int = 200
    node_timeout: float = 10.0
    node_failure_limit: int = 5
    tracing: bool = True
    trace_ttl: timedelta = timedelta(days=7)
    trace_value_bytes: int = 16 * 1024
    cache_seconds: float = 2.0

    @classmethod
    def from_env(cls) -> FlowSettings:
        """Read ``CAIRN_FLOW_STEP_LIMIT``, ``CAIRN_NODE_TIMEOUT``, ``CAIRN_NODE_FAILURE_LIMIT``,
        ``CAIRN_TRACING``, ``CAIRN_TRACE_TTL_HOURS`` and ``CAIRN_FLOW_CACHE_SECONDS``."""
        default = cls()
        env = os.environ.get
        return cls(
            step_limit=int(env("CAIRN_FLOW_STEP_LIMIT", default.step_limit)),
            node_timeout=float(env("CAIRN_NODE_TIMEOUT", default.node_timeout)),
            node_failure_limit=int(env("CAIRN_NODE_FAILURE_LIMIT", default.node_failure_limit)),
            tracing=_env_bool("CAIRN_TRACING", default.tracing),
            trace_ttl=timedelta(hours=float(env("CAIRN_TRACE_TTL_HOURS", default.trace_ttl.total_seconds() / 3600))),
            cache_seconds=float(env("CAIRN_FLOW_CACHE_SECONDS", default.cache_seconds)),
        )

    def with_changes(self, **changes: object) -> FlowSettings:
        """Return a copy with some settings changed."""
        return replace(self, **changes)  # type: ignore[arg-type]
