"""The profile repository: version-checked saves, replayed changes, merges followed."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

import pytest
from pymongo import ASCENDING, IndexModel
from pymongo.errors import AutoReconnect, WriteError

from cairn.core.profiles import repository as repository_module
from cairn.core.profiles.changes import Increment, SetField
from cairn.core.profiles.repository import ProfileRepository, VersionConflict
from cairn.core.store.database import Database
from tests.profiles.conftest import CommandCounter
from tests.profiles.helpers import EVENTS, HookedCollection, events_of, one_more, tombstone

NewProfiles = Callable[..., Any]


class Explodes:
    """A change whose code is broken."""

    def apply(self, doc: dict[str, Any]) -> None:
        raise ValueError("broken change")


# --- reads -------------------------------------------------------------------------------------

async def test_a_profile_reads_back_with_its_id_and_its_keys_as_written(database: Database) -> None:
    repository = ProfileRepository(database)
    traits = {"$price": 3, "a.b": {"c.d": [1, {"%": True}]}, "plain": "$not.a.key"}
    await repository.insert_many([{"id": "p1", "version": 0, "traits": traits}])
    assert await repository.get("p1") == {"id": "p1", "version": 0, "traits": traits}
    stored = await database.profiles.find_one({"_id": "p1"})
    assert stored is not None and set(stored["traits"]) == {"%24price", "a%2Eb", "plain"}


async def test_get_follows_merges_to_the_survivor(database: Database, new_profiles: NewProfiles) -> None:
    await new_profiles("old", "middle", "survivor")
    await tombstone(database, "old", "middle")
    await tombstone(database, "middle", "survivor")
    repository = ProfileRepository(database)
    assert (await repository.get("old"))["id"] == "survivor"
    assert (await repository.get("old", follow_merges=False))["merged_into"] == "middle"
    assert await repository.get("unknown") is None


async def test_a_merge_cycle_is_reported_not_followed_forever(database: Database, new_profiles: NewProfiles) -> None:
    await new_profiles("a", "b")
    await tombstone(database, "a", "b")
    await tombstone(database, "b", "a")
    repository = ProfileRepository(database)
    with pytest.raises(RuntimeError, match="too long"):
        await repository.get("a")
    with pytest.raises(RuntimeError, match="too long"):
        await repository.get_many(["a"])


async def test_get_many_answers_by_the_id_asked_for(database: Database, new_profiles: NewProfiles) -> None:
    await new_profiles("live", "old", "middle", "survivor")
    await tombstone(database, "old", "middle")
    await tombstone(database, "middle", "survivor")
    found = await ProfileRepository(database).get_many(["live", "old", "unknown", "live"])
    assert {asked: profile["id"] for asked, profile in found.items()} == {"live": "live", "old": "survivor"}


async def test_get_many_follows_merges_with_one_query_per_level(
        counted: tuple[Database, CommandCounter], new_profiles: NewProfiles) -> None:
    database, counter = counted
    await new_profiles(*[f"loser{i}" for i in range(5)], "survivor1", "survivor2")
    for i in range(5):
        await tombstone(database, f"loser{i}", f"survivor{i % 2 + 1}")
    counter.counts.clear()
    found = await ProfileRepository(database).get_many([f"loser{i}" for i in range(5)])
    assert {profile["id"] for profile in found.values()} == {"survivor1", "survivor2"}
    assert counter.counts["find"] == 2


async def test_get_many_of_no_ids_asks_the_store_nothing(counted: tuple[Database, CommandCounter]) -> None:
    database, counter = counted
    assert await ProfileRepository(database).get_many([]) == {}
    assert counter.counts == {}


# --- version-checked saves -----------------------------------------------------------------------

async def test_save_writes_the_version_read_plus_one(database: Database, new_profiles: NewProfiles) -> None:
    await new_profiles("p1")
    repository = ProfileRepository(database)
    profile = await repository.get("p1")
    profile["traits"] = {"plan": "pro"}
    saved = await repository.save(profile)
    assert saved["version"] == 1
    assert await repository.get("p1") == {**profile, "version": 1}


async def test_saving_a_stale_copy_raises_version_conflict_and_changes_nothing(
        database: Database, new_profiles: NewProfiles) -> None:
    await new_profiles("p1")
    repository = ProfileRepository(database)
    first, second = await repository.get("p1"), await repository.get("p1")
    await repository.save({**first, "name": "first"})
    with pytest.raises(VersionConflict):
        await repository.save({**second, "name": "second"})
    assert (await repository.get("p1"))["name"] == "first"


async def test_save_many_returns_only_the_profiles_whose_version_was_current(
        database: Database, new_profiles: NewProfiles) -> None:
    await new_profiles("p1", "p2", "p3")
    repository = ProfileRepository(database)
    copies = await repository.get_many(["p1", "p2", "p3"])
    await repository.save(copies["p2"])
    written = await repository.save_many([copies["p1"], copies["p2"], copies["p3"]])
    assert sorted(written) == ["p1", "p3"]


async def test_a_deleted_profile_is_never_reported_saved(database: Database, new_profiles: NewProfiles) -> None:
    await new_profiles("p1", "p2")
    repository = ProfileRepository(database)
    copies = await repository.get_many(["p1", "p2"])
    await database.profiles.delete_one({"_id": "p2"})
    assert sorted(await repository.save_many(list(copies.values()))) == ["p1"]
    assert await database.profiles.count_documents({}) == 1


async def test_a_save_that_landed_is_known_even_if_the_profile_changed_again_since(
        database: Database, other_process: Database, new_profiles: NewProfiles) -> None:
    """Some writes of a round conflict, and another process writes a saved profile before we check."""
    await new_profiles("saved", "conflicted")
    repository = ProfileRepository(database)
    copies = await repository.get_many(["saved", "conflicted"])
    other = ProfileRepository(other_process)
    await other.update("conflicted", one_more())
    hooked = HookedCollection(database.profiles)
    hooked.after_bulk_write.append(lambda: _bump(other, "saved"))
    repository.collection = hooked  # type: ignore[assignment]
    written = await repository.save_many([_counted(copies["saved"]), _counted(copies["conflicted"])])
    assert sorted(written) == ["saved"]
    assert await events_of(database, "saved") == 2


async def _bump(repository: ProfileRepository, profile_id: str) -> None:
    await repository.update(profile_id, one_more())


def _counted(profile: dict[str, Any]) -> dict[str, Any]:
    return {**profile, "stats": {"events": profile["stats"]["events"] + 1}}


# --- changes replayed --------------------------------------------------------------------------

async def test_update_replays_the_changes_on_a_fresh_copy_after_a_conflict(
        database: Database, other_process: Database, new_profiles: NewProfiles) -> None:
    await new_profiles("p1", events=10)
    repository = ProfileRepository(database)
    await repository.get("p1")
    await ProfileRepository(other_process).update("p1", one_more(5))
    saved = await repository.update("p1", [*one_more(), SetField(("traits", "plan"), "pro")])
    assert (saved["stats"]["events"], saved["traits"], saved["version"]) == (16, {"plan": "pro"}, 2)
    assert await events_of(database, "p1") == 16


async def test_increments_stay_exact_when_two_processes_update_the_same_profiles(
        database: Database, other_process: Database, new_profiles: NewProfiles) -> None:
    ids = ["p1", "p2", "p3"]
    await new_profiles(*ids)
    repositories = [ProfileRepository(database), ProfileRepository(other_process)]

    async def writer(repository: ProfileRepository) -> None:
        for _ in range(4):
            await repository.update_many({pid: one_more() for pid in ids})

    await asyncio.gather(*(writer(repository) for repository in repositories for _ in range(4)))
    assert [await events_of(database, pid) for pid in ids] == [32, 32, 32]


async def test_update_after_a_read_starts_from_the_copy_read(
        counted: tuple[Database, CommandCounter], new_profiles: NewProfiles) -> None:
    """The pipeline loads profiles, then saves its changes: the save needs no second load."""
    database, counter = counted
    await new_profiles("p1", "p2")
    repository = ProfileRepository(database)
    await repository.get_many(["p1", "p2"])
    counter.counts.clear()
    await repository.update_many({"p1": one_more(), "p2": one_more()})
    await repository.update_many({"p1": one_more()})
    assert counter.counts == {"update": 2}
    assert await events_of(database, "p1") == 2


async def test_a_copy_kept_never_holds_what_a_caller_changed(database: Database, new_profiles: NewProfiles) -> None:
    await new_profiles("p1")
    repository = ProfileRepository(database)
    read = await repository.get("p1")
    read["stats"]["events"] = 1000
    read["traits"] = {"leaked": True}
    saved = await repository.update("p1", one_more())
    assert (saved["stats"]["events"], "traits" in saved) == (1, False)
    saved["stats"]["events"] = 2000
    assert (await repository.update("p1", one_more()))["stats"]["events"] == 2


async def test_changes_for_a_merged_profile_go_to_the_survivor(database: Database, new_profiles: NewProfiles) -> None:
    await new_profiles("loser", "survivor")
    await tombstone(database, "loser", "survivor")
    saved = await ProfileRepository(database).update_many({"loser": one_more(), "survivor": one_more(2)})
    assert saved["loser"]["id"] == saved["survivor"]["id"] == "survivor"
    assert (await events_of(database, "survivor"), await events_of(database, "loser")) == (3, 0)


async def test_a_stale_copy_of_a_profile_merged_since_sends_the_changes_to_the_survivor(
        database: Database, new_profiles: NewProfiles) -> None:
    await new_profiles("loser", "survivor")
    repository = ProfileRepository(database)
    await repository.get_many(["loser", "survivor"])
    await tombstone(database, "loser", "survivor")
    saved = await repository.update("loser", one_more())
    assert saved["id"] == "survivor"
    assert (await events_of(database, "survivor"), await events_of(database, "loser")) == (1, 0)


# --- failures stay with their profile ----------------------------------------------------------

async def test_an_unknown_profile_fails_alone(database: Database, new_profiles: NewProfiles) -> None:
    await new_profiles("p1")
    repository = ProfileRepository(database)
    saved, failed = await repository.update_each({"p1": one_more(), "nope": one_more()})
    assert (list(saved), list(failed), type(failed["nope"])) == (["p1"], ["nope"], KeyError)
    with pytest.raises(KeyError, match="nope"):
        await repository.update_many({"p1": one_more(), "nope": one_more()})
    assert await events_of(database, "p1") == 2


async def test_a_change_that_raises_fails_only_its_profile(database: Database, new_profiles: NewProfiles) -> None:
    await new_profiles("p1", "p2")
    repository = ProfileRepository(database)
    saved, failed = await repository.update_each({"p1": [*one_more(), Explodes()], "p2": one_more()})
    assert list(saved) == ["p2"]
    assert isinstance(failed["p1"], ValueError)
    assert (await events_of(database, "p1"), await events_of(database, "p2")) == (0, 1)


async def test_a_write_lost_on_the_way_to_the_store_is_written_again(
        database: Database, new_profiles: NewProfiles) -> None:
    await new_profiles("p1")
    repository = ProfileRepository(database)
    repository.collection = HookedCollection(database.profiles, failures=1)  # type: ignore[assignment]
    assert (await repository.update("p1", one_more()))["stats"]["events"] == 1
    assert await events_of(database, "p1") == 1


async def test_a_write_whose_reply_is_lost_is_not_written_twice(database: Database, new_profiles: NewProfiles) -> None:
    await new_profiles("p1", "p2")
    repository = ProfileRepository(database)
    repository.collection = HookedCollection(database.profiles, lost_replies=1)  # type: ignore[assignment]
    saved = await repository.update_many({"p1": one_more(), "p2": one_more()})
    assert [saved[pid]["stats"]["events"] for pid in ("p1", "p2")] == [1, 1]
    assert (await events_of(database, "p1"), await events_of(database, "p2")) == (1, 1)


async def test_a_store_that_is_down_fails_the_profiles_not_saved_yet(
        database: Database, new_profiles: NewProfiles) -> None:
    await new_profiles("p1", "p2")
    repository = ProfileRepository(database)
    hooked = HookedCollection(database.profiles)
    repository.collection = hooked  # type: ignore[assignment]
    await repository.get_many(["p1", "p2"])
    hooked.down = True
    saved, failed = await repository.update_each({"p1": one_more(), "p2": one_more()})
    assert saved == {}
    assert sorted(failed) == ["p1", "p2"] and isinstance(failed["p1"], AutoReconnect)
    hooked.down = False
    assert (await repository.update("p1", one_more()))["stats"]["events"] == 1


async def test_a_write_the_store_refuses_fails_its_profile_only(database: Database, new_profiles: NewProfiles) -> None:
    await new_profiles("p1", "p2", "p3")
    await database.profiles.create_indexes([IndexModel([("badge", ASCENDING)], unique=True, sparse=True)])
    repository = ProfileRepository(database)
    saved, failed = await repository.update_each({pid: [SetField(("badge",), "gold")] for pid in ("p1", "p2")}
                                                 | {"p3": one_more()})
    assert len(saved) == 2 and "p3" in saved
    [(refused, error)] = failed.items()
    assert isinstance(error, WriteError) and error.code == 11000
    assert "badge" not in (await repository.get(refused))


async def test_endless_conflicts_end_in_version_conflict(
        database: Database, new_profiles: NewProfiles, monkeypatch: pytest.MonkeyPatch) -> None:
    await new_profiles("p1")
    monkeypatch.setattr(repository_module, "MAX_ATTEMPTS", 3)
    repository = ProfileRepository(database)
    monkeypatch.setattr(repository, "_save_round", lambda profiles: _nothing_written())
    saved, failed = await repository.update_each({"p1": [Increment(EVENTS, 1)]})
    assert saved == {} and isinstance(failed["p1"], VersionConflict)


async def _nothing_written() -> tuple[dict[str, Any], dict[str, Exception]]:
    return {}, {}
