"""Storage: the MongoDB connection, its collections and the embedded store."""

from cairn.core.store.database import Database, connect
from cairn.core.store.embedded import EmbeddedStore, EmbeddedStoreError

__all__ = ["Database", "EmbeddedStore", "EmbeddedStoreError", "connect"]
