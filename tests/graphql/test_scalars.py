"""The JSON scalar turns whatever the store hands back into plain JSON values."""

from datetime import UTC, datetime
from decimal import Decimal

from bson import Decimal128, ObjectId
from pydantic import BaseModel

from cairn.graphql.scalars import to_json_value


class Consent(BaseModel):
    granted: bool
    at: datetime


def test_store_and_model_values_become_json_values() -> None:
    moment = datetime(2024, 5, 1, 12, 30, tzinfo=UTC)
    value = {"at": moment, "price": Decimal128("9.90"), "ratio": Decimal("0.5"), "oid": ObjectId("0" * 24),
             "tags": ("a", "b"), "consent": Consent(granted=True, at=moment), "plain": [1, "x", None, True]}
    assert to_json_value(value) == {
        "at": "2024-05-01T12:30:00+00:00", "price": 9.9, "ratio": 0.5, "oid": "0" * 24, "tags": ["a", "b"],
        "consent": {"granted": True, "at": "2024-05-01T12:30:00Z"}, "plain": [1, "x", None, True],
    }
