"""The outbox plugin's hooks."""

from __future__ import annotations

import importlib
from types import SimpleNamespace

from cairn.core.plugin_manager import call_each, create_plugin_manager


async def test_shutting_down_a_cairn_that_never_started_messaging_does_nothing() -> None:
    manager = create_plugin_manager(load_entry_points=False)
    module = importlib.import_module("cairn.core.outbox.plugin")
    if not manager.is_registered(module):
        manager.register(module, name=module.__name__)
    await call_each(manager, "on_shutdown", cairn=SimpleNamespace())
    assert not manager.problems.all()
