"""Live segmentation: membership follows each event, is recorded, and is announced as events."""

from __future__ import annotations

from datetime import timedelta

from cairn.core.clock import utcnow
from cairn.core.flows import Graph
from cairn.core.runtime import Cairn
from cairn.core.segments import INTERNAL_SOURCE, SegmentService
from tests.graphql.conftest import Tracker
from tests.segments.conftest import events_of, history_of, iso, profile_of


async def test_a_profile_enters_and_leaves_as_its_traits_change(cairn: Cairn, segments: SegmentService,
                                                                tracker: Tracker) -> None:
    adults = await segments.create("Adults", "profile.traits.age >= 18")
    await segments.wait_idle()

    await tracker.send("identify", userId="ann", traits={"age": 34})
    await segments.wait_idle()
    profile = await profile_of(cairn, "ann")
    assert profile["segments"] == [adults.id]

    await tracker.send("identify", userId="ann", traits={"age": 12})
    await segments.wait_idle()
    profile = await profile_of(cairn, "ann")
    assert profile["segments"] == []
    assert await history_of(cairn, profile["id"]) == [("Adults", "entered", "event"), ("Adults", "left", "event")]


async def test_entering_and_leaving_are_stored_as_internal_events(cairn: Cairn, segments: SegmentService,
                                                                  tracker: Tracker) -> None:
    vip = await segments.create("VIP", 'profile.traits.plan == "gold"')
    await tracker.send("identify", userId="bob", traits={"plan": "gold"})
    await tracker.send("identify", userId="bob", traits={"plan": "free"})
    await segments.wait_idle()

    profile = await profile_of(cairn, "bob")
    entered = await events_of(cairn, profile["id"], "segment-entered")
    left = await events_of(cairn, profile["id"], "segment-left")
    assert [e["properties"] for e in entered] == [{"segmentId": vip.id, "segmentName": "VIP"}]
    assert [e["properties"] for e in left] == [{"segmentId": vip.id, "segmentName": "VIP"}]
    internal = await cairn.database.sources.find_one({"_id": entered[0]["source_id"]})
    assert internal["name"] == INTERNAL_SOURCE
    assert internal["enabled"] is False, "nobody may send events with the internal source's write key"
    assert profile["stats"]["visits"] == 1, "internal events join the customer's visit"


async def test_event_history_functions_count_within_their_window(cairn: Cairn, segments: SegmentService,
                                                                 tracker: Tracker) -> None:
    buyers = await segments.create("Recent buyers", 'events_count("purchase", 30d) >= 1')
    loyal = await segments.create("Loyal", 'events_count("purchase") >= 2')
    long_ago = utcnow() - timedelta(days=40)

    await tracker.send("track", userId="cy", event="purchase", timestamp=iso(long_ago))
    await segments.wait_idle()
    assert (await profile_of(cairn, "cy")).get("segments", []) == []

    await tracker.send("track", userId="cy", event="purchase")
    await segments.wait_idle()
    assert sorted((await profile_of(cairn, "cy")).get("segments", [])) == sorted([buyers.id, loyal.id])


async def test_a_flow_runs_when_a_profile_enters_a_segment(cairn: Cairn, segments: SegmentService,
                                                           tracker: Tracker) -> None:
    graph = Graph.model_validate({
        "nodes": [{"id": "start", "type": "cairn.start"},
                  {"id": "tag", "type": "cairn.add_tag", "config": {"tags": ["welcomed-vip"]}}],
        "edges": [{"from_node": "start", "from_port": "out", "to_node": "tag"}],
    })
    flow = await cairn.flows.flows.create("Welcome VIPs", graph=graph)
    deployed = await cairn.flows.deploy(flow.id)
    assert not deployed.problems, deployed.problems
    await cairn.flows.create_rule({"name": "on VIP", "event_type": "segment-entered", "flow_id": flow.id,
                                   "condition": 'event.properties.segmentName == "VIP"'})
    await segments.create("VIP", 'profile.traits.plan == "gold"')

    await tracker.send("identify", userId="dee", traits={"plan": "gold"})
    await segments.wait_idle()
    assert (await profile_of(cairn, "dee"))["tags"] == ["welcomed-vip"]


async def test_segments_and_flows_cannot_loop_forever(cairn: Cairn, segments: SegmentService,
                                                      tracker: Tracker) -> None:
    # Each internal event flips the membership: without a depth limit this never ends.
    await segments.create("Flip-flop", 'events_count("segment-entered") == events_count("segment-left")')
    await segments.wait_idle()
    await tracker.send("identify", userId="eve", traits={})
    await segments.wait_idle()

    profile = await profile_of(cairn, "eve")
    changes = await history_of(cairn, profile["id"])
    assert [change for _, change, _ in changes] == ["entered", "left", "entered", "left"]
    entered = await events_of(cairn, profile["id"], "segment-entered")
    left = await events_of(cairn, profile["id"], "segment-left")
    assert (len(entered), len(left)) == (2, 1), "the changes found three internal events deep are not emitted"


async def test_a_failing_segment_is_reported_and_skipped_without_blocking_ingestion(
        cairn: Cairn, segments: SegmentService, tracker: Tracker) -> None:
    def explode(value: object) -> object:
        raise RuntimeError("the scoring service is down")

    segments.functions["score"] = explode
    broken = await segments.create("Scored", "score(profile.id) > 3")
    working = await segments.create("Everyone", "profile.id exists")

    await tracker.send("identify", userId="fay", traits={"age": 30})
    await segments.wait_idle()

    assert (await profile_of(cairn, "fay"))["segments"] == [working.id]
    error = (await segments.get(broken.id)).last_error
    assert error is not None and "the scoring service is down" in error.message


async def test_a_stored_condition_that_no_longer_compiles_is_reported_and_skipped(
        cairn: Cairn, segments: SegmentService, tracker: Tracker) -> None:
    working = await segments.create("Everyone", "profile.id exists")
    now = utcnow()
    await cairn.database.collection("segments").insert_one({
        "_id": "legacy", "name": "Legacy", "description": "", "condition": "profile.traits.age >>= 3",
        "enabled": True, "revision": 1, "created_at": now, "updated_at": now})
    segments.catalog.invalidate()

    await tracker.send("identify", userId="gus", traits={"age": 30})
    await segments.wait_idle()

    assert (await profile_of(cairn, "gus"))["segments"] == [working.id]
    error = (await segments.get("legacy")).last_error
    assert error is not None and "does not compile" in error.message


async def test_a_profile_edited_outside_the_event_path_is_re_evaluated(cairn: Cairn, segments: SegmentService,
                                                                       tracker: Tracker) -> None:
    from cairn.core.profiles.changes import SetField

    adults = await segments.create("Adults", "profile.traits.age >= 18")
    await tracker.send("identify", userId="hal", traits={"age": 15})
    await segments.wait_idle()
    profile = await profile_of(cairn, "hal")
    assert profile.get("segments", []) == []

    await cairn.pipeline.writer.apply(profile["id"], [SetField(("traits", "age"), 21)])
    await segments.wait_idle()

    assert (await profile_of(cairn, "hal"))["segments"] == [adults.id]
    assert await history_of(cairn, profile["id"]) == [("Adults", "entered", "profile")]
