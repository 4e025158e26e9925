"""The website-side files Cairn serves as they are: the tracker and the shared widget runtime.

They live in ``frontend/`` (plain ES2017 and CSS, no build step): the tracker in
``frontend/tracker/tracker.js``, the widget runtime (shadow-DOM mounting, the
``CairnWidgets`` registry) in ``frontend/widgets/runtime.js`` and the styles every
widget shares in ``frontend/widgets/widgets.css``. Each is read once and kept with
its ETag.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

FRONTEND = Path(__file__).resolve().parents[2] / "frontend"
"""The repository's ``frontend/`` folder (Cairn is installed from its source tree)."""


class AssetMissing(RuntimeError):
    """A frontend file is not where Cairn expects it."""


@dataclass(frozen=True)
class Asset:
    """A file's bytes and their ETag (a quoted content hash)."""

    content: bytes
    etag: str

    @classmethod
    def of(cls, content: bytes) -> Asset:
        """The asset holding ``content``."""
        return cls(content, f'"{content_hash(content)}"')

    @property
    def text(self) -> str:
        """The content as text."""
        return self.content.decode()


def content_hash(content: bytes) -> str:
    """A short, stable hash of ``content`` (for ETags and versioned URLs)."""
    return hashlib.sha256(content).hexdigest()[:16]


def read_frontend(relative: str) -> str:
    """The text of ``frontend/<relative>``, or :class:`AssetMissing` saying how to get it."""
    path = FRONTEND / relative
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError as error:
        raise AssetMissing(f"{path} is missing; install Cairn from its source tree "
                           "(pip install -e .) so that the frontend/ folder is there") from error


@lru_cache(maxsize=1)
def widget_css() -> str:
    """The styles every widget's shadow root starts with."""
    return read_frontend("widgets/widgets.css")


@lru_cache(maxsize=1)
def tracker_script() -> Asset:
    """``/tracker.js``: the widget runtime followed by the tracker, one file for one request."""
    runtime = read_frontend("widgets/runtime.js")
    tracker = read_frontend("tracker/tracker.js")
    return Asset.of(f"{runtime}\n{tracker}".encode())
