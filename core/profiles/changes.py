"""Profile changes as operations, so they can be replayed on a fresher copy.

A change is recorded, not computed as a new value: re-applied after a version
conflict, ``Increment(("stats", "events"), 1)`` still adds one to whatever the
store holds now. Paths are tuples of keys, so trait names may hold dots.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Protocol

Path = tuple[str, ...]
Doc = dict[str, Any]


class Change(Protocol):
    """One operation on a profile document."""

    def apply(self, doc: Doc) -> None:
        """Apply the operation to ``doc`` in place."""


def _parent(doc: Doc, path: Path) -> Doc:
    """Return the mapping that holds ``path[-1]``, creating missing levels."""
    node = doc
    for key in path[:-1]:
        child = node.get(key)
        if not isinstance(child, dict):
            child = {}
            node[key] = child
        node = child
    return node


@dataclass(frozen=True)
class SetField:
    """Set the value at ``path``."""

    path: Path
    value: Any

    def apply(self, doc: Doc) -> None:
        _parent(doc, self.path)[self.path[-1]] = self.value


@dataclass(frozen=True)
class SetIfMissing:
    """Set the value at ``path`` only if nothing (or ``None``/``""``) is there."""

    path: Path
    value: Any

    def apply(self, doc: Doc) -> None:
        parent = _parent(doc, self.path)
        if parent.get(self.path[-1]) in (None, ""):
            parent[self.path[-1]] = self.value


@dataclass(frozen=True)
class Unset:
    """Remove the value at ``path`` (nothing happens if it is absent)."""

    path: Path

    def apply(self, doc: Doc) -> None:
        _parent(doc, self.path).pop(self.path[-1], None)


@dataclass(frozen=True)
class Increment:
    """Add ``amount`` to the number at ``path`` (missing or non-numeric counts as 0)."""

    path: Path
    amount: float = 1

    def apply(self, doc: Doc) -> None:
        parent = _parent(doc, self.path)
        current = parent.get(self.path[-1])
        if not isinstance(current, int | float) or isinstance(current, bool):
            current = 0
        parent[self.path[-1]] = current + self.amount


@dataclass(frozen=True)
class AddToList:
    """Add the values to the list at ``path`` unless already there (a set union)."""

    path: Path
    values: tuple[Any, ...]

    def apply(self, doc: Doc) -> None:
        parent = _parent(doc, self.path)
        current = parent.get(self.path[-1])
        items = list(current) if isinstance(current, list) else ([] if current is None else [current])
        items.extend(value for value in self.values if value not in items)
        parent[self.path[-1]] = items


@dataclass(frozen=True)
class RemoveFromList:
    """Remove the values from the list at ``path``."""

    path: Path
    values: tuple[Any, ...]

    def apply(self, doc: Doc) -> None:
        parent = _parent(doc, self.path)
        current = parent.get(self.path[-1])
        if isinstance(current, list):
            parent[self.path[-1]] = [item for item in current if item not in self.values]


@dataclass(frozen=True)
class KeepLatest:
    """Set the datetime at ``path`` to ``value`` if it is later (or nothing is there)."""

    path: Path
    value: Any

    def apply(self, doc: Doc) -> None:
        parent = _parent(doc, self.path)
        current = parent.get(self.path[-1])
        if current is None or self.value > current:
            parent[self.path[-1]] = self.value


@dataclass(frozen=True)
class KeepEarliest:
    """Set the datetime at ``path`` to ``value`` if it is earlier (or nothing is there)."""

    path: Path
    value: Any

    def apply(self, doc: Doc) -> None:
        parent = _parent(doc, self.path)
        current = parent.get(self.path[-1])
        if current is None or self.value < current:
            parent[self.path[-1]] = self.value


def apply_changes(doc: Doc, changes: Iterable[Change]) -> Doc:
    """Apply ``changes`` to ``doc`` in order, in place, and return it."""
    for change in changes:
        change.apply(doc)
    return doc
