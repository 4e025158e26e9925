"""Merging the profiles of one customer: exact, repeatable, nothing lost."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from cairn.core.identity.merge import MergeRefused
from cairn.core.profiles.changes import SetField
from cairn.core.runtime import Cairn
from tests.ingestion.helpers import ago, events, iso, profile_id_of, profile_of, segment


async def two_profiles_then_identify(client: httpx.AsyncClient, write_key: str) -> None:
    """Device 1 (anonymous a1) and the known customer u1 (device 2), then a1 logs in as u1."""
    await segment(client, "identify", {"anonymousId": "a1", "timestamp": iso(ago(hours=3)),
                                       "traits": {"plan": "free", "tags": ["x"], "city": "Paris",
                                                  "address": {"street": "1 rue A", "zip": "75001"}}}, write_key)
    await segment(client, "track", {"anonymousId": "a1", "event": "Viewed", "timestamp": iso(ago(hours=3))},
                  write_key)
    await segment(client, "identify", {"userId": "u1", "anonymousId": "a2", "timestamp": iso(ago(hours=2)),
                                       "traits": {"plan": "pro", "tags": ["y"], "email": "ada@example.com",
                                                  "address": {"zip": "75002", "country": "FR"}}}, write_key)
    await segment(client, "identify", {"userId": "u1", "anonymousId": "a1"}, write_key)


async def test_identifying_a_visitor_with_a_known_customer_merges_the_two_profiles(client: httpx.AsyncClient,
                                                                                 write_key: str,
                                                                                 cairn: Cairn) -> None:
    await segment(client, "page", {"anonymousId": "a1"}, write_key)
    anonymous = await profile_id_of(cairn, anonymous_id="a1")
    await two_profiles_then_identify(client, write_key)
    survivor = await profile_of(cairn, user_id="u1")
    assert survivor["id"] != anonymous
    assert await profile_id_of(cairn, anonymous_id="a1") == survivor["id"]
    assert sorted(survivor["anonymous_ids"]) == ["a1", "a2"]


async def test_a_merge_repoints_every_event_and_session_to_the_survivor(client: httpx.AsyncClient, write_key: str,
                                                                       cairn: Cairn) -> None:
    await two_profiles_then_identify(client, write_key)
    survivor = await profile_id_of(cairn, user_id="u1")
    assert {e["profile_id"] for e in await events(cairn)} == {survivor}
    assert {s["profile_id"] async for s in cairn.database.sessions.find({})} == {survivor}


async def test_merged_traits_keep_every_field_the_newer_value_winning_and_lists_unioned(
        client: httpx.AsyncClient, write_key: str, cairn: Cairn) -> None:
    await two_profiles_then_identify(client, write_key)
    traits = (await profile_of(cairn, user_id="u1"))["traits"]
    assert traits == {"plan": "pro", "tags": ["x", "y"], "city": "Paris", "email": "ada@example.com",
                      "address": {"street": "1 rue A", "zip": "75002", "country": "FR"}}


async def test_merged_counts_are_summed_once(client: httpx.AsyncClient, write_key: str, cairn: Cairn) -> None:
    await two_profiles_then_identify(client, write_key)
    stats = (await profile_of(cairn, user_id="u1"))["stats"]
    assert (stats["events"], stats["visits"]) == (4, 3)
    assert stats["event_types"] == {"identify": 3, "Viewed": 1}


async def test_a_merge_is_recorded_and_the_old_id_leads_to_the_survivor(client: httpx.AsyncClient, write_key: str,
                                                                       cairn: Cairn) -> None:
    await segment(client, "page", {"anonymousId": "a1"}, write_key)
    loser = await profile_id_of(cairn, anonymous_id="a1")
    await two_profiles_then_identify(client, write_key)
    survivor = await profile_of(cairn, user_id="u1")
    assert [(r["profile_id"], r["reason"]) for r in survivor["merged_from"]] == [(loser, "identified as user u1")]
    assert (await cairn.pipeline.repository.get(loser))["id"] == survivor["id"]
    tombstone = await cairn.database.profiles.find_one({"_id": loser})
    assert tombstone["merged_into"] == survivor["id"]


async def test_two_profiles_with_different_user_ids_are_never_merged(client: httpx.AsyncClient, write_key: str,
                                                                     cairn: Cairn) -> None:
    await segment(client, "identify", {"userId": "u1", "anonymousId": "a1"}, write_key)
    await segment(client, "identify", {"userId": "u2", "anonymousId": "a2"}, write_key)
    await segment(client, "identify", {"userId": "u2", "anonymousId": "a1"}, write_key)
    first, second = await profile_of(cairn, user_id="u1"), await profile_of(cairn, user_id="u2")
    assert first["id"] != second["id"]
    assert (first["stats"]["events"], second["stats"]["events"]) == (1, 2)
    with pytest.raises(MergeRefused, match="different user ids"):
        await cairn.pipeline.merger.merge(first["id"], second["id"], reason="by hand")


def _without_version(profile: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in profile.items() if key != "version"}


async def test_merging_the_same_pair_twice_changes_nothing(client: httpx.AsyncClient, write_key: str,
                                                          cairn: Cairn) -> None:
    await segment(client, "page", {"anonymousId": "a1"}, write_key)
    loser = await profile_id_of(cairn, anonymous_id="a1")
    await two_profiles_then_identify(client, write_key)
    survivor = await profile_of(cairn, user_id="u1")
    assert await cairn.pipeline.merger.merge(loser, survivor["id"], reason="again") == survivor["id"]
    assert _without_version(await profile_of(cairn, user_id="u1")) == _without_version(survivor)


async def test_merging_a_profile_already_merged_elsewhere_does_not_count_it_twice(client: httpx.AsyncClient,
                                                                                 write_key: str,
                                                                                 cairn: Cairn) -> None:
    for anonymous_id in ("a1", "a2", "a3"):
        await segment(client, "page", {"anonymousId": anonymous_id}, write_key)
    first, second, third = [await profile_id_of(cairn, anonymous_id=a) for a in ("a1", "a2", "a3")]
    merger = cairn.pipeline.merger
    await merger.merge(first, second, reason="test")
    survivor = await merger.merge(first, third, reason="test")
    profile = await cairn.pipeline.repository.get(survivor)
    assert profile["stats"]["events"] == 3
    assert sorted(profile["anonymous_ids"]) == ["a1", "a2", "a3"]
    assert len({(await cairn.pipeline.repository.get(pid))["id"] for pid in (first, second, third)}) == 1


async def test_a_merge_keeps_every_field_of_both_profiles(client: httpx.AsyncClient, write_key: str,
                                                          cairn: Cairn) -> None:
    await segment(client, "page", {"anonymousId": "a1", "timestamp": iso(ago(hours=2))}, write_key)
    await segment(client, "page", {"anonymousId": "a2", "timestamp": iso(ago(hours=1))}, write_key)
    older, newer = await profile_id_of(cairn, anonymous_id="a1"), await profile_id_of(cairn, anonymous_id="a2")
    repository = cairn.pipeline.repository
    await repository.update(older, [SetField(("consents", "email"), {"granted": True}),
                                    SetField(("pii", "birthday"), "1815-12-10"),
                                    SetField(("stats", "revenue"), 10.5),
                                    SetField(("stats", "by_channel"), {"web": 2}),
                                    SetField(("interests",), {"shoes": 1.0}),
                                    SetField(("tags",), ["vip"])])
    await repository.update(newer, [SetField(("consents", "sms"), {"granted": False}),
                                    SetField(("stats", "revenue"), 4.5),
                                    SetField(("stats", "by_channel"), {"web": 1, "app": 3}),
                                    SetField(("interests",), {"shoes": 0.5, "hats": 2.0}),
                                    SetField(("loyalty",), {"tier": "gold"})])
    merged = await repository.get(await cairn.pipeline.merger.merge(older, newer, reason="test"))
    assert merged["consents"] == {"email": {"granted": True}, "sms": {"granted": False}}
    assert merged["pii"] == {"birthday": "1815-12-10"}
    assert merged["loyalty"] == {"tier": "gold"}
    assert merged["stats"]["revenue"] == 15.0
    assert merged["stats"]["by_channel"] == {"web": 3, "app": 3}
    assert merged["interests"] == {"shoes": 1.5, "hats": 2.0}
    assert merged["tags"] == ["vip"]
    assert (merged["stats"]["events"], merged["stats"]["visits"]) == (2, 2)
