"""``setChannelSettings``: store a channel's settings (SMTP server, gateway, secret…)."""

from __future__ import annotations

from typing import Annotated, Any

import strawberry

from cairn.core.outbox import messaging_for
from cairn.core.outbox.channel_settings import InvalidChannelSettings
from cairn.graphql.context import Info
from cairn.graphql.outbox.mutations.results import ChannelSettingsSaved
from cairn.graphql.outbox.types import Channel
from cairn.graphql.permissions import IsAdmin
from cairn.graphql.results import FieldError, InvalidInput, NotFound
from cairn.graphql.scalars import JSON

SetChannelSettingsResult = Annotated[ChannelSettingsSaved | InvalidInput | NotFound,
                                     strawberry.union("SetChannelSettingsResult")]


@strawberry.mutation(permission_classes=[IsAdmin],
                     description="Merge values into a channel's stored settings (null removes one). They override "
                                 "the CAIRN_CHANNEL_<ID>_<FIELD> environment variables.")
async def set_channel_settings(info: Info, channel: str, values: JSON) -> SetChannelSettingsResult:
    messaging = messaging_for(info.context.cairn)
    await messaging.load_channels()
    found = messaging.channels.get(channel)
    if found is None:
        return NotFound.of("channel", channel)
    if not isinstance(values, dict):
        return InvalidInput.of([FieldError(field="values", message="must be an object of setting names to values")])
    changes: dict[str, Any] = dict(values)
    try:
        await messaging.channel_settings.update(found, changes)
    except InvalidChannelSettings as error:
        return InvalidInput.of([FieldError(field=f"values.{name}", message=message)
                                for name, message in error.errors.items()])
    return ChannelSettingsSaved(channel=Channel.of(found, await messaging.channel_settings.describe(found)))
