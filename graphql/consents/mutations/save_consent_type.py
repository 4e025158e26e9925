"""``saveConsentType``: create or replace a consent type."""

from __future__ import annotations

from typing import Annotated

import strawberry

from cairn.core.consents import consent_service
from cairn.graphql.consents.inputs import ConsentTypeInput
from cairn.graphql.consents.mutations.results import ConsentTypeSaved
from cairn.graphql.consents.types import ConsentType
from cairn.graphql.context import Info
from cairn.graphql.permissions import IsAdmin
from cairn.graphql.results import InvalidInput

SaveConsentTypeResult = Annotated[ConsentTypeSaved | InvalidInput, strawberry.union("SaveConsentTypeResult")]


@strawberry.mutation(permission_classes=[IsAdmin], description="Create a consent type, or replace the one with "
                                                               "this id (profiles' records of it are kept).")
async def save_consent_type(info: Info, input: ConsentTypeInput) -> SaveConsentTypeResult:  # noqa: A002
    model, errors = input.to_model()
    if model is None:
        return InvalidInput.of(errors)
    saved = await consent_service(info.context.cairn).types.save(model)
    return ConsentTypeSaved(consent_type=ConsentType.from_model(saved))
