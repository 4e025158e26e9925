"""The embedded store: a MongoDB wire-protocol server run as a child process.

When no ``CAIRN_MONGO_URL`` is set, Cairn starts ``secantusd-py`` (from the
``secantusdb`` package on PyPI) on a free loopback port with its data in a local
folder, waits until it answers, and stops it on exit. Cairn only ever talks to it
through the MongoDB driver, exactly as it would to a real MongoDB.

The running store's address is written to ``<data dir>/store.json`` so that other
Cairn commands (``cairn admin create-token`` while the server runs) connect to it
instead of trying to open the same files.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path
from types import TracebackType

from pymongo import MongoClient
from pymongo.errors import PyMongoError

SERVER_PROGRAM = "secantusd-py"
STATE_FILE = "store.json"


class EmbeddedStoreError(RuntimeError):
    """The embedded store could not be started."""


def free_port() -> int:
    """Return a TCP port on 127.0.0.1 that is free right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def find_server_program() -> str:
    """Return the path of the embedded store's server program, or explain how to get it."""
    beside_python = Path(sys.executable).with_name(SERVER_PROGRAM)
    if beside_python.exists():
        return str(beside_python)
    found = shutil.which(SERVER_PROGRAM)
    if found:
        return found
    raise EmbeddedStoreError(
        f"{SERVER_PROGRAM} was not found. Install the embedded store with "
        "`pip install 'cairn-cdp[embedded]'` (scripts/serve.sh does it for you), "
        "or point Cairn at a MongoDB with CAIRN_MONGO_URL."
    )


def running_store_url(data_dir: Path) -> str | None:
    """Return the URL of an embedded store already serving ``data_dir``, if one answers."""
    state_path = data_dir / STATE_FILE
    try:
        url = json.loads(state_path.read_text())["url"]
    except (OSError, ValueError, KeyError, TypeError):
        return None
    if not isinstance(url, str) or not url.startswith("mongodb://"):
        return None
    try:
        client: MongoClient[dict[str, object]] = MongoClient(url, serverSelectionTimeoutMS=500)
    except PyMongoError:
        return None
    try:
        client.admin.command("ping")
        return url
    except PyMongoError:
        return None
    finally:
        client.close()


class EmbeddedStore:
    """Starts and stops the embedded store for one data folder (or in memory)."""

    def __init__(self, data_dir: Path | None, *, startup_timeout: float = 30.0) -> None:
        """``data_dir=None`` keeps the data in memory (tests, throw-away runs)."""
        self.data_dir = data_dir.resolve() if data_dir is not None else None
        self.startup_timeout = startup_timeout
        self.port = 0
        self._process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        """The MongoDB connection URL of the running store."""
        return f"mongodb://127.0.0.1:{self.port}/?directConnection=true"

    def start(self) -> str:
        """Start the store, wait until it answers, and return its URL."""
        storage = ":memory:"
        if self.data_dir is not None:
            self.data_dir.mkdir(parents=True, exist_ok=True)
            storage = str(self.data_dir / "store")
        self.port = free_port()
        command = [find_server_program(), "--host", "127.0.0.1", "--port", str(self.port),
                   "--storage-path", storage, "--log-level", "WARNING"]
        self._process = subprocess.Popen(command, stdin=subprocess.DEVNULL, cwd=self.data_dir or None)
        self._wait_until_ready()
        self._write_state()
        return self.url

    def _wait_until_ready(self) -> None:
        deadline = time.monotonic() + self.startup_timeout
        client: MongoClient[dict[str, object]] = MongoClient(self.url, serverSelectionTimeoutMS=200)
        try:
            while time.monotonic() < deadline:
                if self._process is not None and self._process.poll() is not None:
                    raise EmbeddedStoreError(
                        f"the embedded store exited with code {self._process.returncode}; "
                        "see its messages above (is another Cairn using the same data folder?)"
                    )
                try:
                    client.admin.command("ping")
                    return
                except PyMongoError:
                    time.sleep(0.05)
        finally:
            client.close()
        self.stop()
        raise EmbeddedStoreError(f"the embedded store did not answer within {self.startup_timeout:.0f} s")

    def _write_state(self) -> None:
        if self.data_dir is None:
            return
        state = {"url": self.url, "pid": os.getpid()}
        (self.data_dir / STATE_FILE).write_text(json.dumps(state))

    def stop(self) -> None:
        """Stop the store (gracefully, then forcefully) and forget its address."""
        process, self._process = self._process, None
        if process is None:
            return
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        if self.data_dir is not None:
            (self.data_dir / STATE_FILE).unlink(missing_ok=True)

    def __enter__(self) -> EmbeddedStore:
        self.start()
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 traceback: TracebackType | None) -> None:
        self.stop()
