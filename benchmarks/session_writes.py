"""Session writes: what recording the sessions of a stream of events costs the embedded store.

Starts the embedded store (file-backed, in a temporary folder), gives ``--profiles``
profiles a session each, then feeds ``record_sessions`` a stream of events that continue
those sessions, ``--gap`` seconds apart on each profile, one request per event (as
``/v1/track`` sends them) or ``--per-request`` events of as many profiles. The profiles
evolve in memory as the pipeline saves them (``last_seen``, ``last_session_id``). Prints
the store's CPU time per event spent on session writes, and how many session documents
each event wrote. Runs against any version of ``record_sessions`` (before it took the
profiles, it wrote every event's session).

    .venv/bin/python benchmarks/session_writes.py --gap 5
"""

from __future__ import annotations

import argparse
import asyncio
import inspect
import shutil
import tempfile
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from pymongo.asynchronous.collection import AsyncCollection
from store_ops import store_cpu  # the script's folder is on sys.path

from cairn.core.ingestion.sessions import record_sessions
from cairn.core.store.database import Database, connect
from cairn.core.store.embedded import EmbeddedStore

START = datetime(2025, 3, 1, 9, 0, 0, 500_000, tzinfo=UTC)


def event(profile_number: int, moment: datetime) -> dict[str, Any]:
    """An event of profile ``profile_number``'s session, as the pipeline hands it to ``record_sessions``."""
    return {"id": str(uuid.uuid4()), "profile_id": f"p{profile_number}", "session_id": f"s{profile_number}",
            "source_id": "src", "occurred_at": moment,
            "context": {"ip": "127.0.0.1", "userAgent": "Mozilla/5.0", "page": {"referrer": "https://a.example/"},
                        "userAgentParsed": {"browser": {"name": "Firefox"}, "os": {"name": "Linux"}}}}


async def record(database: Database, events: list[dict[str, Any]], profiles: dict[str, dict[str, Any]]) -> None:
    """``record_sessions`` as the pipeline calls it (before this change, it took no profiles)."""
    if "profiles" in inspect.signature(record_sessions).parameters:
        await record_sessions(database, events, profiles)
    else:
        await record_sessions(database, events)  # type: ignore[call-arg, unused-ignore]


async def measure(options: argparse.Namespace, folder: Path) -> tuple[float, float]:
    """Store CPU ms per continuing event, and session documents written per event."""
    with EmbeddedStore(folder) as store:
        assert store._process is not None
        pid = store._process.pid
        database = connect(store.url, "session_writes")
        await database.ensure_indexes()
        profiles: dict[str, dict[str, Any]] = {}
        for number in range(options.profiles):
            opening = event(number, START)
            await record(database, [opening], profiles)
            profiles[opening["profile_id"]] = {"id": opening["profile_id"], "last_seen": START,
                                               "last_session_id": opening["session_id"]}
        counted = _count_session_writes()
        cpu = store_cpu(pid)
        for step in range(1, options.events + 1):
            moment = START + timedelta(seconds=step * options.gap)
            for first in range(0, options.profiles, options.per_request):
                numbers = range(first, min(first + options.per_request, options.profiles))
                await record(database, [event(number, moment) for number in numbers], profiles)
                for number in numbers:
                    profiles[f"p{number}"].update(last_seen=moment, last_session_id=f"s{number}")
        count = options.events * options.profiles
        spent = (store_cpu(pid) - cpu) / count * 1000
        written = counted[0] / count
        await database.close()
    return spent, written


def _count_session_writes() -> list[int]:
    """Count from now on the session documents written (each write of a ``bulk_write`` on ``sessions``)."""
    counted = [0]
    original = AsyncCollection.bulk_write

    async def counting(self: AsyncCollection[Any], requests: Any, *args: Any, **kwargs: Any) -> Any:
        if self.name == "sessions":
            counted[0] += len(requests)
        return await original(self, requests, *args, **kwargs)

    AsyncCollection.bulk_write = counting  # type: ignore[method-assign, unused-ignore]
    return counted


def main() -> None:
    """Entry point."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--profiles", type=int, default=50, help="profiles, each with a session (default 50)")
    parser.add_argument("--events", type=int, default=40, help="continuing events per profile (default 40)")
    parser.add_argument("--per-request", type=int, default=1,
                        help="events (of as many profiles) per request; 1 as /v1/track sends them (default 1)")
    parser.add_argument("--gap", type=float, default=5.0, help="seconds between a profile's events (default 5)")
    options = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="cairn-session-writes-"))
    try:
        spent, written = asyncio.run(measure(options, folder))
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    print(f"{options.profiles * options.events} continuing events, {options.gap:g} s apart per profile, "
          f"{options.per_request} a request: "
          f"{spent:.3f} ms of store CPU per event for sessions; {written:.2f} session documents written per event")


if __name__ == "__main__":
    main()
