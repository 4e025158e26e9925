"""Notification toast: a short message that goes away by itself."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from cairn.core.widgets import Widget
from cairn.plugins.widgets._assets import asset
from cairn.plugins.widgets._fields import Text


class ToastConfig(BaseModel):
    """The message, its tone and how long it stays."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    message: Text = Field(min_length=1)
    title: Text = ""
    level: Literal["info", "success", "warning", "error"] = "info"
    duration_ms: int = Field(5000, ge=1000, le=60000, description="How long it stays, in milliseconds.")


class Toast(Widget):
    """Shows a message in a corner for a few seconds."""

    id = "cairn.toast"
    name = "Notification toast"
    description = "A short message in the top corner that dismisses itself after a few seconds."
    docs = """\
Shows `title` and `message` at the top right, coloured by `level`, for `duration_ms`
milliseconds (or until closed with ×). It sends no event.
"""
    Config = ToastConfig
    template = asset("toast.html")
    styles = asset("toast.css")
    script = asset("toast.js")
    example = {"message": "Your order is on its way.", "level": "success"}
