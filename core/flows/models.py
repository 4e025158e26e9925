"""What administrators configure: rules, event schemas, event mappings, identification points.

Each is a pydantic model validated on every create and update: a condition that does
not compile, a JSON Schema that is not one, a mapping expression with a typo is
refused with the position and a hint, before it can reach the ingestion path.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any, Literal

import jsonschema
from pydantic import BaseModel, ConfigDict, Field, field_validator

from cairn.core.conditions import Condition, ConditionError, compile_condition

CONDITION_ROOTS = ("event", "profile", "session")
"""What rule conditions and mapping expressions can read."""
ANY_EVENT = "*"
"""The event type of a rule (mapping…) that matches every event type."""
_KIND = re.compile(r"^[a-z][a-z0-9_]*$")


def compile_expression(source: str) -> Condition:
    """Compile a condition or value expression over ``event``, ``profile`` and ``session``."""
    return compile_condition(source, roots=CONDITION_ROOTS)


def _check_expression(source: str) -> str:
    try:
        compile_expression(source)
    except ConditionError as error:
        raise ValueError(str(error)) from None
    return source


class Entity(BaseModel):
    """Fields every stored configuration item has."""

    model_config = ConfigDict(extra="forbid")

    id: str
    name: str = ""
    enabled: bool = True
    created_at: datetime | None = None
    updated_at: datetime | None = None


class EventFilter(Entity):
    """Items chosen by event type (``*`` for any) and, optionally, by source."""

    event_type: str = Field(min_length=1)
    source_id: str | None = None

    def applies_to(self, event: dict[str, Any]) -> bool:
        """Whether the item's type and source match ``event``."""
        return (self.enabled and self.event_type in (ANY_EVENT, event.get("type"))
                and (self.source_id is None or self.source_id == event.get("source_id")))


class Rule(EventFilter):
    """Run ``flow_id`` for events of ``event_type`` (from ``source_id``) for which ``condition`` holds.

    ``condition`` is in the condition language and sees ``event``, ``profile`` (the
    profile as the event left it) and ``session``. Several rules may match an event;
    their flows run one after the other, in the order the rules were created.
    """

    flow_id: str = Field(min_length=1)
    condition: str | None = None

    @field_validator("condition")
    @classmethod
    def _compiles(cls, value: str | None) -> str | None:
        return _check_expression(value) if value and value.strip() else None


class EventSchema(EventFilter):
    """A JSON Schema events of ``event_type`` must satisfy.

    ``target`` says what is checked: the event's ``properties`` (default) or the whole
    ``event`` (``type``, ``properties``, ``traits``, ``context``…). ``on_invalid``:
    ``mark`` stores a failing event with ``valid: false`` and its ``validation_errors``
    (it triggers no flow, mapping or identification); ``refuse`` rejects it in the
    response, by index, like any bad event.
    """

    json_schema: dict[str, Any]
    target: Literal["properties", "event"] = "properties"
    on_invalid: Literal["mark", "refuse"] = "mark"

    @field_validator("json_schema")
    @classmethod
    def _is_schema(cls, value: dict[str, Any]) -> dict[str, Any]:
        try:
            jsonschema.validators.validator_for(value).check_schema(value)
        except jsonschema.SchemaError as error:
            where = "/".join(str(part) for part in error.absolute_path) or "the top level"
            raise ValueError(f"not a valid JSON Schema at {where}: {error.message}") from None
        return value


class MappingField(BaseModel):
    """Copy the value of ``source`` (an expression such as ``event.properties.plan``) to trait ``trait``.

    ``mode``: ``always`` overwrites, ``if_empty`` keeps an existing value, ``append``
    adds to a list trait (no duplicates). A missing value changes nothing.
    """

    model_config = ConfigDict(extra="forbid")

    source: str = Field(min_length=1)
    trait: str = Field(min_length=1)
    mode: Literal["always", "if_empty", "append"] = "always"

    _source = field_validator("source")(classmethod(lambda cls, value: _check_expression(value)))


class EventMapping(EventFilter):
    """Event data copied to the profile before flows run (no flow needed)."""

    fields: list[MappingField] = Field(min_length=1)


class IdentifierField(BaseModel):
    """The value of ``source`` identifies the customer as identifier ``kind`` (``email``, ``phone``…)."""

    model_config = ConfigDict(extra="forbid")

    source: str = Field(min_length=1)
    kind: str = Field(min_length=1)

    _source = field_validator("source")(classmethod(lambda cls, value: _check_expression(value)))

    @field_validator("kind")
    @classmethod
    def _simple_kind(cls, value: str) -> str:
        if not _KIND.match(value):
            raise ValueError("use lower-case letters, digits and _ (e.g. email, customer_number)")
        return value


class IdentificationPoint(EventFilter):
    """Events of this type identify the customer: the profile claims the identifiers and merges
    with the profile that already holds one (e.g. ``login`` with ``event.properties.email``)."""

    identifiers: list[IdentifierField] = Field(min_length=1)
