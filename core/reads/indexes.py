"""The indexes the read-side queries rely on (declare them before ``Database.ensure_indexes``)."""

from __future__ import annotations

from collections.abc import Iterable

from pymongo import ASCENDING, DESCENDING, IndexModel

from cairn.core.store.database import Database
from cairn.core.store.keys import escape_key


def read_indexes(identifier_kinds: Iterable[str]) -> dict[str, list[IndexModel]]:
    """Indexes for listing live profiles, finding them by id or identifier, and events by source."""
    profiles = [
        IndexModel([("merged_into", ASCENDING), ("last_seen", DESCENDING), ("_id", DESCENDING)]),
        IndexModel([("user_ids", ASCENDING)]),
        IndexModel([("anonymous_ids", ASCENDING)]),
        *(IndexModel([(f"identifiers.{escape_key(kind)}", ASCENDING)]) for kind in dict.fromkeys(identifier_kinds)),
    ]
    events = [IndexModel([("source_id", ASCENDING), ("occurred_at", DESCENDING)])]
    return {"profiles": profiles, "events": events}


def declare_read_indexes(database: Database, identifier_kinds: Iterable[str]) -> None:
    """Declare :func:`read_indexes` on ``database``."""
    for collection, indexes in read_indexes(identifier_kinds).items():
        database.add_indexes(collection, indexes)
