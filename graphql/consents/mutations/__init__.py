"""Mutations on consents, one module per operation, gathered in :class:`ConsentMutations`."""

from __future__ import annotations

import strawberry

from cairn.graphql.consents.mutations.change_consent import grant_consent, revoke_consent
from cairn.graphql.consents.mutations.delete_consent_type import delete_consent_type
from cairn.graphql.consents.mutations.save_consent_type import save_consent_type


@strawberry.type
class ConsentMutations:
    """Root mutation fields about consents."""

    save_consent_type = save_consent_type
    delete_consent_type = delete_consent_type
    grant_consent = grant_consent
    revoke_consent = revoke_consent
