"""When an event really happened: client timestamps corrected for clock skew."""

from __future__ import annotations

from datetime import datetime


def occurred_at(timestamp: datetime | None, sent_at: datetime | None, received_at: datetime) -> datetime:
    """Return when the event happened, in server time.

    A device clock may be wrong. The difference between when the server received the
    request and when the device says it sent it measures that error; it is added to
    the device's event timestamp. A time still in the future is taken as now.
    """
    if timestamp is None:
        return received_at
    if sent_at is not None:
        timestamp = timestamp + (received_at - sent_at)
    return min(timestamp, received_at)
