"""Merge keys (e-mail, phone, any configured trait) unify one customer's profiles across devices."""

from __future__ import annotations

import httpx

from cairn.core.config import Settings
from cairn.core.runtime import Cairn
from tests.ingestion.helpers import cairn_with, events, live_profiles, profile_id_of, profile_of, segment


async def test_two_devices_with_the_same_email_become_one_profile(client: httpx.AsyncClient, write_key: str,
                                                                 cairn: Cairn) -> None:
    await segment(client, "identify", {"anonymousId": "phone", "traits": {"email": "ada@example.com"}}, write_key)
    await segment(client, "identify", {"anonymousId": "laptop", "traits": {"email": "ada@example.com"}}, write_key)
    assert await profile_id_of(cairn, anonymous_id="phone") == await profile_id_of(cairn, anonymous_id="laptop")
    profile = await profile_of(cairn, anonymous_id="phone")
    assert profile["stats"]["events"] == 2
    assert len(await live_profiles(cairn)) == 1
    assert {e["profile_id"] for e in await events(cairn)} == {profile["id"]}


async def test_emails_are_compared_without_case_or_surrounding_spaces(client: httpx.AsyncClient, write_key: str,
                                                                      cairn: Cairn) -> None:
    await segment(client, "identify", {"anonymousId": "a1", "traits": {"email": "Ada@Example.com"}}, write_key)
    await segment(client, "identify", {"anonymousId": "a2", "traits": {"email": " ada@example.COM "}}, write_key)
    assert len(await live_profiles(cairn)) == 1


async def test_the_profile_with_a_user_id_survives_a_merge_by_email(client: httpx.AsyncClient, write_key: str,
                                                                   cairn: Cairn) -> None:
    await segment(client, "identify", {"anonymousId": "a1", "traits": {"email": "ada@example.com"}}, write_key)
    await segment(client, "identify", {"userId": "u1", "traits": {"email": "ada@example.com"}}, write_key)
    customer = await profile_of(cairn, user_id="u1")
    assert await profile_id_of(cairn, anonymous_id="a1") == customer["id"]
    assert customer["user_ids"] == ["u1"] and customer["anonymous_ids"] == ["a1"]


async def test_customers_with_different_user_ids_and_the_same_email_stay_apart(client: httpx.AsyncClient,
                                                                              write_key: str,
                                                                              cairn: Cairn) -> None:
    await segment(client, "identify", {"userId": "u1", "traits": {"email": "family@example.com"}}, write_key)
    await segment(client, "identify", {"userId": "u2", "traits": {"email": "family@example.com"}}, write_key)
    assert await profile_id_of(cairn, user_id="u1") != await profile_id_of(cairn, user_id="u2")
    assert len(await live_profiles(cairn)) == 2


async def test_phone_is_not_a_merge_key_unless_configured(client: httpx.AsyncClient, write_key: str,
                                                          cairn: Cairn) -> None:
    await segment(client, "identify", {"anonymousId": "a1", "traits": {"phone": "+33 6 12 34 56 78"}}, write_key)
    await segment(client, "identify", {"anonymousId": "a2", "traits": {"phone": "+33612345678"}}, write_key)
    assert len(await live_profiles(cairn)) == 2


async def test_several_merge_keys_work_together(settings: Settings, store_url: str) -> None:
    async with cairn_with(settings, store_url, merge_keys=("email", "phone")) as (http, cairn, key):
        await segment(http, "identify", {"anonymousId": "a1", "traits": {"email": "ada@example.com"}}, key)
        await segment(http, "identify", {"anonymousId": "a2", "traits": {"phone": "+33 6 12 34 56 78"}}, key)
        assert len(await live_profiles(cairn)) == 2
        await segment(http, "identify", {"anonymousId": "a3", "traits": {"email": "ada@example.com",
                                                                         "phone": "+33612345678"}}, key)
        profiles = await live_profiles(cairn)
        assert len(profiles) == 1
        profile = await profile_of(cairn, anonymous_id="a1")
        assert sorted(profile["anonymous_ids"]) == ["a1", "a2", "a3"]
        assert profile["stats"]["events"] == 3
        assert profile["traits"]["email"] == "ada@example.com"


async def test_any_trait_can_be_a_merge_key(settings: Settings, store_url: str) -> None:
    async with cairn_with(settings, store_url, merge_keys=("customer_number",)) as (http, cairn, key):
        await segment(http, "identify", {"anonymousId": "a1", "traits": {"customer_number": 1234}}, key)
        await segment(http, "identify", {"anonymousId": "a2", "traits": {"customer_number": "1234"}}, key)
        assert len(await live_profiles(cairn)) == 1


async def test_two_new_profiles_sharing_an_email_in_one_batch_become_one(client: httpx.AsyncClient,
                                                                        write_key: str, cairn: Cairn) -> None:
    batch = [{"type": "identify", "anonymousId": a, "traits": {"email": "ada@example.com"}} for a in ("a1", "a2")]
    await segment(client, "batch", {"batch": batch}, write_key)
    assert len(await live_profiles(cairn)) == 1
    assert (await profile_of(cairn, anonymous_id="a2"))["stats"]["events"] == 2


async def test_the_native_answer_names_the_profile_that_survived_a_merge_by_email(client: httpx.AsyncClient,
                                                                                 write_key: str,
                                                                                 cairn: Cairn) -> None:
    await segment(client, "identify", {"userId": "u1", "traits": {"email": "ada@example.com"}}, write_key)
    reply = (await client.post("/track", json={"source": {"id": write_key}, "events": [
        {"type": "signup", "traits": {"email": "ada@example.com"}}]})).json()
    assert reply["profile"]["id"] == await profile_id_of(cairn, user_id="u1")
