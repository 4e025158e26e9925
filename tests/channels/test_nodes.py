"""The send nodes: queue in live runs, record in dry runs, refuse without consent, report bad input."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from cairn.core.consents import consent_service
from cairn.core.nodes import NodeContext, Output, ProfileEditor, RunInfo, run_node
from cairn.core.outbox import Status, messaging_for
from cairn.core.runtime import Cairn
from cairn.plugins.channels import register_channels, register_node_types
from cairn.plugins.channels.nodes import SendEmail, SendEmailConfig, SendSms, SendWebhook
from tests.outbox.support import create_consent_type, create_profile

EVENT = {"id": "ev-9", "type": "Order Completed", "properties": {"order": "A-1", "total": 30}}


def context(cairn: Cairn | None, profile: dict, *, dry_run: bool = False) -> NodeContext:
    services = {"cairn": cairn} if cairn else {}
    return NodeContext(event=EVENT, profile=ProfileEditor(profile), session=None,
                       run=RunInfo(flow_id="f1", run_id="r1", node_id="n1", dry_run=dry_run), services=services)


async def customer(cairn: Cairn, *, granted: bool) -> dict:
    await create_consent_type(cairn, "offers", purposes=("marketing",))
    await create_profile(cairn, "p-node", traits={"email": "ada@example.com", "phone": "+33600000001"})
    if granted:
        await consent_service(cairn).change("p-node", "offers", True, source="test")
    profile = await cairn.pipeline.repository.get("p-node")
    assert profile is not None
    return profile


def test_the_plugin_declares_three_channels_and_three_nodes() -> None:
    assert [channel.id for channel in register_channels()] == ["email", "sms", "webhook"]
    assert [node.id for node in register_node_types()] == ["cairn.send_email", "cairn.send_sms", "cairn.send_webhook"]
    for node in register_node_types():
        assert node.outputs == ("out", "refused", "error")
        assert "purpose" in node.config_schema()["properties"]


def test_configs_are_checked_when_the_flow_is_saved() -> None:
    with pytest.raises(ValidationError, match="HTML body, a text body"):
        SendEmailConfig(subject="hi")
    with pytest.raises(ValidationError, match="template syntax error"):
        SendEmailConfig(subject="{{ oops", text="x")


async def test_a_live_run_queues_and_never_sends_inline(cairn: Cairn) -> None:
    profile = await customer(cairn, granted=True)
    result = await SendSms().run(SendSms.Config(body="Order {{ event.properties.order }} shipped"),
                                 context(cairn, profile))
    assert result == Output("out", None)
    [queued] = await messaging_for(cairn).outbox.find(profile_ids=["p-node"])
    assert queued.status == Status.QUEUED and queued.channel == "sms" and queued.purpose == "marketing"
    assert queued.payload == {"to": "+33600000001", "body": "Order A-1 shipped"}
    assert queued.origin == {"flow_id": "f1", "run_id": "r1", "node_id": "n1", "event_id": "ev-9"}
    assert queued.idempotency_key == "flow:f1:n1:ev-9"


async def test_running_again_for_the_same_event_queues_nothing_more(cairn: Cairn) -> None:
    profile = await customer(cairn, granted=True)
    for _ in range(2):
        await SendSms().run(SendSms.Config(body="once"), context(cairn, profile))
    assert len(await messaging_for(cairn).outbox.find(profile_ids=["p-node"])) == 1


async def test_without_consent_the_refused_port_is_followed_and_the_refusal_recorded(cairn: Cairn) -> None:
    profile = await customer(cairn, granted=False)
    result = await SendSms().run(SendSms.Config(body="promo"), context(cairn, profile))
    assert result is not None and result.port == "refused"
    [refused] = await messaging_for(cairn).outbox.find(profile_ids=["p-node"])
    assert refused.status == Status.REFUSED and "missing" in (refused.last_error or "")


async def test_a_transactional_message_needs_no_marketing_consent(cairn: Cairn) -> None:
    profile = await customer(cairn, granted=False)
    result = await SendSms().run(SendSms.Config(body="Your receipt", purpose="transactional"),
                                 context(cairn, profile))
    assert result is not None and result.port == "out"
    [queued] = await messaging_for(cairn).outbox.find(profile_ids=["p-node"])
    assert queued.status == Status.QUEUED and queued.consent["code"] == "not_required"


async def test_a_dry_run_records_instead_of_queuing_after_the_same_consent_check(cairn: Cairn) -> None:
    profile = await customer(cairn, granted=True)
    ctx = context(cairn, profile, dry_run=True)
    email = await SendEmail().run(SendEmailConfig(subject="Hi", text="Hello"), ctx)
    assert email is not None and email.port == "out"
    [recorded] = ctx.services["outbox"].sent
    assert recorded["channel"] == "email" and recorded["to"] == "ada@example.com"
    assert recorded["message"]["purpose"] == "marketing" and "/unsubscribe/" in recorded["message"]["text"]
    assert not await messaging_for(cairn).outbox.find(profile_ids=["p-node"])


async def test_the_dry_run_of_a_refused_message_follows_refused(cairn: Cairn) -> None:
    profile = await customer(cairn, granted=False)
    ctx = context(cairn, profile, dry_run=True)
    result = await SendEmail().run(SendEmailConfig(subject="Hi", text="Hello"), ctx)
    assert result is not None and result.port == "refused"
    assert not ctx.services.get("outbox") or not ctx.services["outbox"].sent


async def test_run_node_works_without_a_running_cairn() -> None:
    result, ctx = await run_node(SendSms, {"body": "Hi {{ profile.traits.name }}"},
                                 profile={"id": "p", "traits": {"name": "Ada", "phone": "+331"}})
    assert result == Output("out", None)
    assert ctx.services["outbox"].sent[0]["message"]["body"] == "Hi Ada"


async def test_a_live_run_without_cairn_leaves_by_the_error_port() -> None:
    ctx = context(None, {"id": "p", "traits": {"phone": "+331"}})
    result = await SendSms().run(SendSms.Config(body="x"), ctx)
    assert result is not None and result.port == "error"
    assert "ctx.services['cairn']" in result.payload["error"]


@pytest.mark.parametrize(("node", "config", "message"), [
    (SendSms, {"body": "x"}, "no phone number"),
    (SendEmail, {"subject": "x", "text": "{{ 1 / 0 }}"}, "text body template failed"),
    (SendWebhook, {"url": "ftp://x"}, "does not start with http"),
    (SendWebhook, {"url": "https://x", "body": "{not json"}, "not JSON"),
])
async def test_bad_input_leaves_by_the_error_port(node: type, config: dict, message: str) -> None:
    result, _ = await run_node(node, config, profile={"id": "p", "traits": {}})
    assert result is not None and result.port == "error" and message in result.payload["error"]


async def test_the_default_webhook_body_holds_the_event_profile_and_payload() -> None:
    result, ctx = await run_node(SendWebhook, {"url": "https://crm.example/in"}, payload={"step": 2},
                                 event={"id": "e", "type": "Signed Up", "properties": {"plan": "pro"}},
                                 profile={"id": "p", "traits": {"email": "a@b.c"}})
    assert result is not None and result.port == "out"
    body = ctx.services["outbox"].sent[0]["message"]["body"]
    assert body == {"event": {"id": "e", "type": "Signed Up", "properties": {"plan": "pro"}, "occurred_at": None},
                    "profile": {"id": "p", "traits": {"email": "a@b.c"}}, "payload": {"step": 2}}
