"""What the profile queries accept."""

from __future__ import annotations

import strawberry

from cairn.core.reads.profiles import ProfileSearch
from cairn.graphql.scalars import JSON


@strawberry.input
class TraitFilter:
    """A trait that must hold exactly this value."""

    name: str = strawberry.field(description="One trait key, taken literally (it may hold dots).")
    value: JSON


@strawberry.input
class ProfileSearchInput:
    """What to look profiles up by; every criterion given must match."""

    identifier: str | None = strawberry.field(
        default=None, description="An e-mail address, phone number or other identifier (compared normalized: "
                                   "case, spaces and phone punctuation ignored).")
    trait: TraitFilter | None = None
    user_id: str | None = None
    anonymous_id: str | None = None

    def to_search(self, identifier_kinds: tuple[str, ...]) -> ProfileSearch:
        """The read-side search this input stands for."""
        return ProfileSearch(identifier=self.identifier, trait_name=self.trait.name if self.trait else None,
                             trait_value=self.trait.value if self.trait else None,
                             user_id=self.user_id, anonymous_id=self.anonymous_id,
                             identifier_kinds=identifier_kinds)
