"""The database's start-up: declared indexes are created, retired ones dropped (real store)."""

from __future__ import annotations

from pymongo import ASCENDING, DESCENDING, IndexModel

from cairn.core.store.database import CORE_INDEXES, RETIRED_INDEXES, Database

OLD_INDEXES = {
    "events": [IndexModel([("session_id", ASCENDING)]),
               IndexModel([("source_id", ASCENDING), ("occurred_at", DESCENDING)])],
    "profiles": [IndexModel([("merged_into", ASCENDING)]), IndexModel([("last_seen", DESCENDING)]),
                 IndexModel([("user_ids", ASCENDING)])],
}
"""The retired indexes as an earlier version created them."""


async def index_names(database: Database, collection: str) -> set[str]:
    return set(await database.collection(collection).index_information())


def test_every_retired_index_is_described_by_its_old_definition() -> None:
    assert {collection: tuple(model.document["name"] for model in models)
            for collection, models in OLD_INDEXES.items()} == RETIRED_INDEXES


async def test_start_up_drops_the_indexes_an_earlier_version_left_and_keeps_the_declared_ones(
        database: Database) -> None:
    for collection, models in OLD_INDEXES.items():
        await database.collection(collection).create_indexes(models)

    await database.ensure_indexes()

    for collection, retired in RETIRED_INDEXES.items():
        names = await index_names(database, collection)
        assert not names & set(retired), collection
        assert {model.document["name"] for model in CORE_INDEXES[collection]} <= names


async def test_start_up_succeeds_when_the_retired_indexes_or_their_collections_are_gone(
        database: Database) -> None:
    await database.ensure_indexes()
    await database.events.drop()
    await database.ensure_indexes()
    assert "session_id_1" not in await index_names(database, "events")


async def test_a_retired_index_declared_again_is_kept(database: Database) -> None:
    database.add_indexes("profiles", [IndexModel([("user_ids", ASCENDING)])])
    await database.ensure_indexes()
    assert "user_ids_1" in await index_names(database, "profiles")


def test_indexes_declared_on_one_database_are_not_declared_on_the_others(database: Database) -> None:
    database.add_indexes("profiles", [IndexModel([("badge", ASCENDING)])])
    assert "badge_1" not in {model.document["name"] for model in CORE_INDEXES["profiles"]}
