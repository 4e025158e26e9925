"""Call-to-action pop-up: a title, a text and a button leading to a page."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from cairn.core.widgets import Widget
from cairn.plugins.widgets._assets import asset
from cairn.plugins.widgets._fields import HttpUrl, Identifier, Label, Text


class CtaConfig(BaseModel):
    """What the pop-up says and where its button leads."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    title: Text = Field(min_length=1)
    text: Text = ""
    button_label: Label = "Learn more"
    url: HttpUrl = Field(description="Where the button leads (http or https).")
    new_tab: bool = Field(False, description="Open the link in a new tab.")
    cta_id: Identifier | None = Field(None, description="Sent back as ctaId.", examples=["spring-sale"])
    position: Literal["corner", "center"] = "corner"


class CallToAction(Widget):
    """Invites the customer somewhere; sends ``cta-clicked`` when the button is used."""

    id = "cairn.cta"
    name = "Call-to-action pop-up"
    description = "A pop-up with a text and a button linking to a page; sends cta-clicked {ctaId, url}."
    docs = """\
Shows `title`, `text` and a button labelled `button_label` that opens `url` (in a new
tab with `new_tab`). The click sends `cta-clicked` with `{"ctaId": <cta_id>, "url": <url>}`
before the browser leaves the page (the tracker hands it to `sendBeacon`). Closing it
with × sends `widget-dismissed`.
"""
    events = ("cta-clicked", "widget-dismissed")
    Config = CtaConfig
    template = asset("cta.html")
    styles = asset("cta.css")
    script = asset("cta.js")
    example = {"title": "Spring sale", "text": "20% off all tents this week.", "button_label": "See the tents",
               "url": "https://shop.example/tents", "cta_id": "spring-sale"}
