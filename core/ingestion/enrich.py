"""Context enrichment: server receive time, IP, parsed user agent, UTM parameters."""

from __future__ import annotations

from functools import lru_cache
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import ua_parser

from cairn.core.ingestion.incoming import IncomingEvent

UTM_KEYS = ("source", "medium", "campaign", "term", "content")


@lru_cache(maxsize=4096)
def parse_user_agent(user_agent: str) -> dict[str, dict[str, Any]]:
    """Return ``{"browser": …, "os": …, "device": …}`` for a User-Agent string."""
    result = ua_parser.parse(user_agent)
    browser = result.user_agent
    system = result.os
    device = result.device
    return {
        "browser": {"name": browser.family, "version": _version(browser.major, browser.minor)} if browser else {},
        "os": {"name": system.family, "version": _version(system.major, system.minor)} if system else {},
        "device": {"family": device.family, "brand": device.brand, "model": device.model} if device else {},
    }


def utm_from_url(url: str) -> dict[str, str]:
    """Return the ``utm_*`` parameters of a URL, without the prefix."""
    try:
        query = urlsplit(url).query
    except ValueError:
        return {}
    found = {}
    for key, value in parse_qsl(query):
        if key.startswith("utm_") and key[4:] in UTM_KEYS:
            found[key[4:]] = value
    return found


def enrich(event: IncomingEvent, *, ip: str | None, user_agent: str | None) -> None:
    """Add what the server knows to the event's context, keeping what the client sent."""
    context = event.context
    context.setdefault("ip", ip)
    agent = context.get("userAgent") if isinstance(context.get("userAgent"), str) else user_agent
    if agent:
        context["userAgent"] = agent
        context.setdefault("userAgentParsed", parse_user_agent(agent))
    page = context.get("page")
    url = page.get("url") if isinstance(page, dict) else None
    campaign = context.get("campaign") if isinstance(context.get("campaign"), dict) else {}
    utm = {**(utm_from_url(url) if isinstance(url, str) else {}),
           **{k: str(v) for k, v in campaign.items() if k in UTM_KEYS}}
    if utm:
        context["campaign"] = utm


def _version(major: str | None, minor: str | None) -> str | None:
    if major is None:
        return None
    return f"{major}.{minor}" if minor is not None else major
