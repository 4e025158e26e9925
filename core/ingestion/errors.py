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
    """One event of a request is invalid; the others may still be stored.

    ``code`` and ``status`` say how to answer when the event is the whole request
    (a single Segment call): ``invalid_event``/400 unless the event is too large (413)
    or nests too deep.
    """

    def __init__(self, message: str, code: str = "invalid_event", status: int = 400) -> None:
        super().__init__(message)
        self.code = code
        self.status = status

    def to_json(self, index: int) -> dict[str, Any]:
        """The entry of a batch response's ``errors`` list for the event at ``index``."""
        return {"index": index, "code": self.code, "message": str(self)}

    def as_request_error(self) -> IngestError:
        """The error refusing a request that held only this event."""
        hint = "send less data in one event" if self.status == 413 else "fix the field named and send it again"
        return IngestError(self.status, self.code, str(self), hint)
