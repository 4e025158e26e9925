"""What can go wrong when changing consents, with what to do about it."""

from __future__ import annotations


class ConsentError(Exception):
    """A consent change was refused; ``hint`` says what to do instead."""

    def __init__(self, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


class UnknownConsentType(ConsentError):
    """No consent type has this id."""

    def __init__(self, type_id: str) -> None:
        super().__init__(f"no consent type has the id {type_id!r}",
                         "create it first (GraphQL saveConsentType) or check the spelling")
        self.type_id = type_id


class NotRevocable(ConsentError):
    """The consent type cannot be revoked."""

    def __init__(self, type_id: str) -> None:
        super().__init__(f"consent type {type_id!r} is not revocable",
                         "make the type revocable if customers may withdraw it")
        self.type_id = type_id


class UnknownProfile(ConsentError):
    """No profile has this id."""

    def __init__(self, profile_id: str) -> None:
        super().__init__(f"no profile has the id {profile_id!r}", "check the id (merged ids are followed)")
        self.profile_id = profile_id
