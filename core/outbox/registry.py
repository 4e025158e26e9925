"""The channels installed: collected once from the ``register_channels`` hook and checked."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from cairn.core.outbox.channel import Channel


class ChannelRegistryError(RuntimeError):
    """A plugin declared a channel wrongly; the message names the plugin's class."""


def _label(cls: Any) -> str:
    return f"{getattr(cls, '__module__', '?')}.{getattr(cls, '__qualname__', repr(cls))}"


class ChannelRegistry:
    """One instance of each channel class, by channel id."""

    def __init__(self, classes: Iterable[Any] = ()) -> None:
        self._channels: dict[str, Channel] = {}
        for cls in classes:
            self.add(cls)

    def add(self, cls: Any) -> Channel:
        """Check ``cls`` and keep an instance of it; a duplicate id fails with both classes named."""
        if not isinstance(cls, type) or not issubclass(cls, Channel):
            raise ChannelRegistryError(f"{_label(cls)} was returned by register_channels but is not a subclass "
                                       "of cairn.core.outbox.Channel")
        for attribute in ("id", "name"):
            if not isinstance(getattr(cls, attribute, None), str) or not getattr(cls, attribute):
                raise ChannelRegistryError(f"channel {_label(cls)} must set the class attribute {attribute!r}")
        existing = self._channels.get(cls.id)
        if existing is not None and type(existing) is not cls:
            raise ChannelRegistryError(f"channel id {cls.id!r} is declared by both {_label(type(existing))} and "
                                       f"{_label(cls)}; give one of them another id")
        if existing is None:
            self._channels[cls.id] = cls()
        return self._channels[cls.id]

    def get(self, channel_id: str) -> Channel | None:
        """The channel ``channel_id``, if installed."""
        return self._channels.get(channel_id)

    def __iter__(self) -> Any:
        return iter(self._channels.values())

    def __contains__(self, channel_id: object) -> bool:
        return channel_id in self._channels

    def ids(self) -> list[str]:
        """The installed channel ids."""
        return sorted(self._channels)

    async def close(self) -> None:
        """Close every channel."""
        for channel in self._channels.values():
            await channel.close()
