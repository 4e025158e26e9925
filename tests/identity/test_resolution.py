"""Which profile an event belongs to: anonymous visitors, identify, alias, shared devices."""

from __future__ import annotations

import httpx

from cairn.core.runtime import Cairn
from tests.ingestion.helpers import events, live_profiles, native, profile_id_of, profile_of, segment


async def test_an_anonymous_visitor_gets_a_profile_claimed_by_its_anonymous_id(client: httpx.AsyncClient,
                                                                              write_key: str,
                                                                              cairn: Cairn) -> None:
    await segment(client, "page", {"anonymousId": "a1"}, write_key)
    profile = await profile_of(cairn, anonymous_id="a1")
    assert profile["anonymous_ids"] == ["a1"]
    assert profile["stats"]["events"] == 1
    assert (await events(cairn))[0]["profile_id"] == profile["id"]


async def test_the_same_anonymous_id_always_leads_to_the_same_profile(client: httpx.AsyncClient, write_key: str,
                                                                     cairn: Cairn) -> None:
    for _ in range(3):
        await segment(client, "page", {"anonymousId": "a1"}, write_key)
    assert len(await live_profiles(cairn)) == 1
    assert (await profile_of(cairn, anonymous_id="a1"))["stats"]["events"] == 3


async def test_identify_links_the_anonymous_id_to_the_user_id(client: httpx.AsyncClient, write_key: str,
                                                             cairn: Cairn) -> None:
    await segment(client, "page", {"anonymousId": "a1"}, write_key)
    await segment(client, "identify", {"anonymousId": "a1", "userId": "u1"}, write_key)
    await segment(client, "track", {"userId": "u1", "event": "Paid"}, write_key)
    assert await profile_id_of(cairn, anonymous_id="a1") == await profile_id_of(cairn, user_id="u1")
    profile = await profile_of(cairn, user_id="u1")
    assert (profile["anonymous_ids"], profile["user_ids"]) == (["a1"], ["u1"])
    assert profile["stats"]["events"] == 3
    assert len(await live_profiles(cairn)) == 1


async def test_alias_links_an_unknown_previous_id_to_the_user(client: httpx.AsyncClient, write_key: str,
                                                             cairn: Cairn) -> None:
    response = await segment(client, "alias", {"previousId": "a1", "userId": "u1"}, write_key)
    assert response.status_code == 200, response.text
    await segment(client, "page", {"anonymousId": "a1"}, write_key)
    assert await profile_id_of(cairn, anonymous_id="a1") == await profile_id_of(cairn, user_id="u1")
    assert (await profile_of(cairn, user_id="u1"))["stats"]["events"] == 2


async def test_alias_merges_the_previous_ids_profile_into_the_users(client: httpx.AsyncClient, write_key: str,
                                                                    cairn: Cairn) -> None:
    await segment(client, "page", {"anonymousId": "a1"}, write_key)
    await segment(client, "identify", {"userId": "u1", "traits": {"name": "Ada"}}, write_key)
    anonymous = await profile_id_of(cairn, anonymous_id="a1")
    await segment(client, "alias", {"previousId": "a1", "userId": "u1"}, write_key)
    profile = await profile_of(cairn, user_id="u1")
    assert await profile_id_of(cairn, anonymous_id="a1") == profile["id"] != anonymous
    assert profile["stats"]["events"] == 3
    assert [record["profile_id"] for record in profile["merged_from"]] == [anonymous]
    assert {e["profile_id"] for e in await events(cairn)} == {profile["id"]}


async def test_alias_between_two_known_customers_keeps_them_apart(client: httpx.AsyncClient, write_key: str,
                                                                 cairn: Cairn) -> None:
    await segment(client, "track", {"userId": "u1", "event": "Paid"}, write_key)
    await segment(client, "track", {"userId": "u2", "event": "Paid"}, write_key)
    response = await segment(client, "alias", {"previousId": "u1", "userId": "u2"}, write_key)
    assert response.status_code == 200, response.text
    assert await profile_id_of(cairn, user_id="u1") != await profile_id_of(cairn, user_id="u2")


async def test_a_second_user_on_the_same_device_gets_a_profile_of_their_own(client: httpx.AsyncClient,
                                                                           write_key: str, cairn: Cairn) -> None:
    await segment(client, "identify", {"anonymousId": "shared", "userId": "u1"}, write_key)
    await segment(client, "identify", {"anonymousId": "shared", "userId": "u2"}, write_key)
    first, second = await profile_of(cairn, user_id="u1"), await profile_of(cairn, user_id="u2")
    assert first["id"] != second["id"]
    assert (first["user_ids"], second["user_ids"]) == (["u1"], ["u2"])


async def test_two_users_in_one_batch_on_one_new_device_never_share_a_profile(client: httpx.AsyncClient,
                                                                             write_key: str, cairn: Cairn) -> None:
    batch = [{"type": "identify", "anonymousId": "shared", "userId": "u1"},
             {"type": "identify", "anonymousId": "shared", "userId": "u2"}]
    await segment(client, "batch", {"batch": batch}, write_key)
    first, second = await profile_of(cairn, user_id="u1"), await profile_of(cairn, user_id="u2")
    assert first["id"] != second["id"]
    assert (first["user_ids"], second["user_ids"]) == (["u1"], ["u2"])


async def test_a_known_profile_id_and_a_new_anonymous_id_stay_one_profile(client: httpx.AsyncClient,
                                                                         write_key: str, cairn: Cairn) -> None:
    first = (await native(client, write_key, [{"type": "login", "userId": "u1"}])).json()
    second = (await native(client, write_key, [{"type": "page-view", "anonymousId": "a9"}],
                           profile=first["profile"])).json()
    assert second["profile"] == first["profile"]
    assert await profile_id_of(cairn, anonymous_id="a9") == first["profile"]["id"]
    assert len(await live_profiles(cairn)) == 1
