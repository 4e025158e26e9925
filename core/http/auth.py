"""Finding the event source a tracking request speaks for."""

from __future__ import annotations

import base64
import binascii

from starlette.requests import Request

from cairn.core.ingestion.errors import IngestError
from cairn.core.models.source import EventSource
from cairn.core.sources import SourceService


def basic_auth_user(request: Request) -> str | None:
    """The user name of an HTTP Basic ``Authorization`` header (Segment puts the write key there)."""
    header = request.headers.get("authorization", "")
    scheme, _, encoded = header.partition(" ")
    if scheme.lower() != "basic" or not encoded:
        return None
    try:
        decoded = base64.b64decode(encoded.strip(), validate=True).decode()
    except (binascii.Error, UnicodeDecodeError) as error:
        raise IngestError(401, "bad_authorization", "the Authorization header is not valid Basic auth",
                          "send base64('<write key>:')") from error
    return decoded.split(":", 1)[0] or None


async def source_for(sources: SourceService, write_key: str | None) -> EventSource:
    """The enabled source owning ``write_key``, or a 401/403 saying what is wrong."""
    if not write_key:
        raise IngestError(401, "missing_write_key", "no write key was sent",
                          "send the source's write key as Basic auth user name or as writeKey in the body")
    source = await sources.by_write_key(write_key)
    if source is None:
        raise IngestError(401, "unknown_write_key", "the write key is not known",
                          "copy the write key from the source's settings (cairn sources create NAME)")
    if not source.enabled:
        raise IngestError(403, "source_disabled", f"source {source.name!r} is disabled",
                          "enable the source again to accept its events")
    return source
