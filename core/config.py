"""Cairn's settings, read from ``CAIRN_*`` environment variables and CLI options."""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from pathlib import Path


def _env_list(name: str, default: str) -> tuple[str, ...]:
    raw = os.environ.get(name, default)
    return tuple(item.strip() for item in raw.split(",") if item.strip())


@dataclass(frozen=True)
class Limits:
    """Size limits on what the tracking endpoints accept."""

    max_event_bytes: int = 32 * 1024
    max_batch_bytes: int = 500 * 1024
    max_batch_events: int = 1000
    max_nesting: int = 32


@dataclass(frozen=True)
class Settings:
    """Everything that can be configured.

    ``mongo_url=None`` means "start the embedded store with its data in ``data_dir``".
    """

    mongo_url: str | None = None
    database: str = "cairn"
    data_dir: Path = Path("cairn-data")
    host: str = "127.0.0.1"
    port: int = 8000
    merge_keys: tuple[str, ...] = ("email",)
    limits: Limits = field(default_factory=Limits)
    graphql_max_depth: int = 12
    graphql_max_page_size: int = 200

    @classmethod
    def from_env(cls) -> Settings:
        """Read the settings from the environment (``CAIRN_MONGO_URL``, ``CAIRN_DATA_DIR``…)."""
        return cls(
            mongo_url=os.environ.get("CAIRN_MONGO_URL") or None,
            database=os.environ.get("CAIRN_DATABASE", "cairn"),
            data_dir=Path(os.environ.get("CAIRN_DATA_DIR", "cairn-data")),
            host=os.environ.get("CAIRN_HOST", "127.0.0.1"),
            port=int(os.environ.get("CAIRN_PORT", "8000")),
            merge_keys=_env_list("CAIRN_MERGE_KEYS", "email"),
        )

    def with_changes(self, **changes: object) -> Settings:
        """Return a copy with some settings changed."""
        return replace(self, **changes)  # type: ignore[arg-type]
