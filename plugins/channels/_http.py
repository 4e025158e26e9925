"""What the HTTP-based channels share: one client per channel, and status → error mapping."""

from __future__ import annotations

from typing import Any

import httpx

from cairn.core.outbox.channel import Channel, DeliveryError, PermanentDeliveryError, RetryableDeliveryError

RETRYABLE_STATUSES = frozenset({408, 409, 425, 429})


class HttpChannel(Channel):
    """A channel that speaks HTTP through one shared ``httpx.AsyncClient``."""

    _client: httpx.AsyncClient | None = None

    def client(self) -> httpx.AsyncClient:
        """The channel's HTTP client (created on first use, closed with the channel)."""
        if self._client is None:
            self._client = httpx.AsyncClient(follow_redirects=False, headers={"User-Agent": "Cairn"})
        return self._client

    async def post(self, url: str, *, timeout: float, **kwargs: Any) -> httpx.Response:
        """POST, turning network failures into retryable delivery errors."""
        try:
            return await self.client().post(url, timeout=timeout, **kwargs)
        except httpx.TimeoutException as error:
            raise RetryableDeliveryError(f"{url} did not answer in time ({type(error).__name__})") from error
        except httpx.TransportError as error:
            raise RetryableDeliveryError(f"could not reach {url}: {type(error).__name__}: {error}") from error

    async def close(self) -> None:
        if self._client is not None:
            await self._client.aclose()
            self._client = None


def status_error(response: httpx.Response, what: str) -> DeliveryError:
    """The delivery error for a non-2xx answer: 5xx, 408, 429… are retried, other 4xx are not."""
    detail = response.text[:300].strip()
    message = f"{what} answered HTTP {response.status_code}" + (f": {detail}" if detail else "")
    if response.status_code >= 500 or response.status_code in RETRYABLE_STATUSES:
        return RetryableDeliveryError(message)
    return PermanentDeliveryError(message, hint="the receiver refused the request; check the settings and payload")
