"""Delay: a resume entry handed to the engine's scheduler, no output now."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from pydantic import ValidationError

from cairn.core.clock import utcnow
from cairn.core.nodes import run_node
from cairn.plugins.nodes.delay import Delay
from tests.nodes.support import run_live


class Scheduler:
    """A scheduler as the engine provides it: ``schedule`` may be a coroutine."""

    def __init__(self) -> None:
        self.entries: list[dict[str, Any]] = []

    async def schedule(self, entry: dict[str, Any]) -> None:
        self.entries.append(entry)


async def test_the_path_pauses_and_a_resume_entry_is_scheduled() -> None:
    scheduler = Scheduler()
    before = utcnow()
    result, ctx = await run_live(Delay, {"amount": 2, "unit": "hours"}, payload={"cart": ["A-1"]},
                                 event={"id": "evt-9", "type": "cart-abandoned", "properties": {}},
                                 profile={"id": "prof-3", "traits": {}}, services={"scheduler": scheduler})

    assert result is None
    [entry] = scheduler.entries
    assert before + timedelta(hours=2) <= entry["resume_at"] <= utcnow() + timedelta(hours=2)
    assert entry["resume_at"].tzinfo is not None
    assert {key: value for key, value in entry.items() if key != "resume_at"} == {
        "flow_id": "flow-1", "run_id": "run-1", "node_id": "node-1", "port": "out", "event_id": "evt-9",
        "profile_id": "prof-3", "payload": {"cart": ["A-1"]}, "variables": {}}
    assert ctx.logs[0].startswith("the path resumes at ")


async def test_the_entry_holds_a_copy_of_the_payload_not_the_live_object() -> None:
    scheduler, payload = Scheduler(), {"cart": ["A-1"]}
    await run_live(Delay, {"amount": 1}, payload=payload, services={"scheduler": scheduler})
    payload["cart"].append("B-2")
    assert scheduler.entries[0]["payload"] == {"cart": ["A-1"]}


async def test_a_plain_synchronous_scheduler_works_too() -> None:
    entries: list[dict[str, Any]] = []

    class ListScheduler:
        def schedule(self, entry: dict[str, Any]) -> None:
            entries.append(entry)

    await run_live(Delay, {"amount": 30, "unit": "seconds"}, services={"scheduler": ListScheduler()})
    assert len(entries) == 1


async def test_a_dry_run_only_logs_when_the_path_would_resume() -> None:
    scheduler = Scheduler()
    result, ctx = await run_node(Delay, {"amount": 1, "unit": "days"}, services={"scheduler": scheduler})

    assert result is None
    assert scheduler.entries == []
    assert ctx.logs[0].startswith("dry run: the path would resume at ")


async def test_a_live_run_without_a_scheduler_is_a_broken_set_up_not_a_silent_skip() -> None:
    with pytest.raises(RuntimeError, match=r"needs ctx.services\['scheduler'\]"):
        await run_live(Delay, {"amount": 1})


@pytest.mark.parametrize("config", [{"amount": 0}, {"amount": -5}, {"amount": 367, "unit": "days"},
                                    {"amount": 1, "unit": "weeks"}])
def test_impossible_delays_are_refused(config: dict[str, Any]) -> None:
    with pytest.raises(ValidationError):
        Delay.Config.model_validate(config)
