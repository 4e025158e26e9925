"""Event schemas: per event type, an optional JSON Schema the events must satisfy.

An event that fails its schema is either stored with ``valid: false`` and the
reasons in ``validation_errors`` (``on_invalid: mark``) or refused in the response
(``on_invalid: refuse``). Invalid events trigger no mapping, identification or flow.

Refusing needs a check *before* anything is written: :func:`refuse_invalid` is that
step (the pipeline calls it through ``Pipeline.validators`` when it has that extension
point). Marking happens right after insertion (:func:`mark_stored`), and so does a
refusing schema's check when the pipeline has no pre-insert step.
"""

from __future__ import annotations

from typing import Any

from pymongo import UpdateOne

from cairn.core.flows.catalog import ActiveConfig, ActiveSchema
from cairn.core.ingestion.incoming import IncomingEvent
from cairn.core.store.database import Database
from cairn.core.store.keys import escape_keys

_MAX_ERRORS = 20


def schema_errors(active: ActiveSchema, event: dict[str, Any]) -> list[str]:
    """Why ``event`` fails the schema (``[]`` when it passes): ``"properties.total: 'x' is not of type 'number'"``."""
    target = active.schema.target
    instance = (event.get("properties") or {}) if target == "properties" else _event_view(event)
    prefix = "properties" if target == "properties" else ""
    errors = []
    for error in sorted(active.validator.iter_errors(instance), key=lambda e: list(map(str, e.absolute_path))):
        path = ".".join(str(part) for part in (prefix, *error.absolute_path) if part != "")
        errors.append(f"{path or 'event'}: {error.message}")
        if len(errors) >= _MAX_ERRORS:
            break
    return errors


def _event_view(event: dict[str, Any]) -> dict[str, Any]:
    keep = ("type", "kind", "source_id", "anonymous_id", "user_id", "properties", "traits", "context")
    return {key: event[key] for key in keep if key in event}


def refuse_invalid(config: ActiveConfig, source_id: str,
                   events: list[IncomingEvent]) -> tuple[list[IncomingEvent], list[dict[str, Any]]]:
    """Before anything is written: take out the events a ``refuse`` schema rejects.

    Returns ``(events to ingest, errors)``, errors as ``{"index", "message"}`` by the
    event's index in the request (what the tracking endpoints report for bad events).
    Events of ``mark`` schemas pass; they are marked after insertion.
    """
    kept, refused = [], []
    for event in events:
        view = {"type": event.type, "kind": event.kind, "source_id": source_id, "anonymous_id": event.anonymous_id,
                "user_id": event.user_id, "properties": event.properties, "traits": event.traits,
                "context": event.context}
        failing = _failing(config, view, refusing=True)
        if failing is None:
            kept.append(event)
        else:
            refused.append({"index": event.index, "message": f"the event does not match the schema of "
                                                             f"{event.type!r}: {'; '.join(failing[1])}"})
    return kept, refused


async def mark_stored(database: Database, config: ActiveConfig, events: list[dict[str, Any]]) -> None:
    """After insertion: mark the stored events that fail their schema (in the store and in ``events``)."""
    updates = []
    for event in events:
        if event.get("valid") is False:
            continue
        failing = _failing(config, event)
        if failing is not None:
            event["valid"], event["validation_errors"] = False, failing[1]
            updates.append(UpdateOne({"_id": event["id"]}, {"$set": escape_keys(
                {"valid": False, "validation_errors": failing[1]})}))
    if updates:
        await database.events.bulk_write(updates, ordered=False)


def _failing(config: ActiveConfig, event: dict[str, Any], *,
             refusing: bool = False) -> tuple[Any, list[str]] | None:
    for active in config.schemas.matching(event):
        if refusing and active.schema.on_invalid != "refuse":
            continue
        errors = schema_errors(active, event)
        if errors:
            return active.schema, errors
    return None
