"""The profile writer: concurrent changes share write rounds, and each caller gets its own outcome."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import pytest
from pymongo.errors import AutoReconnect

from cairn.core.profiles.changes import AddToList, Change, SetField
from cairn.core.profiles.repository import ProfileDoc, ProfileRepository
from cairn.core.profiles.writer import ProfileWriter
from cairn.core.store.database import Database
from tests.profiles.helpers import HookedCollection, events_of, one_more, tombstone

NewProfiles = Callable[..., Any]


class CountingRepository(ProfileRepository):
    """A repository that counts its write rounds."""

    rounds = 0

    async def update_each(self, changes_by_id: Mapping[str, Sequence[Change]],
                          ) -> tuple[dict[str, ProfileDoc], dict[str, Exception]]:
        self.rounds += 1
        return await super().update_each(changes_by_id)


class Explodes:
    """A change whose code is broken."""

    def apply(self, doc: dict[str, Any]) -> None:
        raise ValueError("broken change")


async def test_concurrent_apply_calls_share_write_rounds_and_every_increment_counts(
        database: Database, new_profiles: NewProfiles) -> None:
    ids = [f"p{i}" for i in range(10)]
    await new_profiles(*ids)
    repository = CountingRepository(database)
    writer = ProfileWriter(repository)
    await asyncio.gather(*(writer.apply(ids[n % 10], [*one_more(), AddToList(("seen",), (n,))]) for n in range(300)))
    assert [await events_of(database, pid) for pid in ids] == [30] * 10
    assert sorted((await repository.get("p3"))["seen"]) == list(range(3, 300, 10))
    assert repository.rounds <= 3


async def test_requests_arriving_during_a_round_share_the_next_one(database: Database,
                                                                   new_profiles: NewProfiles) -> None:
    await new_profiles("p1", "p2")
    repository = CountingRepository(database)
    writer = ProfileWriter(repository)

    async def caller(n: int) -> None:
        await asyncio.sleep(n * 0.001)
        await writer.apply_many({"p1": one_more(), "p2": one_more()})

    await asyncio.gather(*(caller(n) for n in range(60)))
    assert (await events_of(database, "p1"), await events_of(database, "p2")) == (60, 60)
    assert repository.rounds < 60


async def test_each_caller_gets_the_profile_as_saved(database: Database, new_profiles: NewProfiles) -> None:
    await new_profiles("p1", "p2")
    writer = ProfileWriter(ProfileRepository(database))
    first, second = await asyncio.gather(writer.apply("p1", [SetField(("traits", "plan"), "pro")]),
                                         writer.apply_many({"p1": one_more(), "p2": one_more(3)}))
    assert first["traits"] == {"plan": "pro"} and first["stats"]["events"] == 1
    assert second["p1"] == first
    assert second["p2"]["stats"]["events"] == 3


async def test_a_failing_profile_id_does_not_fail_the_others(database: Database, new_profiles: NewProfiles) -> None:
    await new_profiles("p1", "p2")
    writer = ProfileWriter(ProfileRepository(database))
    results = await asyncio.gather(writer.apply("p1", one_more()), writer.apply("unknown", one_more()),
                                   writer.apply("p2", one_more()), writer.apply("p1", [Explodes()]),
                                   return_exceptions=True)
    assert isinstance(results[1], KeyError) and isinstance(results[3], ValueError)
    assert results[2]["stats"]["events"] == 1
    assert (await events_of(database, "p2"), await events_of(database, "p1")) == (1, 0)


async def test_apply_many_saves_the_rest_then_raises_the_first_error(database: Database,
                                                                     new_profiles: NewProfiles) -> None:
    await new_profiles("p1")
    writer = ProfileWriter(ProfileRepository(database))
    with pytest.raises(KeyError, match="unknown"):
        await writer.apply_many({"unknown": one_more(), "p1": one_more()})
    assert await events_of(database, "p1") == 1


async def test_changes_for_a_merged_profile_go_to_the_survivor(database: Database, new_profiles: NewProfiles) -> None:
    await new_profiles("loser", "survivor")
    await tombstone(database, "loser", "survivor")
    writer = ProfileWriter(ProfileRepository(database))
    saved = await asyncio.gather(writer.apply("loser", one_more()), writer.apply("survivor", one_more()),
                                 writer.apply_many({"loser": one_more(), "survivor": one_more()}))
    assert {saved[0]["id"], saved[1]["id"], saved[2]["loser"]["id"]} == {"survivor"}
    assert (await events_of(database, "survivor"), await events_of(database, "loser")) == (4, 0)


async def test_writers_of_two_processes_stay_exact(database: Database, other_process: Database,
                                                   new_profiles: NewProfiles) -> None:
    ids = ["p1", "p2", "p3"]
    await new_profiles(*ids)
    writers = [ProfileWriter(ProfileRepository(database)), ProfileWriter(ProfileRepository(other_process))]

    async def caller(writer: ProfileWriter, n: int) -> None:
        for _ in range(5):
            await writer.apply(ids[n % 3], one_more())
            await asyncio.sleep(0)

    await asyncio.gather(*(caller(writer, n) for writer in writers for n in range(30)))
    assert [await events_of(database, pid) for pid in ids] == [100, 100, 100]


async def test_a_round_the_store_fails_fails_its_callers_only(database: Database, new_profiles: NewProfiles) -> None:
    await new_profiles("p1")
    repository = ProfileRepository(database)
    hooked = HookedCollection(database.profiles)
    repository.collection = hooked  # type: ignore[assignment]
    writer = ProfileWriter(repository)
    await writer.apply("p1", one_more())
    hooked.down = True
    with pytest.raises(AutoReconnect):
        await writer.apply("p1", one_more())
    hooked.down = False
    assert (await writer.apply("p1", one_more()))["stats"]["events"] == 2
    assert await events_of(database, "p1") == 2


async def test_a_write_lost_on_the_way_is_retried_for_the_callers(database: Database,
                                                                   new_profiles: NewProfiles) -> None:
    await new_profiles("p1", "p2")
    repository = ProfileRepository(database)
    repository.collection = HookedCollection(database.profiles, failures=1, lost_replies=1)  # type: ignore[assignment]
    writer = ProfileWriter(repository)
    await asyncio.gather(*(writer.apply(pid, one_more()) for pid in ("p1", "p2", "p1")))
    assert (await events_of(database, "p1"), await events_of(database, "p2")) == (2, 1)


async def test_applying_nothing_returns_nothing(database: Database) -> None:
    assert await ProfileWriter(ProfileRepository(database)).apply_many({}) == {}
