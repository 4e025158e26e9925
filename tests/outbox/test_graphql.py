"""Delivery status in GraphQL: the outbox with filters, a profile's deliveries, channels, retries."""

from __future__ import annotations

from cairn.core.consents import consent_service
from cairn.core.outbox import Status, messaging_for
from cairn.core.runtime import Cairn
from tests.outbox.support import GraphQL, HttpReceiver, create_consent_type, create_profile, deliver, set_channel

ENTRY = "id channel profileId purpose status attempts lastError idempotencyKey payload consent history { status }"


async def some_messages(cairn: Cairn, receiver: HttpReceiver) -> dict[str, str]:
    await create_consent_type(cairn, "offers")
    for profile_id in ("p1", "p2"):
        await create_profile(cairn, profile_id)
    await consent_service(cairn).change("p1", "offers", True, source="test")
    await set_channel(cairn, "sms", base_url=receiver.url, account_sid="AC1", auth_token="t", from_number="+1")
    await set_channel(cairn, "webhook", secret="s")
    outbox = messaging_for(cairn).outbox
    sent = await outbox.send("sms", "p1", purpose="marketing", payload={"to": "+1", "body": "a"})
    refused = await outbox.send("sms", "p2", purpose="marketing", payload={"to": "+2", "body": "b"})
    await deliver(cairn)
    hook = await outbox.send("webhook", "p1", purpose="marketing", payload={"url": f"{receiver.url}/x", "body": {}})
    return {"sent": sent.id, "refused": refused.id, "queued": hook.id}


async def test_the_outbox_filters_by_profile_status_and_channel(cairn: Cairn, gql: GraphQL,
                                                              receiver: HttpReceiver) -> None:
    ids = await some_messages(cairn, receiver)
    query = f"""query($profileId: ID, $status: OutboxStatus, $channel: String) {{
        outbox(profileId: $profileId, status: $status, channel: $channel, first: 10) {{
            edges {{ node {{ {ENTRY} }} }} pageInfo {{ hasNextPage }} }} }}"""

    async def found(**filters: str) -> set[str]:
        data = await gql.data(query, **filters)
        return {edge["node"]["id"] for edge in data["outbox"]["edges"]}

    assert await found() == set(ids.values())
    assert await found(profileId="p1") == {ids["queued"], ids["sent"]}
    assert await found(status="REFUSED") == {ids["refused"]}
    assert await found(channel="webhook") == {ids["queued"]}
    assert await found(profileId="p1", status="SENT") == {ids["sent"]}
    first_page = await gql.data("{ outbox(first: 2) { edges { node { id } } pageInfo { hasNextPage endCursor } } }")
    cursor = first_page["outbox"]["pageInfo"]["endCursor"]
    assert first_page["outbox"]["pageInfo"]["hasNextPage"] is True
    rest = await gql.data("query($after: String) { outbox(first: 2, after: $after) { edges { node { id } } } }",
                          after=cursor)
    assert len(rest["outbox"]["edges"]) == 1
    data = await gql.data(f'query {{ outboxEntry(id: "{ids["refused"]}") {{ {ENTRY} }} }}')
    refused = data["outboxEntry"]
    assert refused["status"] == "REFUSED" and refused["consent"]["code"] == "missing"
    assert "missing" in refused["lastError"] and refused["history"] == [{"status": "refused"}]


async def test_a_profiles_deliveries_are_its_message_timeline(cairn: Cairn, gql: GraphQL,
                                                            receiver: HttpReceiver) -> None:
    ids = await some_messages(cairn, receiver)
    data = await gql.data(f'query {{ deliveries(profileId: "p1") {{ edges {{ node {{ {ENTRY} }} }} }} }}')
    nodes = [edge["node"] for edge in data["deliveries"]["edges"]]
    assert [(node["id"], node["status"]) for node in nodes] == [(ids["queued"], "QUEUED"), (ids["sent"], "SENT")]
    assert nodes[1]["attempts"] == 1 and nodes[1]["payload"] == {"to": "+1", "body": "a"}


async def test_a_dead_or_refused_entry_can_be_queued_again(cairn: Cairn, gql: GraphQL,
                                                         receiver: HttpReceiver) -> None:
    ids = await some_messages(cairn, receiver)
    mutation = """mutation($id: ID!) { retryOutboxEntry(id: $id) {
        __typename ... on OutboxEntryRequeued { entry { status attempts } } ... on NotRequeued { message } } }"""
    assert (await gql.data(mutation, id=ids["sent"]))["retryOutboxEntry"]["__typename"] == "NotRequeued"
    assert (await gql.data(mutation, id="nope"))["retryOutboxEntry"]["__typename"] == "NotFound"
    await consent_service(cairn).change("p2", "offers", True, source="test")
    result = (await gql.data(mutation, id=ids["refused"]))["retryOutboxEntry"]
    assert result == {"__typename": "OutboxEntryRequeued", "entry": {"status": "QUEUED", "attempts": 0}}
    await deliver(cairn)
    assert (await messaging_for(cairn).outbox.get(ids["refused"])).status == Status.SENT


async def test_channels_and_their_settings_never_show_secrets(cairn: Cairn, gql: GraphQL) -> None:
    mutation = """mutation($values: JSON!) { setChannelSettings(channel: "sms", values: $values) {
        __typename ... on InvalidInput { errors { field message } }
        ... on ChannelSettingsSaved { channel { id settings { field value source secret } } } } }"""
    saved = (await gql.data(mutation, values={"account_sid": "AC9", "auth_token": "hunter2"}))["setChannelSettings"]
    settings = {item["field"]: item for item in saved["channel"]["settings"]}
    assert settings["account_sid"] == {"field": "account_sid", "value": "AC9", "source": "stored", "secret": False}
    assert settings["auth_token"]["value"] == "********" and settings["auth_token"]["secret"]
    invalid = (await gql.data(mutation, values={"timeout": -1}))["setChannelSettings"]
    assert invalid["__typename"] == "InvalidInput" and invalid["errors"][0]["field"] == "values.timeout"
    unknown = await gql.data('mutation { setChannelSettings(channel: "fax", values: {}) { __typename } }')
    assert unknown["setChannelSettings"]["__typename"] == "NotFound"
    data = await gql.data("{ channels { id name configSchema settings { field } } }")
    assert [channel["id"] for channel in data["channels"]] == ["email", "sms", "webhook"]
    assert "auth_token" in data["channels"][1]["configSchema"]["properties"]
    text = str(await gql.data("{ channels { settings { value } } }"))
    assert "hunter2" not in text
