"""Widget instances: named, saved settings of a widget (collection ``widget_instances``).

The editor keeps the pop-ups it designs here ("Spring sale CTA", "Post-purchase
rating") and copies an instance into a Show widget node. Settings are validated
against the widget's config model on every save.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field
from pymongo import ASCENDING

from cairn.core.clock import utcnow
from cairn.core.ids import new_id
from cairn.core.store.database import Database
from cairn.core.store.keys import escape_keys, unescape_keys
from cairn.core.widgets.registry import WidgetRegistry
from cairn.core.widgets.rendering import validate_config

COLLECTION = "widget_instances"
MAX_NAME_LENGTH = 200


class WidgetInstance(BaseModel):
    """A widget with saved settings."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    id: str
    name: str = Field(min_length=1, max_length=200)
    widget: str
    config: dict[str, Any] = Field(default_factory=dict)
    created_at: datetime
    updated_at: datetime


class UnknownWidget(LookupError):
    """No installed plugin declares the widget id."""

    def __init__(self, widget_id: str) -> None:
        super().__init__(f"no installed plugin declares widget {widget_id!r}; pick one from the widget catalogue")
        self.widget_id = widget_id


class InstanceNameInvalid(ValueError):
    """The instance name is empty or too long."""

    def __init__(self, message: str) -> None:
        super().__init__(f"the instance name {message}; give it a short, non-empty name")
        self.errors = [{"field": "name", "message": message}]


class WidgetInstances:
    """Creates, changes, deletes and lists widget instances."""

    def __init__(self, database: Database, registry: WidgetRegistry) -> None:
        self.collection = database.collection(COLLECTION)
        self.registry = registry

    async def create(self, name: str, widget: str, config: dict[str, Any] | None = None) -> WidgetInstance:
        """Save new settings for ``widget``.

        Raises :class:`UnknownWidget`, :class:`InstanceNameInvalid` or :class:`WidgetConfigInvalid`.
        """
        now = utcnow()
        instance = WidgetInstance(id=new_id(), name=_name(name), widget=widget,
                                  config=self._validated(widget, config), created_at=now, updated_at=now)
        await self.collection.insert_one(_to_document(instance))
        return instance

    async def update(self, instance_id: str, *, name: str | None = None,
                     config: dict[str, Any] | None = None) -> WidgetInstance | None:
        """Change the name or settings; ``None`` if there is no such instance."""
        current = await self.get(instance_id)
        if current is None:
            return None
        changes: dict[str, Any] = {"updated_at": utcnow()}
        if name is not None:
            changes["name"] = _name(name)
        if config is not None:
            changes["config"] = self._validated(current.widget, config)
        updated = current.model_copy(update=changes)
        await self.collection.replace_one({"_id": instance_id}, _to_document(updated))
        return updated

    async def delete(self, instance_id: str) -> bool:
        """Delete an instance; return whether it existed."""
        result = await self.collection.delete_one({"_id": instance_id})
        return result.deleted_count == 1

    async def get(self, instance_id: str) -> WidgetInstance | None:
        """One instance, or ``None``."""
        doc = await self.collection.find_one({"_id": instance_id})
        return _from_document(doc) if doc else None

    async def list(self, widget: str | None = None) -> list[WidgetInstance]:
        """Every instance (of ``widget``, if given), by name."""
        query = {"widget": widget} if widget else {}
        cursor = self.collection.find(query).sort([("name", ASCENDING), ("_id", ASCENDING)])
        return [_from_document(doc) async for doc in cursor]

    def _validated(self, widget_id: str, config: dict[str, Any] | None) -> dict[str, Any]:
        registered = self.registry.get(widget_id)
        if registered is None:
            raise UnknownWidget(widget_id)
        return validate_config(registered.type, config).model_dump(mode="json")


def _name(name: str) -> str:
    cleaned = name.strip()
    if not cleaned:
        raise InstanceNameInvalid("must not be empty")
    if len(cleaned) > MAX_NAME_LENGTH:
        raise InstanceNameInvalid(f"must be at most {MAX_NAME_LENGTH} characters")
    return cleaned


def _to_document(instance: WidgetInstance) -> dict[str, Any]:
    doc: dict[str, Any] = escape_keys(instance.model_dump(exclude={"id"}))
    doc["_id"] = instance.id
    return doc


def _from_document(doc: dict[str, Any]) -> WidgetInstance:
    return WidgetInstance.model_validate({**unescape_keys({k: v for k, v in doc.items() if k != "_id"}),
                                          "id": doc["_id"]})
