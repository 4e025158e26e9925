"""Group commit for profile writes.

Requests that change profiles at the same time hand their changes to one
:class:`ProfileWriter`; it applies everything pending in one batched
load → change → ``bulk_write`` round, so 32 concurrent requests cost one write
round instead of 32, and changes to one profile never race each other inside a
process. The repository's version check still guards against other processes.

A round settles each profile on its own (:meth:`ProfileRepository.update_each`):
a caller whose profile cannot be saved gets that profile's error, and everybody
else in the round gets their saved profile.
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
        """Apply each profile's changes; return the saved profiles by the id asked for.

        Raises the error of the first profile that could not be saved (the others are saved).
        """
        if not changes_by_id:
            return {}
        loop = asyncio.get_running_loop()
        futures: dict[str, asyncio.Future[ProfileDoc]] = {}
        for profile_id, changes in changes_by_id.items():
            future: asyncio.Future[ProfileDoc] = loop.create_future()
            self._pending.append((profile_id, list(changes), future))
            futures[profile_id] = future
        if self._flushing is None or self._flushing.done():
            self._flushing = asyncio.create_task(self._flush())
        await asyncio.wait(futures.values())
        errors = [future.exception() for future in futures.values()]
        first_error = next((error for error in errors if error is not None), None)
        if first_error is not None:
            raise first_error
        return {pid: future.result() for pid, future in futures.items()}

    async def _flush(self) -> None:
        while self._pending:
            batch, self._pending = self._pending, []
            try:
                await self._write(batch)
            except asyncio.CancelledError:
                for _, _, future in batch:
                    future.cancel()
                raise
            except Exception as error:  # noqa: BLE001 - update_each settles profiles one by one; this is worse
                _settle(batch, {}, {}, error)

    async def _write(self, batch: _Pending) -> None:
        merged: dict[str, list[Change]] = {}
        for profile_id, changes, _ in batch:
            merged.setdefault(profile_id, []).extend(changes)
        saved, failed = await self.repository.update_each(merged)
        _settle(batch, saved, failed, None)


def _settle(batch: _Pending, saved: Mapping[str, ProfileDoc], failed: Mapping[str, BaseException],
            error: BaseException | None) -> None:
    """Hand each waiting caller its profile, its profile's error, or the round's error."""
    for profile_id, _, future in batch:
        if future.done():
            continue
        if profile_id in saved:
            future.set_result(saved[profile_id])
        else:
            future.set_exception(failed.get(profile_id) or error or RuntimeError(f"profile {profile_id} not saved"))
