"""A small typed repository for configuration items (rules, schemas, mappings…)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Generic, TypeVar

from pydantic import ValidationError
from pymongo import ASCENDING

from cairn.core.clock import utcnow
from cairn.core.flows.errors import Invalid, NotFound
from cairn.core.flows.models import Entity
from cairn.core.ids import new_id
from cairn.core.store.database import Database
from cairn.core.store.keys import escape_keys, unescape_keys

M = TypeVar("M", bound=Entity)


class ModelStore(Generic[M]):
    """Create, change, delete and list items of one model in one collection.

    Every change calls ``on_change`` (the flow services drop their cache then).
    """

    def __init__(self, database: Database, collection: str, model: type[M], kind: str,
                 on_change: Callable[[], None]) -> None:
        self.collection = database.collection(collection)
        self.model = model
        self.kind = kind
        self.on_change = on_change

    def _validate(self, data: dict[str, Any]) -> M:
        try:
            return self.model.model_validate(data)
        except ValidationError as error:
            raise Invalid.from_validation(self.kind, error) from None

    async def create(self, data: dict[str, Any]) -> M:
        """Validate and store a new item; raise :class:`Invalid` if refused."""
        now = utcnow()
        item = self._validate({**data, "id": new_id(), "created_at": now, "updated_at": now})
        await self.collection.insert_one(_to_document(item))
        self.on_change()
        return item

    async def update(self, item_id: str, changes: dict[str, Any]) -> M:
        """Set the fields given in ``changes`` (leave out a field to keep it; ``None`` clears it)."""
        current = await self.get(item_id)
        if current is None:
            raise NotFound(self.kind, item_id)
        given = {key: value for key, value in changes.items() if key not in ("id", "created_at")}
        item = self._validate({**current.model_dump(), **given, "updated_at": utcnow()})
        await self.collection.replace_one({"_id": item_id}, _to_document(item))
        self.on_change()
        return item

    async def delete(self, item_id: str) -> bool:
        """Delete an item; return whether it existed."""
        result = await self.collection.delete_one({"_id": item_id})
        self.on_change()
        return result.deleted_count == 1

    async def delete_where(self, query: dict[str, Any]) -> int:
        """Delete the items matching ``query``; return how many."""
        result = await self.collection.delete_many(query)
        self.on_change()
        return int(result.deleted_count)

    async def get(self, item_id: str) -> M | None:
        """One item, or ``None``."""
        doc = await self.collection.find_one({"_id": item_id})
        return self._from_document(doc) if doc else None

    async def list(self, query: dict[str, Any] | None = None) -> list[M]:
        """Items matching ``query`` (stored field names), oldest first."""
        cursor = self.collection.find(query or {}).sort([("created_at", ASCENDING), ("_id", ASCENDING)])
        return [self._from_document(doc) async for doc in cursor]

    def _from_document(self, doc: dict[str, Any]) -> M:
        data = {**unescape_keys({key: value for key, value in doc.items() if key != "_id"}), "id": doc["_id"]}
        try:
            return self.model.model_validate(data)
        except ValidationError:  # stored before a rule of the model changed: show it as it is
            return self.model.model_construct(**data)


def _to_document(item: Entity) -> dict[str, Any]:
    doc: dict[str, Any] = escape_keys(item.model_dump(exclude={"id"}))
    doc["_id"] = item.id
    return doc
