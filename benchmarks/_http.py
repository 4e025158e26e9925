"""A minimal HTTP/1.1 keep-alive client for the benchmarks' load.

The load runs on the same 2-core machine as the servers it measures, so every
microsecond it spends is taken from them: ``httpx`` costs ~0.5 ms of CPU per request,
enough to make the load generator the bottleneck at 32 clients. This client sends
pre-encoded requests over one kept-alive connection and reads the ``Content-Length``
answer, ~10x cheaper. It only speaks to the benchmark's own servers on 127.0.0.1.
"""

from __future__ import annotations

import asyncio
import base64
from urllib.parse import urlsplit


class KeepAliveClient:
    """One connection to one server; ``post`` returns the status code and the body."""

    def __init__(self, url: str, write_key: str, user_agent: str) -> None:
        parts = urlsplit(url)
        self.host, self.port = parts.hostname or "127.0.0.1", parts.port or 80
        credentials = base64.b64encode(f"{write_key}:".encode()).decode()
        self._headers = (f"Host: {self.host}:{self.port}\r\nAuthorization: Basic {credentials}\r\n"
                         f"User-Agent: {user_agent}\r\nContent-Type: application/json\r\n")
        self._reader: asyncio.StreamReader | None = None
        self._writer: asyncio.StreamWriter | None = None

    async def post(self, path: str, body: bytes) -> tuple[int, bytes]:
        """POST ``body`` (JSON) to ``path``; (re)connect if needed.

        A kept-alive connection the server closed while idle (uvicorn does after 5 s)
        is opened again and the request sent once more.
        """
        reused = self._writer is not None and not self._writer.is_closing()
        try:
            return await self._exchange(path, body)
        except (asyncio.IncompleteReadError, ConnectionError):
            await self.close()
            if not reused:
                raise
            return await self._exchange(path, body)

    async def _exchange(self, path: str, body: bytes) -> tuple[int, bytes]:
        if self._writer is None or self._writer.is_closing():
            self._reader, self._writer = await asyncio.open_connection(self.host, self.port)
        assert self._reader is not None
        head = f"POST {path} HTTP/1.1\r\n{self._headers}Content-Length: {len(body)}\r\n\r\n".encode()
        self._writer.write(head + body)
        status_line, _, header_block = (await self._reader.readuntil(b"\r\n\r\n")).partition(b"\r\n")
        status = int(status_line.split(b" ", 2)[1])
        length = 0
        closing = False
        for line in header_block.split(b"\r\n"):
            name, _, value = line.partition(b":")
            if name.lower() == b"content-length":
                length = int(value)
            elif name.lower() == b"connection" and value.strip().lower() == b"close":
                closing = True
        answer = await self._reader.readexactly(length)
        if closing:
            await self.close()
        return status, answer

    async def close(self) -> None:
        """Close the connection (if open)."""
        if self._writer is not None:
            self._writer.close()
            try:
                await self._writer.wait_closed()
            except ConnectionError:
                pass
            self._writer = self._reader = None
