"""Recomputing a segment's membership over every profile, in the background.

* ``query``: the condition translates into a MongoDB filter; the store finds who
  enters (matches, not a member) and who leaves (a member, no longer matches), and
  the changes are applied by id, a chunk at a time, with ``update_many``.
* ``stream``: the condition needs Python (functions, event history); live profiles
  are read through one cursor a batch at a time (only the fields the condition
  reads), evaluated, and each batch's changes written with one ``bulk_write`` (a
  profile met twice is harmless: its second evaluation finds nothing to change).
* ``clear``: a disabled or deleted segment loses all its members.

Every write does ``$inc: {version: 1}`` along with ``$addToSet``/``$pull`` on
``segments``, so that a profile writer holding an older copy sees a version
conflict and re-applies its changes to the fresh one; it also leaves a write token
in ``_w`` (like the profile repository), so that when a live save changed some
memberships first, only the changes this write made are recorded. Progress goes
to the job's ``segment_jobs`` document after each chunk.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import Sequence
from datetime import timedelta
from typing import Any

from pymongo import UpdateMany

from cairn.core.clock import utcnow
from cairn.core.conditions import ConditionError
from cairn.core.ids import new_id
from cairn.core.profiles.repository import WRITE_TOKENS_KEPT, from_document
from cairn.core.store.database import Database

from ._tasks import BackgroundTasks
from .catalog import SegmentCatalog
from .compiled import CompiledSegment
from .events import TransitionRecorder
from .membership import Evaluator
from .models import JobMode, Segment, SegmentJob, Transition, job_from, to_document
from .sizes import SegmentSizes
from .store import IDS_PER_QUERY, LIVE, SegmentStore, members_query

logger = logging.getLogger("cairn.segments")
Document = dict[str, Any]
STALE_AFTER = timedelta(minutes=5)
"""A running job whose progress has not moved for this long lost its process."""


class RecomputeJobs:
    """Starts, runs, cancels and reports recompute jobs (collection ``segment_jobs``)."""

    def __init__(self, database: Database, store: SegmentStore, catalog: SegmentCatalog, evaluator: Evaluator,
                 recorder: TransitionRecorder, sizes: SegmentSizes, tasks: BackgroundTasks,
                 *, batch_size: int = 1000) -> None:
        self.profiles = database.profiles
        self.jobs = database.collection("segment_jobs")
        self.store = store
        self.catalog = catalog
        self.evaluator = evaluator
        self.recorder = recorder
        self.sizes = sizes
        self.tasks = tasks
        self.batch_size = batch_size
        self._running: dict[str, asyncio.Task[None]] = {}
        self.stopping = False

    async def start(self, segment: Segment, reason: str, *, emit_events: bool = False) -> SegmentJob:
        """Start recomputing ``segment`` (cancelling its running job); return the new job.

        A disabled segment (or ``reason="deleted"``) is cleared. Raises
        ``ConditionError`` if the condition does not compile.
        """
        self.cancel(segment.id)
        compiled = self.catalog.compile(segment) if segment.enabled and reason != "deleted" else None
        mode: JobMode = "clear"
        if compiled is not None:
            mode = "query" if compiled.mongo_filter(utcnow()) is not None else "stream"
        now = utcnow()
        job = SegmentJob(id=new_id(), segment_id=segment.id, segment_name=segment.name, revision=segment.revision,
                         reason=reason, mode=mode, emit_events=emit_events and compiled is not None, started_at=now,
                         heartbeat_at=now)
        await self.jobs.insert_one(to_document(job))
        self._running[segment.id] = self.tasks.spawn(self._run(job, segment, compiled), name=f"segment job {job.id}")
        return job

    def running(self, segment_id: str) -> bool:
        """Whether this process runs a job for the segment."""
        task = self._running.get(segment_id)
        return task is not None and not task.done()

    def cancel(self, segment_id: str) -> None:
        """Stop the segment's running job, if any (it is marked ``cancelled``)."""
        task = self._running.pop(segment_id, None)
        if task is not None:
            task.cancel()

    async def wait(self, segment_id: str) -> None:
        """Wait for the segment's running job to end."""
        task = self._running.get(segment_id)
        if task is not None:
            await asyncio.gather(task, return_exceptions=True)

    async def resume(self, stale_after: timedelta = STALE_AFTER) -> list[SegmentJob]:
        """Start again the jobs that Cairn's stop interrupted or whose process died; return the new jobs."""
        limit = utcnow() - stale_after
        query = {"$or": [{"status": "interrupted"}, {"status": "running", "heartbeat_at": {"$lt": limit}}]}
        resumed = []
        for old in [job_from(doc) for doc in await self.jobs.find(query).to_list()]:
            if self.running(old.segment_id):
                continue
            claimed = await self.jobs.update_one({"_id": old.id, "status": old.status,
                                                  "heartbeat_at": old.heartbeat_at},
                                                 {"$set": {"status": "failed", "finished_at": utcnow()}})
            if claimed.modified_count != 1:
                continue
            segment = await self.store.get(old.segment_id)
            if old.reason == "deleted" or segment is None:
                segment = Segment(id=old.segment_id, name=old.segment_name, condition="", enabled=False,
                                  created_at=old.started_at, updated_at=old.started_at)
                reason = "deleted"
            else:
                reason = old.reason
            try:
                job = await self.start(segment, reason, emit_events=old.emit_events)
            except ConditionError as error:
                await self.catalog.report(segment.id, f"the condition does not compile: {error}")
                continue
            await self.jobs.update_one({"_id": old.id}, {"$set": {"error": f"stopped before the end; resumed by "
                                                                           f"job {job.id}"}})
            resumed.append(job)
        return resumed

    async def get(self, job_id: str) -> SegmentJob | None:
        """The job with this id."""
        doc = await self.jobs.find_one({"_id": job_id})
        return job_from(doc) if doc else None

    async def of_segment(self, segment_id: str, limit: int = 20) -> list[SegmentJob]:
        """The segment's latest jobs, newest first."""
        cursor = self.jobs.find({"segment_id": segment_id}).sort("started_at", -1).limit(limit)
        return [job_from(doc) async for doc in cursor]

    async def _run(self, job: SegmentJob, segment: Segment, compiled: CompiledSegment | None) -> None:
        try:
            if compiled is None:
                await self._by_ids(job, segment, [], await self._ids(members_query(segment.id)))
            elif job.mode == "query":
                await self._by_query(job, compiled)
            else:
                await self._by_stream(job, compiled)
            await self._finish(job, "done")
            if job.reason != "deleted":
                await self.store.update(segment.id, {"last_computed_at": utcnow()})
                await self.sizes.sample([segment.id])
        except asyncio.CancelledError:
            await asyncio.shield(self._finish(job, "interrupted" if self.stopping else "cancelled"))
            raise
        except Exception as error:  # noqa: BLE001 - recorded on the job and the segment
            logger.exception("segment job %s failed", job.id)
            await self._finish(job, "failed", f"{type(error).__name__}: {error}")
            await self.catalog.report(segment.id, f"recompute failed: {type(error).__name__}: {error}")
        finally:
            if self._running.get(segment.id) is asyncio.current_task():
                del self._running[segment.id]

    async def _by_query(self, job: SegmentJob, compiled: CompiledSegment) -> None:
        query = compiled.mongo_filter(utcnow())
        assert query is not None
        sid = compiled.id
        entering = await self._ids({"$and": [LIVE, query, {"segments": {"$ne": sid}}]})
        leaving = await self._ids({"$and": [LIVE, {"segments": sid}, {"$nor": [query]}]})
        await self._by_ids(job, compiled.segment, entering, leaving)

    async def _by_ids(self, job: SegmentJob, segment: Segment, entering: list[Document],
                      leaving: list[Document]) -> None:
        await self._progress(job, total=len(entering) + len(leaving))
        size = self.batch_size
        for start in range(0, len(entering), size):
            await self._write(job, segment, entering[start:start + size], [],
                              processed=len(entering[start:start + size]))
        for start in range(0, len(leaving), size):
            await self._write(job, segment, [], leaving[start:start + size], processed=len(leaving[start:start + size]))

    async def _by_stream(self, job: SegmentJob, compiled: CompiledSegment) -> None:
        await self._progress(job, total=await self.profiles.count_documents(LIVE))
        batch: list[Document] = []
        async for doc in self.profiles.find(LIVE, compiled.projection).batch_size(self.batch_size):
            batch.append(from_document(doc))
            if len(batch) == self.batch_size:
                await self._stream_batch(job, compiled, batch)
                batch = []
        if batch:
            await self._stream_batch(job, compiled, batch)

    async def _stream_batch(self, job: SegmentJob, compiled: CompiledSegment, profiles: list[Document]) -> None:
        now = utcnow()
        histories = await self.evaluator.histories([compiled], [p["id"] for p in profiles], now)
        entering: list[Document] = []
        leaving: list[Document] = []
        failed, message = 0, ""
        for profile in profiles:
            try:
                member = compiled.matches(profile, histories.get(profile["id"]), now)
            except Exception as error:  # noqa: BLE001 - counted, reported, and the profile is left as it was
                failed += 1
                message = message or f"evaluation failed: {type(error).__name__}: {error}"
                continue
            if member != (compiled.id in (profile.get("segments") or ())):
                (entering if member else leaving).append({"_id": profile["id"], **_session(profile)})
        if message:
            await self.catalog.report(compiled.id, message)
        await self._write(job, compiled.segment, entering, leaving, processed=len(profiles), failed=failed)

    async def _write(self, job: SegmentJob, segment: Segment, entering: Sequence[Document],
                     leaving: Sequence[Document], *, processed: int, failed: int = 0) -> None:
        entering, leaving = await self.write_memberships(segment.id, entering, leaving)
        if entering or leaving:
            at = utcnow()
            transitions = [_transition(doc, segment, change, at, job.reason)
                           for change, docs in (("entered", entering), ("left", leaving)) for doc in docs]
            sessions = {doc["_id"]: doc.get("last_session_id") for doc in [*entering, *leaving]}
            await self.recorder.record(transitions, sessions, emit=job.emit_events, wait=True)
        await self._progress(job, processed=processed, entered=len(entering), left=len(leaving), failed=failed)

    async def write_memberships(self, sid: str, entering: Sequence[Document],
                                leaving: Sequence[Document]) -> tuple[Sequence[Document], Sequence[Document]]:
        """Write the changes; return those this write made (a live save may have made some first)."""
        token = uuid.uuid4().hex[:16]
        tokens = {"$each": [token], "$position": 0, "$slice": WRITE_TOKENS_KEPT}
        mark = {"$inc": {"version": 1}, "$push": {"_w": tokens}}
        requests = []
        for start in range(0, len(entering), IDS_PER_QUERY):
            ids = [d["_id"] for d in entering[start:start + IDS_PER_QUERY]]
            requests.append(UpdateMany({"_id": {"$in": ids}, "segments": {"$ne": sid}},
                                       {"$addToSet": {"segments": sid}, **mark}))
        for start in range(0, len(leaving), IDS_PER_QUERY):
            ids = [d["_id"] for d in leaving[start:start + IDS_PER_QUERY]]
            requests.append(UpdateMany({"_id": {"$in": ids}, "segments": sid}, {"$pull": {"segments": sid}, **mark}))
        if not requests:
            return entering, leaving
        result = await self.profiles.bulk_write(requests, ordered=True)
        if result.modified_count == len(entering) + len(leaving):
            return entering, leaving
        ids = [doc["_id"] for doc in [*entering, *leaving]]
        made = {doc["_id"] async for doc in self.profiles.find({"_id": {"$in": ids}, "_w": token}, {"_id": 1})}
        return [d for d in entering if d["_id"] in made], [d for d in leaving if d["_id"] in made]

    async def _ids(self, query: Document) -> list[Document]:
        return await self.profiles.find(query, {"_id": 1, "last_session_id": 1}).to_list()

    async def _progress(self, job: SegmentJob, **amounts: int) -> None:
        total = amounts.pop("total", None)
        for name, amount in amounts.items():
            setattr(job, name, getattr(job, name) + amount)
        fields: dict[str, Any] = {name: getattr(job, name) for name in ("processed", "entered", "left", "failed")}
        fields["heartbeat_at"] = utcnow()
        if total is not None:
            job.total = fields["total"] = total
        await self.jobs.update_one({"_id": job.id}, {"$set": fields})

    async def _finish(self, job: SegmentJob, status: str, error: str | None = None) -> None:
        await self.jobs.update_one({"_id": job.id}, {"$set": {"status": status, "finished_at": utcnow(),
                                                              "error": error}})


def _session(profile: Document) -> Document:
    session = profile.get("last_session_id")
    return {"last_session_id": session} if session else {}


def _transition(doc: Document, segment: Segment, change: str, at: Any, reason: str) -> Transition:
    return Transition(id=new_id(), profile_id=doc["_id"], segment_id=segment.id, segment_name=segment.name,
                      change=change, at=at, reason=reason)  # type: ignore[arg-type]
