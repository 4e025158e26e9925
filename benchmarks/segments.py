"""Segmentation benchmark: batch recompute over many profiles, and the cost of live evaluation.

Starts the embedded store (file-backed, in a temporary folder) and a Cairn in this
process with the segmentation plugin, then measures:

1. **recompute** — ``--profiles`` profiles are inserted with ``insert_many`` batches
   (one ``purchase`` event each for a fifth of them), then the time from creating a
   segment to its recompute job's end, for three conditions:

   * ``query``: a condition that translates into a MongoDB filter (run by the store);
   * ``stream``: a condition on the profile's counters through a function (profiles
     read a batch at a time, only the fields the condition reads, and evaluated);
   * ``stream+history``: ``events_count("purchase", 30d) >= 1`` (the same, plus one
     event lookup per batch);

   and, for each, a second recompute once membership is settled (nothing to write).
2. **live** — a database of ``--live-profiles`` profiles with 20 segments
   (12 translatable, 4 on counters through functions, 4 on event history windows),
   against the same database without segments, fed the same traffic in alternating
   rounds: the time the ingestion pipeline takes per event (``pipeline.ingest``, in
   process, no HTTP, including the internal events that membership changes emit),
   for single-event requests and ``--live-batch``-event requests. The traffic comes
   from ``benchmarks/ingest.py``'s :class:`Traffic`.

    .venv/bin/python benchmarks/segments.py                       # 100k profiles, a few minutes
    .venv/bin/python benchmarks/segments.py --profiles 20000 --json segments.json
"""

from __future__ import annotations

import argparse
import asyncio
import importlib
import json
import random
import shutil
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from ingest import Traffic  # noqa: E402 - the ingestion benchmark's traffic

from cairn.core.clock import utcnow  # noqa: E402
from cairn.core.config import Settings  # noqa: E402
from cairn.core.ids import new_id  # noqa: E402
from cairn.core.ingestion.segment import parse_message  # noqa: E402
from cairn.core.models.source import EventSource  # noqa: E402
from cairn.core.plugin_manager import check_hook_names, create_plugin_manager  # noqa: E402
from cairn.core.profiles.repository import to_document  # noqa: E402
from cairn.core.runtime import Cairn, start_cairn, stop_cairn  # noqa: E402
from cairn.core.segments import SegmentService  # noqa: E402
from cairn.core.segments.plugin import segments_of  # noqa: E402
from cairn.core.store.embedded import EmbeddedStore  # noqa: E402

PLUGIN = "cairn.core.segments.plugin"
CONDITIONS = {
    "query": 'profile.traits.age >= 40 and profile.traits.country in ["FR", "DE"]',
    "stream": 'visits() >= 3 and profile.traits.plan == "pro"',
    "stream+history": 'events_count("purchase", 30d) >= 1',
}
LIVE_SEGMENTS = [
    'profile.traits.plan == "pro"', 'profile.traits.plan in ["team", "pro"]', "profile.stats.visits >= 3",
    "profile.stats.events >= 10", "profile.last_seen >= now - 7d", 'profile.traits.email ends with "@example.com"',
    'profile.stats.event_types["Order Completed"] >= 1', 'profile.traits.name istarts with "customer 1"',
    'profile.stats.event_types["Product Viewed"] >= 5 and profile.stats.visits >= 2', '"vip" in profile.tags',
    "profile.first_seen exists and profile.traits.email exists", 'not (profile.traits.plan == "free")',
    "visits() >= 2", 'events_count("Product Viewed") >= 5', "days_since(profile.first_seen) < 30",
    "len(profile.user_ids) > 0",
    'events_count("Order Completed", 30d) >= 1', 'events_count("Product Viewed", 7d) >= 3', "visits(30d) >= 2",
    'events_count("Product Added", 1d) >= 1 and events_count("Order Completed", 1d) == 0',
]


def parse_options(argv: list[str] | None = None) -> argparse.Namespace:
    """The command-line options."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--profiles", type=int, default=100_000, help="profiles for the recompute (default 100000)")
    parser.add_argument("--insert-batch", type=int, default=5_000, help="profiles per insert_many (default 5000)")
    parser.add_argument("--live-profiles", type=int, default=2_000, help="profiles of the live phase (default 2000)")
    parser.add_argument("--live-events", type=int, default=1_200,
                        help="single-event requests with and without segments each (default 1200)")
    parser.add_argument("--live-batches", type=int, default=24,
                        help="batch requests with and without segments each (default 24)")
    parser.add_argument("--live-rounds", type=int, default=6,
                        help="alternations between no segment and 20 segments (default 6)")
    parser.add_argument("--live-batch", type=int, default=100, help="events per batch request (default 100)")
    parser.add_argument("--seed", type=int, default=7, help="random seed (default 7)")
    parser.add_argument("--json", type=Path, help="also write the figures to this JSON file")
    return parser.parse_args(argv)


async def start(store_url: str, database: str, data_dir: Path) -> Cairn:
    """A Cairn on ``database`` with the segmentation plugin (added if it is not a default one)."""
    plugins = create_plugin_manager()
    module = importlib.import_module(PLUGIN)
    if not plugins.is_registered(module):
        plugins.register(module, name=PLUGIN)
    check_hook_names(plugins)
    return await start_cairn(Settings(database=database, data_dir=data_dir), store_url, plugins)


# --- recompute ---------------------------------------------------------------------------------

def profile_document(number: int, pick: random.Random) -> dict[str, Any]:
    """A stored profile as ingestion leaves it (about 0.6 KB)."""
    now = utcnow()
    seen = now - timedelta(minutes=pick.randrange(60 * 24 * 90))
    visits = pick.randrange(1, 8)
    return to_document({
        "id": new_id(), "version": 1, "anonymous_ids": [f"anon-{number}"], "user_ids": [f"user-{number}"],
        "identifiers": {"email": [f"customer{number}@example.com"]},
        "traits": {"age": pick.randrange(18, 80), "country": pick.choice(("FR", "DE", "ES", "IT", "US")),
                   "plan": pick.choice(("free", "pro", "team")), "name": f"Customer {number}",
                   "email": f"customer{number}@example.com"},
        "stats": {"events": visits * 4, "visits": visits,
                  "event_types": {"Product Viewed": visits * 3, "page": visits}},
        "first_seen": seen - timedelta(days=30), "last_seen": seen, "last_session_id": new_id(),
        "segments": [], "interests": {}, "tags": [], "consents": {}, "merged_from": [], "merged_into": None,
    })


async def insert_profiles(cairn: Cairn, count: int, batch: int, seed: int) -> dict[str, float]:
    """Insert ``count`` profiles and a purchase event for a fifth of them; return the rates."""
    pick = random.Random(seed)
    started = time.perf_counter()
    purchases = []
    for first in range(0, count, batch):
        docs = [profile_document(number, pick) for number in range(first, min(count, first + batch))]
        await cairn.database.profiles.insert_many(docs, ordered=False)
        purchases.extend({"_id": new_id(), "type": "purchase", "profile_id": doc["_id"], "source_id": "bench",
                          "message_id": new_id(), "occurred_at": utcnow() - timedelta(days=pick.randrange(60)),
                          "properties": {"total": 42}} for doc in docs if pick.random() < 0.2)
    profiles_s = time.perf_counter() - started
    started = time.perf_counter()
    for first in range(0, len(purchases), batch):
        await cairn.database.events.insert_many(purchases[first:first + batch], ordered=False)
    return {"profiles": count, "profiles_per_s": round(count / profiles_s), "events": len(purchases),
            "events_per_s": round(len(purchases) / (time.perf_counter() - started))}


async def timed_recompute(service: SegmentService, name: str, condition: str) -> dict[str, Any]:
    """Create a segment and wait for its job; then recompute it again, membership settled."""
    started = time.perf_counter()
    segment = await service.create(name, condition)
    await service.wait_idle()
    first = time.perf_counter() - started
    [job] = await service.jobs_of(segment.id, 1)
    started = time.perf_counter()
    await service.recompute(segment.id)
    await service.wait_idle()
    again = time.perf_counter() - started
    return {"condition": condition, "mode": job.mode, "status": job.status, "members": job.entered,
            "seconds": round(first, 2), "profiles_per_s": round(job.total / first) if job.mode == "stream" else None,
            "settled_recompute_seconds": round(again, 2)}


async def recompute_phase(store_url: str, data_dir: Path, options: argparse.Namespace) -> dict[str, Any]:
    cairn = await start(store_url, "bench_segments_recompute", data_dir)
    try:
        service = segments_of(cairn)
        print(f"inserting {options.profiles} profiles…", flush=True)
        inserted = await insert_profiles(cairn, options.profiles, options.insert_batch, options.seed)
        print(f"  {inserted}", flush=True)
        results = {"insert": inserted}
        for mode, condition in CONDITIONS.items():
            results[mode] = await timed_recompute(service, f"bench {mode}", condition)
            print(f"  recompute {mode:15} {results[mode]}", flush=True)
        return results
    finally:
        await stop_cairn(cairn)


# --- live --------------------------------------------------------------------------------------

async def ingest_round(cairn: Cairn, service: SegmentService, source: EventSource, traffic: Traffic,
                       requests: int, size: int) -> tuple[float, int, list[float]]:
    """Send ``requests`` requests of ``size`` messages through the pipeline, then let background
    work (internal events) finish; return the seconds taken, the events stored and each request's ms."""
    latencies = []
    events = 0
    started = time.perf_counter()
    for _ in range(requests):
        received = utcnow()
        batch = [parse_message(traffic.message(), None, index, received) for index in range(size)]
        sent = time.perf_counter()
        result = await cairn.pipeline.ingest(source, batch)
        latencies.append((time.perf_counter() - sent) * 1000)
        events += len(result.stored)
    await service.wait_idle()
    return time.perf_counter() - started, events, latencies


async def live_cairn(store_url: str, data_dir: Path, database: str, options: argparse.Namespace,
                     conditions: list[str]) -> tuple[Cairn, EventSource, Traffic]:
    """A Cairn whose ``--live-profiles`` profiles exist, with ``conditions`` as segments."""
    cairn = await start(store_url, database, data_dir)
    service = segments_of(cairn)
    traffic = Traffic(options.live_profiles, identify_share=0.1, seed=options.seed)
    source = await cairn.sources.create("benchmark")
    for first in range(0, options.live_profiles, 500):
        received = utcnow()
        messages = [traffic.message(n, identify=True) for n in range(first, min(options.live_profiles, first + 500))]
        await cairn.pipeline.ingest(source, [parse_message(m, None, i, received) for i, m in enumerate(messages)])
    for number, condition in enumerate(conditions):
        await service.create(f"live {number}", condition)
    await service.wait_idle()
    processors = cairn.pipeline.processors
    processors[processors.index(service.live.process)] = timed(service.live.process)
    return cairn, source, traffic


EVALUATION = {"seconds": 0.0, "events": 0}


def timed(process: Any) -> Any:
    """The live processor, adding the time it takes (evaluation, history lookups) to :data:`EVALUATION`."""
    async def wrapper(stored: list[dict[str, Any]], profiles: dict[str, dict[str, Any]]) -> Any:
        started = time.perf_counter()
        try:
            return await process(stored, profiles)
        finally:
            EVALUATION["seconds"] += time.perf_counter() - started
            EVALUATION["events"] += len(stored)
    return wrapper


async def live_phase(store_url: str, data_dir: Path, options: argparse.Namespace) -> dict[str, Any]:
    """The same traffic into two Cairns (two databases), without and with the 20 segments, in alternating rounds."""
    setups = {"none": await live_cairn(store_url, data_dir, "bench_segments_none", options, []),
              "20 segments": await live_cairn(store_url, data_dir, "bench_segments_20", options, LIVE_SEGMENTS)}
    EVALUATION.update(seconds=0.0, events=0)
    try:
        totals: dict[tuple[str, str], list[Any]] = {}
        rounds = options.live_rounds
        for _ in range(rounds):
            for label, (cairn, source, traffic) in setups.items():
                for kind, requests, size in (("single", options.live_events // rounds, 1),
                                             ("batch", max(1, options.live_batches // rounds), options.live_batch)):
                    measured = await ingest_round(cairn, segments_of(cairn), source, traffic, requests, size)
                    total = totals.setdefault((label, kind), [0.0, 0, []])
                    total[0] += measured[0]
                    total[1] += measured[1]
                    total[2].extend(measured[2])
        figures: dict[str, Any] = {}
        for (label, kind), (seconds, events, latencies) in totals.items():
            figures.setdefault(label, {})[kind] = {
                "events": events, "ms_per_event": round(seconds * 1000 / events, 3),
                "p50_ms_per_request": round(statistics.median(latencies), 2)}
        for kind in ("single", "batch"):
            base, with_segments = figures["none"][kind]["ms_per_event"], figures["20 segments"][kind]["ms_per_event"]
            figures[f"{kind} added ms per event"] = round(with_segments - base, 3)
            figures[f"{kind} ratio"] = round(with_segments / base, 2)
        cairn = setups["20 segments"][0]
        events = sum(figures["20 segments"][kind]["events"] for kind in ("single", "batch"))
        changes = await cairn.database.collection("segment_history").count_documents({"reason": "event"})
        figures["membership changes per event"] = round(changes / events, 3)
        figures["evaluation ms per event (in the processor)"] = round(
            EVALUATION["seconds"] * 1000 / max(1, EVALUATION["events"]), 3)
        print(f"  live {figures}", flush=True)
        return figures
    finally:
        for cairn, _, _ in setups.values():
            await stop_cairn(cairn)


async def main(options: argparse.Namespace) -> dict[str, Any]:
    folder = Path(tempfile.mkdtemp(prefix="cairn-bench-segments-"))
    try:
        with EmbeddedStore(folder / "store") as store:
            figures = {"recompute": await recompute_phase(store.url, folder, options),
                       "live": await live_phase(store.url, folder, options)}
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    live = figures["live"]
    print("\nsummary")
    for mode in CONDITIONS:
        result = figures["recompute"][mode]
        print(f"  recompute {options.profiles} profiles, {mode:15} {result['seconds']:8.2f} s "
              f"({result['members']} members; settled: {result['settled_recompute_seconds']} s)")
    for kind in ("single", "batch"):
        print(f"  live, 20 segments, {kind:6} requests: +{live[f'{kind} added ms per event']} ms per event "
              f"(x{live[f'{kind} ratio']} the time without segments)")
    print(f"  of which evaluation in the processor: {live['evaluation ms per event (in the processor)']} ms per event; "
          f"{live['membership changes per event']} membership changes per event, each recorded and emitted")
    return figures


if __name__ == "__main__":
    arguments = parse_options()
    results = asyncio.run(main(arguments))
    if arguments.json:
        arguments.json.write_text(json.dumps(results, indent=2, default=str))
