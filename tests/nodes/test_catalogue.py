"""The built-in catalogue: registered like any plugin, every node fully declared."""

from __future__ import annotations

import pytest
from pydantic import BaseModel

from cairn.core.nodes import NodeType
from cairn.core.nodes.registry import build_node_registry
from cairn.core.plugin_manager import create_plugin_manager
from cairn.plugins.nodes import BUILTIN_NODE_TYPES, register_node_types

EXPECTED_IDS = {
    "cairn.start", "cairn.end", "cairn.condition", "cairn.delay", "cairn.log",
    "cairn.set_trait", "cairn.increment_counter", "cairn.decrement_counter", "cairn.add_interest",
    "cairn.remove_interest", "cairn.add_tag", "cairn.remove_tag", "cairn.merge_profiles",
    "cairn.check_consent", "cairn.render_template", "cairn.sentiment", "cairn.ai", "cairn.http_request",
    "cairn.show_widget",
}


def test_the_plugin_module_registers_every_built_in_node() -> None:
    assert {node.id for node in register_node_types()} == EXPECTED_IDS
    assert len(BUILTIN_NODE_TYPES) == len(EXPECTED_IDS)


def test_the_plugin_manager_finds_the_catalogue_like_any_plugin() -> None:
    manager = create_plugin_manager(load_entry_points=False)

    registered = {node.id for result in manager.hook.register_node_types() for node in result or []}

    assert registered >= EXPECTED_IDS


async def test_the_node_registry_accepts_every_built_in_without_a_problem() -> None:
    manager = create_plugin_manager(load_entry_points=False)
    registry = await build_node_registry(manager)

    for node_id in EXPECTED_IDS:
        registered = registry.get(node_id)
        assert registered is not None, node_id
        assert registered.plugin == "cairn.plugins.nodes"
    assert manager.problems.all() == []


@pytest.mark.parametrize("node", BUILTIN_NODE_TYPES, ids=lambda node: node.id)
def test_every_node_declares_what_the_editor_shows(node: type[NodeType]) -> None:
    assert issubclass(node, NodeType)
    assert node.id.startswith("cairn.") and node.name and node.category and node.version >= 1
    assert node.description.endswith(".")
    assert "**Ports**" in node.docs and "**Config**" in node.docs
    assert len(node.inputs) == (0 if node.id == "cairn.start" else 1)
    assert len(set(node.outputs)) == len(node.outputs)
    for port in node.outputs:
        assert f"`{port}`" in node.docs, f"{node.id} does not document its {port!r} port"


@pytest.mark.parametrize("node", BUILTIN_NODE_TYPES, ids=lambda node: node.id)
def test_every_config_is_frozen_strict_and_documented_field_by_field(node: type[NodeType]) -> None:
    config: type[BaseModel] = node.Config
    assert config.model_config.get("frozen") is True
    assert config.model_config.get("extra") == "forbid"
    schema = node.config_schema()
    assert schema.get("additionalProperties") is False
    for name, field in schema.get("properties", {}).items():
        assert field.get("description"), f"{node.id}.{name} has no description for the editor's form"
        assert f"`{name}`" in node.docs, f"{node.id} does not document its {name!r} setting"


def test_a_start_node_has_no_input_and_an_end_node_no_output() -> None:
    start, end = (next(n for n in BUILTIN_NODE_TYPES if n.id == node_id) for node_id in ("cairn.start", "cairn.end"))
    assert start.is_start() and start.outputs == ("out",)
    assert not end.is_start() and end.outputs == ()
