"""Consent banner: the customer grants or refuses each consent type."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, field_validator

from cairn.core.consents.models import CONSENT_TYPE_ID
from cairn.core.widgets import Widget
from cairn.plugins.widgets._assets import asset
from cairn.plugins.widgets._fields import Label, Text


class ConsentChoice(BaseModel):
    """One consent type the banner asks about."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: Annotated[str, Field(pattern=CONSENT_TYPE_ID, description="The consent type id.",
                             examples=["analytics", "marketing-email"])]
    label: Label = Field(description="What the customer reads next to the toggle.")
    description: Text = Field("", description="One sentence on what it allows.")
    required: bool = Field(False, description="Always granted (the toggle cannot be switched off).")


class ConsentBannerConfig(BaseModel):
    """What the banner says and which consent types it asks about."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    title: Text = "We value your privacy"
    message: Text = "We use cookies and your data to run the shop and, if you agree, to improve it and send you offers."
    consent_types: list[ConsentChoice] = Field(min_length=1, max_length=20,
                                               description="The consent types, in the order shown.")
    accept_label: Label = "Accept all"
    reject_label: Label = "Reject all"
    customize_label: Label = "Choose"
    save_label: Label = "Save my choices"
    tracking_consent_type: str | None = Field(
        None, description="The consent type that allows tracking on this site: granting it switches the "
                          "tracker's consent on (cairn.consent.grant()), refusing it switches it off.")

    @field_validator("consent_types")
    @classmethod
    def _unique(cls, choices: list[ConsentChoice]) -> list[ConsentChoice]:
        ids = [choice.id for choice in choices]
        duplicates = sorted({i for i in ids if ids.count(i) > 1})
        if duplicates:
            raise ValueError(f"consent type {duplicates[0]!r} is listed twice")
        return choices


class ConsentBanner(Widget):
    """Asks for consents; sends ``consent-granted`` / ``consent-revoked`` per type."""

    id = "cairn.consent"
    name = "Consent banner"
    description = ("A banner asking for consents (Accept all, Reject all, or a choice per type); sends "
                   "consent-granted / consent-revoked with {consentType} for each type.")
    docs = """\
Shows `title` and `message` with three buttons: **Accept all**, **Reject all** and
**Choose**, which opens a toggle per consent type. Each decision sends one event per
consent type: `consent-granted` or `consent-revoked` with
`{"consentType": <id>, "source": "consent-banner"}`; Cairn records them on the profile.
Required types are always granted. When `tracking_consent_type` is granted, the
tracker's consent is switched on (`cairn.consent.grant()`); refused, off.
"""
    events = ("consent-granted", "consent-revoked")
    Config = ConsentBannerConfig
    template = asset("consent.html")
    styles = asset("consent.css")
    script = asset("consent.js")
    example = {"consent_types": [
        {"id": "analytics", "label": "Statistics", "description": "Helps us improve the shop."},
        {"id": "marketing-email", "label": "Offers by e-mail", "description": "At most one e-mail a week."}]}
