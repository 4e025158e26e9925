"""GraphQL types of rules, event schemas, event mappings and identification points."""

from __future__ import annotations

from datetime import datetime

import strawberry

from cairn.core.flows import EventMapping as EventMappingModel
from cairn.core.flows import EventSchema as EventSchemaModel
from cairn.core.flows import IdentificationPoint as IdentificationPointModel
from cairn.core.flows import Rule as RuleModel
from cairn.graphql.scalars import JSON


@strawberry.interface(description="Chosen by event type ('*' for any) and, optionally, source.")
class EventFilter:
    id: strawberry.ID
    name: str
    event_type: str
    source_id: str | None
    enabled: bool
    created_at: datetime | None
    updated_at: datetime | None


def _common(model: RuleModel | EventSchemaModel | EventMappingModel | IdentificationPointModel) -> dict[str, object]:
    return {"id": strawberry.ID(model.id), "name": model.name, "event_type": model.event_type,
            "source_id": model.source_id, "enabled": model.enabled, "created_at": model.created_at,
            "updated_at": model.updated_at}


@strawberry.type(description="Runs a flow for the events of a type (and source) for which its condition holds.")
class Rule(EventFilter):
    flow_id: str
    condition: str | None = strawberry.field(description="In the condition language; sees event, profile, session.")

    @classmethod
    def from_model(cls, rule: RuleModel) -> Rule:
        """The GraphQL view of a rule."""
        return cls(**_common(rule), flow_id=rule.flow_id, condition=rule.condition)  # type: ignore[arg-type]


@strawberry.type(description="A JSON Schema the events of a type must satisfy.")
class EventSchema(EventFilter):
    json_schema: JSON
    target: str = strawberry.field(description="properties (default) or event (the whole event).")
    on_invalid: str = strawberry.field(description="mark (store as invalid) or refuse (reject in the response).")

    @classmethod
    def from_model(cls, schema: EventSchemaModel) -> EventSchema:
        """The GraphQL view of an event schema."""
        return cls(**_common(schema), json_schema=schema.json_schema, target=schema.target,  # type: ignore[arg-type]
                   on_invalid=schema.on_invalid)


@strawberry.type(description="Copies an expression's value to a trait: always, if_empty or append.")
class MappingField:
    source: str
    trait: str
    mode: str


@strawberry.type(description="Event data copied to the profile before flows run.")
class EventMapping(EventFilter):
    fields: list[MappingField]

    @classmethod
    def from_model(cls, mapping: EventMappingModel) -> EventMapping:
        """The GraphQL view of a mapping."""
        fields = [MappingField(source=f.source, trait=f.trait, mode=f.mode) for f in mapping.fields]
        return cls(**_common(mapping), fields=fields)  # type: ignore[arg-type]


@strawberry.type(description="An expression whose value identifies the customer as an identifier kind.")
class IdentifierField:
    source: str
    kind: str


@strawberry.type(description="Events that identify the customer: profiles sharing an identifier merge.")
class IdentificationPoint(EventFilter):
    identifiers: list[IdentifierField]

    @classmethod
    def from_model(cls, point: IdentificationPointModel) -> IdentificationPoint:
        """The GraphQL view of an identification point."""
        identifiers = [IdentifierField(source=f.source, kind=f.kind) for f in point.identifiers]
        return cls(**_common(point), identifiers=identifiers)  # type: ignore[arg-type]
