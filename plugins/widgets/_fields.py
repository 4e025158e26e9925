"""Field types shared by the built-in widgets' config models."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlsplit

from pydantic import AfterValidator, Field


def _http_url(value: str) -> str:
    parts = urlsplit(value.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValueError("must be an http:// or https:// address")
    return value.strip()


Text = Annotated[str, Field(max_length=500)]
"""A short text shown as it is (never as markup)."""
Label = Annotated[str, Field(min_length=1, max_length=60)]
"""A button label."""
Identifier = Annotated[str, Field(min_length=1, max_length=100, pattern=r"^[A-Za-z0-9][A-Za-z0-9_.:-]*$")]
"""An id sent back in events (letters, digits, ``_ . : -``)."""
HttpUrl = Annotated[str, Field(max_length=2000), AfterValidator(_http_url)]
"""A link (``http`` or ``https`` only: no ``javascript:``)."""
