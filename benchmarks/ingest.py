"""Ingestion benchmark: Cairn's tracking endpoints against a bare Starlette baseline.

Starts the embedded store (file-backed, in a temporary folder; or uses ``--mongo-url``), Cairn and a bare
Starlette app that only parses the same JSON, each server in a uvicorn process of
its own, then measures from this process with a minimal keep-alive HTTP client
(``_http.py``; httpx would make this process the bottleneck):

* ``batch``: ``POST /v1/batch`` with ``--batch-size`` events a request, sent by
  ``--batch-concurrency`` clients, ids drawn from ``--profiles`` profiles;
* ``track``: single ``POST /v1/track`` calls from ``--track-concurrency`` clients.

Under load Cairn answers once the events are durable in its journal and processes
them right after (:mod:`cairn.core.ingestion.intake`), so each Cairn phase reports
two rates: events *accepted* per second (the answers) and events *processed* per
second (stored and counted, from the phase's start until the journal is empty).

Before measuring, ``--prefill`` sends one event for every profile (the profiles
exist, as in a running shop; the rate of that first pass is printed too). Every
loop is bounded by ``--duration`` and ``--max-requests``; everything listens on
127.0.0.1 and every process started here is stopped on the way out.

    .venv/bin/python benchmarks/ingest.py                 # the whole run, 3-4 minutes
    .venv/bin/python benchmarks/ingest.py --duration 5 --profiles 2000 --json out.json
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import orjson
from pymongo import AsyncMongoClient, MongoClient

from _http import KeepAliveClient
from cairn.core.ids import new_id, new_secret
from cairn.core.store.embedded import EmbeddedStore, free_port

HERE = Path(__file__).resolve().parent
DATABASE = f"cairn_benchmark_{uuid.uuid4().hex[:8]}"
USER_AGENT = ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
              "Chrome/126.0.0.0 Safari/537.36")
EVENTS = ("Product Viewed", "Product Added", "Checkout Started", "Order Completed", "Page Scrolled")
TARGET_BATCH_EVENTS_PER_S = 3000.0
TARGET_TRACK_P99_MS = 50.0


def parse_options(argv: list[str] | None = None) -> argparse.Namespace:
    """The command-line options (every size and duration has a default that keeps the run short)."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--duration", type=float, default=15.0, help="seconds measured per phase (default 15)")
    parser.add_argument("--warmup", type=float, default=2.0, help="unmeasured seconds before each phase (default 2)")
    parser.add_argument("--max-requests", type=int, default=50_000, help="request cap per phase (default 50000)")
    parser.add_argument("--profiles", type=int, default=10_000, help="distinct profiles (default 10000)")
    parser.add_argument("--batch-size", type=int, default=100, help="events per /v1/batch request (default 100)")
    parser.add_argument("--batch-concurrency", type=int, default=4, help="concurrent batch clients (default 4)")
    parser.add_argument("--track-concurrency", type=int, default=32, help="concurrent track clients (default 32)")
    parser.add_argument("--identify-share", type=float, default=0.05,
                        help="share of identify calls (with an e-mail trait) in batches (default 0.05)")
    parser.add_argument("--prefill", action=argparse.BooleanOptionalAction, default=True,
                        help="send one event per profile before measuring (default on)")
    parser.add_argument("--prefill-max-seconds", type=float, default=120.0,
                        help="stop the prefill after this long (default 120)")
    parser.add_argument("--drain-max-seconds", type=float, default=600.0,
                        help="longest wait, after a phase, for Cairn to process what it accepted (default 600)")
    parser.add_argument("--phases", default="batch,track", help="phases to run, comma-separated (default batch,track)")
    parser.add_argument("--seed", type=int, default=7, help="random seed of the traffic (default 7)")
    parser.add_argument("--json", type=Path, help="also write the figures to this JSON file")
    parser.add_argument("--profile", type=Path, help="run the Cairn server under cProfile, stats written here")
    parser.add_argument("--mongo-url", help="measure against this MongoDB instead of an embedded store "
                        "(a database of the run's own is created and dropped)")
    return parser.parse_args(argv)


# --- traffic -----------------------------------------------------------------------------------

class Traffic:
    """Segment messages from a fixed population of profiles (user ids or anonymous ids)."""

    def __init__(self, profiles: int, identify_share: float, seed: int) -> None:
        self.profiles = profiles
        self.identify_share = identify_share
        self.random = random.Random(seed)

    @staticmethod
    def who(number: int) -> dict[str, str]:
        """Half the profiles are known customers, half anonymous visitors."""
        return {"userId": f"user-{number}"} if number % 2 == 0 else {"anonymousId": f"anon-{number}"}

    def message(self, number: int | None = None, *, identify: bool | None = None) -> dict[str, Any]:
        """One message for profile ``number`` (a random one by default)."""
        pick = self.random
        number = pick.randrange(self.profiles) if number is None else number
        identify = pick.random() < self.identify_share if identify is None else identify
        base = {**self.who(number), "messageId": uuid.uuid4().hex,
                "timestamp": datetime.now(UTC).isoformat(timespec="milliseconds")}
        if identify:
            return {"type": "identify", **base, "traits": {
                "email": f"customer{number}@example.com", "name": f"Customer {number}",
                "plan": pick.choice(("free", "pro", "team"))}}
        return {"type": "track", **base, "event": pick.choice(EVENTS), "properties": {
            "product_id": f"sku-{pick.randrange(500)}", "price": round(pick.uniform(5, 200), 2), "currency": "EUR"},
            "context": {"page": {"url": f"https://shop.example.com/p/{pick.randrange(500)}?utm_source=newsletter",
                                 "referrer": "https://www.example.org/"},
                        "library": {"name": "analytics-python", "version": "2.3.2"}}}

    def batch(self, size: int, numbers: Iterator[int] | None = None) -> tuple[bytes, int]:
        """A ``/v1/batch`` body; with ``numbers``, one event for each of the next ``size`` profiles."""
        if numbers is None:
            messages = [self.message() for _ in range(size)]
        else:
            messages = [self.message(number) for number in itertools.islice(numbers, size)]
        return orjson.dumps({"batch": messages}), len(messages)

    def track(self) -> tuple[bytes, int]:
        """A ``/v1/track`` body."""
        message = self.message(identify=False)
        del message["type"]
        return orjson.dumps(message), 1


# --- processes ---------------------------------------------------------------------------------

def cpu_seconds(pid: int | None = None) -> float:
    """CPU time used so far by process ``pid`` (this process by default; Linux only for others)."""
    if pid is None:
        times = os.times()
        return times.user + times.system
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return float("nan")
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@contextmanager
def uvicorn_process(factory: str, env: dict[str, str], profile: Path | None = None) -> Iterator[tuple[str, int]]:
    """Serve ``_apps:<factory>`` in a uvicorn process on a free port; yield its URL and pid."""
    port = free_port()
    runner = ["-m", "cProfile", "-o", str(profile)] if profile else []
    command = [sys.executable, *runner, "-m", "uvicorn", "--factory", f"_apps:{factory}", "--app-dir", str(HERE),
               "--host", "127.0.0.1", "--port", str(port), "--no-access-log", "--log-level", "warning"]
    process = subprocess.Popen(command, env={**os.environ, **env}, stdin=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_for_health(url, process)
        yield url, process.pid
    finally:
        _stop(process)


def _stop(process: subprocess.Popen[bytes]) -> None:
    """Stop a server as Ctrl-C would (so a profiler can write its figures), then harder."""
    for stop in (lambda: process.send_signal(signal.SIGINT), process.terminate, process.kill):
        if process.poll() is not None:
            return
        stop()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            continue


def _wait_for_health(url: str, process: subprocess.Popen[bytes], timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server process exited with code {process.returncode}")
        try:
            if httpx.get(f"{url}/health", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    raise RuntimeError(f"{url} did not answer /health within {timeout:.0f} s")


def create_source(store_url: str) -> str:
    """Create an enabled event source directly in the store; return its write key."""
    write_key = new_secret("wk")
    with MongoClient(store_url) as client:
        client[DATABASE]["sources"].insert_one({
            "_id": new_id(), "name": "benchmark", "write_key": write_key, "allowed_origins": [],
            "enabled": True, "created_at": datetime.now(UTC)})
    return write_key


# --- measuring ---------------------------------------------------------------------------------

@dataclass
class PhaseResult:
    """Figures of one measured phase."""

    name: str
    requests: int = 0
    events: int = 0
    failures: int = 0
    seconds: float = 0.0
    latencies_ms: list[float] = field(default_factory=list, repr=False)
    cpu: dict[str, float] = field(default_factory=dict)
    first_failure: str = ""
    measured: bool = True
    processed: int | None = None
    processing_seconds: float | None = None

    @property
    def events_per_s(self) -> float:
        return self.events / self.seconds if self.seconds else 0.0

    @property
    def processed_per_s(self) -> float | None:
        """Events stored and counted per second, from the phase's start until the journal was empty."""
        if self.processed is None or not self.processing_seconds:
            return None
        return self.processed / self.processing_seconds

    def percentile(self, share: float) -> float:
        ordered = sorted(self.latencies_ms)
        return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else float("nan")

    def figures(self) -> dict[str, Any]:
        data = {k: v for k, v in asdict(self).items() if k != "latencies_ms"}
        processed = self.processed_per_s
        return {**data, "events_per_s": round(self.events_per_s, 1),
                "processed_per_s": round(processed, 1) if processed is not None else None, "requests_per_s":
                round(self.requests / self.seconds, 1) if self.seconds else 0.0,
                "p50_ms": round(self.percentile(0.50), 2), "p99_ms": round(self.percentile(0.99), 2)}


async def run_phase(name: str, clients: list[KeepAliveClient], path: str,
                    make_body: Callable[[], tuple[bytes, int]], duration: float, max_requests: int,
                    pids: dict[str, int]) -> PhaseResult:
    """Send requests from every client until ``duration`` or ``max_requests`` is reached.

    Each concurrent client holds one kept-alive connection of its own.
    """
    result = PhaseResult(name)
    issued = itertools.count()
    deadline = time.monotonic() + duration

    async def worker(client: KeepAliveClient) -> None:
        while time.monotonic() < deadline and next(issued) < max_requests:
            body, count = make_body()
            started = time.perf_counter()
            status, answer = await client.post(path, body)
            elapsed = time.perf_counter() - started
            if status != 200:
                result.failures += 1
                result.first_failure = result.first_failure or f"{status} {answer[:300]!r}"
                continue
            result.requests += 1
            reply = orjson.loads(answer)
            result.events += int(reply.get("stored", reply.get("queued", count)))
            result.latencies_ms.append(elapsed * 1000)

    cpu_before = {role: cpu_seconds(pid) for role, pid in pids.items()}
    started = time.perf_counter()
    await asyncio.gather(*(worker(client) for client in clients))
    result.seconds = time.perf_counter() - started
    result.cpu = {role: round(cpu_seconds(pid) - cpu_before[role], 2) for role, pid in pids.items()}
    return result


class Processing:
    """Watches the store while Cairn works through its journal (Cairn's runs only)."""

    def __init__(self, store_url: str, max_seconds: float) -> None:
        self.client: AsyncMongoClient[dict[str, Any]] = AsyncMongoClient(store_url)
        self.database = self.client[DATABASE]
        self.max_seconds = max_seconds

    async def stored(self) -> int:
        """Events stored so far."""
        return await self.database["events"].count_documents({})

    async def waiting(self) -> int:
        """Journal entries not processed yet."""
        return await self.database["ingest_journal"].estimated_document_count()  # counting decodes every entry

    async def measure(self, phase: Awaitable[PhaseResult]) -> PhaseResult:
        """Run ``phase``, then wait until the journal is empty; note what was processed meanwhile."""
        before, started = await self.stored(), time.perf_counter()
        result = await phase
        deadline = time.perf_counter() + self.max_seconds
        while await self.waiting() and time.perf_counter() < deadline:
            await asyncio.sleep(0.5)
        result.processed = await self.stored() - before
        result.processing_seconds = time.perf_counter() - started
        return result

    async def close(self) -> None:
        await self.client.close()


async def measure(name: str, url: str, auth: tuple[str, str], pids: dict[str, int], options: argparse.Namespace,
                  traffic: Traffic, processing: Processing | None = None) -> list[PhaseResult]:
    """Run the selected phases against one server (after an unmeasured warm-up each).

    With ``processing``, each measured phase also waits until the server has processed
    what it accepted (its journal is empty), and notes the events processed per second.
    """
    clients = [KeepAliveClient(url, auth[0], USER_AGENT)
               for _ in range(max(options.batch_concurrency, options.track_concurrency))]

    async def measured(phase: Awaitable[PhaseResult]) -> PhaseResult:
        return await (processing.measure(phase) if processing else phase)

    results = []
    try:
        if options.prefill:
            numbers = iter(traffic.random.sample(range(options.profiles), options.profiles))
            requests = -(-options.profiles // options.batch_size)
            results.append(await measured(run_phase(
                f"{name} prefill (new profiles)", clients[:options.batch_concurrency], "/v1/batch",
                lambda: traffic.batch(options.batch_size, numbers), options.prefill_max_seconds, requests, pids)))
        phases = {"batch": ("/v1/batch", lambda: traffic.batch(options.batch_size), options.batch_concurrency),
                  "track": ("/v1/track", traffic.track, options.track_concurrency)}
        for phase in options.phases.split(","):
            path, make_body, concurrency = phases[phase.strip()]
            warmup = await run_phase(f"{name} warm-up", clients[:concurrency], path, make_body, options.warmup,
                                     options.max_requests, pids)
            warmup.measured = False
            results.append(warmup)
            results.append(await measured(run_phase(f"{name} {phase.strip()}", clients[:concurrency], path,
                                                    make_body, options.duration, options.max_requests, pids)))
    finally:
        for client in clients:
            await client.close()
    return results


# --- report ------------------------------------------------------------------------------------

def print_table(results: list[PhaseResult]) -> None:
    """One line of figures per phase."""
    print(f"\n{'phase':30} {'requests':>8} {'events':>7} {'s':>6} {'events/s':>9} {'p50 ms':>8} {'p99 ms':>8}"
          f"  cpu s (server / store / load)  processed/s (s)")
    for result in results:
        if not result.measured:
            continue
        f = result.figures()
        cpu = " / ".join(f"{result.cpu.get(role, float('nan')):.1f}" for role in ("server", "store", "load"))
        processed = (f"{f['processed_per_s']:.0f} ({result.processing_seconds:.0f})"
                     if f["processed_per_s"] is not None else "")
        print(f"{result.name:30} {f['requests']:>8} {f['events']:>7} {f['seconds']:>6.1f} {f['events_per_s']:>9.0f}"
              f" {f['p50_ms']:>8.1f} {f['p99_ms']:>8.1f}  {cpu:29} {processed}")
        if result.failures:
            print(f"    {result.failures} failed requests; first: {result.first_failure}")


def ratios(cairn: list[PhaseResult], baseline: list[PhaseResult]) -> dict[str, dict[str, float]]:
    """Cairn's figures over the baseline's, per phase."""
    base = {r.name.split(" ", 1)[1]: r for r in baseline if r.measured}
    found = {}
    for result in cairn:
        if not result.measured:
            continue
        phase = result.name.split(" ", 1)[1]
        if phase in base and base[phase].events_per_s:
            other = base[phase]
            found[phase] = {"events_per_s": round(result.events_per_s / other.events_per_s, 3),
                            "p50": round(result.percentile(0.5) / other.percentile(0.5), 1),
                            "p99": round(result.percentile(0.99) / other.percentile(0.99), 1)}
    return found


def print_verdict(cairn: list[PhaseResult], found: dict[str, dict[str, float]]) -> None:
    """Ratios to the baseline and the targets."""
    for phase, ratio in found.items():
        print(f"cairn/baseline {phase:6}: events/s ×{ratio['events_per_s']:.3f}, p50 ×{ratio['p50']:.1f}, "
              f"p99 ×{ratio['p99']:.1f}")
    for result in cairn:
        if result.name == "cairn batch":
            verdict = "met" if result.events_per_s >= TARGET_BATCH_EVENTS_PER_S else "NOT met"
            print(f"target batch ≥ {TARGET_BATCH_EVENTS_PER_S:.0f} events/s accepted: {verdict} "
                  f"({result.events_per_s:.0f}; processed {result.processed_per_s or 0:.0f} events/s)")
        if result.name == "cairn track":
            verdict = "met" if result.percentile(0.99) <= TARGET_TRACK_P99_MS else "NOT met"
            print(f"target track p99 ≤ {TARGET_TRACK_P99_MS:.0f} ms: {verdict} ({result.percentile(0.99):.1f} ms)")


def stored_events(store_url: str) -> int:
    """How many events the store holds."""
    with MongoClient(store_url) as client:
        return client[DATABASE]["events"].count_documents({})


# --- main --------------------------------------------------------------------------------------

@contextmanager
def store_for(options: argparse.Namespace, folder: Path) -> Iterator[tuple[str, int | None]]:
    """The store to measure against: ``--mongo-url``, or an embedded store started here (URL, pid)."""
    if options.mongo_url:
        yield options.mongo_url, None
        return
    with EmbeddedStore(folder / "store") as store:
        yield store.url, store._process.pid if store._process else None


async def run(options: argparse.Namespace, folder: Path) -> dict[str, Any]:
    """Start everything, measure, stop everything; return the figures."""
    load_before = os.getloadavg()
    with store_for(options, folder) as (store_url, store_pid):
        write_key = create_source(store_url)
        env = {"CAIRN_MONGO_URL": store_url, "CAIRN_DATABASE": DATABASE, "CAIRN_DATA_DIR": str(folder / "cairn")}
        try:
            with uvicorn_process("baseline_app", env) as (url, pid):
                baseline = await measure("baseline", url, (write_key, ""), {"server": pid, "load": os.getpid()},
                                         options, Traffic(options.profiles, options.identify_share, options.seed))
            with uvicorn_process("cairn_app", env, options.profile) as (url, pid):
                pids = {"server": pid, "load": os.getpid(), **({"store": store_pid} if store_pid else {})}
                processing = Processing(store_url, options.drain_max_seconds)
                try:
                    cairn = await measure("cairn", url, (write_key, ""), pids, options,
                                          Traffic(options.profiles, options.identify_share, options.seed), processing)
                finally:
                    await processing.close()
            in_store = stored_events(store_url)
        finally:
            if options.mongo_url:
                with MongoClient(store_url) as client:
                    client.drop_database(DATABASE)
    results = [*baseline, *cairn]
    print_table(results)
    found = ratios(cairn, baseline)
    print()
    print_verdict(cairn, found)
    expected = sum(r.events for r in cairn)
    print(f"events in the store: {in_store} (the server accepted {expected})")
    load = (load_before[0], os.getloadavg()[0])
    print(f"machine load average (1 min) before/after: {load[0]:.1f} / {load[1]:.1f} on {os.cpu_count()} CPUs "
          "(anything else running skews every figure)")
    return {"options": {k: str(v) for k, v in vars(options).items()}, "load_average": load,
            "phases": [r.figures() for r in results if r.measured], "ratios": found, "events_in_store": in_store}


def main(argv: list[str] | None = None) -> None:
    """Entry point."""
    options = parse_options(argv)
    folder = Path(tempfile.mkdtemp(prefix="cairn-bench-"))
    try:
        figures = asyncio.run(run(options, folder))
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    if options.json:
        options.json.write_text(json.dumps(figures, indent=2))


if __name__ == "__main__":
    main()
