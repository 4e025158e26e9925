"""E-mail: a real SMTP server receives what the "Send e-mail" node queued, unsubscribe link included."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import httpx
import pytest

from cairn.core.consents import consent_service
from cairn.core.nodes import NodeContext, ProfileEditor, RunInfo
from cairn.core.outbox import Status, messaging_for
from cairn.core.runtime import Cairn
from cairn.plugins.channels.email import message_id
from cairn.plugins.channels.nodes import SendEmail, SendEmailConfig
from tests.outbox.support import (
    create_consent_type,
    create_profile,
    deliver,
    entry,
    self_signed_tls,
    set_channel,
    smtp_server,
)


def live_context(cairn: Cairn, profile: dict, event: dict | None = None) -> NodeContext:
    """The context the flow engine gives a node in a live run."""
    return NodeContext(event=event or {"id": "ev-1", "type": "Order Completed", "properties": {"order": "A-17"}},
                       profile=ProfileEditor(profile), session=None,
                       run=RunInfo(flow_id="welcome", run_id="run-1", node_id="mail"),
                       services={"cairn": cairn, "dry_run": False})


async def granted_customer(cairn: Cairn, profile_id: str = "p-mail", **traits: object) -> dict:
    await create_consent_type(cairn, "newsletter", channels=("email",), purposes=("marketing",))
    profile = await create_profile(cairn, profile_id, traits={"email": "ada@example.com", "first_name": "Ada",
                                                              **traits})
    await consent_service(cairn).change(profile_id, "newsletter", True, source="test")
    return (await cairn.pipeline.repository.get(profile_id)) or profile


async def test_an_email_reaches_the_smtp_server_with_bodies_ids_and_an_unsubscribe_link_that_works(
        cairn: Cairn, client: httpx.AsyncClient, server) -> None:
    profile = await granted_customer(cairn)
    async with smtp_server() as smtp:
        await set_channel(cairn, "email", host="127.0.0.1", port=smtp.port, security="none",
                          from_address="Shop <news@shop.example>", public_url=server.url)
        config = SendEmailConfig(subject="Hello {{ profile.traits.first_name }}",
                                 html="<p>Order {{ event.properties.order }} for {{ profile.traits.first_name }}</p>"
                                      '<a href="{{ unsubscribe_url }}">stop</a>',
                                 text="Order {{ event.properties.order }}")
        result = await SendEmail().run(config, live_context(cairn, profile))
        assert result.port == "out"
        assert not smtp.messages, "a node never sends inline: the worker does"
        assert await deliver(cairn) == 1
        [mail] = smtp.messages

    [queued] = (await messaging_for(cairn).outbox.find(profile_ids=["p-mail"]))
    assert (await entry(cairn, queued.id)).status == Status.SENT
    assert mail["Subject"] == "Hello Ada"
    assert mail["To"] == "ada@example.com"
    assert mail["From"] == "Shop <news@shop.example>"
    assert mail["X-Cairn-Idempotency-Key"] == queued.idempotency_key
    assert mail["Message-ID"] == message_id(queued.idempotency_key, "shop.example")
    assert mail.get_body(("plain",)).get_content().strip().startswith("Order A-17")
    html = mail.get_body(("html",)).get_content()
    assert "<p>Order A-17 for Ada</p>" in html
    link = re.search(r'href="([^"]+/unsubscribe/[^"]+)"', html).group(1)
    assert mail["List-Unsubscribe"] == f"<{link}>"

    response = await client.get(link.removeprefix(server.url))
    assert response.status_code == 200 and "unsubscribed" in response.text
    record = (await consent_service(cairn).current("p-mail"))["newsletter"]
    assert record["granted"] is False and record["source"] == "unsubscribe-link"


async def test_smtp_login_is_used_and_a_refused_login_is_a_dead_letter(cairn: Cairn) -> None:
    profile = await granted_customer(cairn)
    outbox = messaging_for(cairn).outbox
    async with smtp_server(login=("mailer", "s3cret")) as smtp:
        await set_channel(cairn, "email", host="127.0.0.1", port=smtp.port, security="none", username="mailer",
                          password="s3cret", from_address="news@shop.example")
        good = await outbox.send("email", profile, purpose="marketing",
                                 payload={"to": "ada@example.com", "subject": "Hi", "text": "Hello"})
        await deliver(cairn)
        assert (await entry(cairn, good.id)).status == Status.SENT
        assert len(smtp.messages) == 1

        await set_channel(cairn, "email", password="wrong")
        bad = await outbox.send("email", profile, purpose="marketing",
                                payload={"to": "ada@example.com", "subject": "Hi", "text": "Hello"})
        await deliver(cairn)
    refused = await entry(cairn, bad.id)
    assert refused.status == Status.DEAD and refused.attempts == 1
    assert "535" in (refused.last_error or "")
    assert len(smtp.messages) == 1


async def test_html_bodies_escape_profile_data_and_marketing_mail_always_gets_an_unsubscribe_link(
        cairn: Cairn) -> None:
    profile = await granted_customer(cairn, first_name="<script>x</script>")
    async with smtp_server() as smtp:
        await set_channel(cairn, "email", host="127.0.0.1", port=smtp.port, security="none",
                          from_address="news@shop.example", public_url="https://cdp.shop.example")
        config = SendEmailConfig(subject="Hi {{ profile.traits.first_name }}",
                                 html="<p>Hi {{ profile.traits.first_name }}</p>", text="Hi")
        await SendEmail().run(config, live_context(cairn, profile))
        await deliver(cairn)
        [mail] = smtp.messages
    html = mail.get_body(("html",)).get_content()
    assert "&lt;script&gt;" in html and "<script>" not in html
    assert mail["Subject"] == "Hi <script>x</script>", "subjects are plain text, not HTML"
    assert 'href="https://cdp.shop.example/unsubscribe/' in html
    assert "Unsubscribe: https://cdp.shop.example/unsubscribe/" in mail.get_body(("plain",)).get_content()


async def test_an_address_that_is_not_one_is_a_permanent_failure(cairn: Cairn) -> None:
    profile = await granted_customer(cairn)
    async with smtp_server() as smtp:
        await set_channel(cairn, "email", host="127.0.0.1", port=smtp.port, security="none",
                          from_address="news@shop.example")
        queued = await messaging_for(cairn).outbox.send("email", profile, purpose="marketing",
                                                        payload={"to": "not an address", "subject": "x", "text": "x"})
        await deliver(cairn)
    dead = await entry(cairn, queued.id)
    assert dead.status == Status.DEAD and dead.attempts == 1 and "not an e-mail address" in (dead.last_error or "")


async def test_an_unreachable_smtp_server_is_retried_then_dead(cairn: Cairn) -> None:
    from cairn.core.store.embedded import free_port

    profile = await granted_customer(cairn)
    await set_channel(cairn, "email", host="127.0.0.1", port=free_port(), security="none",
                      from_address="news@shop.example", timeout=2)
    queued = await messaging_for(cairn).outbox.send("email", profile, purpose="marketing",
                                                    payload={"to": "ada@example.com", "subject": "x", "text": "x"})
    await deliver(cairn)
    dead = await entry(cairn, queued.id)
    assert dead.status == Status.DEAD and dead.attempts == 3
    assert [step["status"] for step in dead.history] == ["queued", "sending", "failed", "sending", "failed",
                                                         "sending", "dead"]


needs_openssl = pytest.mark.skipif(shutil.which("openssl") is None, reason="openssl makes the test certificate")


@needs_openssl
async def test_starttls_with_login(cairn: Cairn, tmp_path: Path) -> None:
    profile = await granted_customer(cairn)
    async with smtp_server(login=("mailer", "s3cret"), starttls=self_signed_tls(tmp_path)) as smtp:
        await set_channel(cairn, "email", host="127.0.0.1", port=smtp.port, security="starttls",
                          username="mailer", password="s3cret", from_address="news@shop.example",
                          validate_certs=False)
        queued = await messaging_for(cairn).outbox.send("email", profile, purpose="marketing",
                                                        payload={"to": "ada@example.com", "subject": "TLS",
                                                                 "text": "secret"})
        await deliver(cairn)
        assert (await entry(cairn, queued.id)).status == Status.SENT
        assert [mail["Subject"] for mail in smtp.messages] == ["TLS"]


@needs_openssl
async def test_implicit_tls_checks_the_certificate_unless_told_not_to(cairn: Cairn, tmp_path: Path) -> None:
    profile = await granted_customer(cairn)
    outbox = messaging_for(cairn).outbox
    message = {"to": "ada@example.com", "subject": "TLS", "text": "secret"}
    async with smtp_server(tls=self_signed_tls(tmp_path)) as smtp:
        await set_channel(cairn, "email", host="127.0.0.1", port=smtp.port, security="tls",
                          from_address="news@shop.example")
        untrusted = await outbox.send("email", profile, purpose="marketing", payload=message, max_attempts=1)
        await deliver(cairn)
        await set_channel(cairn, "email", validate_certs=False)
        trusted = await outbox.send("email", profile, purpose="marketing", payload=message)
        await deliver(cairn)
        assert len(smtp.messages) == 1
    failed = await entry(cairn, untrusted.id)
    assert failed.status == Status.DEAD and "CERTIFICATE_VERIFY_FAILED" in (failed.last_error or "")
    assert (await entry(cairn, trusted.id)).status == Status.SENT


def test_an_email_has_a_text_body_an_html_body_or_both() -> None:
    from cairn.core.outbox import OutboundMessage
    from cairn.plugins.channels.email import EmailConfig, build_message

    config = EmailConfig(host="smtp.example", from_address="news@shop.example")

    def built(**payload: str):  # noqa: ANN202 - an EmailMessage
        message = OutboundMessage(id="m", channel="email", profile_id="p", purpose="marketing",
                                  payload={"to": "ada@example.com", "subject": "s", **payload}, idempotency_key="k1")
        return build_message(message, config)

    assert built(text="plain").get_content_type() == "text/plain"
    assert built(html="<p>rich</p>").get_content_type() == "text/html"
    both = built(text="plain", html="<p>rich</p>")
    assert both.get_content_type() == "multipart/alternative"
    assert both["Message-ID"] == "<k1@shop.example>" and both["X-Cairn-Idempotency-Key"] == "k1"
