"""Segmentation as a plugin of the core: it starts the segment service with Cairn.

Register this module (``cairn.core.segments.plugin``) with the plugin manager. At
start-up it creates the :class:`SegmentService`, reachable as
:func:`segments_of(cairn) <segments_of>`, adds live evaluation as the last event
processor (``trylast``, so it runs after the flow engine's and sees its changes),
resumes the recompute jobs a previous stop interrupted and starts the periodic
round; at shutdown it stops them.
"""

from __future__ import annotations

import logging
from typing import Any

from cairn.core.plugin_manager import hookimpl
from cairn.core.runtime import Cairn

from .config import SegmentOptions
from .periodic import PeriodicRound
from .service import SegmentService

logger = logging.getLogger("cairn.segments")
ATTRIBUTE = "segments"


def segments_of(cairn: Cairn) -> SegmentService:
    """The running segment service of ``cairn``."""
    service = getattr(cairn, ATTRIBUTE, None)
    if not isinstance(service, SegmentService):
        raise RuntimeError("segmentation is not running: register the plugin module cairn.core.segments.plugin")
    return service


@hookimpl(trylast=True)
async def on_startup(cairn: Cairn) -> None:
    """Start the segment service and hook live evaluation into the pipeline."""
    service = SegmentService(cairn.database, cairn.pipeline, cairn.sources, SegmentOptions.from_env())
    setattr(cairn, ATTRIBUTE, service)
    cairn.pipeline.processors.append(service.live.process)
    cairn.pipeline.listeners.append(service.live.after_store)
    service.tasks.spawn(service.jobs.resume(), name="resume segment jobs")
    PeriodicRound(service).start()


@hookimpl
async def on_shutdown(cairn: Cairn) -> None:
    """Stop live evaluation, jobs and the periodic round."""
    service = getattr(cairn, ATTRIBUTE, None)
    if not isinstance(service, SegmentService):
        return
    if service.live.process in cairn.pipeline.processors:
        cairn.pipeline.processors.remove(service.live.process)
    if service.live.after_store in cairn.pipeline.listeners:
        cairn.pipeline.listeners.remove(service.live.after_store)
    await service.close()


@hookimpl
async def on_profile_changed(cairn: Cairn, profile: dict[str, Any], changes: list[Any]) -> None:
    """A profile was saved outside the event path: bring its segment membership up to date."""
    service = getattr(cairn, ATTRIBUTE, None)
    if not isinstance(service, SegmentService):
        return
    try:
        await service.live.profile_changed(profile)
    except Exception:  # noqa: BLE001 - segmentation must never fail the save that was made
        logger.exception("could not re-evaluate the segments of profile %s", profile.get("id"))
