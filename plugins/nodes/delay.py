"""Delay: continue the path later, through the engine's scheduler.

The node does not sleep. It hands a *resume entry* to ``ctx.services["scheduler"]``
and returns no output, so the run ends for now; at ``resume_at`` the worker resumes
the flow at this node's ``out`` port. The contract with whoever provides the
scheduler (the flow engine and its worker) is :class:`Scheduler` and
:func:`resume_entry`.
"""

from __future__ import annotations

import copy
from datetime import datetime, timedelta
from typing import Any, ClassVar, Literal, Protocol

from pydantic import BaseModel, ConfigDict, Field, model_validator

from cairn.core.clock import utcnow
from cairn.core.nodes import NodeContext, NodeResult, NodeType
from cairn.core.plugin_manager import await_me_maybe

MAX_DELAY = timedelta(days=366)


class Scheduler(Protocol):
    """What the engine puts in ``ctx.services["scheduler"]`` so that delayed paths resume.

    ``schedule(entry)`` must store the entry persistently (it survives a restart) and
    return once it is stored; it may be a coroutine. At or after ``entry["resume_at"]``
    the worker loads event ``event_id`` and profile ``profile_id`` and continues the
    run of flow ``flow_id`` from node ``node_id``, following output ``port`` with
    ``payload`` and the run's ``variables``; it runs each entry once.
    """

    def schedule(self, entry: dict[str, Any]) -> Any:
        """Store ``entry`` (see :func:`resume_entry`) for the worker."""


class DelayConfig(BaseModel):
    """How long to wait."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    amount: float = Field(gt=0, description="How long to wait, in 'unit'.", examples=[30, 2, 1.5])
    unit: Literal["seconds", "minutes", "hours", "days"] = Field("minutes", description="The unit of 'amount'.")

    @model_validator(mode="after")
    def _not_too_long(self) -> DelayConfig:
        if self.duration() > MAX_DELAY:
            raise ValueError(f"a delay may last at most {MAX_DELAY.days} days")
        return self

    def duration(self) -> timedelta:
        """The delay as a timedelta."""
        return timedelta(**{self.unit: self.amount})


def resume_entry(ctx: NodeContext, resume_at: datetime) -> dict[str, Any]:
    """The entry handed to the scheduler: when, and where the run goes on.

    Keys: ``resume_at`` (aware UTC datetime), ``flow_id``, ``run_id``, ``node_id``,
    ``port`` (always ``"out"``), ``event_id``, ``profile_id``, ``payload`` and
    ``variables`` (copies of the run's state at the delay).
    """
    return {"resume_at": resume_at, "flow_id": ctx.run.flow_id, "run_id": ctx.run.run_id,
            "node_id": ctx.run.node_id, "port": "out", "event_id": ctx.event.get("id"),
            "profile_id": ctx.profile.id, "payload": copy.deepcopy(ctx.payload),
            "variables": copy.deepcopy(ctx.variables)}


class Delay(NodeType):
    """Pauses the path and resumes it later."""

    id = "cairn.delay"
    version = 1
    name = "Delay"
    category = "Flow"
    description = "Waits, then continues the path (e.g. send a reminder two days after the visit)."
    docs = """\
Pauses this path for `amount` `unit`s (at most a year), then continues through `out`
with the same payload and run variables. The wait is stored, not slept: it survives
restarts, and the worker resumes the path when the time comes. Nodes after the delay
see the profile as it is then.

In a dry run the node only logs when the path would resume.

**Ports**: `in`; `out` (followed later).

**Config**: `amount`, `unit` (`seconds`, `minutes`, `hours`, `days`).
"""
    outputs: ClassVar[tuple[str, ...]] = ("out",)
    Config = DelayConfig

    async def run(self, config: DelayConfig, ctx: NodeContext) -> NodeResult:
        """Schedule the resumption; follow nothing now."""
        resume_at = utcnow() + config.duration()
        if ctx.dry_run:
            ctx.log(f"dry run: the path would resume at {resume_at.isoformat()}")
            return None
        scheduler = ctx.services.get("scheduler")
        if scheduler is None:
            raise RuntimeError("the delay node needs ctx.services['scheduler'] (provided by the flow engine); "
                               "run the flow through the engine, or pass a scheduler in services")
        await await_me_maybe(scheduler.schedule(resume_entry(ctx, resume_at)))
        ctx.log(f"the path resumes at {resume_at.isoformat()}")
        return None
