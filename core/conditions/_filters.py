"""Small builders of MongoDB filter documents that simplify as they combine."""

from __future__ import annotations

from typing import Any

Filter = dict[str, Any]


def always() -> Filter:
    """The filter every document matches."""
    return {}


def never() -> Filter:
    """A filter no document matches."""
    return {"_id": {"$in": []}}


def is_never(part: Filter) -> bool:
    """True for the :func:`never` filter."""
    return part == never()


def and_(parts: list[Filter]) -> Filter:
    """All of ``parts``: flattened, without match-all parts, ``never`` if one is never."""
    flat: list[Filter] = []
    for part in parts:
        if is_never(part):
            return never()
        flat.extend(part["$and"] if list(part) == ["$and"] else [part] if part else [])
    if len(flat) <= 1:
        return flat[0] if flat else always()
    return {"$and": flat}


def or_(parts: list[Filter]) -> Filter:
    """Any of ``parts``: flattened, without never parts, match-all if one matches all."""
    flat: list[Filter] = []
    for part in parts:
        if part == always():
            return always()
        flat.extend(part["$or"] if list(part) == ["$or"] else [] if is_never(part) else [part])
    if len(flat) <= 1:
        return flat[0] if flat else never()
    return {"$or": flat}


def nor(part: Filter) -> Filter:
    """The negation of ``part``, as ``$nor`` (simplified when possible)."""
    if part == always():
        return never()
    if is_never(part):
        return always()
    if list(part) == ["$nor"]:
        inner: list[Filter] = part["$nor"]
        return inner[0] if len(inner) == 1 else {"$or": inner}
    if list(part) == ["$or"]:
        return {"$nor": part["$or"]}
    return {"$nor": [part]}


def exists(field: str, present: bool = True) -> Filter:
    """``{field: {"$exists": present}}``."""
    return {field: {"$exists": present}}


def present_and_not(field: str, positive: Filter) -> Filter:
    """The negated word operators: the field is present and ``positive`` is false."""
    return and_([exists(field), nor(positive)])


def not_array(field: str) -> Filter:
    """Documents where ``field`` is not an array (MongoDB would look inside one)."""
    return nor({field: {"$type": "array"}})
