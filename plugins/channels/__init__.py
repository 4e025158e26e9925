"""The built-in channels — e-mail (SMTP), SMS (Twilio-compatible gateway), webhook —
their flow nodes, and the unsubscribe link route.

A plugin like any other: it declares its channels and nodes through the same hooks a
third-party package would use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from cairn.core.plugin_manager import hookimpl

if TYPE_CHECKING:
    from starlette.routing import BaseRoute

    from cairn.core.nodes import NodeType
    from cairn.core.outbox import Channel
    from cairn.core.runtime import Cairn


@hookimpl
def register_channels() -> list[type[Channel]]:
    """E-mail, SMS and webhook."""
    from cairn.plugins.channels.email import EmailChannel
    from cairn.plugins.channels.sms import SmsChannel
    from cairn.plugins.channels.webhook import WebhookChannel

    return [EmailChannel, SmsChannel, WebhookChannel]


@hookimpl
def register_node_types() -> list[type[NodeType]]:
    """"Send e-mail", "Send SMS" and "Send to webhook"."""
    from cairn.plugins.channels.nodes import SendEmail, SendSms, SendWebhook

    return [SendEmail, SendSms, SendWebhook]


@hookimpl
def register_routes(cairn: Cairn) -> list[BaseRoute]:
    """``/unsubscribe/{token}``."""
    from cairn.plugins.channels.unsubscribe import unsubscribe_routes

    return unsubscribe_routes(cairn)
