"""The running Cairn: settings, store connection, services and plugins, started once."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field

import pluggy

from cairn.core.admin_tokens import AdminTokens
from cairn.core.config import Settings
from cairn.core.flows.notify import NotifyingProfileWriter
from cairn.core.flows.service import FlowService
from cairn.core.ingestion.intake import Intake
from cairn.core.ingestion.pipeline import Pipeline
from cairn.core.plugin_manager import call_each, call_hook, create_plugin_manager
from cairn.core.sources import SourceService
from cairn.core.store.database import Database, connect
from cairn.core.store.embedded import EmbeddedStore, running_store_url

logger = logging.getLogger("cairn")


@dataclass
class Cairn:
    """Everything a request handler, a GraphQL resolver or a plugin needs."""

    settings: Settings
    database: Database
    plugins: pluggy.PluginManager
    sources: SourceService = field(init=False)
    tokens: AdminTokens = field(init=False)
    pipeline: Pipeline = field(init=False)
    flows: FlowService = field(init=False)
    intake: Intake = field(init=False)

    def __post_init__(self) -> None:
        self.sources = SourceService(self.database)
        self.tokens = AdminTokens(self.database)
        self.pipeline = Pipeline(self.database, self.settings.merge_keys)
        self.pipeline.writer = NotifyingProfileWriter(self.pipeline.repository, self._notify_profile_changed)
        self.pipeline.listeners.append(self._notify_stored)
        self.flows = FlowService(self)
        self.intake = Intake(self.pipeline, self.sources)

    async def _notify_stored(self, events: list[dict[str, object]]) -> None:
        await call_each(self.plugins, "on_events_stored", cairn=self, events=events)

    async def _notify_profile_changed(self, profile: dict[str, object], changes: list[object]) -> None:
        if self.plugins.hook.on_profile_changed.get_hookimpls():
            await call_each(self.plugins, "on_profile_changed", cairn=self, profile=profile, changes=changes)


class StoreHandle:
    """The store Cairn uses: the configured MongoDB, or the embedded one it starts."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.embedded: EmbeddedStore | None = None

    async def url(self) -> str:
        """The MongoDB URL, starting the embedded store if none is configured or running."""
        if self.settings.mongo_url:
            return self.settings.mongo_url
        running = await asyncio.to_thread(running_store_url, self.settings.data_dir)
        if running:
            return running
        self.embedded = EmbeddedStore(self.settings.data_dir)
        url = await asyncio.to_thread(self.embedded.start)
        logger.info("embedded store started on %s with data in %s", url, self.settings.data_dir)
        return url

    async def stop(self) -> None:
        """Stop the embedded store if this handle started it."""
        if self.embedded is not None:
            await asyncio.to_thread(self.embedded.stop)
            self.embedded = None


async def start_cairn(settings: Settings, url: str, plugins: pluggy.PluginManager | None = None) -> Cairn:
    """Connect to the store at ``url``, prepare indexes and plugins, and return the running Cairn."""
    database = connect(url, settings.database)
    cairn = Cairn(settings=settings, database=database, plugins=plugins or create_plugin_manager())
    try:
        await cairn.flows.start()
        await call_hook(cairn.plugins.hook.on_startup, cairn=cairn)
        await database.ensure_indexes()
    except BaseException:
        await cairn.flows.stop()
        await database.close()
        raise
    return cairn


async def stop_cairn(cairn: Cairn) -> None:
    """Stop the journal worker, let plugins release what they hold and close the store connection."""
    await cairn.intake.stop()
    await call_hook(cairn.plugins.hook.on_shutdown, cairn=cairn)
    await cairn.flows.stop()
    await cairn.database.close()
