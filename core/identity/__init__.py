"""Identity: who an event belongs to, and merging the profiles of one customer."""

from cairn.core.identity.keys import anonymous_key, identifier_key, user_key
from cairn.core.identity.merge import ProfileMerger
from cairn.core.identity.resolver import IdentityRequest, IdentityResolver

__all__ = ["IdentityRequest", "IdentityResolver", "ProfileMerger", "anonymous_key", "identifier_key", "user_key"]
