"""Admin tokens: what GraphQL requires (tracking endpoints use write keys instead).

Only a SHA-256 hash of each token is stored; the token itself is shown once, when
it is created (``cairn admin create-token``).
"""

from __future__ import annotations

import hashlib
import time

from cairn.core.clock import utcnow
from cairn.core.ids import new_id, new_secret
from cairn.core.store.database import Database

CACHE_SECONDS = 10.0


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class AdminTokens:
    """Creates and checks admin tokens."""

    def __init__(self, database: Database) -> None:
        self.collection = database.admin_tokens
        self._valid_until: dict[str, float] = {}

    async def create(self, name: str = "admin") -> str:
        """Create a token and return it (it cannot be shown again)."""
        token = new_secret("cairn")
        await self.collection.insert_one({"_id": new_id(), "name": name, "token_hash": _hash(token),
                                          "created_at": utcnow(), "revoked": False})
        return token

    async def is_valid(self, token: str) -> bool:
        """Whether ``token`` is a current, unrevoked admin token."""
        digest = _hash(token)
        if self._valid_until.get(digest, 0.0) > time.monotonic():
            return True
        doc = await self.collection.find_one({"token_hash": digest, "revoked": False})
        if doc is None:
            return False
        self._valid_until[digest] = time.monotonic() + CACHE_SECONDS
        return True
