"""Cairn serves the tracker and widget scripts with caching headers."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest

from cairn.core.widgets.assets import FRONTEND, tracker_script
from tests.support.server import RunningServer


@pytest.fixture
async def http(web: RunningServer) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=web.url) as client:
        yield client


async def test_tracker_js_is_served_as_is_with_an_etag_and_a_short_cache(http: httpx.AsyncClient) -> None:
    response = await http.get("/tracker.js")

    assert response.status_code == 200
    assert response.headers["content-type"] == "text/javascript; charset=utf-8"
    assert response.headers["cache-control"] == "public, max-age=300"
    assert response.headers["etag"] == tracker_script().etag
    assert response.headers["cross-origin-resource-policy"] == "cross-origin"
    assert (FRONTEND / "tracker" / "tracker.js").read_text() in response.text
    assert (FRONTEND / "widgets" / "runtime.js").read_text() in response.text


async def test_tracker_js_is_not_sent_again_when_the_browser_has_it(http: httpx.AsyncClient) -> None:
    etag = (await http.get("/tracker.js")).headers["etag"]

    same = await http.get("/tracker.js", headers={"If-None-Match": etag})
    weak = await http.get("/tracker.js", headers={"If-None-Match": f'"other", W/{etag}'})
    changed = await http.get("/tracker.js", headers={"If-None-Match": '"something-older"'})

    assert (same.status_code, same.content, same.headers["etag"]) == (304, b"", etag)
    assert same.headers["cache-control"] == "public, max-age=300"
    assert weak.status_code == 304
    assert changed.status_code == 200


async def test_a_widget_script_at_its_versioned_url_is_cached_for_a_year(http: httpx.AsyncClient) -> None:
    rendered = (await http.get("/widgets/cairn.rating/render")).json()

    versioned = await http.get(rendered["script"])
    unversioned = await http.get("/widgets/cairn.rating/script.js")
    repeat = await http.get(rendered["script"], headers={"If-None-Match": versioned.headers["etag"]})

    assert rendered["script"].startswith("/widgets/cairn.rating/script.js?v=")
    assert versioned.headers["cache-control"] == "public, max-age=31536000, immutable"
    assert unversioned.headers["cache-control"] == "public, max-age=300"
    assert "function mount(root, config, widget)" in versioned.text
    assert 'window.CairnWidgets.define("cairn.rating", mount)' in versioned.text
    assert repeat.status_code == 304


async def test_an_unknown_widget_has_no_script(http: httpx.AsyncClient) -> None:
    response = await http.get("/widgets/acme.nothing/script.js")

    assert response.status_code == 404
    assert response.json()["error"]["code"] == "unknown_widget"
