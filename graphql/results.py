"""Union members shared by mutations: the expected ways a mutation can fail."""

from __future__ import annotations

import strawberry


@strawberry.type
class FieldError:
    """What is wrong with one argument."""

    field: str
    message: str


@strawberry.type
class InvalidInput:
    """Some arguments were refused; nothing was changed."""

    message: str
    errors: list[FieldError]

    @classmethod
    def of(cls, errors: list[FieldError]) -> InvalidInput:
        """The result for these field errors."""
        summary = "; ".join(f"{error.field}: {error.message}" for error in errors)
        return cls(message=f"invalid input ({summary})", errors=errors)


@strawberry.type
class NotFound:
    """Nothing has this id."""

    message: str
    id: strawberry.ID

    @classmethod
    def of(cls, kind: str, object_id: str) -> NotFound:
        """The result for an unknown ``kind`` id."""
        return cls(message=f"no {kind} has the id {object_id!r}", id=strawberry.ID(object_id))
