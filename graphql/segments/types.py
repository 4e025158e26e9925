"""The GraphQL shapes of segments, their recompute jobs, size samples and membership changes."""

from __future__ import annotations

from datetime import datetime
from enum import Enum

import strawberry

from cairn.core.conditions import ConditionError
from cairn.core.segments import Segment as SegmentModel
from cairn.core.segments import SegmentJob as SegmentJobModel
from cairn.core.segments import SizeSample, Transition
from cairn.core.segments.plugin import segments_of
from cairn.graphql.context import Info
from cairn.graphql.pagination import Connection, paginate
from cairn.graphql.profiles.types import Profile

MAX_JOBS = 50


@strawberry.enum(description="How a recompute job works through the profiles.")
class SegmentJobMode(Enum):
    QUERY = "query"
    STREAM = "stream"
    CLEAR = "clear"


@strawberry.enum(description="Where a recompute job is.")
class SegmentJobStatus(Enum):
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"
    CANCELLED = "cancelled"
    INTERRUPTED = "interrupted"


@strawberry.enum(description="Whether a profile entered or left a segment.")
class SegmentChangeKind(Enum):
    ENTERED = "entered"
    LEFT = "left"


@strawberry.type
class InvalidCondition:
    """The condition cannot be used; nothing was changed. Offsets are 0-based, line and column 1-based."""

    message: str
    position: int
    end: int
    line: int
    column: int
    expected: str | None
    hint: str | None

    @classmethod
    def of(cls, error: ConditionError) -> InvalidCondition:
        """The GraphQL view of a condition error."""
        return cls(message=error.message, position=error.position, end=error.end, line=error.line,
                   column=error.column, expected=error.expected, hint=error.hint)


@strawberry.type
class SegmentError:
    """Why the segment was skipped the last time its evaluation failed."""

    message: str
    at: datetime


@strawberry.type
class SegmentJob:
    """A recompute of a segment's membership over every profile, and its progress.

    `total` and `processed` count membership changes (modes QUERY and CLEAR) or
    profiles read and evaluated (STREAM). CANCELLED: a newer job replaced it;
    INTERRUPTED: Cairn stopped during it (a new job resumes it at the next start).
    """

    id: strawberry.ID
    segment_id: strawberry.ID
    segment_name: str
    revision: int = strawberry.field(description="The revision of the segment the job applies.")
    reason: str = strawberry.field(description="created, updated, enabled, disabled, deleted, manual or refresh.")
    mode: SegmentJobMode
    status: SegmentJobStatus
    total: int
    processed: int
    entered: int
    left: int
    failed: int = strawberry.field(description="Profiles the condition failed on (left as they were).")
    emit_events: bool
    started_at: datetime
    heartbeat_at: datetime | None = strawberry.field(description="When the job last reported progress.")
    finished_at: datetime | None
    error: str | None

    @strawberry.field(description="processed / total, from 0 to 1 (1 when there was nothing to do).")
    def progress(self) -> float:
        return 1.0 if self.total == 0 else min(1.0, self.processed / self.total)

    @classmethod
    def from_model(cls, job: SegmentJobModel) -> SegmentJob:
        """The GraphQL view of a job."""
        return cls(id=strawberry.ID(job.id), segment_id=strawberry.ID(job.segment_id), segment_name=job.segment_name,
                   revision=job.revision, heartbeat_at=job.heartbeat_at,
                   reason=job.reason, mode=SegmentJobMode(job.mode), status=SegmentJobStatus(job.status),
                   total=job.total, processed=job.processed, entered=job.entered, left=job.left, failed=job.failed,
                   emit_events=job.emit_events, started_at=job.started_at, finished_at=job.finished_at,
                   error=job.error)


@strawberry.type
class SegmentSize:
    """How many members a segment had at one moment."""

    at: datetime
    size: int

    @classmethod
    def from_model(cls, sample: SizeSample) -> SegmentSize:
        """The GraphQL view of a size sample."""
        return cls(at=sample.at, size=sample.size)


@strawberry.type
class SegmentChange:
    """A profile entering or leaving a segment.

    `reason` is what found it out: `event` (live, after an event), `profile` (an edit or
    a merge), or the reason of a recompute job (`created`, `updated`, `refresh`…).
    """

    id: strawberry.ID
    profile_id: strawberry.ID
    segment_id: strawberry.ID
    segment_name: str
    change: SegmentChangeKind
    at: datetime
    reason: str

    @classmethod
    def from_model(cls, transition: Transition) -> SegmentChange:
        """The GraphQL view of a membership change."""
        return cls(id=strawberry.ID(transition.id), profile_id=strawberry.ID(transition.profile_id),
                   segment_id=strawberry.ID(transition.segment_id), segment_name=transition.segment_name,
                   change=SegmentChangeKind(transition.change), at=transition.at, reason=transition.reason)


@strawberry.type
class Segment:
    """A named condition over the profile; the live profiles that satisfy it are its members."""

    id: strawberry.ID
    name: str
    description: str
    condition: str
    enabled: bool
    revision: int = strawberry.field(description="Grows when the condition or the enabled flag changes.")
    created_at: datetime
    updated_at: datetime
    last_computed_at: datetime | None = strawberry.field(description="When the last recompute job finished.")
    last_error: SegmentError | None = strawberry.field(
        description="The last evaluation failure; a failing segment is skipped, never blocking ingestion.")

    @strawberry.field(description="The number of members now.")
    async def size(self, info: Info) -> int:
        return await segments_of(info.context.cairn).size(str(self.id))

    @strawberry.field(description="The members, most recently seen first.")
    async def members(self, info: Info, first: int | None = None, after: str | None = None) -> Connection[Profile]:
        service = segments_of(info.context.cairn)
        return await paginate(info, first, after,
                              lambda size, cursor: service.members(str(self.id), first=size, after=cursor),
                              Profile.from_model)

    @strawberry.field(description="The sampled sizes between `since` and `until`, oldest first (for charts).")
    async def size_history(self, info: Info, since: datetime | None = None,
                           until: datetime | None = None) -> list[SegmentSize]:
        samples = await segments_of(info.context.cairn).size_history(str(self.id), since=since, until=until)
        return [SegmentSize.from_model(sample) for sample in samples]

    @strawberry.field(description="The latest recompute jobs, newest first.")
    async def jobs(self, info: Info, limit: int = 10) -> list[SegmentJob]:
        found = await segments_of(info.context.cairn).jobs_of(str(self.id), max(0, min(limit, MAX_JOBS)))
        return [SegmentJob.from_model(job) for job in found]

    @strawberry.field(description="The latest recompute job (its progress while it runs).")
    async def latest_job(self, info: Info) -> SegmentJob | None:
        found = await segments_of(info.context.cairn).jobs_of(str(self.id), 1)
        return SegmentJob.from_model(found[0]) if found else None

    @classmethod
    def from_model(cls, segment: SegmentModel) -> Segment:
        """The GraphQL view of a segment."""
        error = segment.last_error
        return cls(id=strawberry.ID(segment.id), name=segment.name, description=segment.description,
                   condition=segment.condition, enabled=segment.enabled, revision=segment.revision,
                   created_at=segment.created_at, updated_at=segment.updated_at,
                   last_computed_at=segment.last_computed_at,
                   last_error=SegmentError(message=error.message, at=error.at) if error else None)


@strawberry.type
class SegmentPreview:
    """What a condition selects now, before it is saved."""

    mode: SegmentJobMode = strawberry.field(
        description="QUERY: counted by the store; STREAM: profiles were read and evaluated.")
    count: int
    exact: bool = strawberry.field(description="False when a STREAM preview stopped at its scan limit.")
    scanned: int | None = strawberry.field(description="Profiles read (STREAM only).")
    profiles: Connection[Profile]
