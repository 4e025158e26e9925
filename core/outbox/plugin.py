"""The outbox as a plugin of the core: indexes, channels and the embedded worker.

Register it as an essential plugin: every outbound message goes through the outbox.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from cairn.core.outbox.messaging import ATTRIBUTE, Messaging, messaging_for
from cairn.core.plugin_manager import hookimpl

if TYPE_CHECKING:
    from collections.abc import Awaitable

    from cairn.core.runtime import Cairn


@hookimpl
def on_startup(cairn: Cairn) -> Awaitable[None]:
    """Declare the outbox indexes, load the channels and start the embedded worker."""
    return messaging_for(cairn).start()


@hookimpl
def on_shutdown(cairn: Cairn) -> Awaitable[None] | None:
    """Stop the embedded worker and close the channels (if they were started)."""
    messaging = getattr(cairn, ATTRIBUTE, None)
    return messaging.stop() if isinstance(messaging, Messaging) else None
