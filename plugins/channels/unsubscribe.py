"""Unsubscribe links: ``GET`` (or one-click ``POST``) ``/unsubscribe/{token}``.

Every e-mail gets a link whose token names the profile, the channel and the purpose,
signed with HMAC-SHA256 so nobody can forge one for someone else. Following it
revokes every granted, revocable consent that covers that purpose on that channel
(audited with source ``unsubscribe-link``). For a message whose purpose needs no
consent (a receipt), the link unsubscribes from ``marketing``.

The signing key is ``CAIRN_UNSUBSCRIBE_SECRET`` if set; otherwise one is generated
once and kept in the ``channel_settings`` collection (document ``_unsubscribe``), so
every Cairn process shares it and links stay valid across restarts.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import html
import json
import os
import secrets
from dataclasses import dataclass

from pymongo.errors import DuplicateKeyError
from starlette.requests import Request
from starlette.responses import HTMLResponse
from starlette.routing import BaseRoute, Route

from cairn.core.consents.runtime import consent_service
from cairn.core.outbox.channel_settings import COLLECTION
from cairn.core.runtime import Cairn
from cairn.core.store.database import Database

SECRET_ENV = "CAIRN_UNSUBSCRIBE_SECRET"
KEY_DOCUMENT = "_unsubscribe"
PATH = "/unsubscribe/{token}"
SOURCE = "unsubscribe-link"


@dataclass(frozen=True)
class Unsubscribe:
    """What a token asks: stop ``purpose`` messages to ``profile_id`` through ``channel``."""

    profile_id: str
    channel: str
    purpose: str


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


async def signing_key(database: Database) -> bytes:
    """The key that signs unsubscribe tokens (see the module docstring)."""
    from_env = os.environ.get(SECRET_ENV)
    if from_env:
        return from_env.encode()
    collection = database.collection(COLLECTION)
    doc = await collection.find_one({"_id": KEY_DOCUMENT})
    if doc is None:
        try:
            await collection.insert_one({"_id": KEY_DOCUMENT, "secret": secrets.token_urlsafe(32)})
        except DuplicateKeyError:
            pass
        doc = await collection.find_one({"_id": KEY_DOCUMENT})
    assert doc is not None
    return str(doc["secret"]).encode()


def make_token(key: bytes, request: Unsubscribe) -> str:
    """A signed token for ``request``."""
    body = _b64(json.dumps({"p": request.profile_id, "c": request.channel, "u": request.purpose},
                           separators=(",", ":")).encode())
    return f"{body}.{_b64(hmac.new(key, body.encode(), hashlib.sha256).digest())}"


def read_token(key: bytes, token: str) -> Unsubscribe | None:
    """The request a token carries, or ``None`` if it is malformed or not signed with ``key``."""
    body, _, mac = token.partition(".")
    expected = _b64(hmac.new(key, body.encode(), hashlib.sha256).digest())
    if not mac or not hmac.compare_digest(mac, expected):
        return None
    try:
        data = json.loads(_unb64(body))
        return Unsubscribe(str(data["p"]), str(data["c"]), str(data["u"]))
    except (ValueError, KeyError, TypeError):
        return None


async def unsubscribe_url(cairn: Cairn, base_url: str, request: Unsubscribe) -> str:
    """The link that unsubscribes ``request``, on ``base_url`` (the server's public address)."""
    token = make_token(await signing_key(cairn.database), request)
    return f"{base_url.rstrip('/')}{PATH.format(token=token)}"


def _page(title: str, text: str, status: int = 200) -> HTMLResponse:
    body = (f"<!doctype html><html><head><meta charset='utf-8'><title>{html.escape(title)}</title></head>"
            f"<body><h1>{html.escape(title)}</h1><p>{html.escape(text)}</p></body></html>")
    return HTMLResponse(body, status_code=status)


def unsubscribe_routes(cairn: Cairn) -> list[BaseRoute]:
    """The ``/unsubscribe/{token}`` route (GET for people, POST for one-click mail clients)."""

    async def unsubscribe(request: Request) -> HTMLResponse:
        wanted = read_token(await signing_key(cairn.database), request.path_params["token"])
        if wanted is None:
            return _page("Invalid link", "This unsubscribe link is not valid. Use the link from your latest "
                                         "message, or contact us.", status=400)
        await consent_service(cairn).revoke_covering(wanted.profile_id, wanted.channel, wanted.purpose,
                                                     source=SOURCE)
        return _page("You are unsubscribed", f"You will no longer receive {wanted.purpose} messages by "
                                             f"{wanted.channel}.")

    return [Route(PATH, unsubscribe, methods=["GET", "POST"])]
