"""Batch recompute: creating or changing a segment recomputes every profile's membership."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import Any

from cairn.core.clock import utcnow
from cairn.core.config import Settings
from cairn.core.runtime import Cairn
from cairn.core.segments import SegmentService
from cairn.core.segments.plugin import segments_of
from tests.graphql.conftest import Tracker
from tests.segments.conftest import events_of, history_of, profile_of, segment_plugin_manager
from tests.support.server import serve_cairn

AGES = list(range(10, 50, 2))
"""20 customers, 16 of them 18 or older."""


async def customers_with_ages(tracker: Tracker) -> None:
    await tracker.batch(*({"type": "identify", "userId": f"age-{age}", "traits": {"age": age}} for age in AGES))


async def purchases(tracker: Tracker, counts: dict[str, int]) -> None:
    messages: list[dict[str, Any]] = []
    for user, count in counts.items():
        messages.append({"type": "identify", "userId": user, "traits": {}})
        messages.extend({"type": "track", "userId": user, "event": "purchase"} for _ in range(count))
    await tracker.batch(*messages)


async def member_users(cairn: Cairn, segment_id: str) -> set[str]:
    cursor = cairn.database.profiles.find({"segments": segment_id, "merged_into": None}, {"user_ids": 1})
    return {user for doc in await cursor.to_list() for user in doc["user_ids"]}


async def test_a_translatable_condition_is_recomputed_with_store_queries(cairn: Cairn, segments: SegmentService,
                                                                         tracker: Tracker) -> None:
    await customers_with_ages(tracker)
    before = await profile_of(cairn, "age-30")

    adults = await segments.create("Adults", "profile.traits.age >= 18")
    await segments.wait_idle()

    [job] = await segments.jobs_of(adults.id)
    assert (job.mode, job.status, job.reason) == ("query", "done", "created")
    assert (job.total, job.processed, job.entered, job.left) == (16, 16, 16, 0)
    assert job.finished_at is not None and job.finished_at >= job.started_at
    assert await member_users(cairn, adults.id) == {f"age-{age}" for age in AGES if age >= 18}
    after = await profile_of(cairn, "age-30")
    assert after["version"] == before["version"] + 1, "batch writes bump the version for the optimistic writers"
    assert await history_of(cairn, after["id"]) == [("Adults", "entered", "created")]
    assert await events_of(cairn, after["id"], "segment-entered") == [], "a new segment does not backfill events"


async def test_changing_the_condition_moves_members_in_and_out(cairn: Cairn, segments: SegmentService,
                                                               tracker: Tracker) -> None:
    await customers_with_ages(tracker)
    segment = await segments.create("Adults", "profile.traits.age >= 18")
    await segments.wait_idle()

    changed = await segments.update(segment.id, condition="profile.traits.age >= 30 or profile.traits.age < 12")
    await segments.wait_idle()

    assert changed is not None and changed.revision == 2
    latest = (await segments.jobs_of(segment.id))[0]
    assert (latest.reason, latest.revision, latest.entered, latest.left) == ("updated", 2, 1, 6)
    assert await member_users(cairn, segment.id) == {f"age-{age}" for age in AGES if age >= 30 or age < 12}
    assert await history_of(cairn, (await profile_of(cairn, "age-20"))["id"]) == [
        ("Adults", "entered", "created"), ("Adults", "left", "updated")]


async def test_a_condition_on_event_history_is_streamed(cairn: Cairn, segments: SegmentService,
                                                        tracker: Tracker) -> None:
    await purchases(tracker, {"none": 0, "once": 1, "twice": 2, "thrice": 3})
    repeat = await segments.create("Repeat buyers", 'events_count("purchase", 30d) >= 2')
    await segments.wait_idle()

    [job] = await segments.jobs_of(repeat.id)
    assert (job.mode, job.status) == ("stream", "done")
    assert (job.total, job.processed, job.entered, job.left, job.failed) == (4, 4, 2, 0, 0)
    assert await member_users(cairn, repeat.id) == {"twice", "thrice"}


async def test_streaming_reads_profiles_in_batches_and_reports_progress(cairn: Cairn, segments: SegmentService,
                                                                        tracker: Tracker) -> None:
    await customers_with_ages(tracker)
    segments.jobs.batch_size = 3
    adults = await segments.create("Adults by visits", "visits() >= 1 and profile.traits.age >= 18")
    await segments.wait_idle()

    [job] = await segments.jobs_of(adults.id)
    assert (job.mode, job.total, job.processed, job.entered) == ("stream", 20, 20, 16)


async def test_a_live_write_after_a_batch_write_keeps_both(cairn: Cairn, segments: SegmentService,
                                                           tracker: Tracker) -> None:
    await customers_with_ages(tracker)
    adults = await segments.create("Adults", "profile.traits.age >= 18")
    await segments.wait_idle()

    await tracker.send("identify", userId="age-40", traits={"city": "Lyon"})
    await segments.wait_idle()

    profile = await profile_of(cairn, "age-40")
    assert profile["traits"] == {"age": 40, "city": "Lyon"}
    assert profile["segments"] == [adults.id]


async def test_disabling_clears_the_members_and_enabling_brings_them_back(cairn: Cairn, segments: SegmentService,
                                                                          tracker: Tracker) -> None:
    await customers_with_ages(tracker)
    adults = await segments.create("Adults", "profile.traits.age >= 18")
    await segments.wait_idle()

    await segments.update(adults.id, enabled=False)
    await segments.wait_idle()
    assert await segments.size(adults.id) == 0
    assert (await segments.jobs_of(adults.id))[0].mode == "clear"

    await tracker.send("identify", userId="age-40", traits={"age": 41})
    await segments.wait_idle()
    assert await segments.size(adults.id) == 0, "a disabled segment is not evaluated live"

    await segments.update(adults.id, enabled=True)
    await segments.wait_idle()
    assert await segments.size(adults.id) == 16
    reasons = [doc[2] for doc in await history_of(cairn, (await profile_of(cairn, "age-30"))["id"])]
    assert reasons == ["created", "disabled", "enabled"]


async def test_deleting_a_segment_removes_it_from_every_profile(cairn: Cairn, segments: SegmentService,
                                                                tracker: Tracker) -> None:
    await customers_with_ages(tracker)
    adults = await segments.create("Adults", "profile.traits.age >= 18")
    await segments.wait_idle()

    assert await segments.delete(adults.id) is True
    await segments.wait_idle()

    assert await segments.get(adults.id) is None
    assert await cairn.database.profiles.count_documents({"segments": adults.id}) == 0
    assert await segments.size_history(adults.id) == []
    assert await segments.delete(adults.id) is False


async def test_a_segment_failing_during_a_recompute_is_reported_and_the_job_finishes(
        cairn: Cairn, segments: SegmentService, tracker: Tracker) -> None:
    await customers_with_ages(tracker)

    def score(value: object) -> object:
        raise TimeoutError("scoring timed out")

    segments.functions["score"] = score
    scored = await segments.create("Scored", "score(profile.traits.age) > 3")
    await segments.wait_idle()

    [job] = await segments.jobs_of(scored.id)
    assert (job.status, job.processed, job.failed, job.entered) == ("done", 20, 20, 0)
    error = (await segments.get(scored.id)).last_error
    assert error is not None and "scoring timed out" in error.message


async def test_merged_profiles_are_not_counted(cairn: Cairn, segments: SegmentService, tracker: Tracker) -> None:
    await tracker.send("identify", anonymousId="device-1", traits={"age": 30})
    adults = await segments.create("Adults", "profile.traits.age >= 18")
    await segments.wait_idle()
    assert await segments.size(adults.id) == 1

    await tracker.send("identify", anonymousId="device-1", userId="ivy", traits={"age": 30})
    await tracker.send("identify", anonymousId="device-2", traits={"age": 31})
    await tracker.send("identify", anonymousId="device-2", userId="ivy")
    await segments.wait_idle()

    await segments.recompute(adults.id)
    await segments.wait_idle()
    assert await segments.size(adults.id) == 1


async def test_a_recompute_racing_live_saves_loses_nothing_and_records_each_change_once(
        cairn: Cairn, segments: SegmentService, tracker: Tracker) -> None:
    await customers_with_ages(tracker)

    adults = await segments.create("Adults", "profile.traits.age >= 18")
    await asyncio.gather(*(tracker.send("identify", userId=f"age-{age}", traits={"city": "Oslo"}) for age in AGES))
    await segments.wait_idle()

    assert await member_users(cairn, adults.id) == {f"age-{age}" for age in AGES if age >= 18}
    for age in AGES:
        profile = await profile_of(cairn, f"age-{age}")
        assert profile["traits"] == {"age": age, "city": "Oslo"}
        changes = [change for _, change, _ in await history_of(cairn, profile["id"])]
        assert changes == (["entered"] if age >= 18 else [])


async def test_a_batch_write_reports_only_the_changes_it_made(cairn: Cairn, segments: SegmentService,
                                                              tracker: Tracker) -> None:
    await customers_with_ages(tracker)
    first, second, third = [await profile_of(cairn, f"age-{age}") for age in (20, 22, 24)]
    # A live save got there first: the second profile is in the segment already.
    await cairn.database.profiles.update_one({"_id": second["id"]}, {"$set": {"segments": ["s1"]}})

    entered, left = await segments.jobs.write_memberships(
        "s1", [{"_id": first["id"]}, {"_id": second["id"]}], [{"_id": third["id"]}])

    assert ([doc["_id"] for doc in entered], left) == ([first["id"]], [])
    assert (await profile_of(cairn, "age-20"))["version"] == first["version"] + 1
    assert (await profile_of(cairn, "age-22"))["segments"] == ["s1"]


async def test_a_job_interrupted_by_a_stop_is_resumed_at_the_next_start(
        store_url: str, settings: Settings, cairn: Cairn, segments: SegmentService, tracker: Tracker) -> None:
    await customers_with_ages(tracker)
    segments.jobs.batch_size = 1
    adults = await segments.create("Adults by visits", "visits() >= 1 and profile.traits.age >= 18")
    await asyncio.sleep(0)
    await segments.close()  # what Cairn's shutdown does
    [interrupted] = await segments.jobs_of(adults.id)
    assert interrupted.status == "interrupted"

    async with serve_cairn(settings, store_url, segment_plugin_manager()) as restarted:
        again = segments_of(restarted.cairn)
        await again.wait_idle()
        resumed, old = await again.jobs_of(adults.id)

    assert (old.id, old.status) == (interrupted.id, "failed")
    assert old.error == f"stopped before the end; resumed by job {resumed.id}"
    assert (resumed.status, resumed.reason, resumed.processed) == ("done", "created", 20)
    assert await member_users(cairn, adults.id) == {f"age-{age}" for age in AGES if age >= 18}


async def test_a_job_whose_process_died_is_resumed_but_a_live_one_is_left_alone(
        cairn: Cairn, segments: SegmentService, tracker: Tracker) -> None:
    await customers_with_ages(tracker)
    adults = await segments.create("Adults", "profile.traits.age >= 18")
    await segments.wait_idle()
    jobs = cairn.database.collection("segment_jobs")
    [done] = await segments.jobs_of(adults.id)
    dead = {**done.model_dump(), "_id": "dead", "status": "running", "heartbeat_at": utcnow() - timedelta(minutes=6)}
    alive = {**dead, "_id": "alive", "heartbeat_at": utcnow()}
    await jobs.insert_many([{k: v for k, v in doc.items() if k != "id"} for doc in (dead, alive)])

    [resumed] = await segments.jobs.resume()
    await segments.wait_idle()

    assert (await segments.job("dead")).status == "failed"
    assert (await segments.job("alive")).status == "running"
    assert (await segments.job(resumed.id)).status == "done"
