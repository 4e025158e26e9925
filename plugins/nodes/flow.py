"""Start and End: where a flow's paths begin and stop."""

from __future__ import annotations

from typing import ClassVar

from cairn.core.nodes import NodeContext, NodeResult, NodeType, Output


class Start(NodeType):
    """The entry point: the engine starts every run here."""

    id = "cairn.start"
    version = 1
    name = "Start"
    category = "Flow"
    description = "Where the flow begins when one of its rules matches an event."
    docs = """\
Every flow has one **Start** node. The engine begins each run here, with the event
that matched the flow's rule; the node passes the run's payload on unchanged.

**Ports**: no input; `out` leads to the first step.

**Config**: none.
"""
    inputs: ClassVar[tuple[str, ...]] = ()
    outputs: ClassVar[tuple[str, ...]] = ("out",)

    async def run(self, config: object, ctx: NodeContext) -> NodeResult:
        """Follow ``out`` with the payload the run started with."""
        return Output("out", ctx.payload)


class End(NodeType):
    """A path's explicit end; reaching it stops that path (other branches go on)."""

    id = "cairn.end"
    version = 1
    name = "End"
    category = "Flow"
    description = "Ends this path of the flow."
    docs = """\
Stops the path that reaches it. Other branches of the same run carry on; a path also
ends at any node with no outgoing edge, so this node mostly makes the drawing clearer.

**Ports**: `in`; no outputs.

**Config**: none.
"""
    outputs: ClassVar[tuple[str, ...]] = ()

    async def run(self, config: object, ctx: NodeContext) -> NodeResult:
        """Follow nothing."""
        return None
