"""Segment sizes over time, and the periodic round that samples them and refreshes time-bound segments."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest

from cairn.core.clock import utcnow
from cairn.core.config import Settings
from cairn.core.runtime import Cairn
from cairn.core.segments import SegmentService
from cairn.core.segments.periodic import PeriodicRound
from cairn.core.segments.plugin import segments_of
from tests.graphql.conftest import Tracker
from tests.segments.conftest import events_of, history_of, profile_of, segment_plugin_manager
from tests.support.server import serve_cairn


async def test_sizes_are_sampled_after_each_recompute(cairn: Cairn, segments: SegmentService,
                                                      tracker: Tracker) -> None:
    await tracker.batch(*({"type": "identify", "userId": f"u{n}", "traits": {"age": 20 + n}} for n in range(5)))
    segment = await segments.create("Over 21", "profile.traits.age > 21")
    await segments.wait_idle()
    await segments.update(segment.id, condition="profile.traits.age > 22")
    await segments.wait_idle()

    samples = await segments.size_history(segment.id)
    assert [sample.size for sample in samples] == [3, 2]
    assert samples[0].at <= samples[1].at
    assert await segments.size_history(segment.id, since=samples[1].at) == samples[1:]
    assert await segments.size_history(segment.id, until=samples[0].at) == samples[:1]


async def test_the_periodic_round_refreshes_time_bound_segments_and_samples_all(
        cairn: Cairn, segments: SegmentService, tracker: Tracker) -> None:
    recent = await segments.create("Bought this month", 'events_count("purchase", 30d) >= 1')
    everyone = await segments.create("Everyone", "profile.id exists")
    await tracker.send("track", userId="joe", event="purchase")
    await segments.wait_idle()
    profile = await profile_of(cairn, "joe")
    assert sorted(profile["segments"]) == sorted([recent.id, everyone.id])

    # A month goes by: the purchase is now 31 days old.
    await cairn.database.events.update_many({"profile_id": profile["id"], "type": "purchase"},
                                            {"$set": {"occurred_at": utcnow() - timedelta(days=31)}})
    await PeriodicRound(segments).run_once()
    await segments.wait_idle()

    assert (await profile_of(cairn, "joe"))["segments"] == [everyone.id]
    assert (await history_of(cairn, profile["id"]))[-1] == ("Bought this month", "left", "refresh")
    left = await events_of(cairn, profile["id"], "segment-left")
    assert [event["properties"]["segmentName"] for event in left] == ["Bought this month"]
    assert [s.size for s in await segments.size_history(recent.id)] == [0, 0]
    assert [s.size for s in await segments.size_history(everyone.id)] == [0, 1]


async def test_only_one_process_runs_a_round(segments: SegmentService) -> None:
    first, second = PeriodicRound(segments), PeriodicRound(segments)

    assert await first.acquire(timedelta(minutes=1)) is True
    assert await second.acquire(timedelta(minutes=1)) is False


async def test_the_round_runs_by_itself_at_the_configured_interval(
        store_url: str, settings: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CAIRN_SEGMENT_SAMPLE_INTERVAL", "0.2")
    async with serve_cairn(settings, store_url, segment_plugin_manager()) as running:
        segments = segments_of(running.cairn)
        segment = await segments.create("Everyone", "profile.id exists")
        await segments.wait_idle()
        for _ in range(100):
            if len(await segments.size_history(segment.id)) >= 3:
                break
            await asyncio.sleep(0.05)
        assert len(await segments.size_history(segment.id)) >= 3
