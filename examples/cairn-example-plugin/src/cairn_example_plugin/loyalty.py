"""Loyalty points: credit the customer with points for what the event says they spent."""

from __future__ import annotations

import math
from typing import ClassVar

from pydantic import BaseModel, ConfigDict, Field

from cairn.core.nodes import NodeContext, NodeResult, NodeType, Output


class LoyaltyConfig(BaseModel):
    """How points are earned. Field descriptions and examples become the editor's form."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    amount_property: str = Field("total", min_length=1, description="The event property holding the amount spent.",
                                 examples=["total", "revenue"])
    points_per_unit: float = Field(1, gt=0, description="Points earned per unit of currency.", examples=[1, 0.1])
    trait: str = Field("loyalty_points", min_length=1, description="The trait that holds the points balance.")


class LoyaltyPoints(NodeType):
    """Adds ``floor(amount * points_per_unit)`` points to a trait."""

    id = "example.loyalty_points"
    version = 1
    name = "Loyalty points"
    category = "Profile"
    description = "Credits loyalty points for the amount an event says the customer spent."
    docs = """\
Reads the amount at `properties.<amount_property>` of the event (a number, or a text
holding one), multiplies it by `points_per_unit`, rounds down and adds the points to the
trait `trait`.

**Ports**: `in`; `out` with `{"points_added", "balance"}`; `error` when the event has no
usable amount (missing, not a number, negative).

**Config**: `amount_property`, `points_per_unit`, `trait`.
"""
    outputs: ClassVar[tuple[str, ...]] = ("out", "error")
    Config = LoyaltyConfig

    async def run(self, config: LoyaltyConfig, ctx: NodeContext) -> NodeResult:
        """Credit the points and follow ``out``; follow ``error`` without a usable amount."""
        raw = (ctx.event.get("properties") or {}).get(config.amount_property)
        amount = _as_number(raw)
        if amount is None or amount < 0:
            return Output("error", {"error": f"properties.{config.amount_property} is not a usable amount: {raw!r}"})
        points = math.floor(amount * config.points_per_unit)
        ctx.profile.increment(("traits", config.trait), points)
        return Output("out", {"points_added": points, "balance": ctx.profile.traits[config.trait]})


def _as_number(value: object) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value) if math.isfinite(value) else None
    if isinstance(value, str):
        try:
            number = float(value)
        except ValueError:
            return None
        return number if math.isfinite(number) else None
    return None
