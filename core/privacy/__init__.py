"""Privacy: the customer's rights of access (export) and erasure.

``cairn profiles export ID`` / ``cairn profiles erase ID`` and the GraphQL fields
``exportProfile`` / ``eraseProfile`` call these functions.
"""

from cairn.core.privacy.erase import ErasureReport, erase_profile, erasures_of, hash_profile_id
from cairn.core.privacy.export import PERSONAL_DATA, export_profile, jsonable

__all__ = ["PERSONAL_DATA", "ErasureReport", "erase_profile", "erasures_of", "export_profile",
           "hash_profile_id", "jsonable"]
