"""Inserting identity claims, learning which ones another profile already holds."""

from __future__ import annotations

from pymongo.errors import BulkWriteError

from cairn.core.store.database import Database

DUPLICATE_KEY = 11000


async def insert_claims(database: Database, claims: dict[str, str]) -> list[str]:
    """Insert ``{claim key: profile id}``; return the keys that were already claimed."""
    if not claims:
        return []
    docs = [{"_id": key, "profile_id": profile_id} for key, profile_id in claims.items()]
    try:
        await database.identities.insert_many(docs, ordered=False)
    except BulkWriteError as error:
        return [docs[e["index"]]["_id"] for e in error.details["writeErrors"] if e["code"] == DUPLICATE_KEY]
    return []
