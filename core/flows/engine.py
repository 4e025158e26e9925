"""The flow engine: runs one compiled flow on one event, following ports.

How a run goes:

- It begins at every start node (a node type without input port), whose payload is
  the event's ``properties``.
- Nodes run one at a time, breadth first: a node's outputs are queued in the order
  it returned them, each followed along every edge that leaves its port.
- **Branches**: a node that returns several :class:`Output` s continues on each port.
- **Joins**: a node reached by several paths runs once *per arrival*, each time with
  the payload of the path that reached it (there is no implicit "wait for all").
- **Loops** are allowed; a run stops after ``step_limit`` node runs (status
  ``step_limit``), keeping the changes made until then.
- **Slow nodes**: each run of a node is limited to its type's ``timeout`` (or the
  engine's default); when it expires the node fails with a timeout error.
- **Failures**: a node that raises, times out or returns a port it does not declare
  fails: its own profile changes and UX instructions are dropped, the error goes to
  the trace, its path ends, and the run goes on with the other queued paths. Expected
  failures should leave through an ``error`` port instead.

Nodes change the profile through ``ctx.profile`` (one :class:`ProfileEditor` for all
flows of a profile in a request, so later flows see earlier changes); the engine never
saves: the caller saves every change once, at the end.
"""

from __future__ import annotations

import asyncio
import copy
import logging
import time
from collections import deque
from dataclasses import dataclass, field
from typing import Any

from cairn.core.clock import utcnow
from cairn.core.flows.compiled import CompiledFlow, CompiledNode
from cairn.core.flows.settings import FlowSettings
from cairn.core.flows.tracing import RunTrace, StepTrace, describe_change, to_plain
from cairn.core.ids import new_id
from cairn.core.nodes.base import NodeContext, NodeResult, Output, ProfileEditor, RunInfo
from cairn.core.nodes.registry import NodeRegistry
from cairn.core.profiles.changes import apply_changes

logger = logging.getLogger("cairn.flows")


@dataclass
class Subject:
    """What a run works on: the event, the profile (being edited) and the session."""

    event: dict[str, Any]
    profile: ProfileEditor
    session: dict[str, Any] | None
    base: dict[str, Any]
    """The profile before ``profile.changes``: failed nodes' changes are undone from it."""


@dataclass
class RunResult:
    """A finished run: its trace and the UX instructions for the page."""

    trace: RunTrace
    ux: list[dict[str, Any]] = field(default_factory=list)


class NodeFailed(Exception):
    """A node run that did not complete; the message is what the trace shows."""


class FlowEngine:
    """Runs compiled flows (see the module docstring for the semantics)."""

    def __init__(self, registry: NodeRegistry, settings: FlowSettings) -> None:
        self.registry = registry
        self.settings = settings

    async def run(self, flow: CompiledFlow, subject: Subject, services: dict[str, Any], *,
                  rule_id: str | None = None, dry_run: bool = False, run_id: str | None = None,
                  resume: tuple[str, str, Any, dict[str, Any]] | None = None) -> RunResult:
        """Run ``flow`` on ``subject``; never raises for a node's failure.

        ``resume=(node id, port, payload, variables)`` continues a run that a node paused
        (a delay): the run starts along that port's edges instead of at the start nodes.
        """
        event = subject.event
        trace = RunTrace(id=run_id or new_id(), flow_id=flow.flow_id, flow_name=flow.name, flow_version=flow.version,
                         event_id=event.get("id"), event_type=str(event.get("type", "")),
                         profile_id=subject.profile.data.get("id"), rule_id=rule_id, dry_run=dry_run,
                         started_at=utcnow())
        result = RunResult(trace)
        tracing = dry_run or self.settings.tracing
        started = time.perf_counter()
        variables: dict[str, Any] = {}
        queue: deque[tuple[str, Any]] = deque((start, event.get("properties") or {}) for start in flow.starts)
        if resume is not None:
            node_id, port, payload, variables = resume
            queue = deque((target, payload) for target in flow.targets(node_id, port))
        while queue:
            if len(trace.steps) >= self.settings.step_limit:
                trace.status = "step_limit"
                trace.error = (f"stopped after {self.settings.step_limit} node runs (the step limit) before "
                               f"node {queue[0][0]!r}; check the flow for a loop that never ends")
                break
            node_id, payload = queue.popleft()
            ctx = NodeContext(event=event, profile=subject.profile, session=subject.session,
                              run=RunInfo(flow.flow_id, trace.id, node_id, dry_run), payload=payload,
                              variables=variables, services=services)
            outputs = await self._step(flow.nodes[node_id], ctx, subject, result, tracing, not dry_run)
            for output in outputs:
                queue.extend((target, output.payload) for target in flow.targets(node_id, output.port))
        if trace.status == "ok" and trace.error_count:
            trace.status = "error"
        trace.duration_ms = round((time.perf_counter() - started) * 1000, 3)
        return result

    async def _step(self, node: CompiledNode, ctx: NodeContext, subject: Subject, result: RunResult,
                    tracing: bool, stored: bool) -> list[Output]:
        trace, limit = result.trace, self.settings.trace_value_bytes
        step = StepTrace(step=len(trace.steps) + 1, node_id=node.id, node_type=node.type_id,
                         input=to_plain(ctx.payload, limit, escape=stored) if tracing else None,
                         started_at=utcnow())
        trace.steps.append(step)
        mark = len(subject.profile.changes)
        started = time.perf_counter()
        try:
            outputs = await self._run_node(node, ctx)
        except NodeFailed as failure:
            step.error = str(failure)
            _revert(subject, mark)
            logger.warning("flow %s, node %s (%s): %s", trace.flow_id, node.id, node.type_id, failure)
            outputs = []
        else:
            result.ux.extend(ctx.ux)
        step.duration_ms = round((time.perf_counter() - started) * 1000, 3)
        step.logs = list(ctx.logs)
        if tracing:
            step.outputs = [{"port": out.port, "payload": to_plain(out.payload, limit, escape=stored)}
                            for out in outputs]
            step.changes = [describe_change(change, escape=stored) for change in subject.profile.changes[mark:]]
            step.ux = [] if step.error else to_plain(ctx.ux, limit, escape=stored)
        return outputs

    async def _run_node(self, node: CompiledNode, ctx: NodeContext) -> list[Output]:
        if node.problem or node.instance is None:
            raise NodeFailed(node.problem or "the node could not be prepared")
        if node.type_id in self.registry.disabled:
            raise NodeFailed(f"node type {node.type_id!r} is {self.registry.disabled[node.type_id]}")
        timeout = node.timeout if node.timeout is not None else self.settings.node_timeout
        try:
            async with asyncio.timeout(timeout if timeout and timeout > 0 else None) as scope:
                returned = await node.instance.run(node.config, ctx)
            outputs = _outputs(returned, node)
        except TimeoutError as error:
            if scope.expired():
                raise NodeFailed(f"timed out after {timeout:g} s (the node's time limit)") from error
            self.registry.record_failure(node.type_id, error)
            raise NodeFailed(f"TimeoutError: {error}") from error
        except Exception as error:  # noqa: BLE001 - a broken node must not stop the run
            self.registry.record_failure(node.type_id, error)
            raise NodeFailed(f"{type(error).__name__}: {error}") from error
        self.registry.record_success(node.type_id)
        return outputs


def _outputs(returned: NodeResult, node: CompiledNode) -> list[Output]:
    """The outputs a node returned, checked against its declared ports."""
    if returned is None:
        return []
    items = [returned] if isinstance(returned, Output) else returned
    if not isinstance(items, list) or not all(isinstance(item, Output) for item in items):
        raise TypeError(f"run() must return an Output, a list of Outputs or None, not {returned!r}")
    declared = node.type.outputs if node.type else ()
    for item in items:
        if item.port not in declared:
            raise ValueError(f"run() returned port {item.port!r}, which the node type does not declare "
                             f"(its ports: {', '.join(declared) or 'none'})")
    return items


def _revert(subject: Subject, mark: int) -> None:
    """Drop the profile changes recorded after ``mark`` and rebuild the profile without them."""
    editor = subject.profile
    if len(editor.changes) <= mark:
        return
    del editor.changes[mark:]
    rebuilt = apply_changes(copy.deepcopy(subject.base), editor.changes)
    editor.data.clear()
    editor.data.update(rebuilt)
