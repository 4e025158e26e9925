"""Group commit for profile writes.

Requests that change profiles at the same time hand their changes to one
:class:`ProfileWriter`; it applies everything pending in one batched
load → change → ``bulk_write`` round, so 32 concurrent requests cost one write
round instead of 32, and changes to one profile never race each other inside a
process. The repository's version check still guards against other processes.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping, Sequence

from cairn.core.profiles.changes import Change
from cairn.core.profiles.repository import ProfileDoc, ProfileRepository

_Pending = list[tuple[str, list[Change], asyncio.Future[ProfileDoc]]]


class ProfileWriter:
    """Batches concurrent profile changes into shared write rounds."""

    def __init__(self, repository: ProfileRepository) -> None:
        self.repository = repository
        self._pending: _Pending = []
        self._flushing: asyncio.Task[None] | None = None

    async def apply(self, profile_id: str, changes: Sequence[Change]) -> ProfileDoc:
        """Apply changes to one profile; return it as saved."""
        saved = await self.apply_many({profile_id: changes})
        return saved[profile_id]

    async def apply_many(self, changes_by_id: Mapping[str, Sequence[Change]]) -> dict[str, ProfileDoc]:
        """Apply each profile's changes; return the saved profiles by the id asked for."""
        loop = asyncio.get_running_loop()
        futures: dict[str, asyncio.Future[ProfileDoc]] = {}
        for profile_id, changes in changes_by_id.items():
            future: asyncio.Future[ProfileDoc] = loop.create_future()
            self._pending.append((profile_id, list(changes), future))
            futures[profile_id] = future
        if self._flushing is None or self._flushing.done():
            self._flushing = asyncio.create_task(self._flush())
        return {pid: await future for pid, future in futures.items()}

    async def _flush(self) -> None:
        while self._pending:
            batch, self._pending = self._pending, []
            merged: dict[str, list[Change]] = {}
            for profile_id, changes, _ in batch:
                merged.setdefault(profile_id, []).extend(changes)
            try:
                saved = await self.repository.update_many(merged)
            except Exception:  # noqa: BLE001 - one bad profile must not fail the others
                await self._write_one_by_one(batch, merged)
                continue
            for profile_id, _, future in batch:
                if not future.done():
                    future.set_result(saved[profile_id])

    async def _write_one_by_one(self, batch: _Pending, merged: dict[str, list[Change]]) -> None:
        """Write each profile on its own so that a failure stays with its callers."""
        for profile_id, changes in merged.items():
            waiting = [future for pid, _, future in batch if pid == profile_id]
            try:
                saved = await self.repository.update(profile_id, changes)
            except Exception as error:  # noqa: BLE001 - handed to the waiting callers
                for future in waiting:
                    if not future.done():
                        future.set_exception(error)
                continue
            for future in waiting:
                if not future.done():
                    future.set_result(saved)
