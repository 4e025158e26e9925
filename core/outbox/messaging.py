"""Everything outbound of a running Cairn: channels, their settings, the outbox and its worker.

Until ``Cairn`` declares a ``messaging`` field of its own, :func:`messaging_for`
creates the :class:`Messaging` on first use and keeps it on the Cairn object under
that name.
"""

from __future__ import annotations

import asyncio
import logging
import os
from contextlib import suppress
from typing import TYPE_CHECKING

from cairn.core.consents.runtime import consent_service
from cairn.core.outbox.channel_settings import COLLECTION as SETTINGS_COLLECTION
from cairn.core.outbox.channel_settings import ChannelSettingsStore
from cairn.core.outbox.handlers import HandlerRegistry
from cairn.core.outbox.outbox import COLLECTION, INDEXES, Outbox
from cairn.core.outbox.registry import ChannelRegistry
from cairn.core.outbox.settings import OutboxSettings
from cairn.core.plugin_manager import call_hook

if TYPE_CHECKING:
    from cairn.core.runtime import Cairn

logger = logging.getLogger("cairn.outbox")
ATTRIBUTE = "messaging"


class Messaging:
    """The outbound side of one running Cairn."""

    def __init__(self, cairn: Cairn, settings: OutboxSettings | None = None) -> None:
        self.cairn = cairn
        self.settings = settings or OutboxSettings.from_env()
        self.consents = consent_service(cairn)
        self.channels = ChannelRegistry()
        self.channel_settings = ChannelSettingsStore(cairn.database.collection(SETTINGS_COLLECTION), os.environ)
        self.handlers = HandlerRegistry()
        self.outbox = Outbox(self)
        self.wakeup = asyncio.Event()
        """Set when this process queues an entry, so that an idle worker looks at once."""
        self._channels_loaded = False
        self._stop = asyncio.Event()
        self._worker: asyncio.Task[None] | None = None
        cairn.database.add_indexes(COLLECTION, list(INDEXES))

    def wake(self) -> None:
        """Tell this process's worker that something is due."""
        self.wakeup.set()

    async def load_channels(self) -> ChannelRegistry:
        """Collect the channels of every plugin (once); a bad declaration fails with the culprit named."""
        if not self._channels_loaded:
            for classes in await call_hook(self.cairn.plugins.hook.register_channels):
                for cls in classes or []:
                    self.channels.add(cls)
            self._channels_loaded = True
        return self.channels

    async def start(self) -> None:
        """Load the channels and, unless ``CAIRN_RUN_WORKER=0``, start the embedded worker."""
        await self.load_channels()
        if self.settings.run_worker and self._worker is None:
            from cairn.core.outbox.worker import Worker

            self._stop.clear()
            self._worker = asyncio.create_task(Worker(self).run(self._stop), name="cairn-outbox-worker")

    @property
    def worker_running(self) -> bool:
        """Whether the embedded worker runs in this process."""
        return self._worker is not None and not self._worker.done()

    async def stop(self) -> None:
        """Stop the embedded worker (letting deliveries in progress finish) and close the channels."""
        if self._worker is not None:
            self._stop.set()
            try:
                await asyncio.wait_for(asyncio.shield(self._worker), self.settings.send_timeout + 1)
            except TimeoutError:
                logger.warning("the outbox worker did not stop in time; its entries are retried after their lease")
                self._worker.cancel()
                with suppress(asyncio.CancelledError):
                    await self._worker
            self._worker = None
        await self.channels.close()


def messaging_for(cairn: Cairn) -> Messaging:
    """The :class:`Messaging` of ``cairn``."""
    messaging = getattr(cairn, ATTRIBUTE, None)
    if not isinstance(messaging, Messaging):
        messaging = Messaging(cairn)
        setattr(cairn, ATTRIBUTE, messaging)
    return messaging
