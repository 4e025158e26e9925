"""Store floor: what each write and read the ingestion pipeline issues costs the embedded store.

Starts the embedded store (file-backed, in a temporary folder) with Cairn's indexes and
times, in batches of ``--batch`` documents, the operations one ingested event costs:
events ``insert_many``, the pending marks' ``insert_many`` and ``delete_many`` (next to
the old completion, an ``update_many`` of the events), session upserts, the
version-checked profile ``bulk_write`` and the batched ``$in`` reads. It prints the store's
CPU time per document (the store is a Python process: on a small machine its CPU is
the ceiling) and the events/s that one store core allows for the pipeline's write set.

    .venv/bin/python benchmarks/store_ops.py
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import tempfile
import time
import uuid
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pymongo import ReplaceOne, UpdateOne

from cairn.core.ingestion.event_store import PENDING_EVENTS
from cairn.core.store.database import Database, connect
from cairn.core.store.embedded import EmbeddedStore

Step = Callable[[int], Awaitable[Any]]


def store_cpu(pid: int) -> float:
    """CPU seconds used so far by the store process (Linux)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def event(number: int) -> dict[str, Any]:
    """An event document as the pipeline stores it."""
    now = datetime.now(UTC)
    return {"_id": str(uuid.uuid4()), "type": "Product Viewed", "kind": "track", "source_id": "s",
            "profile_id": f"p{number}", "session_id": f"s{number}", "anonymous_id": None, "user_id": f"u{number}",
            "message_id": uuid.uuid4().hex, "properties": {"product_id": "sku-1", "price": 12.5},
            "traits": {}, "context": {"ip": "127.0.0.1", "userAgent": "Mozilla/5.0", "library": {"name": "x"}},
            "occurred_at": now, "sent_at": None, "received_at": now, "valid": True, "validation_errors": []}


def profile(number: int) -> dict[str, Any]:
    """A profile document after a few events."""
    now = datetime.now(UTC)
    return {"_id": f"p{number}", "version": 0, "first_seen": now, "last_seen": now, "merged_into": None,
            "stats": {"events": 3, "visits": 1, "event_types": {"Product Viewed": 3}},
            "user_ids": [f"u{number}"], "last_session_id": f"s{number}", "traits": {"plan": "pro"}}


def session_upsert(number: int) -> UpdateOne:
    """The session write of one event (as ``record_sessions`` issues it when a visit starts or moves on a minute)."""
    now = datetime.now(UTC)
    return UpdateOne({"_id": f"s{number}"}, {"$setOnInsert": {"profile_id": f"p{number}", "source_id": "s"},
                                            "$min": {"started_at": now}, "$max": {"last_activity_at": now}},
                     upsert=True)


def steps(db: Database, batch: int) -> dict[str, Step]:
    """The operations measured; each takes the round number and handles ``batch`` documents."""
    inserted: dict[int, list[str]] = {}

    async def insert_events(r: int) -> None:
        docs = [event(r * batch + i) for i in range(batch)]
        inserted[r] = [d["_id"] for d in docs]
        await db.events.insert_many(docs, ordered=False)

    async def insert_marks(r: int) -> None:
        lease_until = datetime.now(UTC)
        await db.collection(PENDING_EVENTS).insert_many(
            [{"_id": event_id, "profile_id": f"p{r * batch + i}", "lease_until": lease_until}
             for i, event_id in enumerate(inserted[r])], ordered=False)

    async def delete_marks(r: int) -> None:
        await db.collection(PENDING_EVENTS).delete_many({"_id": {"$in": inserted[r]}})

    old: dict[int, list[str]] = {}

    async def insert_old_events(r: int) -> None:
        docs = [{**event(r * batch + i), "pending": True, "lease_until": datetime.now(UTC)} for i in range(batch)]
        old[r] = [d["_id"] for d in docs]
        await db.events.insert_many(docs, ordered=False)

    async def complete_old_events(r: int) -> None:
        await db.events.update_many({"_id": {"$in": old[r]}}, {"$unset": {"pending": "", "lease_until": ""}})

    async def upsert_sessions(r: int) -> None:
        await db.sessions.bulk_write([session_upsert(r * batch + i) for i in range(batch)], ordered=False)

    loaded: dict[int, list[dict[str, Any]]] = {}

    async def read_profiles(r: int) -> None:
        ids = [f"p{r * batch + i}" for i in range(batch)]
        loaded[r] = await db.profiles.find({"_id": {"$in": ids}}).batch_size(batch + 1).to_list()

    async def replace_profiles(r: int) -> None:
        await db.profiles.bulk_write([ReplaceOne({"_id": d["_id"], "version": d["version"]},
                                                 {**d, "version": d["version"] + 1}) for d in loaded[r]],
                                     ordered=False)

    async def read_claims(r: int) -> None:
        keys = [f"user:u{r * batch + i}" for i in range(batch)]
        await db.identities.find({"_id": {"$in": keys}}).batch_size(batch + 1).to_list()

    async def read_message_ids(r: int) -> None:
        await db.events.find({"source_id": "s", "message_id": {"$in": [uuid.uuid4().hex for _ in range(batch)]}},
                             {"message_id": 1}).to_list()

    async def insert_sessions(r: int) -> None:
        await db.collection("sessions_started").insert_many(
            [{"_id": f"s{r * batch + i}", "profile_id": f"p{r * batch + i}", "started_at": datetime.now(UTC)}
             for i in range(batch)], ordered=False)

    return {"events insert_many": insert_events, "pending marks insert_many": insert_marks,
            "pending marks delete_many (complete)": delete_marks,
            "old: events insert_many (with pending)": insert_old_events,
            "old: events update_many (complete)": complete_old_events,
            "alt: sessions insert_many (starts only)": insert_sessions,
            "sessions bulk upsert (new)": upsert_sessions, "sessions bulk upsert (existing)": upsert_sessions,
            "profiles find $in": read_profiles, "profiles bulk ReplaceOne (versioned)": replace_profiles,
            "identities find $in": read_claims, "events find message ids": read_message_ids}


async def measure(options: argparse.Namespace, folder: Path) -> dict[str, float]:
    """Store CPU ms per document for each step."""
    with EmbeddedStore(folder) as store:
        assert store._process is not None
        pid = store._process.pid
        db = connect(store.url, "store_ops")
        await db.ensure_indexes()
        size = options.batch * options.rounds
        await db.profiles.insert_many([profile(i) for i in range(size)])
        await db.identities.insert_many([{"_id": f"user:u{i}", "profile_id": f"p{i}"} for i in range(size)])
        figures = {}
        for name, step in steps(db, options.batch).items():
            cpu, started = store_cpu(pid), time.perf_counter()
            for round_number in range(options.rounds):
                await step(round_number)
            wall = time.perf_counter() - started
            figures[name] = (store_cpu(pid) - cpu) / size * 1000
            print(f"{name:40} {figures[name]:6.3f} ms store CPU per document  ({size / wall:7.0f} docs/s)")
        await db.close()
    return figures


def main() -> None:
    """Entry point."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--batch", type=int, default=100, help="documents per operation (default 100)")
    parser.add_argument("--rounds", type=int, default=10, help="operations per step (default 10)")
    options = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="cairn-store-ops-"))
    try:
        figures = asyncio.run(measure(options, folder))
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    complete = ("pending marks insert_many", "pending marks delete_many (complete)")
    writes = ("events insert_many", *complete, "sessions bulk upsert (existing)",
              "profiles bulk ReplaceOne (versioned)")
    reads = ("identities find $in", "events find message ids", "profiles find $in")
    per_event = sum(figures[name] for name in (*writes, *reads))
    marks, rewrite = sum(figures[name] for name in complete), figures["old: events update_many (complete)"]
    print(f"\npending state per event: marks insert+delete {marks:.3f} ms (was: events update_many {rewrite:.3f} ms)")
    print(f"per event (de-dup, claims, profile read, insert, marks, session, profile save, complete): "
          f"{per_event:.2f} ms of store CPU -> at most {1000 / per_event:.0f} events/s per store core")
    before = per_event - marks + rewrite
    print(f"with the old completion (pending fields on the event, update_many): {before:.2f} ms "
          f"-> {1000 / before:.0f} events/s")
    lighter = per_event - figures["sessions bulk upsert (existing)"]
    print(f"... for events continuing a visit within its minute (no session write): {lighter:.2f} ms "
          f"-> {1000 / lighter:.0f} events/s")


if __name__ == "__main__":
    main()
