"""Scalars: ``JSON`` for free-form data (traits, properties, context), safe to encode.

``JSON`` is Strawberry's own ``strawberry.scalars.JSON``, re-exported, so a plugin may
use either name. The root schema maps it (see :data:`SCALAR_MAP`) to a serializer that
turns what the store and the models hand back (datetimes, ``Decimal128``, ``ObjectId``,
pydantic models…) into JSON values.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import strawberry
from bson import Decimal128, ObjectId
from pydantic import BaseModel
from strawberry.scalars import JSON
from strawberry.types.scalar import ScalarDefinition


def to_json_value(value: Any) -> Any:
    """``value`` with every nested non-JSON value turned into a string or number."""
    if value is None or isinstance(value, str | int | float | bool):
        return value
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json")
    if isinstance(value, Mapping):
        return {str(key): to_json_value(item) for key, item in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [to_json_value(item) for item in value]
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal128):
        value = value.to_decimal()
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, ObjectId | bytes):
        return str(value) if isinstance(value, ObjectId) else value.hex()
    return str(value)


SCALAR_MAP: dict[object, ScalarDefinition] = {
    JSON: strawberry.scalar(
        name="JSON",
        description="Any JSON value: an object, array, string, number, boolean or null.",
        serialize=to_json_value,
        parse_value=lambda value: value,
    ),
}

__all__ = ["JSON", "SCALAR_MAP", "to_json_value"]
