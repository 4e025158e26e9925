"""Reading the built-in widgets' templates, styles and scripts from ``assets/``."""

from __future__ import annotations

from pathlib import Path

ASSETS = Path(__file__).parent / "assets"


def asset(name: str) -> str:
    """The text of ``assets/<name>``."""
    return (ASSETS / name).read_text(encoding="utf-8")
