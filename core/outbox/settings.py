"""How the outbox worker behaves, read from ``CAIRN_*`` environment variables.

=============================== ======= ===============================================
variable                        default meaning
=============================== ======= ===============================================
``CAIRN_RUN_WORKER``            ``1``   ``0`` stops the server from delivering by itself
                                        (run ``cairn worker`` processes instead)
``CAIRN_WORKER_POLL_INTERVAL``  ``1``   seconds between looks at the outbox when idle
``CAIRN_OUTBOX_MAX_ATTEMPTS``   ``6``   tries before an entry is ``dead``
``CAIRN_OUTBOX_BACKOFF_BASE``   ``30``  seconds before the first retry; doubled each time
``CAIRN_OUTBOX_BACKOFF_MAX``    ``3600`` longest wait between two tries, in seconds
``CAIRN_OUTBOX_LEASE_SECONDS``  ``120`` how long a claimed entry is reserved for its
                                        worker; a worker killed mid-delivery leaves the
                                        entry ``sending`` and another worker retries it
                                        once the lease has expired
``CAIRN_OUTBOX_SEND_TIMEOUT``   ``30``  seconds one delivery may take (kept below the lease)
``CAIRN_OUTBOX_BATCH_SIZE``     ``20``  entries a worker claims and delivers at once
=============================== ======= ===============================================
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, replace


@dataclass(frozen=True)
class OutboxSettings:
    """The worker's knobs (see the module docstring)."""

    run_worker: bool = True
    poll_interval: float = 1.0
    max_attempts: int = 6
    backoff_base: float = 30.0
    backoff_max: float = 3600.0
    lease_seconds: float = 120.0
    send_timeout: float = 30.0
    batch_size: int = 20

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> OutboxSettings:
        """Read the settings from ``environ`` (default: the process environment)."""
        env = os.environ if environ is None else environ
        defaults = cls()

        def number(name: str, default: float) -> float:
            return float(env.get(name, default))

        return cls(
            run_worker=env.get("CAIRN_RUN_WORKER", "1").strip().lower() not in ("0", "false", "no", "off"),
            poll_interval=number("CAIRN_WORKER_POLL_INTERVAL", defaults.poll_interval),
            max_attempts=max(1, int(number("CAIRN_OUTBOX_MAX_ATTEMPTS", defaults.max_attempts))),
            backoff_base=number("CAIRN_OUTBOX_BACKOFF_BASE", defaults.backoff_base),
            backoff_max=number("CAIRN_OUTBOX_BACKOFF_MAX", defaults.backoff_max),
            lease_seconds=number("CAIRN_OUTBOX_LEASE_SECONDS", defaults.lease_seconds),
            send_timeout=number("CAIRN_OUTBOX_SEND_TIMEOUT", defaults.send_timeout),
            batch_size=max(1, int(number("CAIRN_OUTBOX_BATCH_SIZE", defaults.batch_size))),
        )

    def backoff(self, attempts: int) -> float:
        """Seconds to wait after the ``attempts``-th failed try."""
        return float(min(self.backoff_max, self.backoff_base * 2 ** max(0, attempts - 1)))

    def with_changes(self, **changes: object) -> OutboxSettings:
        """A copy with some settings changed."""
        return replace(self, **changes)  # type: ignore[arg-type]
