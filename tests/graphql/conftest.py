"""Fixtures for the GraphQL suites: an admin token and a small GraphQL client over HTTP."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from cairn.core.runtime import Cairn


@dataclass
class GraphQLClient:
    """Posts GraphQL operations to ``/graphql`` with an admin token."""

    http: httpx.AsyncClient
    token: str

    async def execute(self, query: str, **variables: Any) -> dict[str, Any]:
        """The whole JSON response (``data`` and ``errors``) of one operation."""
        response = await self.http.post("/graphql", json={"query": query, "variables": variables},
                                        headers={"Authorization": f"Bearer {self.token}"})
        assert response.status_code == 200, response.text
        return response.json()  # type: ignore[no-any-return]

    async def data(self, query: str, **variables: Any) -> dict[str, Any]:
        """The ``data`` of an operation that must succeed."""
        result = await self.execute(query, **variables)
        assert not result.get("errors"), result["errors"]
        return result["data"]  # type: ignore[no-any-return]

    async def error(self, query: str, **variables: Any) -> dict[str, Any]:
        """The single error of an operation that must fail."""
        result = await self.execute(query, **variables)
        assert result.get("errors"), result
        return result["errors"][0]  # type: ignore[no-any-return]


@dataclass
class Tracker:
    """Sends events through the real Segment tracking endpoints."""

    http: httpx.AsyncClient
    write_key: str

    async def send(self, call: str, **message: Any) -> None:
        """``POST /v1/<call>`` one message; it must be stored."""
        response = await self.http.post(f"/v1/{call}", json=message, auth=(self.write_key, ""))
        assert response.status_code == 200, response.text

    async def batch(self, *messages: dict[str, Any]) -> None:
        """``POST /v1/batch`` several messages; all must be stored."""
        response = await self.http.post("/v1/batch", json={"batch": list(messages)}, auth=(self.write_key, ""))
        assert response.status_code == 200, response.text
        assert response.json()["stored"] == len(messages), response.text


@pytest.fixture
async def admin_token(cairn: Cairn) -> str:
    """A valid admin token."""
    return await cairn.tokens.create()


@pytest.fixture
def api(client: httpx.AsyncClient, admin_token: str) -> GraphQLClient:
    """A GraphQL client authenticated as an admin."""
    return GraphQLClient(client, admin_token)


@pytest.fixture
def tracker(client: httpx.AsyncClient, write_key: str) -> Tracker:
    """A tracker sending with the test source's write key."""
    return Tracker(client, write_key)
