"""The channel registry: built from the register_channels hook, checked at start-up."""

from __future__ import annotations

import pytest
from pydantic import BaseModel

from cairn.core.outbox import Channel, DeliveryResult, OutboundMessage, messaging_for
from cairn.core.outbox.registry import ChannelRegistry, ChannelRegistryError
from cairn.core.plugin_manager import hookimpl
from cairn.core.runtime import Cairn
from cairn.plugins.channels.email import EmailChannel


class PigeonConfig(BaseModel):
    loft: str = "roof"


class Pigeon(Channel):
    id = "pigeon"
    name = "Carrier pigeon"
    Config = PigeonConfig

    async def send(self, message: OutboundMessage, config: PigeonConfig) -> DeliveryResult:
        return DeliveryResult(provider_id=f"{config.loft}:{message.payload['to']}")


class FakeEmail(Channel):
    id = "email"
    name = "Another e-mail"


def test_a_duplicate_channel_id_names_both_classes() -> None:
    with pytest.raises(ChannelRegistryError, match=r"'email' is declared by both .*EmailChannel and .*FakeEmail"):
        ChannelRegistry([EmailChannel, FakeEmail])


@pytest.mark.parametrize(("declared", "message"), [
    (dict, "is not a subclass of cairn.core.outbox.Channel"),
    (type("Nameless", (Channel,), {"id": "x"}), "must set the class attribute 'name'"),
])
def test_bad_declarations_are_refused(declared: type, message: str) -> None:
    with pytest.raises(ChannelRegistryError, match=message):
        ChannelRegistry([declared])


async def test_a_third_party_channel_plugs_in_like_the_built_ins(cairn: Cairn) -> None:
    class PigeonPlugin:
        @hookimpl
        def register_channels(self) -> list[type[Channel]]:
            return [Pigeon]

    cairn.plugins.register(PigeonPlugin())
    messaging = messaging_for(cairn)
    messaging._channels_loaded = False  # the hook is read once at start-up; read it again for this test
    registry = await messaging.load_channels()
    assert registry.ids() == ["email", "pigeon", "sms", "webhook"]
