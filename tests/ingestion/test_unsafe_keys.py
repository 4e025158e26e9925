"""Keys MongoDB would misread (leading ``$``, dots, NUL) are stored safely and read back as sent."""

from __future__ import annotations

import httpx

from cairn.core.runtime import Cairn
from cairn.core.store.keys import unescape_keys
from tests.ingestion.helpers import native, one_event, profile_of, segment

UNSAFE = {"$price": 10, "a.b": {"c.d": 1, "$in": [{"$gt": 2}]}, "nul\x00key": "x", "100%": True, "": "empty"}


async def test_unsafe_property_keys_are_stored_escaped_and_read_back_as_sent(client: httpx.AsyncClient,
                                                                            write_key: str, cairn: Cairn) -> None:
    response = await segment(client, "track", {"userId": "u1", "event": "Paid", "properties": UNSAFE}, write_key)
    assert response.status_code == 200, response.text
    raw = await cairn.database.events.find_one({})
    assert "$price" not in raw["properties"] and "a.b" not in raw["properties"]
    assert unescape_keys(raw)["properties"] == UNSAFE


async def test_unsafe_trait_keys_reach_the_profile_as_sent(client: httpx.AsyncClient, write_key: str,
                                                           cairn: Cairn) -> None:
    response = await segment(client, "identify", {"userId": "u1", "traits": UNSAFE}, write_key)
    assert response.status_code == 200, response.text
    assert (await profile_of(cairn, user_id="u1"))["traits"] == UNSAFE


async def test_an_event_type_with_dots_and_dollars_is_counted_under_its_own_name(client: httpx.AsyncClient,
                                                                                write_key: str,
                                                                                cairn: Cairn) -> None:
    await segment(client, "track", {"userId": "u1", "event": "$checkout.completed"}, write_key)
    assert (await profile_of(cairn, user_id="u1"))["stats"]["event_types"] == {"$checkout.completed": 1}


async def test_unsafe_keys_in_the_context_do_not_break_the_visit(client: httpx.AsyncClient, write_key: str,
                                                                 cairn: Cairn) -> None:
    context = {"campaign": {"$source": "x", "a.b": 1}, "$custom": {"k.v": 2}}
    reply = await native(client, write_key, [{"type": "page-view", "properties": UNSAFE}], context=context)
    assert reply.status_code == 200, reply.text
    stored = await one_event(cairn)
    assert stored["context"]["$custom"] == {"k.v": 2}
    assert stored["context"]["campaign"] == {"$source": "x", "a.b": 1}
    session = unescape_keys(await cairn.database.sessions.find_one({}))
    assert session["utm"] == {"$source": "x", "a.b": 1}
