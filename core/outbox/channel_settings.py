"""Channel settings: SMTP server, SMS gateway, webhook secret… for each channel.

A channel's ``Config`` is filled from two places, the later winning field by field:

1. environment variables ``CAIRN_CHANNEL_<CHANNEL ID>_<FIELD>`` (upper case, e.g.
   ``CAIRN_CHANNEL_EMAIL_HOST``, ``CAIRN_CHANNEL_SMS_AUTH_TOKEN``,
   ``CAIRN_CHANNEL_WEBHOOK_SECRET``), handy for deployments and secrets managers;
2. the ``channel_settings`` collection (one document per channel,
   ``{_id: channel id, values: {...}}``), edited through GraphQL
   (``setChannelSettings``), handy for admins.

Secrets (``SecretStr`` fields) are stored as given and never shown back: GraphQL
shows ``"********"`` for them.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel, SecretStr, ValidationError
from pymongo.asynchronous.collection import AsyncCollection

from cairn.core.clock import utcnow
from cairn.core.outbox.channel import Channel, RetryableDeliveryError

COLLECTION = "channel_settings"
MASK = "********"


def env_name(channel_id: str, field: str) -> str:
    """The environment variable that sets ``field`` of channel ``channel_id``."""
    return re.sub(r"[^A-Z0-9]", "_", f"CAIRN_CHANNEL_{channel_id}_{field}".upper())


def env_values(channel: Channel, environ: Mapping[str, str]) -> dict[str, Any]:
    """The channel's config values found in ``environ``."""
    found = {}
    for field in channel.Config.model_fields:
        value = environ.get(env_name(channel.id, field))
        if value is not None:
            found[field] = value
    return found


class ChannelNotConfigured(RetryableDeliveryError):
    """The channel's settings are missing or invalid (retried: an admin can fix them meanwhile)."""


class InvalidChannelSettings(ValueError):
    """Settings refused: ``errors`` maps each field to what is wrong with it."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(f"{field}: {message}" for field, message in errors.items()))
        self.errors = errors


def _is_secret(annotation: Any) -> bool:
    return annotation is SecretStr or SecretStr in getattr(annotation, "__args__", ())


class ChannelSettingsStore:
    """Reads and writes channel settings; gives each channel its validated config."""

    def __init__(self, collection: AsyncCollection[dict[str, Any]], environ: Mapping[str, str]) -> None:
        self.collection = collection
        self.environ = environ

    async def stored(self, channel_id: str) -> dict[str, Any]:
        """The values stored for ``channel_id`` (without the environment's)."""
        doc = await self.collection.find_one({"_id": channel_id})
        return dict(doc.get("values") or {}) if doc else {}

    async def values(self, channel: Channel) -> dict[str, Any]:
        """The environment's values overridden by the stored ones."""
        return {**env_values(channel, self.environ), **await self.stored(channel.id)}

    async def config_for(self, channel: Channel) -> BaseModel:
        """The channel's validated config; :class:`ChannelNotConfigured` says what is missing."""
        try:
            return channel.Config.model_validate(await self.values(channel))
        except ValidationError as error:
            problems = ", ".join(f"{'.'.join(map(str, e['loc'])) or 'config'}: {e['msg']}" for e in error.errors())
            raise ChannelNotConfigured(
                f"channel {channel.id!r} is not configured ({problems})",
                hint=f"set them with GraphQL setChannelSettings or {env_name(channel.id, '<FIELD>')}") from error

    async def update(self, channel: Channel, changes: dict[str, Any]) -> dict[str, Any]:
        """Merge ``changes`` into the stored values (``None`` removes a value); return them.

        Values are checked against the channel's config model; fields still missing are
        accepted (settings can be filled in several steps). Raises :class:`InvalidChannelSettings`.
        """
        unknown = sorted(set(changes) - set(channel.Config.model_fields))
        if unknown:
            raise InvalidChannelSettings({field: "not a setting of this channel" for field in unknown})
        stored = await self.stored(channel.id)
        for field, value in changes.items():
            if value is None:
                stored.pop(field, None)
            else:
                stored[field] = value
        _check(channel, {**env_values(channel, self.environ), **stored})
        await self.collection.replace_one({"_id": channel.id}, {"values": stored, "updated_at": utcnow()},
                                          upsert=True)
        return stored

    async def describe(self, channel: Channel) -> list[dict[str, Any]]:
        """Each config field with its current value (secrets masked) and where it comes from."""
        env, stored = env_values(channel, self.environ), await self.stored(channel.id)
        described = []
        for name, field in channel.Config.model_fields.items():
            secret = _is_secret(field.annotation)
            source = "stored" if name in stored else "env" if name in env else None
            value = stored.get(name, env.get(name, None if field.is_required() else field.default))
            if isinstance(value, SecretStr):
                value = value.get_secret_value() or None
            described.append({"field": name, "value": MASK if secret and value else value, "source": source,
                              "secret": secret, "required": field.is_required(),
                              "description": field.description or "", "env": env_name(channel.id, name)})
        return described


def _check(channel: Channel, values: dict[str, Any]) -> None:
    try:
        channel.Config.model_validate(values)
    except ValidationError as error:
        problems = {".".join(map(str, e["loc"])) or "config": e["msg"] for e in error.errors()
                    if e["type"] != "missing"}
        if problems:
            raise InvalidChannelSettings(problems) from error
