"""Keyset pagination, newest first: pages stay stable while new documents arrive.

Documents are ordered by a time field, then by ``_id``, both descending. A cursor
names the last document of a page by those two values, so the next page starts
right after it whatever was inserted meanwhile: no duplicates, no offsets to skip.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Generic, TypeVar

import orjson
from pymongo import DESCENDING
from pymongo.asynchronous.collection import AsyncCollection

from cairn.core.clock import as_utc

T = TypeVar("T")
Document = dict[str, Any]


class InvalidCursor(ValueError):
    """A cursor that this module did not make (or that was cut or changed)."""

    def __init__(self, cursor: str) -> None:
        super().__init__(f"the cursor {cursor!r} is not valid; pass the endCursor (or an edge's cursor) "
                         "of a previous page, or no cursor to start from the first page")


@dataclass(frozen=True)
class PageEntry(Generic[T]):
    """One item of a page and the cursor that points right after it."""

    cursor: str
    item: T


@dataclass(frozen=True)
class Page(Generic[T]):
    """Up to ``first`` items, and whether more follow."""

    entries: list[PageEntry[T]]
    has_next_page: bool

    @property
    def items(self) -> list[T]:
        """The page's items, in order."""
        return [entry.item for entry in self.entries]

    @property
    def end_cursor(self) -> str | None:
        """The cursor to ask for the next page with (``None`` on an empty page)."""
        return self.entries[-1].cursor if self.entries else None


def encode_cursor(time: datetime | None, doc_id: str) -> str:
    """The opaque cursor of the document with this time and id."""
    raw = orjson.dumps([as_utc(time).isoformat() if time else None, doc_id])
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[datetime | None, str]:
    """The time and id a cursor names; raises :class:`InvalidCursor`."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        time, doc_id = orjson.loads(raw)
        if not isinstance(doc_id, str) or not (time is None or isinstance(time, str)):
            raise TypeError(cursor)
        return (as_utc(datetime.fromisoformat(time)) if time else None), doc_id
    except (binascii.Error, orjson.JSONDecodeError, TypeError, ValueError) as error:
        raise InvalidCursor(cursor) from error


def after_condition(time_field: str, cursor: str) -> Document:
    """The query part that keeps only documents ordered after the cursor's document."""
    time, doc_id = decode_cursor(cursor)
    if time is None:
        return {time_field: None, "_id": {"$lt": doc_id}}
    return {"$or": [{time_field: {"$lt": time}}, {time_field: time, "_id": {"$lt": doc_id}},
                    {time_field: None}]}


async def newest_first(collection: AsyncCollection[Document], query: Mapping[str, Any], *, time_field: str,
                       first: int, after: str | None, convert: Callable[[Document], T]) -> Page[T]:
    """Return the page of ``first`` documents matching ``query`` after the cursor ``after``."""
    if first < 0:
        raise ValueError("first must not be negative")
    conditions = [dict(query)] if query else []
    if after:
        conditions.append(after_condition(time_field, after))
    final: Document = {"$and": conditions} if len(conditions) > 1 else (conditions[0] if conditions else {})
    cursor = collection.find(final).sort([(time_field, DESCENDING), ("_id", DESCENDING)]).limit(first + 1)
    docs = await cursor.to_list()
    entries = [PageEntry(encode_cursor(doc.get(time_field), str(doc["_id"])), convert(doc)) for doc in docs[:first]]
    return Page(entries=entries, has_next_page=len(docs) > first)
