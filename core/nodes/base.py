"""The node contract: a declarative spec plus one async ``run``.

A node type is a class. Its class attributes declare what the editor shows and the
engine checks (id, version, name, category, description, ports, config model); its
``run`` receives the validated config and a :class:`NodeContext` and returns which
output port(s) to follow, with what payload. The engine never sets attributes on
the instance: everything a run needs comes in as arguments.

Expected failures (a bad HTTP status, a missing field) leave through an ``error``
port when the node declares one; an exception is a broken node: the engine records
it in the run's trace and the rest of the event's processing goes on.
"""

from __future__ import annotations

import copy
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict

from cairn.core.nodes.services import CallRecorder, RecordingOutbox
from cairn.core.profiles.changes import (
    AddToList,
    Change,
    Increment,
    RemoveFromList,
    SetField,
    SetIfMissing,
    Unset,
)


class EmptyConfig(BaseModel):
    """The configuration of a node that needs none."""

    model_config = ConfigDict(frozen=True, extra="forbid")


@dataclass(frozen=True)
class Output:
    """Follow output ``port`` with ``payload`` (the next node's ``ctx.payload``)."""

    port: str
    payload: Any = None


NodeResult = Output | list[Output] | None
"""What ``run`` returns: one port, several ports (a branch), or nothing (the path ends)."""


class ProfileEditor:
    """The profile as a node sees it: read it as a dict, change it through methods.

    Every change is applied at once to the in-memory copy (so later nodes see it) and
    recorded as an operation; the engine saves all recorded operations once, at the
    end of the event's processing, with a version check.
    """

    def __init__(self, profile: dict[str, Any]) -> None:
        self.data = profile
        self.changes: list[Change] = []

    @property
    def id(self) -> str:
        """The profile id."""
        return str(self.data["id"])

    @property
    def traits(self) -> dict[str, Any]:
        """The traits (read-only by convention: change them with :meth:`set_trait`)."""
        return self.data.setdefault("traits", {})

    def record(self, change: Change) -> None:
        """Apply a change now and keep it for the save."""
        change.apply(self.data)
        self.changes.append(change)

    def set_trait(self, name: str, value: Any, *, only_if_empty: bool = False) -> None:
        """Set a trait (``only_if_empty`` keeps an existing non-empty value)."""
        self.record((SetIfMissing if only_if_empty else SetField)(("traits", name), value))

    def remove_trait(self, name: str) -> None:
        """Remove a trait."""
        self.record(Unset(("traits", name)))

    def append_trait(self, name: str, *values: Any) -> None:
        """Add values to a list trait (no duplicates)."""
        self.record(AddToList(("traits", name), values))

    def increment(self, path: tuple[str, ...], amount: float = 1) -> None:
        """Add ``amount`` to the number at ``path`` (e.g. ``("traits", "orders")``)."""
        self.record(Increment(path, amount))

    def add_tags(self, *tags: str) -> None:
        """Tag the profile."""
        self.record(AddToList(("tags",), tags))

    def remove_tags(self, *tags: str) -> None:
        """Remove tags."""
        self.record(RemoveFromList(("tags",), tags))

    def add_interest(self, name: str, weight: float = 1) -> None:
        """Strengthen an interest by ``weight``."""
        self.record(Increment(("interests", name), weight))

    def remove_interest(self, name: str) -> None:
        """Forget an interest."""
        self.record(Unset(("interests", name)))


@dataclass(frozen=True)
class RunInfo:
    """Where in which flow run the node is."""

    flow_id: str
    run_id: str
    node_id: str
    dry_run: bool = False


@dataclass
class NodeContext:
    """Everything a node run receives besides its config.

    ``payload`` is what the previous node sent along the edge (a start node gets the
    event's ``properties``); ``variables`` is shared by the nodes of one run; ``ux``
    collects instructions for the page that sent the event (widgets); ``services``
    gives access to Cairn's services (``cairn``, the outbox, an HTTP client…), set up
    by the engine (see :mod:`cairn.core.nodes.services`). In a dry run
    (:attr:`dry_run`), send through :meth:`send` (recorded, not sent) and note any
    other side effect with :meth:`record_call` instead of performing it.
    """

    event: dict[str, Any]
    profile: ProfileEditor
    session: dict[str, Any] | None
    run: RunInfo
    payload: Any = None
    variables: dict[str, Any] = field(default_factory=dict)
    ux: list[dict[str, Any]] = field(default_factory=list)
    logs: list[str] = field(default_factory=list)
    services: dict[str, Any] = field(default_factory=dict)

    def log(self, message: str) -> None:
        """Add a line to the run's trace."""
        self.logs.append(message)

    @property
    def dry_run(self) -> bool:
        """Whether this is a dry run: change the profile and follow ports, but touch nothing outside."""
        return self.run.dry_run or bool(self.services.get("dry_run"))

    async def send(self, channel: str, message: dict[str, Any], *, to: str | None = None) -> str:
        """Send ``message`` through ``channel`` via the outbox; return the message id.

        Live runs queue the message for the outbox worker (it survives restarts and is
        retried); dry runs only record it. Never call a channel directly from a node.
        """
        outbox = self.services.get("outbox")
        if outbox is None:
            if not self.dry_run:
                raise RuntimeError("no outbox in ctx.services: live runs get one from the flow engine; "
                                   "in a test, pass services={'outbox': RecordingOutbox()}")
            outbox = self.services["outbox"] = RecordingOutbox(self._recorder())
        return str(await outbox.send(channel, message, to=to, node_id=self.run.node_id))

    def record_call(self, kind: str, details: dict[str, Any]) -> None:
        """In a dry run, note the side effect (``"http"``, ``"ai"``…) the node skipped, for the result."""
        self._recorder().record(kind, details, node_id=self.run.node_id)

    def _recorder(self) -> CallRecorder:
        recorder = self.services.get("calls")
        if not isinstance(recorder, CallRecorder):
            recorder = self.services["calls"] = CallRecorder()
        return recorder

    def condition_context(self) -> dict[str, Any]:
        """The mapping conditions and templates see: event, profile, session, payload, variables."""
        return {"event": self.event, "profile": self.profile.data, "session": self.session or {},
                "payload": self.payload, "flow": {"variables": self.variables}}

    def snapshot(self) -> dict[str, Any]:
        """A deep copy of what the node received, for traces."""
        return copy.deepcopy({"payload": self.payload, "variables": self.variables})


class NodeType:
    """Base class of every flow node type.

    Subclasses set the class attributes and implement :meth:`run`::

        class AddTag(NodeType):
            id = "cairn.add_tag"
            name = "Add tag"
            category = "Profile"
            description = "Tags the profile."
            outputs = ("out",)
            Config = AddTagConfig

            async def run(self, config: AddTagConfig, ctx: NodeContext) -> NodeResult:
                ctx.profile.add_tags(config.tag)
                return Output("out", ctx.payload)
    """

    id: ClassVar[str]
    """A stable, globally unique id (prefix it with your package name: ``acme.score``)."""
    version: ClassVar[int] = 1
    """Bump when the config or behaviour changes incompatibly."""
    name: ClassVar[str]
    """What the editor's palette shows."""
    category: ClassVar[str] = "General"
    """The palette group: Flow, Profile, Data, AI, Messaging, Integration, UX…"""
    description: ClassVar[str] = ""
    """One or two sentences: what the node does."""
    docs: ClassVar[str] = ""
    """Longer documentation (Markdown) shown in the editor."""
    inputs: ClassVar[tuple[str, ...]] = ("in",)
    """The input port (one; a start node has none)."""
    outputs: ClassVar[tuple[str, ...]] = ("out",)
    """Named output ports, in the order the editor draws them."""
    Config: ClassVar[type[BaseModel]] = EmptyConfig
    """A frozen pydantic model; its JSON Schema drives the editor's form."""
    timeout: ClassVar[float | None] = None
    """Seconds a run may take before the engine stops it (``None``: the engine's default)."""

    @classmethod
    def is_start(cls) -> bool:
        """Whether flows begin here: a node type without input port is a start node."""
        return not cls.inputs

    @classmethod
    def config_schema(cls) -> dict[str, Any]:
        """The JSON Schema of the config model."""
        return cls.Config.model_json_schema()

    async def run(self, config: Any, ctx: NodeContext) -> NodeResult:
        """Do the node's work and say which port(s) to follow. The default follows ``out``."""
        return Output(self.outputs[0], ctx.payload) if self.outputs else None


NodeRunner = Callable[[Any, NodeContext], Awaitable[NodeResult]]
