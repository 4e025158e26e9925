"""The flow services of a running Cairn (``cairn.flows``): one object the API and the pipeline use.

Created with the :class:`~cairn.core.runtime.Cairn`; :meth:`FlowService.start` builds
the node registry from the plugins (before any ``on_startup`` hook) and plugs the
processor into the ingestion pipeline.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

import httpx

from cairn.core.flows.catalog import Catalog, Sources
from cairn.core.flows.compiled import compile_graph
from cairn.core.flows.dry_run import DryRunResult, blank_profile, dry_run, sample_event
from cairn.core.flows.engine import FlowEngine, Subject
from cairn.core.flows.errors import Invalid, NotFound
from cairn.core.flows.flows import DeployResult, FlowRepository
from cairn.core.flows.graph import Graph, Problem, validate_graph
from cairn.core.flows.identification import Identifier
from cairn.core.flows.models import EventMapping, EventSchema, IdentificationPoint, Rule
from cairn.core.flows.processor import FlowProcessor
from cairn.core.flows.resume import live_services, register_resume_handler
from cairn.core.flows.schemas import refuse_invalid
from cairn.core.flows.settings import FlowSettings
from cairn.core.flows.store import ModelStore
from cairn.core.flows.tracing import TraceStore
from cairn.core.ids import new_id
from cairn.core.ingestion.incoming import IncomingEvent
from cairn.core.models.source import EventSource
from cairn.core.nodes.registry import NodeRegistry
from cairn.core.store.keys import unescape_keys

if TYPE_CHECKING:
    from cairn.core.runtime import Cairn

logger = logging.getLogger("cairn.flows")


class FlowService:
    """Flows, rules, event schemas, mappings, identification points, traces, dry runs."""

    def __init__(self, cairn: Cairn, settings: FlowSettings | None = None) -> None:
        self.cairn = cairn
        self.database = cairn.database
        self._settings = settings or FlowSettings.from_env()
        self.nodes = NodeRegistry(cairn.plugins, self._settings.node_failure_limit)
        self.engine = FlowEngine(self.nodes, self._settings)
        self.flows = FlowRepository(self.database, self.invalidate)
        self.rules = ModelStore(self.database, "rules", Rule, "rule", self.invalidate)
        self.schemas = ModelStore(self.database, "event_schemas", EventSchema, "event schema", self.invalidate)
        self.mappings = ModelStore(self.database, "event_mappings", EventMapping, "event mapping", self.invalidate)
        self.identification = ModelStore(self.database, "identification_points", IdentificationPoint,
                                         "identification point", self.invalidate)
        self.traces = TraceStore(self.database)
        self.identifier = Identifier(self.database, cairn.pipeline.repository, cairn.pipeline.merger)
        self.catalog = Catalog(Sources(
            rules=lambda: self.rules.list({"enabled": True}), schemas=lambda: self.schemas.list({"enabled": True}),
            mappings=lambda: self.mappings.list({"enabled": True}),
            points=lambda: self.identification.list({"enabled": True}), deployed=self.flows.deployed,
        ), self.nodes, lambda: self._settings.cache_seconds)
        self.processor = FlowProcessor(self)
        self.http: httpx.AsyncClient | None = None

    @property
    def settings(self) -> FlowSettings:
        """The engine's settings (change them with :meth:`configure`)."""
        return self._settings

    def configure(self, **changes: Any) -> FlowSettings:
        """Change settings at run time (``step_limit=50``, ``tracing=False``…)."""
        self._settings = self._settings.with_changes(**changes)
        self.engine.settings = self._settings
        self.nodes.failure_limit = self._settings.node_failure_limit
        self.invalidate()
        return self._settings

    async def start(self) -> None:
        """Build the node registry and join the ingestion pipeline."""
        await self.nodes.load()
        pipeline = self.cairn.pipeline
        validators = getattr(pipeline, "validators", None)
        if isinstance(validators, list):
            validators.append(self.refuse_invalid)
        pipeline.processors.append(self.processor)
        register_resume_handler(self)
        self.http = httpx.AsyncClient(timeout=self._settings.node_timeout, follow_redirects=True)

    async def stop(self) -> None:
        """Release the HTTP client."""
        if self.http is not None:
            await self.http.aclose()
            self.http = None

    def invalidate(self) -> None:
        """Make the next event re-read rules, flows, schemas and mappings."""
        self.catalog.invalidate()

    # -- the pipeline's steps ---------------------------------------------------------------

    async def refuse_invalid(self, source: EventSource, events: list[IncomingEvent],
                             ) -> tuple[list[IncomingEvent], list[dict[str, Any]]]:
        """The pipeline's pre-insert step (``Pipeline.validators``): see :func:`cairn.core.flows.schemas.refuse_invalid`."""
        config = await self.catalog.current()
        if not config.schemas:
            return events, []
        return refuse_invalid(config, source.id, events)

    def new_run_id(self) -> str:
        """The id of a new flow run (and of its trace)."""
        return new_id()

    def live_services(self, flow_id: str, version: int | None, run_id: str, subject: Subject) -> dict[str, Any]:
        """``ctx.services`` of a live run: the outbox, the delay scheduler, the HTTP client, Cairn."""
        return live_services(self, flow_id, version, run_id, subject)

    # -- flows ---------------------------------------------------------------------------------

    def check_graph(self, graph: Graph) -> list[Problem]:
        """What stops ``graph`` from being deployed."""
        return validate_graph(graph, self.nodes)

    async def deploy(self, flow_id: str) -> DeployResult:
        """Deploy the flow's draft as its next version, or return the problems that stop it."""
        return await self.flows.deploy(flow_id, self.check_graph)

    async def delete_flow(self, flow_id: str) -> bool:
        """Delete a flow, its versions and the rules that run it."""
        await self.rules.delete_where({"flow_id": flow_id})
        return await self.flows.delete(flow_id)

    async def create_rule(self, data: dict[str, Any]) -> Rule:
        """Create a rule for an existing flow."""
        await self._require_flow(data.get("flow_id"))
        return await self.rules.create(data)

    async def update_rule(self, rule_id: str, changes: dict[str, Any]) -> Rule:
        """Change a rule (its flow, if changed, must exist)."""
        if changes.get("flow_id") is not None:
            await self._require_flow(changes["flow_id"])
        return await self.rules.update(rule_id, changes)

    async def _require_flow(self, flow_id: Any) -> None:
        if not isinstance(flow_id, str) or await self.flows.get(flow_id) is None:
            raise Invalid(f"no flow with id {flow_id!r}", [{"field": "flow_id", "message": "no such flow"}],
                          hint="create the flow first, or pick an id from the flow list")

    # -- dry runs ------------------------------------------------------------------------------

    async def dry_run(self, *, flow_id: str | None = None, graph: Graph | None = None,
                      event: dict[str, Any] | None = None, event_id: str | None = None,
                      profile_id: str | None = None) -> DryRunResult:
        """Run a flow's draft (or ``graph``) on ``event`` (JSON) or the stored event ``event_id``."""
        name = "dry run"
        if graph is None:
            flow = await self.flows.get(flow_id or "")
            if flow is None:
                raise NotFound("flow", flow_id or "")
            graph, name = flow.draft, flow.name
        event_doc, profile, session = await self._dry_run_subject(event, event_id, profile_id)
        compiled = compile_graph(graph, self.nodes, flow_id=flow_id or "dry-run", version=None, name=name)
        return await dry_run(self.engine, compiled, self.check_graph(graph), event_doc, profile, session,
                             cairn=self.cairn)

    async def _dry_run_subject(self, event: dict[str, Any] | None, event_id: str | None, profile_id: str | None,
                               ) -> tuple[dict[str, Any], dict[str, Any], dict[str, Any] | None]:
        repository = self.cairn.pipeline.repository
        if event_id:
            doc = await self.database.events.find_one({"_id": event_id})
            if doc is None:
                raise NotFound("event", event_id)
            stored = {**unescape_keys({k: v for k, v in doc.items() if k != "_id"}), "id": doc["_id"]}
            profile = await repository.get(profile_id or stored["profile_id"])
            session = await self.database.sessions.find_one({"_id": stored.get("session_id")})
            return stored, profile or blank_profile(), session
        if event is None:
            raise Invalid("a dry run needs an event", [{"field": "event", "message": "give an event or an event id"}])
        profile = blank_profile()
        if profile_id:
            found = await repository.get(profile_id)
            if found is None:
                raise NotFound("profile", profile_id)
            profile = found
        return sample_event(event, profile["id"]), profile, None
