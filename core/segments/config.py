"""Segmentation settings, read from ``CAIRN_SEGMENT_*`` environment variables."""

from __future__ import annotations

import os
from dataclasses import dataclass


@dataclass(frozen=True)
class SegmentOptions:
    """How segmentation behaves.

    ``sample_interval``: seconds between two periodic rounds (``CAIRN_SEGMENT_SAMPLE_INTERVAL``,
    default one hour, ``0`` turns the round off); each round samples every segment's size and,
    when ``refresh_time_based`` (``CAIRN_SEGMENT_REFRESH``, default on), recomputes the segments
    whose membership changes with time alone (``now``, ``days_since``, windows such as
    ``events_count("purchase", 30d)``), emitting their enter/leave events.
    ``batch_size``: profiles read or written per round trip by recompute jobs.
    ``preview_scan_limit``: the most profiles (the most recently seen) a preview of a
    non-translatable condition reads; beyond it the count is a lower bound (``exact`` false).
    The editor previews as the condition is typed, so keep it to a few seconds of reading.
    ``cache_seconds``: how long live evaluation keeps the segment list before reading it again.
    """

    sample_interval: float = 3600.0
    refresh_time_based: bool = True
    batch_size: int = 1000
    preview_scan_limit: int = 10_000
    cache_seconds: float = 2.0

    @classmethod
    def from_env(cls) -> SegmentOptions:
        """Read the options from the environment, defaults for what is not set."""
        env = os.environ
        return cls(
            sample_interval=float(env.get("CAIRN_SEGMENT_SAMPLE_INTERVAL", cls.sample_interval)),
            refresh_time_based=env.get("CAIRN_SEGMENT_REFRESH", "1").lower() not in ("0", "false", "no", "off"),
            batch_size=int(env.get("CAIRN_SEGMENT_BATCH_SIZE", cls.batch_size)),
            preview_scan_limit=int(env.get("CAIRN_SEGMENT_PREVIEW_SCAN_LIMIT", cls.preview_scan_limit)),
        )
