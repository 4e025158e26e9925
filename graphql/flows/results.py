"""Union members of the flow mutations, and the translation of the core's expected errors."""

from __future__ import annotations

from collections.abc import Awaitable
from typing import Annotated, TypeVar

import strawberry
from pydantic import ValidationError

from cairn.core.flows import Invalid, NotFound as CoreNotFound
from cairn.graphql.flows.config_types import EventMapping, EventSchema, IdentificationPoint, Rule
from cairn.graphql.flows.types import Flow, FlowVersion, GraphProblem, NodeType
from cairn.graphql.results import FieldError, InvalidInput, NotFound

T = TypeVar("T")


@strawberry.type(description="The flow was saved.")
class FlowSaved:
    flow: Flow


@strawberry.type(description="The draft was deployed as a new version.")
class FlowDeployed:
    flow: Flow
    version: FlowVersion


@strawberry.type(description="The draft was not deployed: fix each problem listed, then deploy again.")
class DeployRefused:
    message: str
    problems: list[GraphProblem]


@strawberry.type(description="The item was deleted.")
class Deleted:
    id: strawberry.ID


@strawberry.type
class RuleSaved:
    rule: Rule


@strawberry.type
class EventSchemaSaved:
    event_schema: EventSchema


@strawberry.type
class EventMappingSaved:
    event_mapping: EventMapping


@strawberry.type
class IdentificationPointSaved:
    identification_point: IdentificationPoint


@strawberry.type(description="The node type runs again.")
class NodeTypeEnabled:
    node_type: NodeType


async def expected(work: Awaitable[T]) -> T | InvalidInput | NotFound:
    """Await ``work``; turn the core's expected errors into union members."""
    try:
        return await work
    except Invalid as error:
        return InvalidInput.of([FieldError(field=p.get("field", ""), message=p.get("message", ""))
                                for p in error.problems])
    except CoreNotFound as error:
        return NotFound.of(error.kind, error.item_id)
    except ValidationError as error:
        return InvalidInput.of([FieldError(field=".".join(str(p) for p in d["loc"]), message=d["msg"])
                                for d in error.errors()])


FlowResult = Annotated[FlowSaved | InvalidInput | NotFound, strawberry.union("FlowResult")]
DeployResult = Annotated[FlowDeployed | DeployRefused | NotFound, strawberry.union("DeployFlowResult")]
DeleteResult = Annotated[Deleted | NotFound, strawberry.union("DeleteResult")]
RuleResult = Annotated[RuleSaved | InvalidInput | NotFound, strawberry.union("RuleResult")]
EventSchemaResult = Annotated[EventSchemaSaved | InvalidInput | NotFound, strawberry.union("EventSchemaResult")]
EventMappingResult = Annotated[EventMappingSaved | InvalidInput | NotFound, strawberry.union("EventMappingResult")]
IdentificationPointResult = Annotated[IdentificationPointSaved | InvalidInput | NotFound,
                                      strawberry.union("IdentificationPointResult")]
EnableNodeTypeResult = Annotated[NodeTypeEnabled | NotFound, strawberry.union("EnableNodeTypeResult")]
