"""What the flow engine puts in ctx.services: the outbox adapter and the delay scheduler."""

from __future__ import annotations

from datetime import timedelta

from cairn.core.clock import utcnow
from cairn.core.outbox import RESUME_FLOW, Status, messaging_for
from cairn.core.outbox.flows import FlowOutbox, OutboxScheduler
from cairn.core.runtime import Cairn
from tests.outbox.support import create_consent_type, create_profile


async def test_ctx_send_in_a_live_run_goes_through_the_consent_check(cairn: Cairn) -> None:
    await create_consent_type(cairn, "offers")
    profile = await create_profile(cairn, "p1", traits={"phone": "+331"})
    outbox = FlowOutbox(messaging_for(cairn), profile, {"flow_id": "f", "run_id": "r", "event_id": "e"})
    refused_id = await outbox.send("sms", {"body": "promo"}, to="+331", node_id="n1")
    queued_id = await outbox.send("sms", {"body": "receipt", "purpose": "transactional"}, to="+331", node_id="n2")
    refused, queued = outbox.entries
    assert (refused.id, queued.id) == (refused_id, queued_id)
    assert refused.status == Status.REFUSED and refused.purpose == "marketing"
    assert queued.status == Status.QUEUED and queued.payload == {"body": "receipt", "to": "+331"}
    assert queued.idempotency_key == "flow:f:n2:e" and queued.origin["node_id"] == "n2"


async def test_delay_entries_become_resume_flow_entries_due_later(cairn: Cairn) -> None:
    resume_at = utcnow() + timedelta(minutes=5)
    entry = {"resume_at": resume_at, "flow_id": "f", "run_id": "r", "node_id": "wait", "port": "out",
             "event_id": "e", "profile_id": "p1", "payload": {"x": 1}, "variables": {}}
    scheduled = await OutboxScheduler(messaging_for(cairn)).schedule(entry)
    again = await OutboxScheduler(messaging_for(cairn)).schedule(entry)
    assert again.id == scheduled.id, "scheduling the same resume twice stores it once"
    assert scheduled.kind == RESUME_FLOW and scheduled.status == Status.QUEUED
    assert scheduled.next_attempt_at == resume_at and scheduled.profile_id == "p1"
    assert scheduled.payload["node_id"] == "wait"
