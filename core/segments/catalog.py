"""The enabled segments, compiled and cached, and the reporting of their failures.

Live evaluation runs for every request, so it must not read the ``segments``
collection each time: the catalog keeps the compiled segments for a few seconds
(other processes' changes show up within that time; this process's own changes
invalidate it at once) and recompiles a segment only when its revision changes.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Mapping

from cairn.core.conditions import ConditionError
from cairn.core.conditions.functions import Function

from .compiled import CompiledSegment, compile_segment
from .models import Segment
from .store import SegmentStore

logger = logging.getLogger("cairn.segments")


class SegmentCatalog:
    """Compiled enabled segments, reloaded at most every ``ttl`` seconds."""

    def __init__(self, store: SegmentStore, functions: Mapping[str, Function], *, ttl: float = 2.0,
                 error_interval: float = 60.0) -> None:
        self.store = store
        self.functions = functions
        self.ttl = ttl
        self.error_interval = error_interval
        self._compiled: dict[str, tuple[int, str, CompiledSegment]] = {}
        self._segments: list[CompiledSegment] = []
        self._loaded_at = float("-inf")
        self._lock = asyncio.Lock()
        self._reported: dict[str, float] = {}

    def invalidate(self) -> None:
        """Forget the cached list (a segment was created, changed or deleted here)."""
        self._loaded_at = float("-inf")

    async def enabled(self) -> list[CompiledSegment]:
        """The enabled segments whose condition compiles."""
        if time.monotonic() - self._loaded_at < self.ttl:
            return self._segments
        async with self._lock:
            if time.monotonic() - self._loaded_at >= self.ttl:
                self._segments = await self._load()
                self._loaded_at = time.monotonic()
        return self._segments

    def compile(self, segment: Segment) -> CompiledSegment:
        """Compile ``segment`` (cached by revision); raise :class:`ConditionError` if invalid."""
        cached = self._compiled.get(segment.id)
        if cached and cached[0] == segment.revision and cached[1] == segment.name:
            return cached[2]
        compiled = compile_segment(segment, self.functions)
        self._compiled[segment.id] = (segment.revision, segment.name, compiled)
        return compiled

    async def _load(self) -> list[CompiledSegment]:
        loaded = []
        for segment in await self.store.list(enabled_only=True):
            try:
                loaded.append(self.compile(segment))
            except ConditionError as error:
                await self.report(segment.id, f"the condition does not compile: {error}")
        return loaded

    async def report(self, segment_id: str, message: str) -> None:
        """Record a failure on the segment (at most once per ``error_interval`` per segment).

        Never raises: a failing segment is skipped, it must not stop what evaluates it.
        """
        now = time.monotonic()
        if now - self._reported.get(segment_id, float("-inf")) < self.error_interval:
            return
        self._reported[segment_id] = now
        logger.warning("segment %s skipped: %s", segment_id, message)
        try:
            await self.store.record_error(segment_id, message)
        except Exception:  # noqa: BLE001 - reporting is best effort
            logger.exception("could not record the failure of segment %s", segment_id)

    def forget_reports(self, segment_id: str) -> None:
        """Report the next failure of this segment at once (its definition changed)."""
        self._reported.pop(segment_id, None)
