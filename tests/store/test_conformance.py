"""The store does what Cairn's code relies on: one test per operation or operator.

These run against the real embedded store over TCP (the session's ``store_url``),
each in a database of its own. A store that fails one of them cannot serve Cairn:
the test's name says which behaviour, and where in the core it is used.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta, timezone

import pytest
from pymongo import ASCENDING, DESCENDING, IndexModel, InsertOne, ReplaceOne, UpdateOne
from pymongo.errors import BulkWriteError, DuplicateKeyError, OperationFailure

from cairn.core.store.database import CORE_INDEXES, Database

DUPLICATE_KEY = 11000
T0 = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


# --- reads -----------------------------------------------------------------------------------

async def test_find_with_in_returns_exactly_the_listed_ids(database: Database) -> None:
    """Batched lookups (profiles, claims, message ids) are ``{"_id": {"$in": [...]}}``."""
    await database.profiles.insert_many([{"_id": f"p{i}", "n": i} for i in range(10)])
    found = await database.profiles.find({"_id": {"$in": ["p1", "p3", "p3", "nope"]}}).to_list()
    assert sorted(doc["_id"] for doc in found) == ["p1", "p3"]


async def test_find_with_an_empty_in_list_returns_nothing(database: Database) -> None:
    await database.profiles.insert_one({"_id": "p1"})
    assert await database.profiles.find({"_id": {"$in": []}}).to_list() == []


async def test_find_returns_more_results_than_one_batch_holds(database: Database) -> None:
    """A write round of several requests loads hundreds of profiles (getMore on the cursor)."""
    await database.profiles.insert_many([{"_id": f"p{i:04}"} for i in range(450)])
    ids = [f"p{i:04}" for i in range(450)]
    assert len(await database.profiles.find({"_id": {"$in": ids}}).to_list()) == 450
    assert len(await database.profiles.find({"_id": {"$in": ids}}).batch_size(1000).to_list()) == 450


async def test_find_projection_returns_only_the_named_fields_and_the_id(database: Database) -> None:
    """De-duplication reads only ``message_id``; conflict checks read only ``_w``."""
    await database.events.insert_one({"_id": "e1", "message_id": "m1", "properties": {"big": "x" * 100}})
    assert await database.events.find({}, {"message_id": 1}).to_list() == [{"_id": "e1", "message_id": "m1"}]
    assert await database.events.find_one({"_id": "e1"}, {"_id": 0, "message_id": 1}) == {"message_id": "m1"}


async def test_find_one_by_a_secondary_field_and_a_flag(database: Database) -> None:
    """Write keys and admin tokens are looked up by an indexed field (plus ``revoked: False``)."""
    await database.admin_tokens.insert_many([{"_id": "a", "token_hash": "h1", "revoked": True},
                                             {"_id": "b", "token_hash": "h2", "revoked": False}])
    assert (await database.admin_tokens.find_one({"token_hash": "h2", "revoked": False}))["_id"] == "b"
    assert await database.admin_tokens.find_one({"token_hash": "h1", "revoked": False}) is None


async def test_sort_on_several_keys_with_skip_and_limit(database: Database) -> None:
    """Pages of events, traces and outbox entries: newest first, ``_id`` breaking ties."""
    items = database.collection("items")
    await items.insert_many([{"_id": f"e{i}", "at": T0 + timedelta(minutes=i // 2)} for i in range(6)])
    cursor = items.find({}).sort([("at", DESCENDING), ("_id", DESCENDING)]).skip(1).limit(3)
    assert [doc["_id"] async for doc in cursor] == ["e4", "e3", "e2"]
    assert [d["_id"] async for d in items.find().sort("_id", ASCENDING).limit(2)] == ["e0", "e1"]


async def test_count_documents_with_a_filter(database: Database) -> None:
    await database.profiles.insert_many([{"_id": f"p{i}", "merged_into": None if i % 3 else "x"} for i in range(9)])
    assert await database.profiles.count_documents({"merged_into": None}) == 6
    assert await database.profiles.count_documents({}) == 9


async def test_none_in_a_filter_matches_null_and_missing_fields(database: Database) -> None:
    """``{"merged_into": None}`` finds live profiles whether the field is null or absent."""
    await database.profiles.insert_many([{"_id": "null", "merged_into": None}, {"_id": "missing"},
                                         {"_id": "merged", "merged_into": "other"}])
    found = await database.profiles.find({"merged_into": None}).to_list()
    assert sorted(doc["_id"] for doc in found) == ["missing", "null"]


async def test_exists_tells_a_missing_field_from_a_null_one(database: Database) -> None:
    await database.profiles.insert_many([{"_id": "null", "email": None}, {"_id": "missing"},
                                         {"_id": "set", "email": "a@b.c"}])
    present = await database.profiles.find({"email": {"$exists": True}}).to_list()
    absent = await database.profiles.find({"email": {"$exists": False}}).to_list()
    assert sorted(d["_id"] for d in present) == ["null", "set"]
    assert [d["_id"] for d in absent] == ["missing"]


async def test_regex_with_and_without_the_case_insensitive_option(database: Database) -> None:
    """Conditions translate ``contains``/``matches`` to ``$regex`` (``$options: "i"``)."""
    await database.profiles.insert_many([{"_id": "a", "name": "Ada Lovelace"}, {"_id": "b", "name": "ada"},
                                         {"_id": "c", "name": "a.d.a (x)"}])
    sensitive = await database.profiles.find({"name": {"$regex": "^Ada"}}).to_list()
    insensitive = await database.profiles.find({"name": {"$regex": "^ada", "$options": "i"}}).to_list()
    literal = await database.profiles.find({"name": {"$regex": r"a\.d\.a \(x\)"}}).to_list()
    assert [d["_id"] for d in sensitive] == ["a"]
    assert sorted(d["_id"] for d in insensitive) == ["a", "b"]
    assert [d["_id"] for d in literal] == ["c"]


async def test_logical_and_comparison_operators(database: Database) -> None:
    """``$and``/``$or``/``$nor``, ``$ne``/``$nin``, ranges on numbers and datetimes."""
    items = database.collection("items")
    await items.insert_many([
        {"_id": "e1", "type": "view", "n": 1, "at": T0},
        {"_id": "e2", "type": "buy", "n": 5, "at": T0 + timedelta(hours=1)},
        {"_id": "e3", "type": "buy", "n": 9, "at": T0 + timedelta(hours=2)},
    ])

    async def ids(query: dict[str, object]) -> list[str]:
        return sorted([doc["_id"] async for doc in items.find(query)])

    assert await ids({"$and": [{"type": "buy"}, {"n": {"$gte": 5, "$lt": 9}}]}) == ["e2"]
    assert await ids({"$or": [{"n": {"$lte": 1}}, {"n": {"$gt": 8}}]}) == ["e1", "e3"]
    assert await ids({"$nor": [{"type": "view"}, {"n": 9}]}) == ["e2"]
    assert await ids({"type": {"$ne": "buy"}}) == ["e1"]
    assert await ids({"type": {"$nin": ["view"], "$exists": True}}) == ["e2", "e3"]
    assert await ids({"at": {"$gte": T0 + timedelta(minutes=30), "$lt": T0 + timedelta(hours=2)}}) == ["e2"]
    assert await ids({"type": {"$eq": "view"}}) == ["e1"]


async def test_array_operators_type_and_elem_match(database: Database) -> None:
    """Lists of tags/segments: ``$type: "array"``, ``$elemMatch``, equality on a member."""
    await database.profiles.insert_many([{"_id": "list", "tags": ["vip", "new"]}, {"_id": "text", "tags": "vip"}])

    async def ids(query: dict[str, object]) -> list[str]:
        return sorted([doc["_id"] async for doc in database.profiles.find(query)])

    assert await ids({"tags": {"$type": "array"}}) == ["list"]
    assert await ids({"tags": {"$elemMatch": {"$eq": "vip"}}}) == ["list"]
    assert await ids({"tags": "vip"}) == ["list", "text"]
    assert await ids({"$nor": [{"tags": {"$type": "array"}}]}) == ["text"]


async def test_dotted_paths_query_nested_fields(database: Database) -> None:
    await database.profiles.insert_many([{"_id": "a", "traits": {"plan": "pro"}}, {"_id": "b", "traits": {}}])
    found = await database.profiles.find({"traits.plan": "pro"}).to_list()
    assert [doc["_id"] for doc in found] == ["a"]


async def test_aggregate_match_group_sum_and_sort(database: Database) -> None:
    """Event-type counts: ``$match`` on a time range, ``$group`` with ``$sum``, ``$sort``."""
    types = ["buy", "view", "view", "view", "buy", "cart"]
    await database.events.insert_many([{"_id": f"e{i}", "source_id": "s", "message_id": f"m{i}", "type": t,
                                        "occurred_at": T0 + timedelta(minutes=i)} for i, t in enumerate(types)])
    pipeline = [{"$match": {"occurred_at": {"$gte": T0, "$lt": T0 + timedelta(minutes=5)}}},
                {"$group": {"_id": "$type", "count": {"$sum": 1}}},
                {"$sort": {"count": -1, "_id": 1}}]
    cursor = await database.events.aggregate(pipeline)
    assert [(doc["_id"], doc["count"]) async for doc in cursor] == [("view", 3), ("buy", 2)]


# --- inserts and unique indexes ----------------------------------------------------------------

async def test_insert_many_unordered_stores_the_rest_and_reports_each_duplicate(database: Database) -> None:
    """Claims and events: ``writeErrors`` carry the request's ``index`` and code 11000."""
    await database.identities.insert_one({"_id": "user:1", "profile_id": "p0"})
    docs = [{"_id": "user:0", "profile_id": "p1"}, {"_id": "user:1", "profile_id": "p1"},
            {"_id": "anon:a", "profile_id": "p1"}, {"_id": "anon:a", "profile_id": "p2"}]
    with pytest.raises(BulkWriteError) as raised:
        await database.identities.insert_many(docs, ordered=False)
    errors = raised.value.details["writeErrors"]
    assert sorted((e["index"], e["code"]) for e in errors) == [(1, DUPLICATE_KEY), (3, DUPLICATE_KEY)]
    assert raised.value.details["nInserted"] == 2
    stored = {doc["_id"]: doc["profile_id"] async for doc in database.identities.find()}
    assert stored == {"user:0": "p1", "user:1": "p0", "anon:a": "p1"}


async def test_compound_unique_index_refuses_the_same_pair_only(database: Database) -> None:
    """Events are unique on (source_id, message_id): the same message id from another source is fine."""
    await database.events.insert_one({"_id": "e1", "source_id": "s1", "message_id": "m"})
    await database.events.insert_one({"_id": "e2", "source_id": "s2", "message_id": "m"})
    with pytest.raises(BulkWriteError) as raised:
        await database.events.insert_many([{"_id": "e3", "source_id": "s1", "message_id": "m"},
                                           {"_id": "e4", "source_id": "s1", "message_id": "n"}], ordered=False)
    assert [(e["index"], e["code"]) for e in raised.value.details["writeErrors"]] == [(0, DUPLICATE_KEY)]
    assert await database.events.count_documents({}) == 3


async def test_insert_one_duplicate_raises_duplicate_key_error(database: Database) -> None:
    await database.sources.insert_one({"_id": "s1", "write_key": "wk"})
    with pytest.raises(DuplicateKeyError):
        await database.sources.insert_one({"_id": "s2", "write_key": "wk"})


async def test_sparse_unique_index_allows_many_documents_without_the_field(database: Database) -> None:
    """The outbox's idempotency key is unique when present, optional otherwise."""
    outbox = database.collection("outbox")
    await outbox.create_indexes([IndexModel([("idempotency_key", ASCENDING)], unique=True, sparse=True)])
    await outbox.insert_many([{"_id": 1}, {"_id": 2}, {"_id": 3, "idempotency_key": "k"}])
    with pytest.raises(DuplicateKeyError):
        await outbox.insert_one({"_id": 4, "idempotency_key": "k"})


async def test_ensure_indexes_creates_the_core_indexes_and_can_run_again(database: Database) -> None:
    await database.ensure_indexes()
    for collection, models in CORE_INDEXES.items():
        info = await database.collection(collection).index_information()
        for model in models:
            assert model.document["name"] in info, (collection, model.document)
    assert (await database.events.index_information())["source_id_1_message_id_1"].get("unique") is True


async def test_create_indexes_accepts_a_ttl_index(database: Database) -> None:
    """Flow traces expire through ``expireAfterSeconds``."""
    traces = database.collection("traces")
    await traces.create_indexes([IndexModel([("expires_at", ASCENDING)], expireAfterSeconds=0)])
    info = await traces.index_information()
    assert info["expires_at_1"]["expireAfterSeconds"] == 0


async def test_drop_index_by_name_and_index_not_found_once_it_is_gone(database: Database) -> None:
    """Start-up drops retired indexes by name (``Database.ensure_indexes``), ignoring code 27."""
    await database.events.create_indexes([IndexModel([("session_id", ASCENDING)])])
    await database.events.drop_index("session_id_1")
    assert "session_id_1" not in await database.events.index_information()
    with pytest.raises(OperationFailure) as gone:
        await database.events.drop_index("session_id_1")
    assert gone.value.code == 27


# --- updates -----------------------------------------------------------------------------------

async def test_replace_one_with_a_version_filter_matches_only_the_version_read(database: Database) -> None:
    """Profile saves and tombstones: a stale version matches nothing and changes nothing."""
    await database.profiles.insert_one({"_id": "p", "version": 3, "name": "old"})
    stale = await database.profiles.replace_one({"_id": "p", "version": 2}, {"version": 3, "name": "stale"})
    fresh = await database.profiles.replace_one({"_id": "p", "version": 3, "merged_into": None},
                                                {"version": 4, "name": "new"})
    assert (stale.matched_count, fresh.matched_count, fresh.modified_count) == (0, 1, 1)
    assert await database.profiles.find_one({"_id": "p"}) == {"_id": "p", "version": 4, "name": "new"}


async def test_bulk_write_replace_one_counts_the_matches_of_current_versions(database: Database) -> None:
    """``save_many``: one unordered round; ``matched_count`` tells whether every save won."""
    await database.profiles.insert_many([{"_id": f"p{i}", "version": 1} for i in range(4)])
    requests = [ReplaceOne({"_id": f"p{i}", "version": 0 if i == 2 else 1}, {"version": 2, "w": "t"})
                for i in range(4)]
    result = await database.profiles.bulk_write(requests, ordered=False)
    assert (result.matched_count, result.modified_count) == (3, 3)
    versions = {doc["_id"]: doc["version"] async for doc in database.profiles.find()}
    assert versions == {"p0": 2, "p1": 2, "p2": 1, "p3": 2}


async def test_bulk_write_error_details_count_the_statements_that_matched(database: Database) -> None:
    """A failing statement in an unordered round leaves the others applied and counted."""
    await database.sources.insert_many([{"_id": "a", "write_key": "k1"}, {"_id": "b", "write_key": "k2"}])
    with pytest.raises(BulkWriteError) as raised:
        await database.sources.bulk_write([ReplaceOne({"_id": "a"}, {"write_key": "k2"}),
                                           ReplaceOne({"_id": "b"}, {"write_key": "k3"})], ordered=False)
    details = raised.value.details
    assert [(e["index"], e["code"]) for e in details["writeErrors"]] == [(0, DUPLICATE_KEY)]
    assert details["nMatched"] == 1
    assert (await database.sources.find_one({"_id": "b"}))["write_key"] == "k3"


async def test_bulk_write_upserts_report_upserted_ids_by_request_index(database: Database) -> None:
    """Sessions: ``upserted_ids`` maps each request that inserted to the new document's id."""
    await database.sessions.insert_one({"_id": "old", "event_count": 1})
    requests = [UpdateOne({"_id": sid}, {"$inc": {"event_count": 1}}, upsert=True) for sid in ("new1", "old", "new2")]
    result = await database.sessions.bulk_write(requests, ordered=False)
    assert result.upserted_ids == {0: "new1", 2: "new2"}
    assert (result.upserted_count, result.matched_count) == (2, 1)


async def test_set_on_insert_applies_only_when_the_upsert_inserts(database: Database) -> None:
    def start(device: str) -> UpdateOne:
        return UpdateOne({"_id": "s"}, {"$setOnInsert": {"device": device}, "$inc": {"event_count": 1}}, upsert=True)

    await database.sessions.bulk_write([start("phone")])
    await database.sessions.bulk_write([start("laptop")])
    assert await database.sessions.find_one({"_id": "s"}) == {"_id": "s", "device": "phone", "event_count": 2}


async def test_min_and_max_keep_the_earliest_and_latest_datetimes(database: Database) -> None:
    """Sessions widen ``started_at``/``last_activity_at`` whatever order events arrive in."""
    for minutes in (10, 0, 20, 5):
        moment = T0 + timedelta(minutes=minutes)
        await database.sessions.update_one({"_id": "s"}, {"$min": {"started_at": moment},
                                                          "$max": {"last_activity_at": moment}}, upsert=True)
    doc = await database.sessions.find_one({"_id": "s"})
    assert (doc["started_at"], doc["last_activity_at"]) == (T0, T0 + timedelta(minutes=20))


async def test_inc_is_exact_under_concurrent_updates(database: Database) -> None:
    await database.sessions.insert_one({"_id": "s", "event_count": 0, "stats": {}})

    async def add(times: int) -> None:
        for _ in range(times):
            await database.sessions.update_one({"_id": "s"}, {"$inc": {"event_count": 1, "stats.views": 2}})

    await asyncio.gather(*(add(10) for _ in range(20)))
    doc = await database.sessions.find_one({"_id": "s"})
    assert (doc["event_count"], doc["stats"]["views"]) == (200, 400)


async def test_concurrent_upserts_of_one_new_id_make_one_document(database: Database) -> None:
    """Two requests may start the same session: one inserts, the other matches or gets 11000 (and retries)."""

    async def upsert() -> None:
        request = [UpdateOne({"_id": "s"}, {"$inc": {"event_count": 1}}, upsert=True)]
        for _ in range(5):
            try:
                await database.sessions.bulk_write(request, ordered=False)
                return
            except BulkWriteError as error:
                assert {e["code"] for e in error.details["writeErrors"]} == {DUPLICATE_KEY}

    await asyncio.gather(*(upsert() for _ in range(10)))
    assert await database.sessions.find({}).to_list() == [{"_id": "s", "event_count": 10}]


async def test_update_many_set_repoints_every_match(database: Database) -> None:
    """Merges re-point claims, events and sessions from the loser to the survivor."""
    await database.events.insert_many([{"_id": f"e{i}", "source_id": "s", "message_id": f"m{i}",
                                        "profile_id": "loser" if i < 3 else "other"} for i in range(5)])
    result = await database.events.update_many({"profile_id": "loser"}, {"$set": {"profile_id": "survivor"}})
    assert result.modified_count == 3
    assert await database.events.count_documents({"profile_id": "survivor"}) == 3


async def test_update_many_with_in_and_a_datetime_bound_leases_only_the_expired(database: Database) -> None:
    """Pending events are taken over only once their lease ran out; the new lease token finds them."""
    marks = database.collection("pending_events")
    await marks.insert_many([{"_id": "e0", "lease_until": T0 - timedelta(seconds=1)},
                             {"_id": "e1", "lease_until": T0 + timedelta(seconds=30)},
                             {"_id": "e2", "lease_until": T0 - timedelta(days=1), "lease": "old"}])
    result = await marks.update_many({"_id": {"$in": ["e0", "e1", "e2", "gone"]}, "lease_until": {"$lt": T0}},
                                     {"$set": {"lease_until": T0 + timedelta(seconds=30), "lease": "t"}})
    assert result.modified_count == 2
    assert await marks.find({"lease": "t"}, {"_id": 1}).sort("_id", 1).to_list() == [{"_id": "e0"}, {"_id": "e2"}]
    assert (await marks.find_one({"_id": "e1"})) == {"_id": "e1", "lease_until": T0 + timedelta(seconds=30)}


async def test_delete_many_with_in_deletes_exactly_the_listed_ids(database: Database) -> None:
    """Completing events deletes their pending marks (ids already gone are ignored)."""
    marks = database.collection("pending_events")
    await marks.insert_many([{"_id": f"e{i}"} for i in range(4)])
    assert (await marks.delete_many({"_id": {"$in": ["e0", "e2", "gone"]}})).deleted_count == 2
    assert await marks.find({}).sort("_id", 1).to_list() == [{"_id": "e1"}, {"_id": "e3"}]


async def test_dotted_set_and_inc_create_nested_fields(database: Database) -> None:
    await database.profiles.insert_one({"_id": "p"})
    await database.profiles.update_one({"_id": "p"}, {"$set": {"traits.plan": "pro"},
                                                      "$inc": {"stats.event_types.Order Completed": 1}})
    doc = await database.profiles.find_one({"_id": "p"})
    assert doc == {"_id": "p", "traits": {"plan": "pro"}, "stats": {"event_types": {"Order Completed": 1}}}


async def test_add_to_set_pull_and_push_with_each_and_slice(database: Database) -> None:
    """Segment membership (``$addToSet``/``$pull``) and the outbox's capped history (``$push``)."""
    await database.profiles.insert_one({"_id": "p", "segments": ["a"], "history": []})
    await database.profiles.update_one({"_id": "p"}, {"$addToSet": {"segments": "b"}})
    await database.profiles.update_one({"_id": "p"}, {"$addToSet": {"segments": "b"}})
    await database.profiles.update_one({"_id": "p"}, {"$pull": {"segments": "a"}})
    for step in range(5):
        await database.profiles.update_one({"_id": "p"}, {"$push": {"history": {"$each": [step], "$slice": -3}}})
    doc = await database.profiles.find_one({"_id": "p"})
    assert (doc["segments"], doc["history"]) == (["b"], [2, 3, 4])


async def test_delete_many_with_in_and_a_version_filter(database: Database) -> None:
    """Unused profiles created in a lost race are deleted only while still at version 0."""
    await database.profiles.insert_many([{"_id": "a", "version": 0}, {"_id": "b", "version": 1},
                                         {"_id": "c", "version": 0}])
    result = await database.profiles.delete_many({"_id": {"$in": ["a", "b"]}, "version": 0})
    assert result.deleted_count == 1
    assert sorted([d["_id"] async for d in database.profiles.find()]) == ["b", "c"]
    assert (await database.profiles.delete_one({"_id": "c"})).deleted_count == 1


async def test_bulk_write_mixes_inserts_and_updates(database: Database) -> None:
    result = await database.sessions.bulk_write([InsertOne({"_id": "a", "n": 1}),
                                                 UpdateOne({"_id": "a"}, {"$inc": {"n": 1}})])
    assert (result.inserted_count, result.modified_count) == (1, 1)


# --- values ------------------------------------------------------------------------------------

async def test_aware_datetimes_come_back_in_utc_at_millisecond_precision(database: Database) -> None:
    """``connect`` reads datetimes back aware in UTC; the store keeps milliseconds."""
    paris = timezone(timedelta(hours=2))
    written = {"_id": "e", "utc": datetime(2026, 5, 1, 8, 30, 15, 123456, tzinfo=UTC),
               "paris": datetime(2026, 5, 1, 10, 30, tzinfo=paris), "naive": datetime(2026, 5, 1, 8, 30)}
    await database.events.insert_one(written)
    read = await database.events.find_one({"_id": "e"})
    assert read["utc"] == datetime(2026, 5, 1, 8, 30, 15, 123000, tzinfo=UTC)
    assert read["paris"] == datetime(2026, 5, 1, 8, 30, tzinfo=UTC)
    assert read["naive"] == datetime(2026, 5, 1, 8, 30, tzinfo=UTC)
    assert all(read[key].tzinfo is UTC for key in ("utc", "paris", "naive"))


async def test_nested_documents_lists_and_scalars_round_trip(database: Database) -> None:
    doc = {"_id": "p", "traits": {"tags": ["a", 1, 2.5, None, True, {"deep": [T0]}]}, "score": -3,
           "big": 2**40, "empty": {}, "unicode": "Zoë ✓"}
    await database.profiles.insert_one(dict(doc))
    assert await database.profiles.find_one({"_id": "p"}) == doc


async def test_percent_escaped_keys_are_stored_and_queried_as_plain_keys(database: Database) -> None:
    """Free-form keys are stored percent-escaped (``cairn.core.store.keys``); the store keeps them verbatim."""
    await database.events.insert_one({"_id": "e", "properties": {"%24price": 3, "a%2Eb": 1, "100%25": True}})
    found = await database.events.find_one({"properties.%24price": 3})
    assert found is not None and found["properties"] == {"%24price": 3, "a%2Eb": 1, "100%25": True}


async def test_ping_command_answers(database: Database) -> None:
    """``/health`` pings the store."""
    assert (await database.db.command("ping"))["ok"] == 1
