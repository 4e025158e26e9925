"""What every resolver receives: the running Cairn, the request and per-request dataloaders."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import strawberry
from starlette.requests import Request
from starlette.responses import Response
from starlette.websockets import WebSocket
from strawberry.dataloader import DataLoader

from cairn.core.models.profile import Profile
from cairn.core.models.source import EventSource
from cairn.core.reads.profiles import get_profiles
from cairn.core.reads.sources import get_sources
from cairn.core.runtime import Cairn


@dataclass
class Loaders:
    """Batching loaders, created for each request so that nothing is cached across requests."""

    profiles: DataLoader[str, Profile | None]
    sources: DataLoader[str, EventSource | None]


def create_loaders(cairn: Cairn) -> Loaders:
    """Fresh loaders reading from ``cairn``'s store."""

    async def load_profiles(ids: list[str]) -> list[Profile | None]:
        found = await get_profiles(cairn.database, ids)
        return [found.get(profile_id) for profile_id in ids]

    async def load_sources(ids: list[str]) -> list[EventSource | None]:
        found = await get_sources(cairn.database, ids)
        return [found.get(source_id) for source_id in ids]

    return Loaders(profiles=DataLoader(load_profiles), sources=DataLoader(load_sources))


@dataclass
class Context:
    """The context of one GraphQL operation.

    ``is_admin`` says the caller proved an admin token; :class:`cairn.graphql.permissions.IsAdmin`
    checks it. ``connection_params`` holds the payload of a WebSocket ``connection_init``.
    """

    cairn: Cairn
    request: Request | WebSocket
    response: Response | WebSocket | None
    loaders: Loaders
    is_admin: bool = False
    connection_params: dict[str, Any] | None = field(default=None)


Info = strawberry.Info[Context, None]
"""The ``info`` argument of Cairn's resolvers."""
