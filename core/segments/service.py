"""The segmentation service: what GraphQL, the CLI and plugins call.

Creating a segment, or changing its condition or enabled flag, starts a recompute
job in the background; reading a segment's members, sizes, jobs and a profile's
segment history goes through here too.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from pymongo.errors import DuplicateKeyError

from cairn.core.clock import utcnow
from cairn.core.conditions import ConditionError
from cairn.core.conditions.functions import Function
from cairn.core.ids import new_id
from cairn.core.ingestion.pipeline import Pipeline
from cairn.core.models.profile import Profile
from cairn.core.reads.pagination import Page, newest_first
from cairn.core.reads.profiles import get_profile, owned_ids, profile_from_document
from cairn.core.sources import SourceService
from cairn.core.store.database import Database

from ._tasks import BackgroundTasks
from .catalog import SegmentCatalog
from .compiled import check_condition, compile_segment, function_table
from .config import SegmentOptions
from .events import TransitionRecorder
from .jobs import RecomputeJobs
from .live import LiveSegments
from .membership import Evaluator
from .models import Segment, SegmentJob, SizeSample, Transition, transition_from
from .preview import Preview, preview
from .sizes import SegmentSizes
from .store import SegmentStore, declare_indexes, members_query

MAX_NAME_LENGTH = 200


class SegmentInvalid(ValueError):
    """A segment field that cannot be accepted (the condition has :class:`ConditionError`)."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


class SegmentService:
    """Segments: definitions, live evaluation, recompute jobs, sizes and history."""

    def __init__(self, database: Database, pipeline: Pipeline, sources: SourceService,
                 options: SegmentOptions | None = None, functions: Mapping[str, Function] | None = None) -> None:
        self.options = options or SegmentOptions()
        self.functions = dict(function_table(functions))
        """The condition functions (add to it before segments that call a new function are saved)."""
        self.database = database
        self.tasks = BackgroundTasks()
        self.store = SegmentStore(database)
        self.catalog = SegmentCatalog(self.store, self.functions, ttl=self.options.cache_seconds)
        self.evaluator = Evaluator(database, self.catalog.report)
        self.recorder = TransitionRecorder(database, pipeline, sources, self.tasks)
        self.sizes = SegmentSizes(database)
        self.jobs = RecomputeJobs(database, self.store, self.catalog, self.evaluator, self.recorder, self.sizes,
                                  self.tasks, batch_size=self.options.batch_size)
        self.live = LiveSegments(self.catalog, self.evaluator, self.recorder, pipeline.writer)
        self.history = database.collection("segment_history")
        declare_indexes(database)

    # --- definitions ---------------------------------------------------------------

    def check(self, condition: str) -> list[ConditionError]:
        """Every problem in ``condition`` with its position (``[]`` when it is fine)."""
        return check_condition(condition, self.functions)

    async def create(self, name: str, condition: str, *, description: str = "", enabled: bool = True,
                     emit_events: bool = False) -> Segment:
        """Save a new segment and start computing its members.

        ``emit_events`` also emits ``segment-entered`` for the profiles already
        matching (a backfill); changes found live or by the periodic refresh are
        always emitted. Raises :class:`ConditionError` or :class:`SegmentInvalid`.
        """
        now = utcnow()
        segment = Segment(id=new_id(), name=await self._checked_name(name), description=description,
                          condition=condition, enabled=enabled, created_at=now, updated_at=now)
        compile_segment(segment, self.functions)
        try:
            await self.store.insert(segment)
        except DuplicateKeyError as error:
            raise _name_taken(segment.name) from error
        await self._changed(segment, "created", emit_events)
        return segment

    async def update(self, segment_id: str, *, name: str | None = None, description: str | None = None,
                     condition: str | None = None, enabled: bool | None = None,
                     emit_events: bool = False) -> Segment | None:
        """Change a segment (None if unknown); a new condition or enabled flag recomputes it.

        ``emit_events`` emits the events of the membership changes the new definition causes.
        """
        segment = await self.store.get(segment_id)
        if segment is None:
            return None
        fields: dict[str, object] = {"updated_at": utcnow()}
        if name is not None and name.strip() != segment.name:
            fields["name"] = await self._checked_name(name)
        if description is not None:
            fields["description"] = description
        recompute = (condition is not None and condition != segment.condition) or \
            (enabled is not None and enabled != segment.enabled)
        if recompute:
            changed = segment.model_copy(update={"condition": segment.condition if condition is None else condition,
                                                 "enabled": segment.enabled if enabled is None else enabled})
            compile_segment(changed, self.functions)
            fields.update(condition=changed.condition, enabled=changed.enabled, revision=segment.revision + 1,
                          last_error=None)
        try:
            updated = await self.store.update(segment_id, fields)
        except DuplicateKeyError as error:
            raise _name_taken(str(fields["name"])) from error
        if updated is None:
            return None
        self.catalog.invalidate()
        if recompute:
            reason = "updated" if updated.enabled == segment.enabled else ("enabled" if updated.enabled else "disabled")
            await self._changed(updated, reason, emit_events)
        return updated

    async def delete(self, segment_id: str) -> bool:
        """Delete a segment: its members lose it (in the background), its size samples go."""
        segment = await self.store.get(segment_id)
        if segment is None or not await self.store.delete(segment_id):
            return False
        self.catalog.invalidate()
        await self.jobs.start(segment, "deleted")
        await self.sizes.forget(segment_id)
        return True

    async def recompute(self, segment_id: str, *, emit_events: bool = False) -> SegmentJob | None:
        """Recompute a segment's membership now (None if unknown), emitting the changes' events if asked."""
        segment = await self.store.get(segment_id)
        return await self.jobs.start(segment, "manual", emit_events=emit_events) if segment else None

    async def _changed(self, segment: Segment, reason: str, emit_events: bool) -> None:
        self.catalog.invalidate()
        self.catalog.forget_reports(segment.id)
        await self.jobs.start(segment, reason, emit_events=emit_events)

    async def _checked_name(self, name: str) -> str:
        name = name.strip()
        if not name:
            raise SegmentInvalid("name", "a segment needs a name")
        if len(name) > MAX_NAME_LENGTH:
            raise SegmentInvalid("name", f"at most {MAX_NAME_LENGTH} characters, not {len(name)}")
        if await self.store.by_name(name) is not None:
            raise _name_taken(name)
        return name

    # --- reads ---------------------------------------------------------------------

    async def get(self, segment_id: str) -> Segment | None:
        """The segment with this id."""
        return await self.store.get(segment_id)

    async def all(self) -> list[Segment]:
        """Every segment, by name."""
        return await self.store.list()

    async def preview(self, condition: str, *, first: int = 20, after: str | None = None) -> Preview:
        """How many live profiles ``condition`` selects now, and a page of them (raises :class:`ConditionError`)."""
        now = utcnow()
        draft = Segment(id="preview", name="preview", condition=condition, created_at=now, updated_at=now)
        compiled = compile_segment(draft, self.functions)
        return await preview(self.database, self.evaluator, compiled, first=first, after=after,
                             scan_limit=self.options.preview_scan_limit)

    async def members(self, segment_id: str, *, first: int = 20, after: str | None = None) -> Page[Profile]:
        """A page of the segment's members, most recently seen first."""
        return await newest_first(self.database.profiles, members_query(segment_id), time_field="last_seen",
                                  first=first, after=after, convert=profile_from_document)

    async def size(self, segment_id: str) -> int:
        """The segment's member count now."""
        return await self.sizes.size(segment_id)

    async def size_history(self, segment_id: str, *, since: datetime | None = None,
                           until: datetime | None = None) -> list[SizeSample]:
        """The segment's sampled sizes, oldest first."""
        return await self.sizes.history(segment_id, since=since, until=until)

    async def profile_history(self, profile_id: str, *, first: int = 20,
                              after: str | None = None) -> Page[Transition]:
        """A page of the segments a profile (and the profiles merged into it) entered and left, newest first."""
        profile = await get_profile(self.database, profile_id)
        ids = owned_ids(profile) if profile else [profile_id]
        return await newest_first(self.history, {"profile_id": {"$in": ids}}, time_field="at", first=first,
                                  after=after, convert=transition_from)

    async def job(self, job_id: str) -> SegmentJob | None:
        """A recompute job and its progress."""
        return await self.jobs.get(job_id)

    async def jobs_of(self, segment_id: str, limit: int = 20) -> list[SegmentJob]:
        """The segment's latest recompute jobs, newest first."""
        return await self.jobs.of_segment(segment_id, limit)

    # --- background ----------------------------------------------------------------

    async def wait_idle(self) -> None:
        """Wait until no job, event emission or other background work runs (tests, scripts)."""
        await self.tasks.wait_idle()

    async def close(self) -> None:
        """Stop the background work (running jobs are marked ``interrupted``, resumed at the next start)."""
        self.jobs.stopping = True
        await self.tasks.close()


def _name_taken(name: str) -> SegmentInvalid:
    return SegmentInvalid("name", f"another segment is already named {name!r}; choose another name")
