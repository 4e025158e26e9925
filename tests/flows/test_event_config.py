"""Event schemas, event-to-profile mappings and identification points."""

from __future__ import annotations

import httpx
import pytest

from cairn.core.flows import Invalid
from cairn.core.flows.catalog import ActiveConfig, ActiveSchema, ByEventType
from cairn.core.flows.catalog import _validator as validator_for
from cairn.core.flows.models import EventSchema
from cairn.core.clock import utcnow
from cairn.core.flows.schemas import refuse_invalid
from cairn.core.ingestion.incoming import IncomingEvent
from cairn.core.runtime import Cairn
from tests.flows.support import deployed_flow, graph, traces_of, track

ORDER_SCHEMA = {"type": "object", "required": ["total"],
                "properties": {"total": {"type": "number", "minimum": 0}, "email": {"format": "email"}}}


async def profile(cairn: Cairn, response: dict) -> dict:
    found = await cairn.pipeline.repository.get(response["profile"]["id"])
    assert found is not None
    return found


# -- event schemas ------------------------------------------------------------------------------

async def test_events_failing_their_schema_are_stored_invalid_and_trigger_nothing(
        cairn: Cairn, client: httpx.AsyncClient, write_key: str) -> None:
    await cairn.flows.schemas.create({"event_type": "purchase", "json_schema": ORDER_SCHEMA})
    flow_id = await deployed_flow(cairn, graph(("start", "test.start"), ("tag", "test.tag", {"tag": "buyer"})))
    await cairn.flows.mappings.create({"event_type": "purchase",
                                       "fields": [{"source": "event.properties.total", "trait": "last_total"}]})

    response = await track(client, write_key, {"type": "purchase", "properties": {"total": "ten"}},
                           {"type": "purchase", "properties": {}})

    assert response["stored"] == 2
    stored = await cairn.database.events.find({"type": "purchase"}).to_list(None)
    assert {event["valid"] for event in stored} == {False}
    assert sorted(e for event in stored for e in event["validation_errors"]) == [
        "properties.total: 'ten' is not of type 'number'", "properties: 'total' is a required property"]
    found = await profile(cairn, response)
    assert found.get("tags", []) == [] and "last_total" not in found.get("traits", {})
    assert found["stats"]["events"] == 2
    assert await traces_of(cairn, flow_id) == []

    valid = await track(client, write_key, {"type": "purchase", "properties": {"total": 12}})
    assert (await profile(cairn, valid))["tags"] == ["buyer"]
    assert (await cairn.database.events.find_one({"properties.total": 12}))["valid"] is True


async def test_a_schema_can_check_the_whole_event(cairn: Cairn, client: httpx.AsyncClient, write_key: str) -> None:
    await cairn.flows.schemas.create({"event_type": "signup", "target": "event", "json_schema": {
        "type": "object", "required": ["traits"], "properties": {"traits": {"required": ["email"]}}}})

    await track(client, write_key, {"type": "signup", "traits": {"name": "Ann"}})

    event = await cairn.database.events.find_one({"type": "signup"})
    assert event["validation_errors"] == ["traits: 'email' is a required property"]


async def test_refusing_schemas_take_events_out_before_anything_is_written() -> None:
    refusing = EventSchema(id="s", event_type="purchase", json_schema=ORDER_SCHEMA, on_invalid="refuse")
    marking = EventSchema(id="m", event_type="refund", json_schema=ORDER_SCHEMA)
    other_source = EventSchema(id="o", event_type="page", source_id="elsewhere", json_schema=ORDER_SCHEMA,
                               on_invalid="refuse")
    config = ActiveConfig(schemas=ByEventType([(s, ActiveSchema(s, validator_for(ORDER_SCHEMA)))
                                              for s in (refusing, marking, other_source)]))
    now = utcnow()
    events = [IncomingEvent(index=i, kind="track", type=kind, message_id=str(i), received_at=now, occurred_at=now,
                            properties=properties)
              for i, (kind, properties) in enumerate([("purchase", {"total": 1}), ("purchase", {"total": -1}),
                                                      ("refund", {}), ("page", {})])]

    kept, refused = refuse_invalid(config, "shop", events)

    assert [event.index for event in kept] == [0, 2, 3]
    assert refused == [{"index": 1, "message": "the event does not match the schema of 'purchase': "
                                               "properties.total: -1 is less than the minimum of 0"}]


async def test_a_refusing_schema_rejects_the_event_or_marks_it_without_the_pre_insert_step(
        cairn: Cairn, client: httpx.AsyncClient, write_key: str) -> None:
    await cairn.flows.schemas.create({"event_type": "purchase", "json_schema": ORDER_SCHEMA, "on_invalid": "refuse"})

    response = await track(client, write_key, {"type": "purchase", "properties": {}}, {"type": "page"})

    if hasattr(cairn.pipeline, "validators"):
        assert response["stored"] == 1 and [e["index"] for e in response["errors"]] == [0]
        assert "required property" in response["errors"][0]["message"]
        assert await cairn.database.events.count_documents({"type": "purchase"}) == 0
    else:
        assert response["stored"] == 2
        assert (await cairn.database.events.find_one({"type": "purchase"}))["valid"] is False


async def test_a_schema_that_is_not_one_is_refused(cairn: Cairn) -> None:
    with pytest.raises(Invalid) as refused:
        await cairn.flows.schemas.create({"event_type": "purchase", "json_schema": {"type": "numbr"}})

    assert refused.value.problems[0]["field"] == "json_schema"
    assert "not a valid JSON Schema at type" in refused.value.problems[0]["message"]


async def test_schema_keywords_with_dollars_survive_the_store(cairn: Cairn) -> None:
    schema = {"$schema": "https://json-schema.org/draft/2020-12/schema", "$defs": {"n": {"type": "number"}},
              "properties": {"total": {"$ref": "#/$defs/n"}}}

    created = await cairn.flows.schemas.create({"event_type": "purchase", "json_schema": schema})

    assert (await cairn.flows.schemas.get(created.id)).json_schema == schema


# -- mappings -------------------------------------------------------------------------------------

async def test_mapping_modes_always_if_empty_and_append(
        cairn: Cairn, client: httpx.AsyncClient, write_key: str) -> None:
    await cairn.flows.mappings.create({"event_type": "purchase", "fields": [
        {"source": "event.properties.plan", "trait": "plan", "mode": "always"},
        {"source": "event.properties.plan", "trait": "first_plan", "mode": "if_empty"},
        {"source": "event.properties.sku", "trait": "bought", "mode": "append"},
        {"source": "lower(event.properties.coupon)", "trait": "coupon"},
        {"source": "event.properties.missing", "trait": "untouched"},
    ]})

    first = await track(client, write_key, {"type": "purchase", "properties": {"plan": "basic", "sku": "A",
                                                                                "coupon": "SPRING"}})
    profile_id = first["profile"]["id"]
    await track(client, write_key, {"type": "purchase", "properties": {"plan": "pro", "sku": ["B", "A"]}},
                profile_id=profile_id)

    traits = (await cairn.pipeline.repository.get(profile_id))["traits"]
    assert traits == {"plan": "pro", "first_plan": "basic", "bought": ["A", "B"], "coupon": "spring"}


async def test_mappings_apply_before_flows(cairn: Cairn, client: httpx.AsyncClient, write_key: str) -> None:
    await cairn.flows.mappings.create({"event_type": "purchase",
                                       "fields": [{"source": "event.properties.plan", "trait": "plan"}]})
    await deployed_flow(cairn, graph(("start", "test.start"), ("tag", "test.tag", {"tag": "pro"})),
                        condition='profile.traits.plan == "pro"')

    response = await track(client, write_key, {"type": "purchase", "properties": {"plan": "pro"}})

    assert (await profile(cairn, response))["tags"] == ["pro"]


async def test_a_mapping_with_a_bad_expression_or_mode_is_refused(cairn: Cairn) -> None:
    with pytest.raises(Invalid) as refused:
        await cairn.flows.mappings.create({"event_type": "x", "fields": [
            {"source": "event.properties.plan +", "trait": "plan"},
            {"source": "event.properties.plan", "trait": "plan", "mode": "sometimes"}]})

    assert [p["field"] for p in refused.value.problems] == ["fields.0.source", "fields.1.mode"]


# -- identification points ---------------------------------------------------------------------

async def test_an_identification_point_merges_the_profiles_of_one_customer(
        cairn: Cairn, client: httpx.AsyncClient, write_key: str) -> None:
    await cairn.flows.identification.create({"event_type": "login", "identifiers": [
        {"source": "event.properties.email", "kind": "email"}]})
    phone = await track(client, write_key, {"type": "login", "properties": {"email": "Ann@Example.com"}},
                        {"type": "add-to-cart"})
    laptop = await track(client, write_key, {"type": "page"})
    assert laptop["profile"]["id"] != phone["profile"]["id"]

    await track(client, write_key, {"type": "login", "properties": {"email": "ann@example.com"}},
                profile_id=laptop["profile"]["id"])

    one = await cairn.pipeline.repository.get(phone["profile"]["id"])
    other = await cairn.pipeline.repository.get(laptop["profile"]["id"])
    assert one["id"] == other["id"]
    assert one["stats"]["events"] == 4
    assert one["identifiers"]["email"] == ["ann@example.com"]
    claim = await cairn.database.identities.find_one({"_id": "email:ann@example.com"})
    assert claim["profile_id"] == one["id"]


async def test_flows_after_an_identification_see_the_merged_profile(
        cairn: Cairn, client: httpx.AsyncClient, write_key: str) -> None:
    await cairn.flows.identification.create({"event_type": "login", "identifiers": [
        {"source": "event.properties.customer", "kind": "customer_number"}]})
    await deployed_flow(cairn, graph(("start", "test.start"), ("tag", "test.tag", {"tag": "welcome-back"})),
                        event_type="login", condition='profile.traits.name == "Ann"')
    known = await track(client, write_key, {"type": "identify", "traits": {"name": "Ann"}},
                        {"type": "login", "properties": {"customer": 1001}})
    assert "welcome-back" in (await profile(cairn, known))["tags"]

    fresh = await track(client, write_key, {"type": "login", "properties": {"customer": "1001"}})

    merged = await profile(cairn, fresh)
    assert merged["id"] == known["profile"]["id"]
    traces, _ = await cairn.flows.traces.find(profile_id=merged["id"])
    assert len(traces) == 2 and {t["status"] for t in traces} == {"ok"}


async def test_an_identifier_kind_must_be_a_simple_name(cairn: Cairn) -> None:
    with pytest.raises(Invalid) as refused:
        await cairn.flows.identification.create({"event_type": "login", "identifiers": [
            {"source": "event.properties.email", "kind": "E-Mail"}]})

    assert refused.value.problems[0]["field"] == "identifiers.0.kind"
