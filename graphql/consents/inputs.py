"""What consent mutations receive."""

from __future__ import annotations

import strawberry
from pydantic import ValidationError

from cairn.core.consents import ConsentType as ConsentTypeModel
from cairn.graphql.results import FieldError


@strawberry.input
class ConsentTypeInput:
    """A consent type to create or replace (by ``id``)."""

    id: str = strawberry.field(description="Letters, digits, space, _ : - (e.g. marketing-email).")
    name: str
    description: str = ""
    required: bool = False
    revocable: bool = True
    expires_after_days: int | None = None
    channels: list[str] = strawberry.field(default_factory=list, description="Empty: every channel.")
    purposes: list[str] = strawberry.field(default_factory=lambda: ["marketing"])

    def to_model(self) -> tuple[ConsentTypeModel | None, list[FieldError]]:
        """The consent type, or what is wrong with the input."""
        try:
            return ConsentTypeModel.model_validate({
                "id": self.id.strip(), "name": self.name.strip(), "description": self.description,
                "required": self.required, "revocable": self.revocable,
                "expires_after_days": self.expires_after_days, "channels": self.channels,
                "purposes": self.purposes}), []
        except ValidationError as error:
            return None, [FieldError(field=_camel(str(e["loc"][0])) if e["loc"] else "input", message=e["msg"])
                          for e in error.errors()]


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.title() for part in rest)
