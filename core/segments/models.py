"""What segmentation stores: segments, recompute jobs, membership changes and size samples."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, Field

Change = Literal["entered", "left"]
JobStatus = Literal["running", "done", "failed", "cancelled", "interrupted"]
JobMode = Literal["query", "stream", "clear"]


class SegmentError(BaseModel):
    """Why a segment could not be evaluated the last time it failed."""

    message: str
    at: datetime


class Segment(BaseModel):
    """A named condition over the profile; profiles that satisfy it are its members.

    ``revision`` grows whenever the condition or the enabled flag changes, so that a
    recompute job can say which definition it applied.
    """

    id: str
    name: str
    description: str = ""
    condition: str
    enabled: bool = True
    revision: int = 1
    created_at: datetime
    updated_at: datetime
    last_error: SegmentError | None = None
    last_computed_at: datetime | None = None


class SegmentJob(BaseModel):
    """One recompute of a segment's membership over every profile, and its progress.

    ``mode`` is ``query`` when the condition ran as a store query, ``stream`` when the
    profiles were read and evaluated one batch at a time, ``clear`` when a disabled or
    deleted segment lost all its members. ``total`` and ``processed`` count membership
    changes (``query``, ``clear``) or profiles read (``stream``). A job is
    ``cancelled`` when a newer one replaced it, ``interrupted`` when Cairn stopped
    during it; interrupted jobs, and running jobs whose ``heartbeat_at`` is old (their
    process died), are resumed by a new job.
    """

    id: str
    segment_id: str
    segment_name: str = ""
    revision: int
    reason: str
    mode: JobMode
    status: JobStatus = "running"
    total: int = 0
    processed: int = 0
    entered: int = 0
    left: int = 0
    failed: int = 0
    emit_events: bool = False
    started_at: datetime
    heartbeat_at: datetime | None = None
    finished_at: datetime | None = None
    error: str | None = None


class Transition(BaseModel):
    """A profile entering or leaving a segment (one ``segment_history`` document)."""

    id: str
    profile_id: str
    segment_id: str
    segment_name: str
    change: Change
    at: datetime
    reason: str = Field(description="event, profile, recompute, refresh, disabled or deleted")


class SizeSample(BaseModel):
    """How many members a segment had at one moment (one ``segment_sizes`` document)."""

    segment_id: str
    at: datetime
    size: int


def to_document(model: BaseModel) -> dict[str, Any]:
    """The stored form of a model: its fields with ``id`` as ``_id``."""
    doc = model.model_dump()
    doc["_id"] = doc.pop("id")
    return doc


def segment_from(doc: dict[str, Any]) -> Segment:
    """The segment a stored document stands for."""
    return Segment.model_validate({**doc, "id": doc["_id"]})


def job_from(doc: dict[str, Any]) -> SegmentJob:
    """The job a stored document stands for."""
    return SegmentJob.model_validate({**doc, "id": doc["_id"]})


def transition_from(doc: dict[str, Any]) -> Transition:
    """The transition a stored document stands for."""
    return Transition.model_validate({**doc, "id": doc["_id"]})
