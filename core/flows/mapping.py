"""Declarative event-to-profile mapping: copy event data to traits without a flow."""

from __future__ import annotations

from typing import Any

from cairn.core.conditions import MISSING
from cairn.core.flows.catalog import ActiveMapping
from cairn.core.nodes.base import ProfileEditor


def apply_mappings(mappings: list[ActiveMapping], context: dict[str, Any], profile: ProfileEditor) -> None:
    """Apply each field of each mapping to ``profile``: ``always`` sets, ``if_empty`` sets only an
    empty trait, ``append`` adds to a list trait. A missing or ``null`` value changes nothing."""
    for active in mappings:
        for field, source in zip(active.mapping.fields, active.sources, strict=True):
            value = source.value(context)
            if value is MISSING or value is None:
                continue
            if field.mode == "append":
                profile.append_trait(field.trait, *(value if isinstance(value, list) else [value]))
            else:
                profile.set_trait(field.trait, value, only_if_empty=field.mode == "if_empty")
