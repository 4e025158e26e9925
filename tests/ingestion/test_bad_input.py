"""Bad input: each gets a clear 4xx JSON error saying what is wrong, and nothing is half-written."""

from __future__ import annotations

import base64
import gzip
import zlib

import httpx
import orjson
import pytest

from cairn.core.runtime import Cairn
from tests.ingestion.helpers import (
    assert_nothing_stored,
    error_of,
    events,
    native,
    one_event,
    post_raw,
    segment,
)

TRACK = {"userId": "u1", "event": "Paid"}


def nested(depth: int) -> dict[str, object]:
    value: dict[str, object] = {"leaf": 1}
    for _ in range(depth - 1):
        value = {"child": value}
    return value


async def test_malformed_json_is_refused_saying_so(client: httpx.AsyncClient, write_key: str, cairn: Cairn) -> None:
    response = await post_raw(client, "/v1/track", b'{"userId": "u1", "event": ', write_key)
    assert response.status_code == 400
    error = error_of(response)
    assert error["code"] == "malformed_json" and "not valid JSON" in error["message"]
    await assert_nothing_stored(cairn)


async def test_a_body_that_is_not_an_object_is_refused(client: httpx.AsyncClient, write_key: str,
                                                       cairn: Cairn) -> None:
    response = await post_raw(client, "/v1/track", b"[1, 2]", write_key)
    assert response.status_code == 400
    assert "must be a JSON object" in error_of(response)["message"]
    await assert_nothing_stored(cairn)


async def test_an_empty_body_is_refused(client: httpx.AsyncClient, write_key: str, cairn: Cairn) -> None:
    response = await post_raw(client, "/v1/track", b"", write_key)
    assert response.status_code == 400
    assert error_of(response)["code"] == "empty_body"
    await assert_nothing_stored(cairn)


async def test_a_field_of_the_wrong_type_is_refused_naming_the_field(client: httpx.AsyncClient, write_key: str,
                                                                    cairn: Cairn) -> None:
    response = await segment(client, "track", {**TRACK, "properties": ["not", "an", "object"]}, write_key)
    assert response.status_code == 400
    assert error_of(response)["message"] == "properties must be an object, not an array"
    await assert_nothing_stored(cairn)


async def test_a_boolean_user_id_is_refused(client: httpx.AsyncClient, write_key: str, cairn: Cairn) -> None:
    response = await segment(client, "track", {"userId": True, "event": "Paid"}, write_key)
    assert response.status_code == 400
    assert "userId must be a string" in error_of(response)["message"]
    await assert_nothing_stored(cairn)


async def test_a_message_without_any_id_is_refused(client: httpx.AsyncClient, write_key: str, cairn: Cairn) -> None:
    response = await segment(client, "track", {"event": "Paid", "anonymousId": None}, write_key)
    assert response.status_code == 400
    assert "userId or anonymousId is required" in error_of(response)["message"]
    await assert_nothing_stored(cairn)


async def test_a_track_call_without_an_event_name_is_refused(client: httpx.AsyncClient, write_key: str,
                                                            cairn: Cairn) -> None:
    response = await segment(client, "track", {"userId": "u1"}, write_key)
    assert response.status_code == 400
    assert error_of(response)["message"] == "event is missing"
    await assert_nothing_stored(cairn)


async def test_an_alias_without_previous_id_is_refused(client: httpx.AsyncClient, write_key: str,
                                                      cairn: Cairn) -> None:
    response = await segment(client, "alias", {"userId": "u1"}, write_key)
    assert response.status_code == 400
    assert "previousId" in error_of(response)["message"]
    await assert_nothing_stored(cairn)


async def test_context_traits_that_are_not_an_object_are_refused(client: httpx.AsyncClient, write_key: str,
                                                                cairn: Cairn) -> None:
    response = await segment(client, "identify", {"userId": "u1", "context": {"traits": "vip"}}, write_key)
    assert response.status_code == 400
    assert "context.traits must be an object" in error_of(response)["message"]
    await assert_nothing_stored(cairn)


async def test_a_request_without_write_key_is_refused(client: httpx.AsyncClient, cairn: Cairn) -> None:
    response = await client.post("/v1/track", json=TRACK)
    assert response.status_code == 401
    assert error_of(response)["code"] == "missing_write_key"
    await assert_nothing_stored(cairn)


async def test_an_unknown_write_key_is_refused(client: httpx.AsyncClient, cairn: Cairn) -> None:
    response = await segment(client, "track", TRACK, "wk_nobody")
    assert response.status_code == 401
    assert error_of(response)["code"] == "unknown_write_key"
    await assert_nothing_stored(cairn)


async def test_the_write_key_of_a_disabled_source_is_refused(client: httpx.AsyncClient, cairn: Cairn) -> None:
    source = await cairn.sources.create("old app")
    await cairn.sources.update(source.id, enabled=False)
    response = await segment(client, "track", TRACK, source.write_key)
    assert response.status_code == 403
    error = error_of(response)
    assert error["code"] == "source_disabled" and "old app" in error["message"]
    await assert_nothing_stored(cairn)


async def test_a_malformed_basic_auth_header_is_refused(client: httpx.AsyncClient, cairn: Cairn) -> None:
    response = await client.post("/v1/track", json=TRACK, headers={"Authorization": "Basic !!!"})
    assert response.status_code == 401
    assert error_of(response)["code"] == "bad_authorization"
    await assert_nothing_stored(cairn)


async def test_a_native_request_with_an_unknown_write_key_is_refused(client: httpx.AsyncClient,
                                                                    cairn: Cairn) -> None:
    response = await native(client, "wk_nobody", [{"type": "page-view"}])
    assert response.status_code == 401
    assert error_of(response)["code"] == "unknown_write_key"
    await assert_nothing_stored(cairn)


async def test_an_oversized_body_is_refused_with_413(client: httpx.AsyncClient, write_key: str,
                                                     cairn: Cairn) -> None:
    limit = cairn.settings.limits.max_batch_bytes
    batch = [{"type": "track", "userId": "u1", "event": "Paid", "properties": {"pad": "x" * 10_000}}
             for _ in range(limit // 10_000 + 2)]
    response = await segment(client, "batch", {"batch": batch}, write_key)
    assert response.status_code == 413
    error = error_of(response)
    assert error["code"] == "too_large" and str(limit) in error["message"]
    await assert_nothing_stored(cairn)


async def test_a_gzip_body_that_inflates_beyond_the_limit_is_refused_with_413(client: httpx.AsyncClient,
                                                                             write_key: str, cairn: Cairn) -> None:
    limit = cairn.settings.limits.max_batch_bytes
    body = orjson.dumps({"batch": [{"type": "track", "userId": "u1", "event": "Paid",
                                    "properties": {"pad": " " * (limit + 10)}}]})
    response = await post_raw(client, "/v1/batch", gzip.compress(body), write_key, **{"Content-Encoding": "gzip"})
    assert response.status_code == 413
    assert error_of(response)["code"] == "too_large"
    await assert_nothing_stored(cairn)


async def test_a_single_oversized_event_is_refused_with_413_naming_the_event_limit(client: httpx.AsyncClient,
                                                                                  write_key: str,
                                                                                  cairn: Cairn) -> None:
    limit = cairn.settings.limits.max_event_bytes
    response = await segment(client, "track", {**TRACK, "properties": {"pad": "x" * limit}}, write_key)
    assert response.status_code == 413
    error = error_of(response)
    assert error["code"] == "event_too_large"
    assert f"the limit is {limit}" in error["message"]
    await assert_nothing_stored(cairn)


async def test_a_batch_with_too_many_events_is_refused_with_413(client: httpx.AsyncClient, write_key: str,
                                                               cairn: Cairn) -> None:
    limit = cairn.settings.limits.max_batch_events
    batch = [{"type": "track", "userId": "u1", "event": "E"}] * (limit + 1)
    response = await segment(client, "batch", {"batch": batch}, write_key)
    assert response.status_code == 413
    error = error_of(response)
    assert error["code"] == "too_many_events" and str(limit) in error["message"]
    await assert_nothing_stored(cairn)


async def test_an_oversized_event_in_a_batch_is_reported_by_index_and_the_others_stored(
        client: httpx.AsyncClient, write_key: str, cairn: Cairn) -> None:
    limit = cairn.settings.limits.max_event_bytes
    batch = [{"type": "track", "userId": "u1", "event": "Small"},
             {"type": "track", "userId": "u1", "event": "Big", "properties": {"pad": "x" * limit}}]
    response = await segment(client, "batch", {"batch": batch}, write_key)
    assert response.status_code == 200, response.text
    reply = response.json()
    assert reply["stored"] == 1
    assert [(e["index"], e["code"]) for e in reply["errors"]] == [(1, "event_too_large")]
    assert [e["type"] for e in await events(cairn)] == ["Small"]


async def test_a_batch_with_bad_events_stores_the_good_ones_and_lists_the_bad_by_index(
        client: httpx.AsyncClient, write_key: str, cairn: Cairn) -> None:
    batch = [{"type": "track", "userId": "u1", "event": "Good 1"},
             {"type": "track", "event": "No ids"},
             "not an object",
             {"type": "launch", "userId": "u1"},
             {"type": "track", "userId": "u1", "event": "Good 2", "timestamp": "yesterday"},
             {"type": "track", "userId": "u1", "event": "Good 3"}]
    response = await segment(client, "batch", {"batch": batch}, write_key)
    assert response.status_code == 200, response.text
    reply = response.json()
    assert reply["stored"] == 2
    assert [e["index"] for e in reply["errors"]] == [1, 2, 3, 4]
    messages = [e["message"] for e in reply["errors"]]
    assert "userId or anonymousId is required" in messages[0]
    assert "must be a JSON object" in messages[1]
    assert "type must be one of" in messages[2]
    assert "timestamp" in messages[3]
    assert sorted(e["type"] for e in await events(cairn)) == ["Good 1", "Good 3"]


async def test_a_batch_whose_every_event_is_bad_is_refused_listing_each(client: httpx.AsyncClient, write_key: str,
                                                                       cairn: Cairn) -> None:
    response = await segment(client, "batch", {"batch": [{"type": "track"}, {"type": "page"}]}, write_key)
    assert response.status_code == 400
    body = response.json()
    assert error_of(response)["code"] == "no_valid_events"
    assert [e["index"] for e in body["errors"]] == [0, 1]
    await assert_nothing_stored(cairn)


async def test_a_batch_that_is_not_a_list_is_refused(client: httpx.AsyncClient, write_key: str,
                                                     cairn: Cairn) -> None:
    response = await segment(client, "batch", {"batch": {"type": "track"}}, write_key)
    assert response.status_code == 400
    assert "batch must be a non-empty array" in error_of(response)["message"]
    await assert_nothing_stored(cairn)


async def test_a_batch_context_that_is_not_an_object_is_refused(client: httpx.AsyncClient, write_key: str,
                                                                cairn: Cairn) -> None:
    body = {"context": "web", "batch": [{"type": "track", "userId": "u1", "event": "Paid"}]}
    response = await segment(client, "batch", body, write_key)
    assert response.status_code == 400
    assert "context must be an object" in error_of(response)["message"]
    await assert_nothing_stored(cairn)


async def test_a_timestamp_that_is_not_iso_8601_is_refused_naming_it(client: httpx.AsyncClient, write_key: str,
                                                                    cairn: Cairn) -> None:
    response = await segment(client, "track", {**TRACK, "timestamp": "27/11/2026"}, write_key)
    assert response.status_code == 400
    assert "timestamp is not an ISO-8601 timestamp" in error_of(response)["message"]
    await assert_nothing_stored(cairn)


async def test_a_numeric_timestamp_is_refused_naming_the_expected_form(client: httpx.AsyncClient, write_key: str,
                                                                      cairn: Cairn) -> None:
    response = await segment(client, "track", {**TRACK, "timestamp": 1764237600000}, write_key)
    assert response.status_code == 400
    assert "timestamp must be an ISO-8601 string" in error_of(response)["message"]
    await assert_nothing_stored(cairn)


async def test_timestamps_out_of_range_after_clock_correction_are_refused(client: httpx.AsyncClient,
                                                                         write_key: str, cairn: Cairn) -> None:
    response = await segment(client, "track", {**TRACK, "timestamp": "9999-12-31T23:59:59Z",
                                               "sentAt": "1990-01-01T00:00:00Z"}, write_key)
    assert response.status_code == 400
    assert "out of range" in error_of(response)["message"]
    await assert_nothing_stored(cairn)


async def test_a_batch_sent_at_that_is_not_a_timestamp_is_refused(client: httpx.AsyncClient, write_key: str,
                                                                 cairn: Cairn) -> None:
    body = {"sentAt": "soon", "batch": [{"type": "track", "userId": "u1", "event": "Paid"}]}
    response = await segment(client, "batch", body, write_key)
    assert response.status_code == 400
    assert "sentAt" in error_of(response)["message"]
    await assert_nothing_stored(cairn)


async def test_properties_nested_too_deep_are_refused_saying_the_limit(client: httpx.AsyncClient, write_key: str,
                                                                      cairn: Cairn) -> None:
    limit = cairn.settings.limits.max_nesting
    response = await segment(client, "track", {**TRACK, "properties": nested(limit + 5)}, write_key)
    assert response.status_code == 400
    error = error_of(response)
    assert error["code"] == "too_deep" and f"the limit is {limit}" in error["message"]
    await assert_nothing_stored(cairn)


async def test_nesting_deeper_than_the_json_parser_allows_is_reported_as_too_deep(client: httpx.AsyncClient,
                                                                                 write_key: str,
                                                                                 cairn: Cairn) -> None:
    body = b'{"userId": "u1", "event": "Paid", "properties": ' + b"[" * 5000 + b"]" * 5000 + b"}"
    response = await post_raw(client, "/v1/track", body, write_key)
    assert response.status_code == 400
    assert error_of(response)["code"] == "too_deep"
    await assert_nothing_stored(cairn)


async def test_a_too_deep_event_in_a_batch_is_reported_by_index_and_the_others_stored(
        client: httpx.AsyncClient, write_key: str, cairn: Cairn) -> None:
    limit = cairn.settings.limits.max_nesting
    batch = [{"type": "track", "userId": "u1", "event": "Deep", "properties": nested(limit + 1)},
             {"type": "track", "userId": "u1", "event": "Flat"}]
    reply = (await segment(client, "batch", {"batch": batch}, write_key)).json()
    assert [(e["index"], e["code"]) for e in reply["errors"]] == [(0, "too_deep")]
    assert await one_event(cairn, type="Flat")


async def test_a_number_too_large_to_store_is_refused_naming_the_field(client: httpx.AsyncClient, write_key: str,
                                                                      cairn: Cairn) -> None:
    response = await segment(client, "track", {**TRACK, "properties": {"order": {"id": 2**63}}}, write_key)
    assert response.status_code == 400
    error = error_of(response)
    assert "properties.order.id" in error["message"] and "64-bit" in error["message"]
    await assert_nothing_stored(cairn)


async def test_an_unknown_v1_call_is_refused_with_404_listing_the_calls(client: httpx.AsyncClient, write_key: str,
                                                                       cairn: Cairn) -> None:
    response = await segment(client, "trak", TRACK, write_key)
    assert response.status_code == 404
    error = error_of(response)
    assert error["code"] == "unknown_call" and "/v1/trak" in error["message"] and "/v1/track" in error["hint"]
    await assert_nothing_stored(cairn)


async def test_an_unsupported_content_encoding_is_refused_with_415(client: httpx.AsyncClient, write_key: str,
                                                                  cairn: Cairn) -> None:
    response = await post_raw(client, "/v1/track", orjson.dumps(TRACK), write_key, **{"Content-Encoding": "br"})
    assert response.status_code == 415
    assert "'br'" in error_of(response)["message"]
    await assert_nothing_stored(cairn)


@pytest.mark.parametrize("content", [b"definitely not gzip", gzip.compress(orjson.dumps(TRACK))[:-12]],
                         ids=["garbage", "truncated"])
async def test_a_body_that_is_not_valid_gzip_is_refused(client: httpx.AsyncClient, write_key: str, cairn: Cairn,
                                                        content: bytes) -> None:
    response = await post_raw(client, "/v1/track", content, write_key, **{"Content-Encoding": "gzip"})
    assert response.status_code == 400
    error = error_of(response)
    assert error["code"] == "bad_encoding" and "gzip" in error["message"]
    await assert_nothing_stored(cairn)


async def test_a_deflate_body_is_accepted(client: httpx.AsyncClient, write_key: str, cairn: Cairn) -> None:
    response = await post_raw(client, "/v1/track", zlib.compress(orjson.dumps(TRACK)), write_key,
                              **{"Content-Encoding": "deflate"})
    assert response.status_code == 200, response.text
    assert await one_event(cairn, type="Paid")


async def test_a_native_request_without_events_is_refused(client: httpx.AsyncClient, write_key: str,
                                                          cairn: Cairn) -> None:
    response = await native(client, write_key, [])
    assert response.status_code == 400
    assert error_of(response)["code"] == "no_events"
    await assert_nothing_stored(cairn)


@pytest.mark.parametrize(("envelope", "named"), [
    ({"profile": "p1"}, "profile must be an object"),
    ({"session": {"id": ["s1"]}}, "session.id must be a string"),
    ({"context": "web"}, "context must be an object"),
    ({"sentAt": "now"}, "sentAt is not an ISO-8601 timestamp"),
])
async def test_a_native_envelope_of_the_wrong_shape_is_refused_naming_the_field(
        client: httpx.AsyncClient, write_key: str, cairn: Cairn, envelope: dict[str, object], named: str) -> None:
    response = await native(client, write_key, [{"type": "page-view"}], **envelope)
    assert response.status_code == 400
    error = error_of(response)
    assert error["code"] == "invalid_envelope" and named in error["message"]
    await assert_nothing_stored(cairn)


async def test_a_native_batch_with_a_bad_event_stores_the_others_and_lists_it(client: httpx.AsyncClient,
                                                                             write_key: str, cairn: Cairn) -> None:
    response = await native(client, write_key, [{"type": "page-view"}, {"properties": {}}, {"type": "click"}])
    assert response.status_code == 200, response.text
    reply = response.json()
    assert reply["stored"] == 2
    assert reply["errors"] == [{"index": 1, "code": "invalid_event", "message": "type is missing"}]


async def test_basic_auth_with_a_password_only_is_read_as_a_missing_write_key(client: httpx.AsyncClient,
                                                                             cairn: Cairn) -> None:
    token = base64.b64encode(b":secret").decode()
    response = await client.post("/v1/track", json=TRACK, headers={"Authorization": f"Basic {token}"})
    assert response.status_code == 401
    assert error_of(response)["code"] == "missing_write_key"
    await assert_nothing_stored(cairn)


@pytest.mark.parametrize("path", ["/v1/", "/v1/track/extra"])
async def test_a_path_under_v1_that_is_no_call_is_refused_with_json(client: httpx.AsyncClient, write_key: str,
                                                                    path: str) -> None:
    response = await client.post(path, json=TRACK, auth=(write_key, ""))
    assert response.status_code == 404
    assert error_of(response)["code"] == "unknown_call"


async def test_a_get_on_a_tracking_endpoint_is_refused_with_405_saying_to_post(client: httpx.AsyncClient) -> None:
    response = await client.get("/v1/track")
    assert response.status_code == 405
    error = error_of(response)
    assert error["code"] == "method_not_allowed" and "POST" in error["hint"]
