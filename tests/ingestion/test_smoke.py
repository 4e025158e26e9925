"""A first end-to-end check: a Segment track call is stored."""

import httpx


async def test_a_track_call_is_stored(client: httpx.AsyncClient, write_key: str, cairn) -> None:
    response = await client.post("/v1/track", json={"userId": "u1", "event": "Order Completed",
                                                    "properties": {"total": 12}}, auth=(write_key, ""))
    assert response.status_code == 200, response.text
    stored = await cairn.database.events.find_one({"type": "Order Completed"})
    assert stored["properties"] == {"total": 12}
