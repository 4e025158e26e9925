"""The example third-party plugin: installed like any package, found through its entry point.

The first run installs ``examples/cairn-example-plugin`` into the running environment
(``pip install -e``, in a subprocess); later runs find it installed and skip that.
"""

from __future__ import annotations

import importlib
import importlib.metadata
import json
import subprocess
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
import pytest

from cairn.core.nodes.registry import build_node_registry
from cairn.core.plugin_manager import create_plugin_manager
from cairn.core.runtime import Cairn

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "cairn-example-plugin"
DISTRIBUTION = "cairn-example-plugin"


def _installed_here() -> importlib.metadata.Distribution | None:
    """The installed example, if it is an editable install of this checkout's copy."""
    try:
        dist = importlib.metadata.distribution(DISTRIBUTION)
    except importlib.metadata.PackageNotFoundError:
        return None
    direct_url = json.loads(dist.read_text("direct_url.json") or "{}")
    return dist if direct_url.get("url") == EXAMPLE.as_uri() else None


def _make_importable(dist: importlib.metadata.Distribution) -> None:
    """Add the paths of the install's ``.pth`` file to ``sys.path`` (Python reads them only at start-up)."""
    for file in dist.files or []:
        if file.name.endswith(".pth"):
            for line in Path(str(dist.locate_file(file))).read_text().splitlines():
                if line.strip() and not line.startswith(("#", "import ")) and line.strip() not in sys.path:
                    sys.path.append(line.strip())
    importlib.invalidate_caches()


def ensure_installed() -> None:
    """Install the example in editable mode unless this checkout's copy already is."""
    dist = _installed_here()
    if dist is None:
        completed = subprocess.run(
            [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--disable-pip-version-check",
             "-e", str(EXAMPLE)], capture_output=True, text=True, timeout=300, check=False)
        assert completed.returncode == 0, f"pip install failed:\n{completed.stdout}\n{completed.stderr}"
        dist = _installed_here()
        assert dist is not None, "the example was installed but its metadata cannot be found"
    _make_importable(dist)


@pytest.fixture(scope="module")
def example() -> ModuleType:
    """The installed example plugin's module."""
    ensure_installed()
    return importlib.import_module("cairn_example_plugin")


def test_the_package_declares_its_module_in_the_cairn_entry_point_group(example: ModuleType) -> None:
    [entry_point] = [ep for ep in importlib.metadata.entry_points(group="cairn") if ep.name == "example_loyalty"]
    assert entry_point.value == "cairn_example_plugin"
    assert entry_point.load() is example


def test_the_plugin_manager_discovers_it_and_its_node_type(example: ModuleType) -> None:
    manager = create_plugin_manager()

    assert manager.get_plugin("example_loyalty") is example
    declared = [node for result in manager.hook.register_node_types() for node in result or []]
    assert example.LoyaltyPoints in declared
    assert "cairn.start" in {node.id for node in declared}, "built-ins and the example come from the same hook"


async def test_the_node_registry_accepts_it_next_to_the_built_ins(example: ModuleType) -> None:
    manager = create_plugin_manager()
    registry = await build_node_registry(manager)

    registered = registry.get("example.loyalty_points")
    assert registered is not None and registered.plugin == "example_loyalty"
    assert registered.config_schema["properties"]["points_per_unit"]["description"]
    assert not [problem for problem in manager.problems.all() if problem.plugin == "example_loyalty"]


def test_a_disabled_plugin_is_left_out(example: ModuleType) -> None:
    manager = create_plugin_manager(disabled=["example_loyalty"])
    assert manager.get_plugin("example_loyalty") is None


def test_the_examples_own_tests_pass(example: ModuleType) -> None:
    completed = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"], cwd=EXAMPLE,
                               capture_output=True, text=True, timeout=300, check=False)
    assert completed.returncode == 0, completed.stdout + completed.stderr
    assert " passed" in completed.stdout


LOYALTY_GRAPH: dict[str, Any] = {
    "nodes": [{"id": "start", "type": "cairn.start"},
              {"id": "big", "type": "cairn.condition", "config": {"expression": "event.properties.total >= 40"}},
              {"id": "points", "type": "example.loyalty_points", "config": {"points_per_unit": 0.5}},
              {"id": "tag", "type": "cairn.add_tag", "config": {"tags": ["loyalty-member"]}},
              {"id": "oops", "type": "cairn.add_tag", "config": {"tags": ["bad-order-data"]}}],
    "edges": [{"from_node": "start", "from_port": "out", "to_node": "big"},
              {"from_node": "big", "from_port": "true", "to_node": "points"},
              {"from_node": "points", "from_port": "out", "to_node": "tag"},
              {"from_node": "points", "from_port": "error", "to_node": "oops"}],
}


async def deploy_loyalty_flow(cairn: Cairn, graph: dict[str, Any] = LOYALTY_GRAPH) -> str:
    flow = await cairn.flows.flows.create("Loyalty", graph=graph)
    deployed = await cairn.flows.deploy(flow.id)
    assert not deployed.problems, deployed.problems
    await cairn.flows.create_rule({"name": "orders", "event_type": "Order Completed", "flow_id": flow.id})
    return flow.id


async def track_order(client: httpx.AsyncClient, write_key: str, user_id: str, total: object) -> None:
    response = await client.post("/v1/track", auth=(write_key, ""),
                                  json={"userId": user_id, "event": "Order Completed", "properties": {"total": total}})
    assert response.status_code == 200, response.text


async def profile_of(cairn: Cairn, user_id: str) -> dict[str, Any]:
    event = await cairn.database.events.find_one({"user_id": user_id})
    assert event is not None
    profile = await cairn.pipeline.repository.get(event["profile_id"])
    assert profile is not None
    return profile


async def test_the_node_runs_in_a_real_flow_next_to_built_in_nodes(
        example: ModuleType, cairn: Cairn, client: httpx.AsyncClient, write_key: str) -> None:
    await deploy_loyalty_flow(cairn)

    await track_order(client, write_key, "ada", 41)
    await track_order(client, write_key, "ada", 60)
    await track_order(client, write_key, "bob", 10)

    ada = await profile_of(cairn, "ada")
    assert ada["traits"]["loyalty_points"] == 20 + 30
    assert ada["tags"] == ["loyalty-member"]
    bob = await profile_of(cairn, "bob")
    assert "loyalty_points" not in bob.get("traits", {}), "the condition kept small orders out"


async def test_its_error_port_is_followed_in_a_real_flow(
        example: ModuleType, cairn: Cairn, client: httpx.AsyncClient, write_key: str) -> None:
    unconditional = {"nodes": [node for node in LOYALTY_GRAPH["nodes"] if node["id"] != "big"],
                     "edges": [{"from_node": "start", "from_port": "out", "to_node": "points"},
                               *LOYALTY_GRAPH["edges"][2:]]}
    await deploy_loyalty_flow(cairn, unconditional)

    await track_order(client, write_key, "eve", "forty")

    eve = await profile_of(cairn, "eve")
    assert "loyalty_points" not in eve.get("traits", {})
    assert eve["tags"] == ["bad-order-data"]
