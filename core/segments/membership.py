"""Evaluating profiles against segments: who enters, who leaves, which segment failed."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from functools import reduce
from typing import Any

from cairn.core.ids import new_id
from cairn.core.store.database import Database

from .compiled import CompiledSegment
from .functions import HistoryNeeds, ProfileHistory, load_histories
from .models import Change, Transition

ErrorReporter = Callable[[str, str], Awaitable[None]]
"""``report(segment_id, message)``: record that a segment failed (see the catalog)."""


@dataclass(eq=False)
class MembershipChange:
    """A profile change: enter and leave segments, remembering what the saved write really changed.

    The writer may apply a change several times (on fresh copies after version
    conflicts); ``entered`` and ``left`` hold the effect of the last application,
    the one that was saved, so that a membership another writer already changed is
    not recorded (or announced) twice.
    """

    enter: tuple[str, ...]
    leave: tuple[str, ...]
    entered: set[str] = field(default_factory=set)
    left: set[str] = field(default_factory=set)

    def apply(self, doc: dict[str, Any]) -> None:
        current = doc.get("segments")
        segments = list(current) if isinstance(current, list) else []
        self.entered = {sid for sid in self.enter if sid not in segments}
        self.left = {sid for sid in self.leave if sid in segments}
        doc["segments"] = [sid for sid in segments if sid not in self.left] + \
            [sid for sid in dict.fromkeys(self.enter) if sid in self.entered]

    def effective(self, transitions: Sequence[Transition]) -> list[Transition]:
        """The transitions the saved write really made."""
        return [t for t in transitions if t.segment_id in (self.entered if t.change == "entered" else self.left)]


@dataclass
class Verdict:
    """The membership changes of one profile."""

    entered: list[CompiledSegment] = field(default_factory=list)
    left: list[CompiledSegment] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.entered or self.left)

    def change(self) -> MembershipChange:
        """The profile change that applies the verdict."""
        return MembershipChange(tuple(s.id for s in self.entered), tuple(s.id for s in self.left))

    def transitions(self, profile_id: str, at: datetime, reason: str) -> list[Transition]:
        """The ``segment_history`` records of the verdict."""
        made: tuple[tuple[Change, list[CompiledSegment]], ...] = (("entered", self.entered), ("left", self.left))
        return [Transition(id=new_id(), profile_id=profile_id, segment_id=s.id, segment_name=s.segment.name,
                           change=change, at=at, reason=reason)
                for change, segments in made for s in segments]


def needs_of(segments: Sequence[CompiledSegment]) -> HistoryNeeds:
    """The history lookup that all of ``segments`` together need."""
    return reduce(lambda total, segment: total | segment.needs, segments, HistoryNeeds())


class Evaluator:
    """Evaluates batches of profiles, looking their history up once per batch."""

    def __init__(self, database: Database, report: ErrorReporter) -> None:
        self.database = database
        self.report = report

    async def histories(self, segments: Sequence[CompiledSegment], profile_ids: Sequence[str],
                        now: datetime) -> dict[str, ProfileHistory]:
        """The histories the segments need for these profiles ({} when they need none)."""
        needs = needs_of(segments)
        return await load_histories(self.database, profile_ids, needs, now) if needs else {}

    async def verdicts(self, segments: Sequence[CompiledSegment], profiles: Mapping[str, Mapping[str, Any]],
                       now: datetime) -> dict[str, Verdict]:
        """The membership changes of each profile (profiles without changes are left out).

        A segment that raises for a profile is reported and skipped: the profile's
        membership of that segment stays as it was.
        """
        if not segments or not profiles:
            return {}
        histories = await self.histories(segments, list(profiles), now)
        failures: dict[str, str] = {}
        verdicts = {}
        for profile_id, profile in profiles.items():
            verdict = self.verdict(segments, profile, histories.get(profile_id), now, failures)
            if verdict:
                verdicts[profile_id] = verdict
        for segment_id, message in failures.items():
            await self.report(segment_id, message)
        return verdicts

    @staticmethod
    def verdict(segments: Sequence[CompiledSegment], profile: Mapping[str, Any], history: ProfileHistory | None,
                now: datetime, failures: dict[str, str]) -> Verdict:
        """One profile's changes; failing segments are added to ``failures`` (id → message)."""
        current = set(profile.get("segments") or ())
        verdict = Verdict()
        for segment in segments:
            try:
                member = segment.matches(profile, history, now)
            except Exception as error:  # noqa: BLE001 - a broken segment must not stop the others
                failures.setdefault(segment.id, f"evaluation failed: {type(error).__name__}: {error}")
                continue
            if member and segment.id not in current:
                verdict.entered.append(segment)
            elif not member and segment.id in current:
                verdict.left.append(segment)
        return verdict
