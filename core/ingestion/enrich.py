"""Context enrichment: IP, parsed user agent, campaign (UTM parameters of the page URL).

What the client sent is kept; the server only adds what is missing. UTM parameters
map to Segment's ``context.campaign`` fields: ``utm_campaign`` → ``name``,
``utm_source`` → ``source``, ``utm_medium``, ``utm_term``, ``utm_content`` likewise.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import ua_parser

from cairn.core.ingestion.incoming import IncomingEvent

UTM_FIELDS = {"utm_source": "source", "utm_medium": "medium", "utm_campaign": "name", "utm_term": "term",
              "utm_content": "content"}


def parse_user_agent(user_agent: str) -> dict[str, dict[str, Any]]:
    """Return ``{"browser": …, "os": …, "device": …}`` for a User-Agent string (a copy of its own)."""
    return {part: dict(fields) for part, fields in _parse_user_agent(user_agent).items()}


@lru_cache(maxsize=4096)
def _parse_user_agent(user_agent: str) -> dict[str, dict[str, Any]]:
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
    """Return the campaign fields named by the ``utm_*`` parameters of a URL."""
    try:
        query = urlsplit(url).query
    except ValueError:
        return {}
    return {UTM_FIELDS[key]: value for key, value in parse_qsl(query) if key in UTM_FIELDS}


def enrich(event: IncomingEvent, *, ip: str | None, user_agent: str | None) -> None:
    """Add what the server knows to the event's context, keeping what the client sent."""
    context = event.context
    if context.get("ip") is None:
        context["ip"] = ip
    agent = context.get("userAgent") if isinstance(context.get("userAgent"), str) else user_agent
    if agent:
        context["userAgent"] = agent
        context.setdefault("userAgentParsed", parse_user_agent(agent))
    url = _page_url(event)
    utm = utm_from_url(url) if url else {}
    if utm:
        sent = context.get("campaign")
        context["campaign"] = {**utm, **sent} if isinstance(sent, dict) else utm


def _page_url(event: IncomingEvent) -> str | None:
    page = event.context.get("page")
    url = page.get("url") if isinstance(page, dict) else None
    if not isinstance(url, str) and event.kind in ("page", "screen"):
        url = event.properties.get("url")
    return url if isinstance(url, str) else None


def _version(major: str | None, minor: str | None) -> str | None:
    if major is None:
        return None
    return f"{major}.{minor}" if minor is not None else major
