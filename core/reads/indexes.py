"""The indexes the read-side queries rely on (declare them before ``Database.ensure_indexes``).

Live profiles newest first, tombstones by ``merged_into`` and events by profile, type, time or
source are served by the core indexes (:data:`cairn.core.store.database.CORE_INDEXES`). Profile
search by user id goes through the id's identity claim, so ``user_ids`` needs no index. The
``anonymous_ids`` one stays: a device that several customers used is listed on each of their
profiles, but claimed by one of them only.
"""

from __future__ import annotations

from collections.abc import Iterable

from pymongo import ASCENDING, IndexModel

from cairn.core.store.database import Database
from cairn.core.store.keys import escape_key


def read_indexes(identifier_kinds: Iterable[str]) -> dict[str, list[IndexModel]]:
    """Indexes for finding live profiles by anonymous id or identifier."""
    profiles = [
        IndexModel([("anonymous_ids", ASCENDING)]),
        *(IndexModel([(f"identifiers.{escape_key(kind)}", ASCENDING)]) for kind in dict.fromkeys(identifier_kinds)),
    ]
    return {"profiles": profiles}


def declare_read_indexes(database: Database, identifier_kinds: Iterable[str]) -> None:
    """Declare :func:`read_indexes` on ``database``."""
    for collection, indexes in read_indexes(identifier_kinds).items():
        database.add_indexes(collection, indexes)
