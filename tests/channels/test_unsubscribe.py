"""Unsubscribe links: signed, revoking the consents that allowed the message, audited."""

from __future__ import annotations

import httpx
import pytest

from cairn.core.consents import consent_service
from cairn.core.runtime import Cairn
from cairn.plugins.channels.unsubscribe import Unsubscribe, make_token, read_token, signing_key, unsubscribe_url
from tests.outbox.support import create_consent_type, create_profile


async def subscribed(cairn: Cairn) -> None:
    await create_consent_type(cairn, "newsletter", channels=("email",), purposes=("marketing",))
    await create_consent_type(cairn, "sms-offers", channels=("sms",), purposes=("marketing",))
    await create_consent_type(cairn, "terms", purposes=("marketing",), revocable=False)
    await create_profile(cairn, "p-unsub")
    for type_id in ("newsletter", "sms-offers", "terms"):
        await consent_service(cairn).change("p-unsub", type_id, True, source="test")


def test_tokens_are_signed() -> None:
    wanted = Unsubscribe("p1", "email", "marketing")
    token = make_token(b"key", wanted)
    assert read_token(b"key", token) == wanted
    assert read_token(b"other key", token) is None
    body, _, mac = token.partition(".")
    forged = make_token(b"key", Unsubscribe("p2", "email", "marketing")).partition(".")[0]
    assert read_token(b"key", f"{forged}.{mac}") is None
    assert read_token(b"key", "garbage") is None


async def test_the_key_is_generated_once_and_shared(cairn: Cairn, monkeypatch: pytest.MonkeyPatch) -> None:
    first = await signing_key(cairn.database)
    assert first == await signing_key(cairn.database) and len(first) >= 32
    monkeypatch.setenv("CAIRN_UNSUBSCRIBE_SECRET", "from-env")
    assert await signing_key(cairn.database) == b"from-env"


async def test_the_link_revokes_only_revocable_consents_of_that_channel_and_purpose(
        cairn: Cairn, client: httpx.AsyncClient) -> None:
    await subscribed(cairn)
    link = await unsubscribe_url(cairn, "", Unsubscribe("p-unsub", "email", "marketing"))
    response = await client.get(link)
    assert response.status_code == 200 and "no longer receive marketing messages by email" in response.text
    current = await consent_service(cairn).current("p-unsub")
    assert current["newsletter"]["granted"] is False and current["newsletter"]["source"] == "unsubscribe-link"
    assert current["sms-offers"]["granted"] is True
    assert current["terms"]["granted"] is True, "a non-revocable consent stays"
    again = await client.post(link)
    assert again.status_code == 200, "one-click POST, and a second click, are fine"
    history = await consent_service(cairn).history_of("p-unsub")
    assert [(h["type_id"], h["granted"]) for h in history if h["source"] == "unsubscribe-link"] == \
        [("newsletter", False)]


async def test_a_forged_link_is_refused(cairn: Cairn, client: httpx.AsyncClient) -> None:
    await subscribed(cairn)
    token = make_token(b"not the key", Unsubscribe("p-unsub", "email", "marketing"))
    response = await client.get(f"/unsubscribe/{token}")
    assert response.status_code == 400 and "not valid" in response.text
    assert (await consent_service(cairn).current("p-unsub"))["newsletter"]["granted"] is True


async def test_a_link_for_an_erased_profile_changes_nothing(cairn: Cairn, client: httpx.AsyncClient) -> None:
    link = await unsubscribe_url(cairn, "", Unsubscribe("gone", "email", "marketing"))
    assert (await client.get(link)).status_code == 200
