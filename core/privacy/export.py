"""Right of access: everything Cairn stores about one customer, as JSON.

The export covers the profile (and the profiles merged into it), and every record
keyed by one of their ids in the collections listed in :data:`PERSONAL_DATA`.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from bson import Decimal128, ObjectId

from cairn.core.clock import utcnow
from cairn.core.ingestion.event_store import PENDING_EVENTS
from cairn.core.privacy._family import find_family
from cairn.core.store.database import Database
from cairn.core.store.keys import unescape_keys

PERSONAL_DATA: tuple[tuple[str, str], ...] = (
    ("events", "profile_id"),
    (PENDING_EVENTS, "profile_id"),
    ("sessions", "profile_id"),
    ("identities", "profile_id"),
    ("consent_history", "profile_id"),
    ("outbox", "profile_id"),
    ("flow_traces", "profile_id"),
    ("segment_history", "profile_id"),
)
"""(collection, field holding the profile id) of every collection with personal data.
A collection that does not exist (yet) is skipped."""


def jsonable(value: Any) -> Any:
    """``value`` with datetimes as ISO strings and other store types as JSON values."""
    if value is None or isinstance(value, str | int | float | bool):
        return value
    if isinstance(value, Mapping):
        return {str(key): jsonable(item) for key, item in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [jsonable(item) for item in value]
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal128):
        value = value.to_decimal()
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, bytes):
        return value.hex()
    if isinstance(value, ObjectId):
        return str(value)
    return str(value)


async def existing_collections(database: Database) -> set[str]:
    """The names of the collections that exist in Cairn's database."""
    return set(await database.db.list_collection_names())


async def export_profile(database: Database, profile_id: str) -> dict[str, Any] | None:
    """Everything stored about the customer of ``profile_id`` (a merged id works too); ``None`` if unknown."""
    family = await find_family(database, profile_id)
    if family is None:
        return None
    ids = family.profile_ids
    exported: dict[str, Any] = {"exported_at": utcnow(), "profile_id": family.profile["id"],
                                "profile": family.profile, "merged_profiles": family.merged}
    present = await existing_collections(database)
    for collection, field in PERSONAL_DATA:
        if collection not in present:
            continue
        cursor = database.collection(collection).find({field: {"$in": ids}}).sort("_id", 1)
        exported[collection] = [_public(doc) async for doc in cursor]
    return jsonable(exported)  # type: ignore[no-any-return]


def _public(doc: dict[str, Any]) -> dict[str, Any]:
    plain = unescape_keys(doc)
    plain["id"] = plain.pop("_id")
    return plain
