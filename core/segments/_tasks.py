"""Background tasks that are kept track of: awaited by tests, cancelled on shutdown."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Coroutine
from typing import Any, TypeVar

logger = logging.getLogger("cairn.segments")
T = TypeVar("T")


class BackgroundTasks:
    """Holds strong references to running tasks and logs the ones that fail."""

    def __init__(self) -> None:
        self._tasks: set[asyncio.Task[Any]] = set()
        self._daemons: set[asyncio.Task[Any]] = set()

    def spawn(self, coroutine: Coroutine[Any, Any, T], name: str, *, daemon: bool = False) -> asyncio.Task[T]:
        """Run ``coroutine`` in the background; a ``daemon`` runs until closed, :meth:`wait_idle` ignores it."""
        task = asyncio.create_task(coroutine, name=name)
        (self._daemons if daemon else self._tasks).add(task)
        task.add_done_callback(self._finished)
        return task

    def _finished(self, task: asyncio.Task[Any]) -> None:
        self._tasks.discard(task)
        self._daemons.discard(task)
        if not task.cancelled() and task.exception() is not None:
            logger.error("background task %s failed", task.get_name(), exc_info=task.exception())

    async def wait_idle(self) -> None:
        """Wait until no task (but the daemons) runs, including tasks that running tasks start."""
        while self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)

    async def close(self) -> None:
        """Cancel every task and wait for them to end."""
        tasks = [*self._daemons, *self._tasks]
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
