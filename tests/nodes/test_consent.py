"""Check consent: only a consent granted and not expired follows 'granted'."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from pydantic import ValidationError

from cairn.core.clock import utcnow
from cairn.core.nodes import Output, run_node
from cairn.plugins.nodes.consent import CheckConsent


async def check(consents: dict[str, Any], consent: str = "marketing-email") -> tuple[str, list[str]]:
    result, ctx = await run_node(CheckConsent, {"consent": consent},
                                 profile={"id": "p1", "traits": {}, "consents": consents}, payload={"kept": 1})
    assert isinstance(result, Output) and result.payload == {"kept": 1}
    return result.port, ctx.logs


async def test_a_granted_consent_without_expiry_is_granted() -> None:
    assert await check({"marketing-email": {"granted": True, "expires_at": None}}) == (
        "granted", ["consent 'marketing-email': granted"])


async def test_a_granted_consent_that_expires_later_is_granted() -> None:
    port, _ = await check({"marketing-email": {"granted": True, "expires_at": utcnow() + timedelta(days=1)}})
    assert port == "granted"


async def test_an_expired_consent_is_not_granted() -> None:
    port, logs = await check({"marketing-email": {"granted": True, "expires_at": utcnow() - timedelta(seconds=1)}})
    assert (port, logs) == ("not_granted", ["consent 'marketing-email': expired"])


@pytest.mark.parametrize("expires_at", ["2001-01-01T00:00:00+00:00", "2001-01-01T00:00:00",
                                        datetime(2001, 1, 1), "not a date"])
async def test_expiry_as_iso_text_or_naive_utc_is_understood_and_an_unreadable_one_is_expired(
        expires_at: Any) -> None:
    port, _ = await check({"marketing-email": {"granted": True, "expires_at": expires_at}})
    assert port == "not_granted"


async def test_an_iso_expiry_in_the_future_is_granted() -> None:
    later = (datetime.now(UTC) + timedelta(days=30)).isoformat()
    port, _ = await check({"marketing-email": {"granted": True, "expires_at": later}})
    assert port == "granted"


@pytest.mark.parametrize(("consents", "state"), [
    ({}, "missing"),
    ({"sms": {"granted": True}}, "missing"),
    ({"marketing-email": {"granted": False}}, "revoked"),
    ({"marketing-email": {"granted": "yes"}}, "revoked"),
])
async def test_missing_or_revoked_consent_is_not_granted(consents: dict[str, Any], state: str) -> None:
    assert await check(consents) == ("not_granted", [f"consent 'marketing-email': {state}"])


async def test_a_profile_without_consents_at_all_is_not_granted() -> None:
    result, _ = await run_node(CheckConsent, {"consent": "sms"})
    assert result == Output("not_granted", None)


def test_the_consent_type_id_must_be_a_valid_id() -> None:
    with pytest.raises(ValidationError):
        CheckConsent.Config.model_validate({"consent": ""})
    with pytest.raises(ValidationError):
        CheckConsent.Config.model_validate({"consent": "no/slashes"})
