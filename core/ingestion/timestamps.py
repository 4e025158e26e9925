"""When an event really happened: client timestamps corrected for clock skew."""

from __future__ import annotations

from datetime import datetime

from cairn.core.ingestion.errors import EventInvalid


def occurred_at(timestamp: datetime | None, sent_at: datetime | None, received_at: datetime) -> datetime:
    """Return when the event happened, in server time.

    A device clock may be wrong. The difference between when the server received the
    request and when the device says it sent it measures that error; it is added to
    the device's event timestamp. A time still in the future is taken as now (the
    client's own timestamp is kept on the event as ``original_timestamp``).
    Raises :class:`EventInvalid` when the corrected time is out of the calendar's range.
    """
    if timestamp is None:
        return received_at
    if sent_at is not None:
        try:
            timestamp = timestamp + (received_at - sent_at)
        except OverflowError as error:
            raise EventInvalid(f"timestamp {timestamp.isoformat()} corrected by sentAt {sent_at.isoformat()} "
                               "is out of range; check the device clock") from error
    return min(timestamp, received_at)
