"""The expected failures of the flow services: each says what is wrong and what to do."""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError


class FlowsError(Exception):
    """Base class: ``message`` says what is wrong, ``hint`` what to do."""

    def __init__(self, message: str, hint: str = "") -> None:
        super().__init__(message if not hint else f"{message} ({hint})")
        self.message = message
        self.hint = hint


class NotFound(FlowsError):
    """The flow, rule, schema… asked for does not exist."""

    def __init__(self, kind: str, item_id: str) -> None:
        super().__init__(f"no {kind} with id {item_id!r}", f"list the {kind}s to find the right id")
        self.kind = kind
        self.item_id = item_id


class Invalid(FlowsError):
    """The input was refused; ``problems`` lists each field and what is wrong with it."""

    def __init__(self, message: str, problems: list[dict[str, Any]], hint: str = "correct the fields listed") -> None:
        super().__init__(message, hint)
        self.problems = problems

    @classmethod
    def from_validation(cls, kind: str, error: ValidationError) -> Invalid:
        """Turn a pydantic error into a list of ``{"field", "message"}`` problems."""
        problems = [{"field": ".".join(str(part) for part in detail["loc"]) or kind,
                     "message": str(detail["msg"]).removeprefix("Value error, ")} for detail in error.errors()]
        return cls(f"the {kind} is not valid: " + "; ".join(f"{p['field']}: {p['message']}" for p in problems),
                   problems)
