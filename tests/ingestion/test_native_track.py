"""Cairn's native ``POST /track``: one source, session and profile, a list of events."""

from __future__ import annotations

import httpx

from cairn.core.runtime import Cairn
from tests.ingestion.helpers import ago, events, iso, live_profiles, native, one_event


async def test_a_native_request_stores_its_events_and_answers_the_ids_to_keep(client: httpx.AsyncClient,
                                                                             write_key: str, cairn: Cairn) -> None:
    response = await native(client, write_key, [{"type": "page-view", "properties": {"title": "Home"}},
                                                {"type": "add-to-cart", "properties": {"sku": "A1"}}],
                            context={"page": {"url": "https://shop.example/"}})
    assert response.status_code == 200, response.text
    reply = response.json()
    assert reply["success"] is True and reply["stored"] == 2
    stored = await events(cairn)
    assert {e["profile_id"] for e in stored} == {reply["profile"]["id"]}
    assert {e["session_id"] for e in stored} == {reply["session"]["id"]}
    assert await cairn.pipeline.repository.get(reply["profile"]["id"])
    assert await cairn.database.sessions.find_one({"_id": reply["session"]["id"]})


async def test_the_ids_answered_lead_the_next_request_to_the_same_profile_and_visit(client: httpx.AsyncClient,
                                                                                  write_key: str,
                                                                                  cairn: Cairn) -> None:
    first = (await native(client, write_key, [{"type": "page-view"}])).json()
    second = (await native(client, write_key, [{"type": "page-view"}],
                           profile={"id": first["profile"]["id"]}, session={"id": first["session"]["id"]})).json()
    assert (second["profile"], second["session"]) == (first["profile"], first["session"])
    profile = await cairn.pipeline.repository.get(first["profile"]["id"])
    assert (profile["stats"]["events"], profile["stats"]["visits"]) == (2, 1)
    assert len(await live_profiles(cairn)) == 1


async def test_a_request_without_ids_gets_a_new_anonymous_profile(client: httpx.AsyncClient, write_key: str,
                                                                 cairn: Cairn) -> None:
    first = (await native(client, write_key, [{"type": "page-view"}])).json()
    second = (await native(client, write_key, [{"type": "page-view"}])).json()
    assert first["profile"]["id"] != second["profile"]["id"]
    assert len(await live_profiles(cairn)) == 2


async def test_an_unknown_profile_id_gets_a_new_profile_whose_id_is_answered(client: httpx.AsyncClient,
                                                                            write_key: str, cairn: Cairn) -> None:
    reply = (await native(client, write_key, [{"type": "page-view"}], profile={"id": "stale-id"})).json()
    assert reply["profile"]["id"] != "stale-id"
    assert await cairn.pipeline.repository.get(reply["profile"]["id"])


async def test_without_a_session_id_the_visit_continues_within_thirty_minutes(client: httpx.AsyncClient,
                                                                             write_key: str, cairn: Cairn) -> None:
    first = (await native(client, write_key, [{"type": "page-view", "timestamp": iso(ago(minutes=10))}])).json()
    second = (await native(client, write_key, [{"type": "page-view"}], profile=first["profile"])).json()
    assert second["session"]["id"] == first["session"]["id"]
    assert (await cairn.pipeline.repository.get(first["profile"]["id"]))["stats"]["visits"] == 1


async def test_event_options_and_context_are_kept_on_the_event(client: httpx.AsyncClient, write_key: str,
                                                             cairn: Cairn) -> None:
    await native(client, write_key, [{"type": "page-view", "options": {"saveEvent": True},
                                      "context": {"screen": {"width": 390}}}],
                 context={"page": {"url": "https://shop.example/"}})
    stored = await one_event(cairn)
    assert stored["context"]["options"] == {"saveEvent": True}
    assert stored["context"]["screen"] == {"width": 390}
    assert stored["context"]["page"]["url"] == "https://shop.example/"


async def test_a_native_user_id_links_the_profile_to_the_customer(client: httpx.AsyncClient, write_key: str,
                                                                 cairn: Cairn) -> None:
    first = (await native(client, write_key, [{"type": "page-view"}])).json()
    second = (await native(client, write_key, [{"type": "login", "userId": "u1", "traits": {"name": "Ada"}}],
                           profile=first["profile"])).json()
    assert second["profile"] == first["profile"]
    claim = await cairn.database.identities.find_one({"_id": "user:u1"})
    assert claim["profile_id"] == first["profile"]["id"]
    assert (await cairn.pipeline.repository.get(first["profile"]["id"]))["traits"] == {"name": "Ada"}


async def test_when_every_event_is_a_duplicate_the_original_profile_and_session_are_answered(
        client: httpx.AsyncClient, write_key: str, cairn: Cairn) -> None:
    event = {"type": "page-view", "messageId": "m1"}
    first = (await native(client, write_key, [event])).json()
    again = await native(client, write_key, [event])
    assert again.status_code == 200, again.text
    reply = again.json()
    assert (reply["stored"], reply["duplicates"]) == (0, [0])
    assert (reply["profile"], reply["session"]) == (first["profile"], first["session"])
    assert len(await live_profiles(cairn)) == 1
