"""Channel settings: environment variables, overridden by what GraphQL stores; secrets never shown."""

from __future__ import annotations

import pytest

from cairn.core.outbox import messaging_for
from cairn.core.outbox.channel_settings import ChannelNotConfigured, InvalidChannelSettings, env_name
from cairn.core.runtime import Cairn


async def email_channel(cairn: Cairn):  # noqa: ANN201 - the channel instance
    messaging = messaging_for(cairn)
    await messaging.load_channels()
    return messaging, messaging.channels.get("email")


def test_the_environment_variable_names() -> None:
    assert env_name("email", "from_address") == "CAIRN_CHANNEL_EMAIL_FROM_ADDRESS"
    assert env_name("sms", "auth_token") == "CAIRN_CHANNEL_SMS_AUTH_TOKEN"
    assert env_name("my-crm", "secret") == "CAIRN_CHANNEL_MY_CRM_SECRET"


async def test_stored_values_override_the_environment(cairn: Cairn, monkeypatch: pytest.MonkeyPatch) -> None:
    messaging, channel = await email_channel(cairn)
    monkeypatch.setenv("CAIRN_CHANNEL_EMAIL_HOST", "smtp.env.example")
    monkeypatch.setenv("CAIRN_CHANNEL_EMAIL_PORT", "2525")
    monkeypatch.setenv("CAIRN_CHANNEL_EMAIL_FROM_ADDRESS", "env@shop.example")
    config = await messaging.channel_settings.config_for(channel)
    assert (config.host, config.port, config.from_address) == ("smtp.env.example", 2525, "env@shop.example")
    await messaging.channel_settings.update(channel, {"host": "smtp.stored.example", "password": "pw"})
    config = await messaging.channel_settings.config_for(channel)
    assert config.host == "smtp.stored.example" and config.port == 2525
    assert config.password.get_secret_value() == "pw"
    described = {item["field"]: item for item in await messaging.channel_settings.describe(channel)}
    assert described["host"]["source"] == "stored" and described["port"]["source"] == "env"
    assert described["password"]["value"] == "********" and described["password"]["secret"] is True
    assert described["security"]["value"] == "starttls" and described["security"]["source"] is None


async def test_invalid_values_are_refused_but_missing_ones_may_come_later(cairn: Cairn) -> None:
    messaging, channel = await email_channel(cairn)
    await messaging.channel_settings.update(channel, {"host": "smtp.example"})
    with pytest.raises(InvalidChannelSettings) as refused:
        await messaging.channel_settings.update(channel, {"port": "not a port", "nope": 1})
    assert set(refused.value.errors) == {"nope"}
    with pytest.raises(InvalidChannelSettings) as refused:
        await messaging.channel_settings.update(channel, {"port": 70000})
    assert set(refused.value.errors) == {"port"}
    with pytest.raises(ChannelNotConfigured, match="from_address"):
        await messaging.channel_settings.config_for(channel)
