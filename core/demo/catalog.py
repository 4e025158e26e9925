"""The demo shop's products."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Product:
    """Something the demo shop sells."""

    slug: str
    name: str
    price: float
    category: str
    blurb: str
    emoji: str


PRODUCTS = (
    Product("trail-tent", "Trail tent", 189.0, "tents", "A two-person tent that pitches in three minutes.", "⛺"),
    Product("down-sleeping-bag", "Down sleeping bag", 149.0, "sleeping", "Warm down to -5 °C, packs to a loaf.", "🛌"),
    Product("camp-stove", "Camp stove", 59.0, "cooking", "Boils a litre of water in four minutes.", "🔥"),
    Product("hiking-backpack", "Hiking backpack", 119.0, "packs", "45 litres, adjustable back, rain cover.", "🎒"),
)


def product(slug: str) -> Product | None:
    """The product with this slug, or ``None``."""
    return next((item for item in PRODUCTS if item.slug == slug), None)
