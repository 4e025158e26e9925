"""Reading request bodies: size limits, gzip, JSON whatever the Content-Type says."""

from __future__ import annotations

import gzip
import zlib
from typing import Any

import orjson
from starlette.requests import Request

from cairn.core.ingestion.errors import IngestError

_BOM = b"\xef\xbb\xbf"


async def read_body(request: Request, max_bytes: int) -> bytes:
    """Read the raw body, refusing (413) as soon as it exceeds ``max_bytes``."""
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > max_bytes:
        raise too_large(max_bytes)
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > max_bytes:
            raise too_large(max_bytes)
        chunks.append(chunk)
    return b"".join(chunks)


def decode_body(raw: bytes, content_encoding: str, max_bytes: int) -> bytes:
    """Undo gzip/deflate content encodings, with the size limit applied to the result."""
    encoding = content_encoding.strip().lower()
    if encoding in ("", "identity"):
        return raw
    if encoding not in ("gzip", "deflate"):
        raise IngestError(415, "unsupported_encoding", f"Content-Encoding {encoding!r} is not supported",
                          "send the body plain, gzip- or deflate-compressed")
    wbits = 16 + zlib.MAX_WBITS if encoding == "gzip" else zlib.MAX_WBITS
    decompressor = zlib.decompressobj(wbits)
    try:
        data = decompressor.decompress(raw, max_bytes + 1)
    except zlib.error as error:
        raise _bad_encoding(encoding, str(error)) from error
    if len(data) > max_bytes or decompressor.unconsumed_tail:
        raise too_large(max_bytes)
    if not decompressor.eof:
        raise _bad_encoding(encoding, "the compressed data is truncated")
    return data


def parse_json_object(data: bytes) -> dict[str, Any]:
    """Parse a JSON object, with a clear error for anything else."""
    data = data.removeprefix(_BOM)
    if not data.strip():
        raise IngestError(400, "empty_body", "the request body is empty", "send a JSON object")
    try:
        value = orjson.loads(data)
    except orjson.JSONDecodeError as error:
        if "depth limit" in str(error) or "recursion" in str(error):
            raise IngestError(400, "too_deep", "the body nests too deep to be read",
                              "flatten the properties") from error
        raise IngestError(400, "malformed_json", f"the body is not valid JSON: {error}",
                          "check the body with a JSON validator") from error
    if not isinstance(value, dict):
        raise IngestError(400, "not_an_object", f"the body must be a JSON object, not {type(value).__name__}",
                          "wrap the data in an object, e.g. {\"batch\": [...]}")
    return value


def gzip_bytes(data: bytes) -> bytes:
    """Return ``data`` gzip-compressed (for clients and tests)."""
    return gzip.compress(data)


def too_large(max_bytes: int, what: str = "the body") -> IngestError:
    """The 413 refusing a body over the limit."""
    return IngestError(413, "too_large", f"{what} is larger than {max_bytes} bytes, the limit",
                       "send fewer events per request")


def _bad_encoding(encoding: str, problem: str) -> IngestError:
    return IngestError(400, "bad_encoding", f"the body is not valid {encoding}: {problem}",
                       f"compress the whole JSON body with {encoding} or drop the Content-Encoding header")
