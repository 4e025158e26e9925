"""What a node reaches through ``ctx.services``: the outbox and the side-effect recorder.

The engine fills ``ctx.services`` for every run:

``"cairn"``
    the running :class:`cairn.core.runtime.Cairn` (absent in :func:`run_node` tests).
``"dry_run"``
    ``True`` in a dry run (same as ``ctx.dry_run``): change the profile and return
    ports as usual, but send nothing, call nothing, write nothing outside the profile.
``"outbox"``
    an :class:`Outbox`: the one way to send a message through a channel (e-mail, SMS,
    webhook…). Live runs queue the message in the persistent outbox (after the
    consent check) for the outbox worker; dry runs only record it. Use
    ``await ctx.send(...)``; a ``purpose`` key in the message names what it is for.
``"calls"``
    a :class:`CallRecorder`: in a dry run, a node that would have had a side effect
    outside the outbox (an HTTP request, a call to a model…) records it here instead
    with ``ctx.record_call(kind, details)``; the dry-run result lists the records.
``"http"``
    a shared ``httpx.AsyncClient`` for live runs (absent in :func:`run_node` tests).
    Never use it when ``ctx.dry_run`` is true.
``"scheduler"``
    live runs only: ``schedule(entry)`` stores a resume entry (see the delay node,
    ``cairn.plugins.nodes.delay.resume_entry``); at ``entry["resume_at"]`` the outbox
    worker continues the run from ``entry["node_id"]``'s ``entry["port"]``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol

from cairn.core.ids import new_id


class Outbox(Protocol):
    """Where send-type nodes hand over their messages."""

    async def send(self, channel: str, message: dict[str, Any], *, to: str | None = None,
                   node_id: str | None = None) -> str:
        """Queue ``message`` for ``channel`` (addressed ``to``, if given); return the message id."""
        ...


@dataclass
class CallRecorder:
    """The side effects a dry run did not perform, in order."""

    calls: list[dict[str, Any]] = field(default_factory=list)

    def record(self, kind: str, details: dict[str, Any], *, node_id: str | None = None) -> None:
        """Note that a ``kind`` call (``"http"``, ``"channel"``…) with ``details`` would have happened."""
        self.calls.append({"kind": kind, "node_id": node_id, "details": details})


@dataclass
class RecordingOutbox:
    """An outbox that sends nothing: it records each message in ``recorder`` (dry runs, tests)."""

    recorder: CallRecorder = field(default_factory=CallRecorder)

    @property
    def sent(self) -> list[dict[str, Any]]:
        """The recorded messages: ``{"id", "channel", "to", "message", "node_id"}``."""
        return [call["details"] for call in self.recorder.calls if call["kind"] == "channel"]

    async def send(self, channel: str, message: dict[str, Any], *, to: str | None = None,
                   node_id: str | None = None) -> str:
        """Record the message; return its would-be id."""
        message_id = new_id()
        self.recorder.record("channel", {"id": message_id, "channel": channel, "to": to, "message": message,
                                         "node_id": node_id}, node_id=node_id)
        return message_id


def recording_services(**extra: Any) -> dict[str, Any]:
    """The services of a dry run: nothing leaves the process."""
    recorder = CallRecorder()
    return {"dry_run": True, "calls": recorder, "outbox": RecordingOutbox(recorder), **extra}
