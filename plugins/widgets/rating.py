"""Satisfaction rating: 1–5 stars or a 0–10 NPS score, with an optional comment."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from cairn.core.widgets import Widget
from cairn.plugins.widgets._assets import asset
from cairn.plugins.widgets._fields import Identifier, Label, Text


class RatingConfig(BaseModel):
    """The question, the scale and whether to ask for a comment."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    title: Text = "How was your experience?"
    question: Text = Field("", description="An optional sentence under the title.")
    scale: Literal["stars", "nps"] = Field("stars", description="stars: 1 to 5; nps: 0 to 10 (Net Promoter Score).")
    ask_comment: bool = Field(True, description="Offer a comment box (optional for the customer).")
    comment_placeholder: Text = "Tell us more (optional)"
    submit_label: Label = "Send"
    thanks: Text = "Thank you for your feedback!"
    low_label: Text = Field("Not likely", description="NPS: the label under 0.")
    high_label: Text = Field("Very likely", description="NPS: the label under 10.")
    rating_id: Identifier | None = Field(None, description="Sent back as ratingId, to tell surveys apart.",
                                         examples=["post-purchase"])


class Rating(Widget):
    """Asks for a score; sends ``rating-submitted`` with ``{score, scale, comment}``."""

    id = "cairn.rating"
    name = "Satisfaction rating"
    description = ("Asks for 1–5 stars or an NPS score (0–10) with an optional comment; sends rating-submitted "
                   "{score, scale, comment}.")
    docs = """\
Shows `title` and a row of stars (`scale: stars`, 1–5) or of scores (`scale: nps`,
0–10). With `ask_comment`, a comment box and a send button follow; without, a click
on a score sends at once. The event `rating-submitted` carries `score` (a number),
`scale` (`stars` or `nps`), `comment` (text, or null when left empty) and `ratingId`
when configured — a Sentiment node can read `properties.comment`. Closing it with ×
sends `widget-dismissed` with `{"widget": "cairn.rating"}`.
"""
    events = ("rating-submitted", "widget-dismissed")
    Config = RatingConfig
    template = asset("rating.html")
    styles = asset("rating.css")
    script = asset("rating.js")
    example = {"title": "How was your order?", "scale": "stars"}
