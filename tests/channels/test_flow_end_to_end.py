"""End to end: an event runs a flow whose "Send e-mail" node queues a message that a real SMTP server gets —
only for the customer whose consent allows it."""

from __future__ import annotations

from typing import Any

import httpx

from cairn.core.flows import Graph
from cairn.core.outbox import Status, messaging_for
from cairn.core.runtime import Cairn
from tests.outbox.support import create_consent_type, deliver, set_channel, smtp_server


async def welcome_flow(cairn: Cairn) -> str:
    """start → Send e-mail, run on every "Signed Up" event."""
    nodes: list[dict[str, Any]] = [
        {"id": "start", "type": "cairn.start", "config": {}, "position": {"x": 0, "y": 0}},
        {"id": "mail", "type": "cairn.send_email", "position": {"x": 200, "y": 0},
         "config": {"subject": "Welcome {{ profile.traits.name }}", "text": "Plan: {{ event.properties.plan }}"}},
    ]
    graph = Graph.model_validate({"nodes": nodes, "edges": [{"from_node": "start", "from_port": "out",
                                                              "to_node": "mail"}]})
    flow = await cairn.flows.flows.create("welcome", graph=graph)
    deployed = await cairn.flows.deploy(flow.id)
    assert deployed.version is not None, deployed.problems
    await cairn.flows.create_rule({"event_type": "Signed Up", "flow_id": flow.id})
    return flow.id


async def test_a_flow_mails_the_customer_who_agreed_and_refuses_the_one_who_did_not(
        cairn: Cairn, client: httpx.AsyncClient, write_key: str) -> None:
    await create_consent_type(cairn, "newsletter", channels=("email",), purposes=("marketing",))
    flow_id = await welcome_flow(cairn)
    async with smtp_server() as smtp:
        await set_channel(cairn, "email", host="127.0.0.1", port=smtp.port, security="none",
                          from_address="hello@shop.example")
        response = await client.post("/v1/batch", auth=(write_key, ""), json={"batch": [
            {"type": "identify", "userId": "ada", "traits": {"email": "ada@example.com", "name": "Ada"}},
            {"type": "track", "userId": "ada", "event": "consent-granted", "properties": {"consentType": "newsletter"}},
            {"type": "track", "userId": "ada", "event": "Signed Up", "properties": {"plan": "pro"}},
            {"type": "identify", "userId": "bob", "traits": {"email": "bob@example.com", "name": "Bob"}},
            {"type": "track", "userId": "bob", "event": "Signed Up", "properties": {"plan": "free"}},
        ]})
        assert response.status_code == 200, response.text
        assert await deliver(cairn) == 1
        [mail] = smtp.messages
    assert (mail["To"], mail["Subject"]) == ("ada@example.com", "Welcome Ada")
    assert mail.get_body(("plain",)).get_content().startswith("Plan: pro")
    entries = await messaging_for(cairn).outbox.find(channel="email")
    by_recipient = {entry.payload["to"]: entry for entry in entries}
    assert by_recipient["ada@example.com"].status == Status.SENT
    refused = by_recipient["bob@example.com"]
    assert refused.status == Status.REFUSED and refused.consent["code"] == "missing"
    assert refused.origin["flow_id"] == flow_id and refused.origin["node_id"] == "mail"
