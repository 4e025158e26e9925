"""Previewing a condition: how many live profiles match, and a page of them, before saving.

A condition that translates is counted and paged by the store. Otherwise the live
profiles are read newest first and evaluated, up to a scan limit; the count is then
exact only if every profile was read.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from pymongo import DESCENDING

from cairn.core.clock import utcnow
from cairn.core.models.profile import Profile
from cairn.core.profiles.repository import from_document
from cairn.core.reads.pagination import Page, PageEntry, decode_cursor, encode_cursor, newest_first
from cairn.core.reads.profiles import get_profiles, profile_from_document
from cairn.core.store.database import Database

from .compiled import CompiledSegment
from .membership import Evaluator
from .store import LIVE

SCAN_BATCH = 1000
Cursor = tuple[datetime | None, str] | None


class PreviewFailed(RuntimeError):
    """The condition raised while evaluating a profile (a function failed)."""


@dataclass(frozen=True)
class Preview:
    """What a condition would select now."""

    mode: Literal["query", "stream"]
    count: int
    exact: bool
    scanned: int | None
    """Profiles read and evaluated (``None`` when the store counted)."""
    sample: Page[Profile]


async def preview(database: Database, evaluator: Evaluator, compiled: CompiledSegment, *, first: int,
                  after: str | None, scan_limit: int) -> Preview:
    """Count the matching live profiles and return the page of ``first`` after the cursor ``after``."""
    now = utcnow()
    query = compiled.mongo_filter(now)
    if query is not None:
        selected = {"$and": [LIVE, query]}
        count = await database.profiles.count_documents(selected)
        page = await newest_first(database.profiles, selected, time_field="last_seen", first=first, after=after,
                                  convert=profile_from_document)
        return Preview("query", count, True, None, page)
    position = decode_cursor(after) if after else None
    return await _scan(database, evaluator, compiled, now, first, position, scan_limit)


async def _scan(database: Database, evaluator: Evaluator, compiled: CompiledSegment, now: datetime, first: int,
                after: Cursor, scan_limit: int) -> Preview:
    projection = None if compiled.projection is None else {**compiled.projection, "last_seen": 1}
    cursor = database.profiles.find(LIVE, projection).sort([("last_seen", DESCENDING), ("_id", DESCENDING)])
    count = scanned = 0
    picked: list[tuple[str, str]] = []
    batch: list[dict[str, Any]] = []
    async for doc in cursor.limit(scan_limit).batch_size(SCAN_BATCH):
        batch.append(from_document(doc))
        if len(batch) == SCAN_BATCH:
            count += await _evaluate(evaluator, compiled, batch, now, after, first, picked)
            scanned += len(batch)
            batch = []
    count += await _evaluate(evaluator, compiled, batch, now, after, first, picked)
    scanned += len(batch)
    exact = scanned < scan_limit or await database.profiles.count_documents(LIVE) <= scanned
    found = await get_profiles(database, [pid for pid, _ in picked[:first]])
    entries = [PageEntry(cursor, found[pid]) for pid, cursor in picked[:first] if pid in found]
    return Preview("stream", count, exact, scanned, Page(entries, has_next_page=len(picked) > first))


async def _evaluate(evaluator: Evaluator, compiled: CompiledSegment, profiles: list[dict[str, Any]], now: datetime,
                    after: Cursor, first: int, picked: list[tuple[str, str]]) -> int:
    """Count the matches of one batch and pick those after the cursor while the page is not full."""
    if not profiles:
        return 0
    histories = await evaluator.histories([compiled], [p["id"] for p in profiles], now)
    matched = 0
    for profile in profiles:
        try:
            member = compiled.matches(profile, histories.get(profile["id"]), now)
        except Exception as error:  # noqa: BLE001 - the caller is shown why
            raise PreviewFailed(f"the condition failed on profile {profile['id']}: {type(error).__name__}: "
                                f"{error}") from error
        if member:
            matched += 1
            if len(picked) <= first and (after is None or _comes_after(profile, after)):
                picked.append((profile["id"], encode_cursor(profile.get("last_seen"), profile["id"])))
    return matched


def _comes_after(profile: dict[str, Any], after: tuple[datetime | None, str]) -> bool:
    """Whether the profile is ordered after the cursor (last seen, then id, both descending)."""
    time, last_id = after
    seen = profile.get("last_seen")
    if time is None:
        return seen is None and profile["id"] < last_id
    return seen is None or seen < time or (seen == time and profile["id"] < last_id)
