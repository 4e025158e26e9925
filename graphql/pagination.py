"""Relay-style connections (``edges { cursor node }``, ``pageInfo { hasNextPage endCursor }``).

Every list that can grow pages the same way: ask for ``first`` items (at most
``settings.graphql_max_page_size``), then pass ``pageInfo.endCursor`` as ``after``
for the next page until ``hasNextPage`` is false.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Generic, TypeVar

import strawberry

from cairn.core.reads.pagination import InvalidCursor, Page
from cairn.graphql.context import Info
from cairn.graphql.errors import bad_input

M = TypeVar("M")
T = TypeVar("T")
DEFAULT_PAGE_SIZE = 20


@strawberry.type
class PageInfo:
    """Where a page ends and whether another follows."""

    has_next_page: bool
    end_cursor: str | None = strawberry.field(description="Pass it as `after` to get the next page.")


@strawberry.type
class Edge(Generic[T]):
    """One item of a page, with the cursor right after it."""

    cursor: str
    node: T


@strawberry.type
class Connection(Generic[T]):
    """A page of items."""

    edges: list[Edge[T]]
    page_info: PageInfo


def page_size(info: Info, first: int | None) -> int:
    """``first``, checked against the configured maximum page size."""
    maximum = info.context.cairn.settings.graphql_max_page_size
    if first is None:
        return min(DEFAULT_PAGE_SIZE, maximum)
    if first < 0 or first > maximum:
        raise bad_input(f"first must be between 0 and {maximum}, not {first}",
                        f"ask for at most {maximum} items and page on with `after: pageInfo.endCursor`")
    return first


async def paginate(info: Info, first: int | None, after: str | None,
                   fetch: Callable[[int, str | None], Awaitable[Page[M]]],
                   convert: Callable[[M], T]) -> Connection[T]:
    """Fetch one page with checked arguments and return it as a connection of ``convert``-ed items."""
    size = page_size(info, first)
    try:
        page = await fetch(size, after or None)
    except InvalidCursor as error:
        raise bad_input(str(error), "use pageInfo.endCursor from the previous page") from error
    edges = [Edge(cursor=entry.cursor, node=convert(entry.item)) for entry in page.entries]
    return Connection(edges=edges, page_info=PageInfo(has_next_page=page.has_next_page, end_cursor=page.end_cursor))
