"""The Segment HTTP Tracking API, as real Segment-spec SDKs call it."""

from __future__ import annotations

import base64

import httpx
import orjson
import pytest

from cairn.core.runtime import Cairn
from tests.ingestion.helpers import ago, events, gzipped, iso, one_event, post_raw, profile_of, segment, session_of


async def test_the_write_key_may_be_sent_as_the_basic_auth_user_name(client: httpx.AsyncClient, write_key: str,
                                                                   cairn: Cairn) -> None:
    token = base64.b64encode(f"{write_key}:".encode()).decode()
    response = await client.post("/v1/track", json={"userId": "u1", "event": "Signed Up"},
                                 headers={"Authorization": f"Basic {token}"})
    assert response.status_code == 200, response.text
    assert (await one_event(cairn, type="Signed Up"))["user_id"] == "u1"


async def test_the_write_key_may_be_sent_as_write_key_in_the_body(client: httpx.AsyncClient, write_key: str,
                                                                 cairn: Cairn) -> None:
    response = await client.post("/v1/track", json={"writeKey": write_key, "userId": "u1", "event": "Signed Up"})
    assert response.status_code == 200, response.text
    assert await one_event(cairn, type="Signed Up")


async def test_a_gzip_encoded_body_is_accepted(client: httpx.AsyncClient, write_key: str, cairn: Cairn) -> None:
    body = {"batch": [{"type": "track", "userId": "u1", "event": "Order Completed", "properties": {"total": 5}}]}
    response = await post_raw(client, "/v1/batch", gzipped(body), write_key, **{"Content-Encoding": "gzip"})
    assert response.status_code == 200, response.text
    assert (await one_event(cairn, type="Order Completed"))["properties"] == {"total": 5}


@pytest.mark.parametrize("content_type", ["text/plain", "application/x-www-form-urlencoded",
                                          "application/json; charset=utf-8", ""])
async def test_json_is_accepted_whatever_the_content_type_says(client: httpx.AsyncClient, write_key: str, cairn: Cairn,
                                                               content_type: str) -> None:
    body = orjson.dumps({"anonymousId": "a1", "event": "Clicked"})
    response = await post_raw(client, "/v1/track", body, write_key, **{"Content-Type": content_type})
    assert response.status_code == 200, response.text
    assert await one_event(cairn, type="Clicked")


async def test_identify_traits_at_the_top_level_reach_the_profile(client: httpx.AsyncClient, write_key: str,
                                                                 cairn: Cairn) -> None:
    response = await segment(client, "identify", {"userId": "u1", "traits": {"name": "Ada", "plan": "pro"}},
                             write_key)
    assert response.status_code == 200, response.text
    assert (await profile_of(cairn, user_id="u1"))["traits"] == {"name": "Ada", "plan": "pro"}


async def test_identify_traits_in_context_traits_reach_the_profile(client: httpx.AsyncClient, write_key: str,
                                                                  cairn: Cairn) -> None:
    response = await segment(client, "identify", {"userId": "u1", "context": {"traits": {"name": "Ada"}}},
                             write_key)
    assert response.status_code == 200, response.text
    assert (await profile_of(cairn, user_id="u1"))["traits"] == {"name": "Ada"}
    assert (await one_event(cairn, type="identify"))["traits"] == {"name": "Ada"}


async def test_top_level_identify_traits_win_over_context_traits(client: httpx.AsyncClient, write_key: str,
                                                                cairn: Cairn) -> None:
    await segment(client, "identify", {"userId": "u1", "traits": {"plan": "pro"},
                                       "context": {"traits": {"plan": "free", "name": "Ada"}}}, write_key)
    assert (await profile_of(cairn, user_id="u1"))["traits"] == {"plan": "pro", "name": "Ada"}


async def test_anonymous_id_may_be_null_when_user_id_is_set(client: httpx.AsyncClient, write_key: str,
                                                           cairn: Cairn) -> None:
    response = await segment(client, "track", {"userId": "u1", "anonymousId": None, "event": "Paid"}, write_key)
    assert response.status_code == 200, response.text
    stored = await one_event(cairn, type="Paid")
    assert (stored["user_id"], stored["anonymous_id"]) == ("u1", None)


async def test_a_numeric_user_id_is_the_same_customer_as_its_string_form(client: httpx.AsyncClient, write_key: str,
                                                                        cairn: Cairn) -> None:
    await segment(client, "identify", {"userId": 42, "traits": {"name": "Ada"}}, write_key)
    await segment(client, "track", {"userId": "42", "event": "Paid"}, write_key)
    profile = await profile_of(cairn, user_id="42")
    assert profile["user_ids"] == ["42"]
    assert profile["stats"]["events"] == 2
    assert {e["user_id"] for e in await events(cairn)} == {"42"}


@pytest.mark.parametrize(("call", "body", "stored_type", "properties"), [
    ("page", {"name": "Home", "properties": {"url": "https://shop.example/"}}, "page",
     {"name": "Home", "url": "https://shop.example/"}),
    ("screen", {"name": "Cart", "properties": {"items": 2}}, "screen", {"name": "Cart", "items": 2}),
    ("group", {"groupId": "g1", "traits": {"plan": "team"}}, "group", {"groupId": "g1", "traits": {"plan": "team"}}),
    ("track", {"event": "Order Completed", "properties": {"total": 9.5}}, "Order Completed", {"total": 9.5}),
])
async def test_each_call_is_stored_with_its_type_and_properties(client: httpx.AsyncClient, write_key: str,
                                                               cairn: Cairn, call: str, body: dict[str, object],
                                                               stored_type: str, properties: dict[str, object]) -> None:
    response = await segment(client, call, {"userId": "u1", **body}, write_key)
    assert response.status_code == 200, response.text
    stored = await one_event(cairn)
    assert (stored["kind"], stored["type"], stored["properties"]) == (call, stored_type, properties)


async def test_a_batch_stores_each_message_with_its_own_type(client: httpx.AsyncClient, write_key: str,
                                                            cairn: Cairn) -> None:
    batch = [{"type": "identify", "userId": "u1", "traits": {"name": "Ada"}},
             {"type": "track", "userId": "u1", "event": "Paid"},
             {"type": "page", "userId": "u1", "name": "Home"}]
    response = await segment(client, "batch", {"batch": batch}, write_key)
    assert response.status_code == 200, response.text
    assert response.json()["stored"] == 3
    assert sorted(e["type"] for e in await events(cairn)) == ["Paid", "identify", "page"]
    assert (await profile_of(cairn, user_id="u1"))["stats"]["events"] == 3


async def test_the_legacy_import_endpoint_is_the_batch_endpoint(client: httpx.AsyncClient, write_key: str,
                                                               cairn: Cairn) -> None:
    response = await segment(client, "import", {"batch": [{"type": "track", "userId": "u1", "event": "Paid"}]},
                             write_key)
    assert response.status_code == 200, response.text
    assert await one_event(cairn, type="Paid")


async def test_the_batch_context_is_merged_into_each_message_context_the_message_winning(
        client: httpx.AsyncClient, write_key: str, cairn: Cairn) -> None:
    body = {"context": {"library": {"name": "analytics-python", "version": "2.3"}, "app": {"name": "shop"}},
            "batch": [{"type": "track", "userId": "u1", "event": "A"},
                      {"type": "track", "userId": "u1", "event": "B",
                       "context": {"library": {"version": "2.4"}, "locale": "fr-FR"}}]}
    response = await segment(client, "batch", body, write_key)
    assert response.status_code == 200, response.text
    first, second = await one_event(cairn, type="A"), await one_event(cairn, type="B")
    assert first["context"]["library"] == {"name": "analytics-python", "version": "2.3"}
    assert second["context"]["library"] == {"name": "analytics-python", "version": "2.4"}
    assert (second["context"]["app"], second["context"]["locale"]) == ({"name": "shop"}, "fr-FR")


async def test_the_message_id_is_kept(client: httpx.AsyncClient, write_key: str, cairn: Cairn) -> None:
    await segment(client, "track", {"userId": "u1", "event": "Paid", "messageId": "m-123"}, write_key)
    assert (await one_event(cairn))["message_id"] == "m-123"


async def test_events_without_a_session_share_one_visit_within_thirty_minutes(client: httpx.AsyncClient,
                                                                             write_key: str, cairn: Cairn) -> None:
    for minutes in (50, 35, 21):
        await segment(client, "track", {"anonymousId": "a1", "event": "Viewed", "timestamp": iso(ago(minutes=minutes))},
                      write_key)
    stored = await events(cairn)
    assert len({e["session_id"] for e in stored}) == 1
    assert (await profile_of(cairn, anonymous_id="a1"))["stats"]["visits"] == 1
    assert (await session_of(cairn, stored[0]["session_id"])).event_count == 3


async def test_thirty_minutes_of_inactivity_start_a_new_visit(client: httpx.AsyncClient, write_key: str,
                                                              cairn: Cairn) -> None:
    for minutes in (80, 40):
        await segment(client, "track", {"anonymousId": "a1", "event": "Viewed", "timestamp": iso(ago(minutes=minutes))},
                      write_key)
    stored = await events(cairn)
    assert stored[0]["session_id"] != stored[1]["session_id"]
    assert (await profile_of(cairn, anonymous_id="a1"))["stats"]["visits"] == 2


async def test_a_batch_spanning_a_long_pause_is_split_into_visits(client: httpx.AsyncClient, write_key: str,
                                                                  cairn: Cairn) -> None:
    batch = [{"type": "track", "anonymousId": "a1", "event": "Viewed", "timestamp": iso(ago(minutes=m))}
             for m in (180, 170, 60, 55)]
    response = await segment(client, "batch", {"batch": batch}, write_key)
    assert response.status_code == 200, response.text
    stored = await events(cairn)
    assert [e["session_id"] for e in stored].count(stored[0]["session_id"]) == 2
    assert stored[2]["session_id"] == stored[3]["session_id"] != stored[0]["session_id"]
    assert (await profile_of(cairn, anonymous_id="a1"))["stats"]["visits"] == 2


async def test_a_session_id_in_the_context_is_used_as_the_visit(client: httpx.AsyncClient, write_key: str,
                                                                cairn: Cairn) -> None:
    await segment(client, "track", {"anonymousId": "a1", "event": "Viewed", "context": {"sessionId": "s-9"}},
                  write_key)
    assert (await one_event(cairn))["session_id"] == "s-9"
    assert await cairn.database.sessions.count_documents({"_id": "s-9"}) == 1
