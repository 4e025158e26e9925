"""The consent rules, as pure functions: what a send needs, and how decisions are recorded."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from pydantic import ValidationError

from cairn.core.consents import ConsentRequest, ConsentType
from cairn.core.consents.purposes import consent_free_purposes_from_env
from cairn.core.consents.state import RecordConsent, decide, plan_consent

NOW = datetime(2026, 5, 1, 12, tzinfo=UTC)
FREE = frozenset({"transactional"})
EMAIL_OFFERS = ConsentType(id="email-offers", name="E-mail offers", channels=("email",), purposes=("marketing",),
                           expires_after_days=365)
ANY_CHANNEL = ConsentType(id="profiling", name="Profiling", purposes=("profiling", "analytics"))
TERMS = ConsentType(id="terms", name="Terms", required=True, revocable=False, purposes=("service",))
TYPES = [EMAIL_OFFERS, ANY_CHANNEL, TERMS]


def profile(**consents: dict) -> dict:
    return {"id": "p", "consents": consents}


def granted(days_ago: int = 1, expires_in: int | None = None) -> dict:
    expires = NOW + timedelta(days=expires_in) if expires_in is not None else None
    return {"granted": True, "updated_at": NOW - timedelta(days=days_ago), "expires_at": expires}


@pytest.mark.parametrize(("consents", "allowed", "code"), [
    ({}, False, "missing"),
    ({"email-offers": granted()}, True, "granted"),
    ({"email-offers": {"granted": False, "updated_at": NOW}}, False, "revoked"),
    ({"email-offers": granted(expires_in=-1)}, False, "expired"),
    ({"email-offers": granted(expires_in=0)}, False, "expired"),
    ({"email-offers": granted(expires_in=1)}, True, "granted"),
])
def test_marketing_e_mail_needs_a_current_consent(consents: dict, allowed: bool, code: str) -> None:
    decision = decide(TYPES, profile(**consents), "email", "marketing", consent_free=FREE, now=NOW)
    assert (decision.allowed, decision.code) == (allowed, code)
    assert decision.consent_type == "email-offers"


def test_transactional_is_declared_consent_free_and_needs_nothing() -> None:
    decision = decide(TYPES, profile(), "email", "transactional", consent_free=FREE, now=NOW)
    assert decision.allowed and decision.code == "not_required"


def test_a_purpose_no_type_covers_is_never_allowed() -> None:
    decision = decide(TYPES, profile(**{"email-offers": granted()}), "sms", "marketing", consent_free=FREE, now=NOW)
    assert not decision.allowed and "no consent type covers purpose 'marketing' on channel 'sms'" in decision.reason


def test_a_type_without_channels_covers_every_channel() -> None:
    for channel in ("email", "sms", "webhook"):
        decision = decide(TYPES, profile(profiling=granted()), channel, "analytics", consent_free=FREE, now=NOW)
        assert decision.allowed


def test_transactional_is_the_only_consent_free_purpose_by_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CAIRN_CONSENT_FREE_PURPOSES", raising=False)
    assert consent_free_purposes_from_env() == frozenset({"transactional"})


def test_consent_free_purposes_can_be_configured(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CAIRN_CONSENT_FREE_PURPOSES", "transactional, service")
    assert consent_free_purposes_from_env() == frozenset({"transactional", "service"})
    monkeypatch.setenv("CAIRN_CONSENT_FREE_PURPOSES", "")
    free = consent_free_purposes_from_env()
    assert free == frozenset()
    assert not decide(TYPES, profile(), "email", "transactional", consent_free=free, now=NOW).allowed


def test_a_grant_records_state_expiry_and_an_audit_line() -> None:
    request = ConsentRequest("email-offers", True, "event", NOW, "ev-1")
    planned = plan_consent(profile(), request, EMAIL_OFFERS)
    assert planned is not None and planned.change is not None
    doc = profile()
    planned.change.apply(doc)
    assert doc["consents"]["email-offers"] == {"granted": True, "updated_at": NOW,
                                               "expires_at": NOW + timedelta(days=365), "source": "event",
                                               "event_id": "ev-1"}
    assert planned.history["previous"] == "missing" and planned.history["outcome"] == "applied"


def test_revoking_a_non_revocable_consent_is_refused_but_audited() -> None:
    planned = plan_consent(profile(terms=granted()), ConsentRequest("terms", False, "event", NOW), TERMS)
    assert planned is not None and planned.change is None
    assert planned.history["outcome"] == "refused" and "not revocable" in planned.history["reason"]


def test_an_older_decision_never_overwrites_a_newer_one() -> None:
    newer = {"granted": False, "updated_at": NOW, "expires_at": None, "source": "graphql", "event_id": None}
    late = ConsentRequest("email-offers", True, "event", NOW - timedelta(hours=1))
    planned = plan_consent(profile(**{"email-offers": newer}), late, EMAIL_OFFERS)
    assert planned is not None and planned.change is None and planned.history["outcome"] == "superseded"
    doc = profile(**{"email-offers": newer})
    RecordConsent("email-offers", {**newer, "granted": True, "updated_at": NOW - timedelta(hours=1)}).apply(doc)
    assert doc["consents"]["email-offers"] == newer, "replayed after a conflict, the change still yields"


def test_repeated_preferences_are_recorded_only_when_they_change() -> None:
    current = profile(**{"email-offers": granted()})
    same = ConsentRequest("email-offers", True, "segment-consent", NOW, only_if_different=True)
    assert plan_consent(current, same, EMAIL_OFFERS) is None
    changed = ConsentRequest("email-offers", False, "segment-consent", NOW, only_if_different=True)
    assert plan_consent(current, changed, EMAIL_OFFERS) is not None
    lapsed = profile(**{"email-offers": granted(expires_in=-1)})
    assert plan_consent(lapsed, same, EMAIL_OFFERS) is not None, "a lapsed consent given again is renewed"


@pytest.mark.parametrize("bad", [{"id": "has.dot"}, {"id": ""}, {"purposes": []}, {"expires_after_days": 0}])
def test_consent_types_are_validated(bad: dict) -> None:
    with pytest.raises(ValidationError):
        ConsentType.model_validate({"id": "ok", "name": "Ok", **bad})
