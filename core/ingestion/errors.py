"""Errors the tracking endpoints answer with: a status, a code, what is wrong, what to do."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass
class IngestError(Exception):
    """A request the tracking endpoints refuse as a whole."""

    status: int
    code: str
    message: str
    hint: str = ""

    def __str__(self) -> str:
        return self.message

    def to_json(self) -> dict[str, Any]:
        """The JSON body of the error response."""
        body: dict[str, Any] = {"code": self.code, "message": self.message}
        if self.hint:
            body["hint"] = self.hint
        return {"success": False, "error": body}


class EventInvalid(ValueError):
    """One event of a request is invalid; the others may still be stored."""
