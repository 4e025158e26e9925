"""Flows: an editable draft in ``flows``, immutable deployed versions in ``flow_versions``.

Editing changes only the draft. Deploying validates the draft and, if it has no
problem, stores it as version n+1 and makes that the version rules run; earlier
versions stay (traces name the version that ran).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError
from pymongo import ASCENDING, DESCENDING, IndexModel
from pymongo.errors import DuplicateKeyError

from cairn.core.clock import utcnow
from cairn.core.flows.errors import Invalid, NotFound
from cairn.core.flows.graph import Graph, Problem
from cairn.core.ids import new_id
from cairn.core.store.database import Database
from cairn.core.store.keys import escape_keys, unescape_keys

VERSION_INDEXES = [IndexModel([("flow_id", ASCENDING), ("version", DESCENDING)], unique=True)]


class Flow(BaseModel):
    """A flow as the editor sees it: its draft and which version is deployed."""

    model_config = ConfigDict(extra="ignore")

    id: str
    name: str = Field(min_length=1)
    description: str = ""
    draft: Graph = Field(default_factory=Graph)
    deployed_version: int | None = None
    created_at: datetime
    updated_at: datetime


class FlowVersion(BaseModel):
    """A deployed version: never changes."""

    model_config = ConfigDict(extra="ignore")

    flow_id: str
    version: int
    name: str
    graph: Graph
    deployed_at: datetime


class DeployResult(BaseModel):
    """Either the new version or the problems that stopped the deployment."""

    version: FlowVersion | None = None
    problems: list[Problem] = Field(default_factory=list)


class FlowRepository:
    """Stores flows and their versions."""

    def __init__(self, database: Database, on_change: Callable[[], None]) -> None:
        self.flows = database.collection("flows")
        self.versions = database.collection("flow_versions")
        database.add_indexes("flow_versions", VERSION_INDEXES)
        self.on_change = on_change

    async def create(self, name: str, description: str = "", graph: Graph | dict[str, Any] | None = None) -> Flow:
        """Create a flow with a draft (empty unless ``graph`` is given)."""
        now = utcnow()
        flow = _validated({"id": new_id(), "name": name, "description": description,
                           "draft": graph or Graph(), "created_at": now, "updated_at": now})
        await self.flows.insert_one(_to_document(flow))
        return flow

    async def update(self, flow_id: str, *, name: str | None = None, description: str | None = None,
                     graph: Graph | dict[str, Any] | None = None) -> Flow:
        """Change the name, description or draft graph (deployed versions stay as they are)."""
        flow = await self.get(flow_id)
        if flow is None:
            raise NotFound("flow", flow_id)
        changes = {"name": name, "description": description, "draft": graph}
        data = {**flow.model_dump(), **{k: v for k, v in changes.items() if v is not None}, "updated_at": utcnow()}
        updated = _validated(data)
        await self.flows.replace_one({"_id": flow_id}, _to_document(updated))
        return updated

    async def delete(self, flow_id: str) -> bool:
        """Delete the flow and its versions; return whether it existed."""
        result = await self.flows.delete_one({"_id": flow_id})
        await self.versions.delete_many({"flow_id": flow_id})
        self.on_change()
        return result.deleted_count == 1

    async def get(self, flow_id: str) -> Flow | None:
        """One flow, or ``None``."""
        doc = await self.flows.find_one({"_id": flow_id})
        return _from_document(doc) if doc else None

    async def list(self) -> list[Flow]:
        """Every flow, by name."""
        return [_from_document(doc) async for doc in self.flows.find().sort([("name", ASCENDING), ("_id", ASCENDING)])]

    async def deploy(self, flow_id: str, check: Callable[[Graph], list[Problem]]) -> DeployResult:
        """Deploy the draft as the next version, unless ``check`` finds problems in it."""
        flow = await self.get(flow_id)
        if flow is None:
            raise NotFound("flow", flow_id)
        problems = check(flow.draft)
        if problems:
            return DeployResult(problems=problems)
        while True:
            latest = await self.versions.find_one({"flow_id": flow_id}, sort=[("version", DESCENDING)])
            version = FlowVersion(flow_id=flow_id, version=(latest["version"] if latest else 0) + 1,
                                  name=flow.name, graph=flow.draft, deployed_at=utcnow())
            try:
                await self.versions.insert_one(_version_document(version))
            except DuplicateKeyError:
                continue  # someone deployed at the same moment: take the next number
            break
        await self.flows.update_one({"_id": flow_id, "$or": [{"deployed_version": None},
                                                             {"deployed_version": {"$lt": version.version}}]},
                                    {"$set": {"deployed_version": version.version}})
        self.on_change()
        return DeployResult(version=version)

    async def list_versions(self, flow_id: str) -> list[FlowVersion]:
        """The deployed versions of a flow, newest first."""
        cursor = self.versions.find({"flow_id": flow_id}).sort([("version", DESCENDING)])
        return [_version_from_document(doc) async for doc in cursor]

    async def get_version(self, flow_id: str, version: int) -> FlowVersion | None:
        """One deployed version, or ``None``."""
        doc = await self.versions.find_one({"_id": _version_id(flow_id, version)})
        return _version_from_document(doc) if doc else None

    async def deployed(self, flow_ids: Iterable[str]) -> dict[str, FlowVersion]:
        """The deployed version of each flow that has one, by flow id."""
        wanted = list(dict.fromkeys(flow_ids))
        if not wanted:
            return {}
        current = {doc["_id"]: doc["deployed_version"]
                   async for doc in self.flows.find({"_id": {"$in": wanted}}, {"deployed_version": 1})
                   if doc.get("deployed_version")}
        ids = [_version_id(flow_id, version) for flow_id, version in current.items()]
        return {doc["flow_id"]: _version_from_document(doc) async for doc in self.versions.find({"_id": {"$in": ids}})}


def _validated(data: dict[str, Any]) -> Flow:
    try:
        return Flow.model_validate(data)
    except ValidationError as error:
        raise Invalid.from_validation("flow", error) from None


def _version_id(flow_id: str, version: int) -> str:
    return f"{flow_id}@{version}"


def _to_document(flow: Flow) -> dict[str, Any]:
    doc: dict[str, Any] = escape_keys(flow.model_dump(exclude={"id"}))
    doc["_id"] = flow.id
    return doc


def _from_document(doc: dict[str, Any]) -> Flow:
    return Flow.model_validate({**unescape_keys({k: v for k, v in doc.items() if k != "_id"}), "id": doc["_id"]})


def _version_document(version: FlowVersion) -> dict[str, Any]:
    doc: dict[str, Any] = escape_keys(version.model_dump())
    doc["_id"] = _version_id(version.flow_id, version.version)
    return doc


def _version_from_document(doc: dict[str, Any]) -> FlowVersion:
    return FlowVersion.model_validate(unescape_keys({k: v for k, v in doc.items() if k != "_id"}))
