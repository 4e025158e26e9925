"""Reading request bodies: size limits, gzip, JSON whatever the Content-Type, nesting."""

from __future__ import annotations

import gzip
import zlib
from typing import Any

import orjson
from starlette.requests import Request

from cairn.core.ingestion.errors import IngestError


async def read_body(request: Request, max_bytes: int) -> bytes:
    """Read the raw body, refusing (413) as soon as it exceeds ``max_bytes``."""
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > max_bytes:
        raise _too_large(max_bytes)
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > max_bytes:
            raise _too_large(max_bytes)
        chunks.append(chunk)
    return b"".join(chunks)


def decode_body(raw: bytes, content_encoding: str, max_bytes: int) -> bytes:
    """Undo gzip/deflate content encodings, with the size limit applied to the result."""
    encoding = content_encoding.strip().lower()
    if encoding in ("", "identity"):
        return raw
    if encoding not in ("gzip", "deflate"):
        raise IngestError(415, "unsupported_encoding", f"Content-Encoding {encoding!r} is not supported",
                          "send the body plain or gzip-compressed")
    wbits = 16 + zlib.MAX_WBITS if encoding == "gzip" else zlib.MAX_WBITS
    decompressor = zlib.decompressobj(wbits)
    try:
        data = decompressor.decompress(raw, max_bytes + 1)
    except zlib.error as error:
        raise IngestError(400, "bad_encoding", f"the body is not valid {encoding}: {error}",
                          f"compress the whole JSON body with {encoding} or drop the Content-Encoding header") from error
    if len(data) > max_bytes or decompressor.unconsumed_tail:
        raise _too_large(max_bytes)
    return data


def parse_json_object(data: bytes, max_nesting: int) -> dict[str, Any]:
    """Parse a JSON object, with a clear error for anything else."""
    if not data.strip():
        raise IngestError(400, "empty_body", "the request body is empty", "send a JSON object")
    try:
        value = orjson.loads(data)
    except orjson.JSONDecodeError as error:
        raise IngestError(400, "malformed_json", f"the body is not valid JSON: {error}",
                          "check the body with a JSON validator") from error
    if not isinstance(value, dict):
        raise IngestError(400, "not_an_object", f"the body must be a JSON object, not {type(value).__name__}",
                          "wrap the data in an object, e.g. {\"batch\": [...]}")
    depth = nesting_depth(value)
    if depth > max_nesting:
        raise IngestError(400, "too_deep", f"the body nests {depth} levels deep; the limit is {max_nesting}",
                          "flatten the properties")
    return value


def nesting_depth(value: Any) -> int:
    """Return how deeply objects and arrays nest in ``value`` (iteratively: no recursion limit)."""
    deepest = 0
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            deepest = max(deepest, depth)
            stack.extend((child, depth + 1) for child in item.values())
        elif isinstance(item, list):
            deepest = max(deepest, depth)
            stack.extend((child, depth + 1) for child in item)
    return deepest


def gzip_bytes(data: bytes) -> bytes:
    """Return ``data`` gzip-compressed (for clients and tests)."""
    return gzip.compress(data)


def _too_large(max_bytes: int) -> IngestError:
    return IngestError(413, "too_large", f"the body is larger than {max_bytes} bytes",
                       "send fewer events per request")
