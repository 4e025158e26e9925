"""Profiles: change operations, the versioned repository and the write coalescer."""

from cairn.core.profiles.changes import (
    AddToList,
    Change,
    Increment,
    RemoveFromList,
    SetField,
    SetIfMissing,
    Unset,
    apply_changes,
)
from cairn.core.profiles.repository import ProfileRepository, VersionConflict
from cairn.core.profiles.writer import ProfileWriter

__all__ = [
    "AddToList", "Change", "Increment", "ProfileRepository", "ProfileWriter", "RemoveFromList",
    "SetField", "SetIfMissing", "Unset", "VersionConflict", "apply_changes",
]
