"""Flow nodes that reach the customer: "Send e-mail", "Send SMS", "Send to webhook".

They never send anything themselves: a live run queues the message in the outbox,
where the core checks the customer's consent for the channel and the node's
``purpose`` (again just before delivery) and the worker delivers it with retries.
A dry run only records the message (``ctx.send``), after the same consent check.

Ports: ``out`` (queued, or recorded in a dry run), ``refused`` (the customer's
consent does not allow it; the message is recorded as refused and never sent),
``error`` (a template failed, no recipient, no running Cairn). All pass the incoming
payload on, except ``error`` which sends ``{"error": reason}``.
"""

from __future__ import annotations

import json
import os
from datetime import date, datetime
from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from cairn.core.consents.purposes import KNOWN_PURPOSES, MARKETING
from cairn.core.consents.runtime import consent_service
from cairn.core.nodes import NodeContext, NodeResult, NodeType, Output
from cairn.core.outbox import Status, UnknownChannel, messaging_for
from cairn.core.runtime import Cairn
from cairn.plugins.channels.templates import TemplateFailed, check_template, render
from cairn.plugins.channels.unsubscribe import Unsubscribe, unsubscribe_url

PURPOSE = Field(MARKETING, description="What the message is for: 'transactional' needs no consent; any other "
                                       "purpose needs a consent covering it on this channel.",
                examples=list(KNOWN_PURPOSES))


_PORTS_DOCS = """
**Ports**: `in`; `out` (queued; in a dry run, recorded), `refused` (the customer's
consent does not allow it: recorded as refused, never sent), `error` (`{"error": …}`:
a template failed, no recipient, no running Cairn). `out` and `refused` pass the
payload on.

**Purpose**: `transactional` needs no consent (a receipt, a password reset); any
other purpose (default `marketing`) needs a granted, unexpired consent whose type
covers this channel and that purpose. The check runs when the message is queued and
again just before it is delivered, whatever the flow says.
"""


class MessageProblem(Exception):
    """The message cannot be composed."""


class SendEmailConfig(BaseModel):
    """The e-mail to send; every text is a Jinja2 template."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    to: str = Field("{{ profile.traits.email }}", description="The recipient address.")
    subject: str = Field(description="The subject line.", examples=["Your order {{ event.properties.order_id }}"])
    html: str = Field("", description="The HTML body (values are HTML-escaped).")
    text: str = Field("", description="The plain-text body.")
    purpose: str = PURPOSE

    _templates = field_validator("to", "subject", "html", "text")(check_template)

    @model_validator(mode="after")
    def _some_body(self) -> SendEmailConfig:
        if not self.html.strip() and not self.text.strip():
            raise ValueError("write an HTML body, a text body, or both")
        return self


class SendSmsConfig(BaseModel):
    """The text message to send."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    to: str = Field("{{ profile.traits.phone }}", description="The recipient number.")
    body: str = Field(min_length=1, description="The message.", examples=["Your code: {{ payload.code }}"])
    purpose: str = PURPOSE

    _templates = field_validator("to", "body")(check_template)


class SendWebhookConfig(BaseModel):
    """Where to POST, and what."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    url: str = Field(description="The receiver's address (http or https).",
                     examples=["https://crm.example.com/hooks/cairn"])
    body: str = Field("", description="A template rendering to JSON; empty sends the event, the profile's id "
                                      "and traits, and the payload.",
                      examples=['{"email": {{ profile.traits.email | tojson }}}'])
    purpose: str = PURPOSE

    _templates = field_validator("url", "body")(check_template)


def _template_data(ctx: NodeContext, **extra: Any) -> dict[str, Any]:
    return {**ctx.condition_context(), "variables": ctx.variables, **extra}


def _json_safe(value: Any) -> Any:
    def default(item: Any) -> Any:
        return item.isoformat() if isinstance(item, datetime | date) else str(item)

    return json.loads(json.dumps(value, default=default))


class _SendNode(NodeType):
    """What the three send nodes share: compose, check consent, queue or record."""

    channel: ClassVar[str]
    category = "Messaging"
    outputs: ClassVar[tuple[str, ...]] = ("out", "refused", "error")

    async def compose(self, config: Any, ctx: NodeContext, cairn: Cairn | None) -> dict[str, Any]:
        """The message payload; raise :class:`MessageProblem` or :class:`TemplateFailed`."""
        raise NotImplementedError

    async def run(self, config: Any, ctx: NodeContext) -> NodeResult:
        """Compose the message, then queue it (live) or record it (dry run)."""
        cairn = ctx.services.get("cairn")
        cairn = cairn if isinstance(cairn, Cairn) else None
        try:
            payload = await self.compose(config, ctx, cairn)
        except (MessageProblem, TemplateFailed) as problem:
            ctx.log(f"{self.channel}: {problem}")
            return Output("error", {"error": str(problem)})
        if ctx.dry_run:
            return await self._record(config, ctx, cairn, payload)
        if cairn is None:
            reason = "no running Cairn in ctx.services['cairn']; send nodes run inside the flow engine"
            ctx.log(reason)
            return Output("error", {"error": reason})
        try:
            entry = await messaging_for(cairn).outbox.send(
                self.channel, ctx.profile.data, purpose=config.purpose, payload=payload,
                idempotency_key=_idempotency_key(ctx), origin=_origin(ctx))
        except UnknownChannel as error:
            return Output("error", {"error": str(error)})
        if entry.status == Status.REFUSED:
            ctx.log(f"{self.channel} refused: {entry.last_error} (outbox {entry.id})")
            return Output("refused", ctx.payload)
        ctx.log(f"{self.channel} queued (outbox {entry.id})")
        return Output("out", ctx.payload)

    async def _record(self, config: Any, ctx: NodeContext, cairn: Cairn | None,
                      payload: dict[str, Any]) -> NodeResult:
        if cairn is not None:
            decision = await consent_service(cairn).decide(ctx.profile.data, self.channel, config.purpose)
            if not decision.allowed:
                ctx.log(f"dry run: {self.channel} would be refused: {decision.reason}")
                return Output("refused", ctx.payload)
        else:
            ctx.log("dry run: consent not checked (no running Cairn)")
        await ctx.send(self.channel, {**payload, "purpose": config.purpose}, to=payload.get("to"))
        ctx.log(f"dry run: {self.channel} recorded, not sent")
        return Output("out", ctx.payload)


def _idempotency_key(ctx: NodeContext) -> str:
    occurrence = ctx.event.get("id") or ctx.run.run_id
    return f"flow:{ctx.run.flow_id}:{ctx.run.node_id}:{occurrence}"


def _origin(ctx: NodeContext) -> dict[str, Any]:
    return {"flow_id": ctx.run.flow_id, "run_id": ctx.run.run_id, "node_id": ctx.run.node_id,
            "event_id": ctx.event.get("id")}


def _recipient(source: str, ctx: NodeContext, what: str) -> str:
    to = render(source, _template_data(ctx), name="recipient").strip()
    if not to:
        raise MessageProblem(f"no {what} to send to (the 'to' template rendered empty)")
    return to


class SendEmail(_SendNode):
    """Queues an e-mail."""

    id = "cairn.send_email"
    name = "Send e-mail"
    description = "Sends an e-mail built from templates, if the customer's consent allows it."
    docs = """\
Queues an e-mail rendered from Jinja2 templates (`to`, `subject`, `html`, `text`;
they see `profile`, `event`, `payload`, `variables` and `unsubscribe_url`). Marketing
e-mails always carry an unsubscribe link: if the templates do not use
`unsubscribe_url`, a link is added at the end of each body.
""" + _PORTS_DOCS
    channel = "email"
    Config = SendEmailConfig

    async def compose(self, config: SendEmailConfig, ctx: NodeContext, cairn: Cairn | None) -> dict[str, Any]:
        """Render the e-mail, with an unsubscribe link (added at the end if the templates lack one)."""
        link = await _unsubscribe_link(config.purpose, ctx, cairn)
        data = _template_data(ctx, unsubscribe_url=link)
        html = render(config.html, data, html=True, name="HTML body") if config.html else ""
        text = render(config.text, data, name="text body") if config.text else ""
        if cairn is not None and config.purpose not in consent_service(cairn).consent_free:
            if html and "unsubscribe_url" not in config.html:
                html += f'\n<p style="font-size:small"><a href="{link}">Unsubscribe</a></p>'
            if text and "unsubscribe_url" not in config.text:
                text += f"\n\nUnsubscribe: {link}"
        return {"to": _recipient(config.to, ctx, "e-mail address"),
                "subject": render(config.subject, data, name="subject").strip(), "html": html, "text": text,
                "unsubscribe_url": link}


async def _unsubscribe_link(purpose: str, ctx: NodeContext, cairn: Cairn | None) -> str:
    if cairn is None:
        return "https://cairn.invalid/unsubscribe/dry-run"
    consents = consent_service(cairn)
    scope = MARKETING if purpose in consents.consent_free else purpose
    messaging = messaging_for(cairn)
    channel = (await messaging.load_channels()).get("email")
    stored = await messaging.channel_settings.values(channel) if channel else {}
    base = stored.get("public_url") or os.environ.get("CAIRN_PUBLIC_URL") \
        or f"http://{cairn.settings.host}:{cairn.settings.port}"
    return await unsubscribe_url(cairn, str(base), Unsubscribe(ctx.profile.id, "email", scope))


class SendSms(_SendNode):
    """Queues a text message."""

    id = "cairn.send_sms"
    name = "Send SMS"
    description = "Sends a text message built from a template, if the customer's consent allows it."
    docs = """\
Queues a text message rendered from the `body` template to the `to` number
(default: the profile's `phone` trait).
""" + _PORTS_DOCS
    channel = "sms"
    Config = SendSmsConfig

    async def compose(self, config: SendSmsConfig, ctx: NodeContext, cairn: Cairn | None) -> dict[str, Any]:
        """Render the recipient and the text."""
        body = render(config.body, _template_data(ctx), name="message").strip()
        if not body:
            raise MessageProblem("the message rendered empty")
        return {"to": _recipient(config.to, ctx, "phone number"), "body": body}


class SendWebhook(_SendNode):
    """Queues a signed JSON POST."""

    id = "cairn.send_webhook"
    name = "Send to webhook"
    description = "POSTs signed JSON to an external system, if the customer's consent allows it."
    docs = """\
Queues a JSON POST to `url`, signed with the shared secret (`X-Cairn-Signature:
sha256=<hex>` over the raw body) and carrying `X-Cairn-Idempotency-Key`, the same on
every retry. `body` is a template rendering to JSON; left empty, the body is the
event, the profile's id and traits, and the payload.
""" + _PORTS_DOCS
    channel = "webhook"
    category = "Integration"
    Config = SendWebhookConfig

    async def compose(self, config: SendWebhookConfig, ctx: NodeContext, cairn: Cairn | None) -> dict[str, Any]:
        """Render the URL and the JSON body."""
        url = render(config.url, _template_data(ctx), name="URL").strip()
        if not url.startswith(("http://", "https://")):
            raise MessageProblem(f"the URL {url!r} does not start with http:// or https://")
        if config.body.strip():
            rendered = render(config.body, _template_data(ctx), name="body")
            try:
                body = json.loads(rendered)
            except json.JSONDecodeError as error:
                raise MessageProblem(f"the body is not JSON ({error}); quote values with |tojson") from error
        else:
            event = ctx.event
            body = {"event": {key: event.get(key) for key in ("id", "type", "properties", "occurred_at")},
                    "profile": {"id": ctx.profile.id, "traits": ctx.profile.traits}, "payload": ctx.payload}
        return {"url": url, "body": _json_safe(body)}
