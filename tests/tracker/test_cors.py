"""CORS on the tracking endpoints follows each source's allowed origins."""

from __future__ import annotations

import base64
import gzip
import json
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any

import httpx
import pytest
from playwright.async_api import Page
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from cairn.core.config import Limits
from cairn.core.http.cors import TrackingCORSMiddleware, normalize_origin, origin_allowed
from cairn.core.models.source import EventSource
from tests.support.browser import Site, html_page, stored_events
from tests.support.server import RunningServer

SHOP = "https://shop.example"
BLOG = "https://blog.example"


@dataclass
class FakeSources:
    """The two look-ups the middleware makes, over a list of sources."""

    items: list[EventSource] = field(default_factory=list)
    listed: int = 0

    async def list(self) -> list[EventSource]:
        self.listed += 1
        return list(self.items)

    async def by_write_key(self, write_key: str) -> EventSource | None:
        return next((source for source in self.items if source.write_key == write_key), None)


def _source(key: str, *origins: str, enabled: bool = True) -> EventSource:
    return EventSource(id=key, name=key, write_key=key, allowed_origins=list(origins), enabled=enabled)


@pytest.fixture
def sources() -> FakeSources:
    return FakeSources([_source("wk_shop", SHOP), _source("wk_blog", BLOG), _source("wk_off", "https://off.example",
                                                                                       enabled=False)])


@pytest.fixture
def received() -> list[bytes]:
    """The bodies the endpoints behind the middleware received."""
    return []


@pytest.fixture
def app(sources: FakeSources, received: list[bytes]) -> Starlette:
    """A small app with the middleware, reading the sources from ``app.state.cairn`` like Cairn's."""

    async def echo(request: Request) -> Response:  # the tracking endpoint, as far as the middleware knows
        body = await request.body()
        received.append(body)
        return JSONResponse({"received": len(body)})

    app = Starlette(routes=[Route("/track", echo, methods=["POST"]), Route("/v1/{call}", echo, methods=["POST"]),
                            Route("/graphql", echo, methods=["POST"])],
                    middleware=[Middleware(TrackingCORSMiddleware)])
    app.state.cairn = SimpleNamespace(sources=sources, settings=SimpleNamespace(limits=Limits()))
    return app


@pytest.fixture
async def small_app(app: Starlette) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://cairn.test") as client:
        yield client


def _native(key: str) -> str:
    return json.dumps({"source": {"id": key}, "events": [{"type": "page-view"}]})


def test_origins_are_compared_in_their_normal_form() -> None:
    assert normalize_origin("HTTPS://Shop.Example:443/") == "https://shop.example"
    assert normalize_origin("http://localhost:3000") == "http://localhost:3000"
    assert normalize_origin("https://shop.example/path") is None
    assert normalize_origin("null") is None
    assert origin_allowed("https://shop.example", ["https://SHOP.example:443"])
    assert origin_allowed("https://anything.example", ["*"])
    assert not origin_allowed("http://shop.example", ["https://shop.example"])
    assert not origin_allowed("null", ["*"])


async def test_a_preflight_from_an_origin_of_any_enabled_source_is_answered(small_app: httpx.AsyncClient) -> None:
    response = await small_app.options("/track", headers={
        "Origin": BLOG, "Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "content-type"})

    assert response.status_code == 204
    assert response.headers["access-control-allow-origin"] == BLOG
    assert "POST" in response.headers["access-control-allow-methods"]
    assert "Content-Type" in response.headers["access-control-allow-headers"]
    assert response.headers["access-control-max-age"] == "600"
    assert response.headers["vary"] == "Origin"


@pytest.mark.parametrize("origin", ["https://evil.example", "https://off.example", "null"])
async def test_a_preflight_from_an_unknown_or_disabled_origin_is_refused(
        small_app: httpx.AsyncClient, origin: str) -> None:
    response = await small_app.options("/v1/track", headers={"Origin": origin,
                                                              "Access-Control-Request-Method": "POST"})

    assert response.status_code == 403
    assert "access-control-allow-origin" not in response.headers
    assert response.json()["error"]["code"] == "origin_not_allowed"


async def test_a_request_from_an_origin_of_its_own_source_is_allowed(small_app: httpx.AsyncClient) -> None:
    response = await small_app.post("/track", content=_native("wk_shop"), headers={"Origin": SHOP})

    assert response.status_code == 200
    assert response.headers["access-control-allow-origin"] == SHOP
    assert response.headers["vary"] == "Origin"
    assert response.json() == {"received": len(_native("wk_shop"))}


async def test_a_request_from_another_sources_origin_is_refused_before_anything_is_stored(
        small_app: httpx.AsyncClient, received: list[bytes]) -> None:
    response = await small_app.post("/track", content=_native("wk_shop"), headers={"Origin": BLOG})

    assert response.status_code == 403
    assert "access-control-allow-origin" not in response.headers
    assert response.json()["error"] == {
        "code": "origin_not_allowed", "message": f"origin {BLOG} is not allowed by source 'wk_shop'",
        "hint": "add the website's origin (scheme://host[:port]) to the source's allowed origins"}
    assert received == []


async def test_the_write_key_is_found_in_basic_auth_writekey_and_gzip_bodies(small_app: httpx.AsyncClient) -> None:
    basic = base64.b64encode(b"wk_blog:").decode()
    by_auth = await small_app.post("/v1/track", json={"event": "x"}, headers={"Origin": BLOG,
                                                                              "Authorization": f"Basic {basic}"})
    by_body = await small_app.post("/v1/track", json={"writeKey": "wk_blog"}, headers={"Origin": SHOP})
    zipped = await small_app.post("/track", content=gzip.compress(_native("wk_blog").encode()),
                                  headers={"Origin": BLOG, "Content-Encoding": "gzip"})

    assert by_auth.headers["access-control-allow-origin"] == BLOG
    assert by_body.status_code == 403
    assert zipped.headers["access-control-allow-origin"] == BLOG
    assert zipped.json() == {"received": len(gzip.compress(_native("wk_blog").encode()))}


@pytest.mark.parametrize("body", ["not json", _native("wk_unknown"), _native("wk_off")])
async def test_without_a_usable_source_the_error_is_readable_from_known_origins_only(
        small_app: httpx.AsyncClient, body: str) -> None:
    known = await small_app.post("/track", content=body, headers={"Origin": SHOP})
    unknown = await small_app.post("/track", content=body, headers={"Origin": "https://evil.example"})

    assert known.headers["access-control-allow-origin"] == SHOP
    assert "access-control-allow-origin" not in unknown.headers
    assert unknown.status_code == 200  # the endpoint itself answers (here: the echo); Cairn's would say 401/403


async def test_requests_without_origin_and_other_paths_are_left_alone(
        small_app: httpx.AsyncClient, sources: FakeSources) -> None:
    server_side = await small_app.post("/track", content=_native("wk_shop"))
    other = await small_app.post("/graphql", content="{}", headers={"Origin": "https://evil.example"})

    assert server_side.status_code == 200 and "access-control-allow-origin" not in server_side.headers
    assert other.status_code == 200 and "access-control-allow-origin" not in other.headers
    assert sources.listed == 0


async def test_a_new_source_is_seen_without_waiting_for_the_cache(
        small_app: httpx.AsyncClient, app: Starlette, sources: FakeSources) -> None:
    preflight = {"Access-Control-Request-Method": "POST"}
    assert (await small_app.options("/track", headers={"Origin": "https://new.example", **preflight})).status_code == 403
    sources.items.append(_source("wk_new", "https://new.example"))
    middleware: Any = app.middleware_stack
    while not isinstance(middleware, TrackingCORSMiddleware):
        middleware = middleware.app
    middleware.index.loaded_at -= 2  # a second later

    assert (await small_app.options("/track", headers={"Origin": "https://new.example", **preflight})).status_code == 204


async def test_cairns_own_endpoints_answer_with_cors_for_the_sources_origin(web: RunningServer) -> None:
    source = await web.cairn.sources.create("shop", allowed_origins=[SHOP])
    async with httpx.AsyncClient(base_url=web.url) as http:
        allowed = await http.post("/track", content=_native(source.write_key), headers={"Origin": SHOP})
        refused = await http.post("/track", content=_native(source.write_key), headers={"Origin": BLOG})
        segment = await http.post("/v1/track", auth=(source.write_key, ""), headers={"Origin": SHOP},
                                  json={"userId": "u1", "event": "Signed Up"})
        preflight = await http.options("/v1/batch", headers={"Origin": SHOP, "Access-Control-Request-Method": "POST"})

    assert allowed.status_code == 200 and allowed.headers["access-control-allow-origin"] == SHOP
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "origin_not_allowed"
    assert segment.status_code == 200 and segment.headers["access-control-allow-origin"] == SHOP
    assert preflight.status_code == 204
    assert await web.cairn.database.events.count_documents({}) == 2


async def test_in_the_browser_an_allowed_origin_reads_the_answer_and_another_cannot_send(
        page: Page, web: RunningServer, site: Site, source: EventSource) -> None:
    other = Site()
    send = """async (args) => {
        try {
            const response = await fetch(args.url + "/track", {method: "POST", body: JSON.stringify(args.body),
                                                               headers: {"Content-Type": "application/json"}});
            return {status: response.status, body: await response.json()};
        } catch (error) { return {failed: String(error)}; }
    }"""
    body: dict[str, Any] = {"source": {"id": source.write_key}, "events": [{"type": "from-page"}]}
    site.pages["/"] = other.pages["/"] = html_page(body="<p>page</p>")

    await page.goto(site.url("/"))
    allowed = await page.evaluate(send, {"url": web.url, "body": body})
    async with other.serving():
        await page.goto(other.url("/"))
        refused = await page.evaluate(send, {"url": web.url, "body": body})

    assert allowed["status"] == 200 and allowed["body"]["stored"] == 1
    assert "Failed to fetch" in refused["failed"]
    assert len(await stored_events(web, type="from-page")) == 1
