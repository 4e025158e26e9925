"""Flow benchmark: ingestion with a 10-node flow on every event versus no flow, same run.

Starts the embedded store (file-backed, in a temporary folder) and measures Cairn's
Segment endpoints twice, each time in a fresh uvicorn process on the same store:

1. **no flow** — no rule, nothing for the flow engine to do;
2. **10-node flow** — one deployed flow of ten built-in nodes (start, condition, set
   trait ×2, counter ×2, interest, tag ×2, end) run by a ``*`` rule on *every* event,
   with tracing on (one trace per event, stored in ``flow_traces``).

The traffic, profiles and phases are those of ``benchmarks/ingest.py`` (its helpers
are reused). Throughput is bound by the store on a small machine, so the server's CPU
time per event is printed too: it is what the flow adds. Then the engine alone: the
same flow run in this process, without I/O, to show the per-run cost of the engine
and the nodes.

    .venv/bin/python benchmarks/flows.py                    # ~1 minute
    .venv/bin/python benchmarks/flows.py --duration 5 --profiles 1000 --json flows.json
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from ingest import (  # noqa: E402 - the ingestion benchmark's helpers
    DATABASE,
    PhaseResult,
    Traffic,
    create_source,
    measure,
    parse_options,
    print_table,
    uvicorn_process,
)

from cairn.core.config import Settings  # noqa: E402
from cairn.core.flows import Graph  # noqa: E402
from cairn.core.flows.compiled import compile_graph  # noqa: E402
from cairn.core.flows.engine import FlowEngine, Subject  # noqa: E402
from cairn.core.flows.settings import FlowSettings  # noqa: E402
from cairn.core.nodes import ProfileEditor  # noqa: E402
from cairn.core.nodes.registry import build_node_registry  # noqa: E402
from cairn.core.nodes.services import recording_services  # noqa: E402
from cairn.core.plugin_manager import create_plugin_manager  # noqa: E402
from cairn.core.runtime import start_cairn, stop_cairn  # noqa: E402
from cairn.core.store.embedded import EmbeddedStore  # noqa: E402

TEN_NODES = [
    ("start", "cairn.start", {}),
    ("known", "cairn.condition", {"expression": "event.type exists"}),
    ("product", "cairn.set_trait", {"name": "last_product", "mode": "event_path",
                                     "event_path": "properties.product_id"}),
    ("events", "cairn.increment_counter", {"trait": "flow_events"}),
    ("interest", "cairn.add_interest", {"interest": "shopping"}),
    ("tag", "cairn.add_tag", {"tags": ["active"]}),
    ("seen", "cairn.set_trait", {"name": "seen_by_flow", "value": True}),
    ("spend", "cairn.increment_counter", {"trait": "touches", "amount": 2}),
    ("tag2", "cairn.add_tag", {"tags": ["engaged"]}),
    ("end", "cairn.end", {}),
]


def ten_node_graph() -> Graph:
    """The benchmark flow: a chain, through the condition's ``true`` port."""
    edges = []
    for (source, _, _), (target, _, _) in zip(TEN_NODES, TEN_NODES[1:], strict=False):
        edges.append({"from_node": source, "from_port": "true" if source == "known" else "out", "to_node": target})
    nodes = [{"id": node_id, "type": node_type, "config": config, "position": {"x": 120 * i, "y": 0}}
             for i, (node_id, node_type, config) in enumerate(TEN_NODES)]
    return Graph.model_validate({"nodes": nodes, "edges": edges})


async def deploy_flow(store_url: str) -> str:
    """Create, deploy and attach (rule ``*``) the benchmark flow; return its id."""
    cairn = await start_cairn(Settings(database=DATABASE), store_url)
    try:
        flow = await cairn.flows.flows.create("benchmark: 10 nodes", graph=ten_node_graph())
        result = await cairn.flows.deploy(flow.id)
        if result.version is None:
            raise RuntimeError(f"the benchmark flow does not deploy: {result.problems}")
        await cairn.flows.create_rule({"event_type": "*", "flow_id": flow.id, "name": "every event"})
        return flow.id
    finally:
        await stop_cairn(cairn)


async def engine_alone(runs: int) -> dict[str, float]:
    """Run the flow ``runs`` times in this process (no store, no HTTP): the engine's own cost."""
    registry = await build_node_registry(create_plugin_manager(load_entry_points=False))
    flow = compile_graph(ten_node_graph(), registry, flow_id="bench", version=1)
    engine = FlowEngine(registry, FlowSettings())
    event = {"id": "e", "type": "Product Viewed", "properties": {"product_id": "sku-1", "price": 12.5}}
    started = time.perf_counter()
    for _ in range(runs):
        profile = {"id": "p", "traits": {}, "tags": []}
        result = await engine.run(flow, Subject(event, ProfileEditor(profile), None, dict(profile)),
                                  recording_services())
        assert result.trace.status == "ok", result.trace
    seconds = time.perf_counter() - started
    return {"runs": runs, "runs_per_s": round(runs / seconds, 1), "us_per_run": round(seconds / runs * 1e6, 1),
            "us_per_node": round(seconds / runs / len(TEN_NODES) * 1e6, 1)}


async def run(options: argparse.Namespace, folder: Path) -> dict[str, Any]:
    """Measure without and with the flow, on one store; return the figures."""
    with EmbeddedStore(folder / "store") as store:
        assert store._process is not None
        write_key = create_source(store.url)
        env = {"CAIRN_MONGO_URL": store.url, "CAIRN_DATABASE": DATABASE, "CAIRN_DATA_DIR": str(folder / "cairn"),
               "CAIRN_RUN_WORKER": "0"}
        results: list[PhaseResult] = []
        for label in ("no-flow", "flow"):
            if label == "flow":
                await deploy_flow(store.url)
                options.prefill = False
            with uvicorn_process("cairn_app", env) as (url, pid):
                pids = {"server": pid, "store": store._process.pid, "load": os.getpid()}
                results += await measure(label, url, (write_key, ""), pids, options,
                                         Traffic(options.profiles, options.identify_share, options.seed))
        traces = await _count(store.url, "flow_traces")
    engine = await engine_alone(options.engine_runs)
    print_table(results)
    ratios = _ratios(results)
    print()
    for phase, ratio in ratios.items():
        print(f"10-node flow / no flow, {phase:5}: events/s ×{ratio['events_per_s']:.2f}, "
              f"p50 ×{ratio['p50']:.2f}, p99 ×{ratio['p99']:.2f}")
    for result in results:
        if result.measured and result.events and "prefill" not in result.name:
            print(f"server CPU per event, {result.name:13}: {result.cpu.get('server', 0) / result.events * 1000:.2f} ms"
                  f" (store {result.cpu.get('store', 0) / result.events * 1000:.2f} ms)")
    print(f"flow traces stored: {traces}")
    print(f"engine alone (10 nodes, tracing on, no I/O): {engine['runs_per_s']:.0f} runs/s, "
          f"{engine['us_per_run']:.0f} µs a run, {engine['us_per_node']:.0f} µs a node")
    return {"options": {k: str(v) for k, v in vars(options).items()},
            "phases": [r.figures() for r in results if r.measured], "ratios": ratios, "traces": traces,
            "engine_alone": engine}


def _ratios(results: list[PhaseResult]) -> dict[str, dict[str, float]]:
    measured = {r.name: r for r in results if r.measured}
    found = {}
    for phase in ("batch", "track"):
        base, flow = measured.get(f"no-flow {phase}"), measured.get(f"flow {phase}")
        if base and flow and base.events_per_s:
            found[phase] = {"events_per_s": round(flow.events_per_s / base.events_per_s, 3),
                            "p50": round(flow.percentile(0.5) / base.percentile(0.5), 2),
                            "p99": round(flow.percentile(0.99) / base.percentile(0.99), 2)}
    return found


async def _count(store_url: str, collection: str) -> int:
    from pymongo import AsyncMongoClient

    client: AsyncMongoClient[dict[str, Any]] = AsyncMongoClient(store_url)
    try:
        return await client[DATABASE][collection].count_documents({})
    finally:
        await client.close()


def main(argv: list[str] | None = None) -> None:
    """Entry point: ``benchmarks/ingest.py``'s options plus ``--engine-runs``."""
    argv = list(sys.argv[1:] if argv is None else argv)
    engine_runs = 2000
    if "--engine-runs" in argv:
        at = argv.index("--engine-runs")
        engine_runs = int(argv[at + 1])
        del argv[at:at + 2]
    defaults = ["--duration", "10", "--profiles", "2000", "--max-requests", "20000"]
    options = parse_options(defaults + argv)
    options.engine_runs = engine_runs
    folder = Path(tempfile.mkdtemp(prefix="cairn-bench-flows-"))
    try:
        figures = asyncio.run(run(options, folder))
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    if options.json:
        options.json.write_text(json.dumps(figures, indent=2))


if __name__ == "__main__":
    main()
