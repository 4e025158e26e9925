"""HTTP request: against a real HTTP server on 127.0.0.1, routed by status."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest
from pydantic import ValidationError
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, RedirectResponse, Response
from starlette.routing import Route

from cairn.core.nodes import Output, run_node
from cairn.core.store.embedded import free_port
from cairn.plugins.nodes.http import HttpRequest
from tests.nodes.support import run_live, serve

EVENT = {"id": "e1", "type": "order-completed", "context": {}, "properties": {"total": 99.5, "order_id": "o-7"}}
PROFILE = {"id": "p-42", "traits": {"email": "ada@example.com", "first_name": 'Ada "the countess"'}}


@dataclass
class Receiver:
    """A webhook receiver: records what it gets, answers by path."""

    url: str = ""
    received: list[dict[str, Any]] = field(default_factory=list)

    async def hook(self, request: Request) -> Response:
        raw = await request.body()
        self.received.append({"method": request.method, "path": request.url.path, "headers": request.headers,
                              "body": json.loads(raw) if raw else None})
        return JSONResponse({"ok": True, "count": len(self.received)}, headers={"X-Receiver": "yes"})

    async def status(self, request: Request) -> Response:
        code = int(request.path_params["code"])
        return JSONResponse({"code": code, "detail": "as asked"}, status_code=code)

    async def text(self, request: Request) -> Response:
        return PlainTextResponse("plain answer")

    async def slow(self, request: Request) -> Response:
        await asyncio.sleep(0.5)
        return PlainTextResponse("too late")

    async def moved(self, request: Request) -> Response:
        return RedirectResponse("/hook", status_code=307)

    def app(self) -> Starlette:
        methods = ["GET", "POST", "PUT", "PATCH", "DELETE"]
        return Starlette(routes=[Route("/hook", self.hook, methods=methods),
                                 Route("/hook/{rest:path}", self.hook, methods=methods),
                                 Route("/status/{code:int}", self.status, methods=methods),
                                 Route("/text", self.text), Route("/slow", self.slow),
                                 Route("/moved", self.moved, methods=methods)])


@pytest.fixture(scope="module")
async def running_receiver() -> AsyncIterator[Receiver]:
    """A real HTTP server on 127.0.0.1, started once for this module."""
    receiving = Receiver()
    async with serve(receiving.app()) as url:
        receiving.url = url
        yield receiving


@pytest.fixture
def receiver(running_receiver: Receiver) -> Receiver:
    """The receiver, with nothing received yet."""
    running_receiver.received.clear()
    return running_receiver


async def call(config: dict[str, Any], **options: Any) -> tuple[Output, Any]:
    result, ctx = await run_live(HttpRequest, config, event=EVENT, profile=PROFILE, **options)
    assert isinstance(result, Output)
    return result, ctx


async def test_a_webhook_posts_the_rendered_json_body_and_headers(receiver: Receiver) -> None:
    result, ctx = await call({
        "url": f"{receiver.url}/hook/{{{{ profile.id }}}}",
        "headers": {"X-Signature": "sig-{{ event.properties.order_id }}", "Authorization": "Bearer s3cr3t"},
        "body": {"email": "{{ profile.traits.email }}",
                 "order": {"total": 99.5, "id": "{{ event.properties.order_id }}"},
                 "tags": ["a", "{{ event.type }}"], "flag": True},
    })

    [got] = receiver.received
    assert got["method"] == "POST" and got["path"] == "/hook/p-42"
    assert got["headers"]["x-signature"] == "sig-o-7"
    assert got["headers"]["authorization"] == "Bearer s3cr3t"
    assert got["headers"]["content-type"] == "application/json"
    assert got["body"] == {"email": "ada@example.com", "order": {"total": 99.5, "id": "o-7"},
                           "tags": ["a", "order-completed"], "flag": True}
    assert result.port == "success"
    assert result.payload["status"] == 200
    assert result.payload["body"] == {"ok": True, "count": 1}
    assert result.payload["headers"]["x-receiver"] == "yes"
    assert ctx.logs == [f"POST {receiver.url}/hook/p-42 → 200"]


async def test_a_json_text_template_is_rendered_then_parsed_with_tojson_quoting(receiver: Receiver) -> None:
    body = '{"name": {{ profile.traits.first_name | tojson }}, "total": {{ event.properties.total }}}'
    result, _ = await call({"method": "PUT", "url": f"{receiver.url}/hook", "body": body})

    assert result.port == "success"
    assert receiver.received[0]["method"] == "PUT"
    assert receiver.received[0]["body"] == {"name": 'Ada "the countess"', "total": 99.5}


async def test_a_get_sends_no_body(receiver: Receiver) -> None:
    result, _ = await call({"method": "GET", "url": f"{receiver.url}/hook"})
    assert result.port == "success"
    assert receiver.received[0]["method"] == "GET" and receiver.received[0]["body"] is None


@pytest.mark.parametrize(("code", "port"), [(200, "success"), (201, "success"), (204, "success"),
                                            (404, "client_error"), (422, "client_error"),
                                            (500, "server_error"), (503, "server_error")])
async def test_the_status_picks_the_port(receiver: Receiver, code: int, port: str) -> None:
    result, _ = await call({"url": f"{receiver.url}/status/{code}"})

    assert result.port == port
    assert result.payload["status"] == code
    if code != 204:
        assert result.payload["body"] == {"code": code, "detail": "as asked"}


async def test_a_text_answer_is_passed_on_as_text(receiver: Receiver) -> None:
    result, _ = await call({"method": "GET", "url": f"{receiver.url}/text"})
    assert result.payload["body"] == "plain answer"


async def test_redirects_are_followed(receiver: Receiver) -> None:
    result, _ = await call({"url": f"{receiver.url}/moved", "body": {"a": 1}})
    assert result.port == "success"
    assert receiver.received[0]["body"] == {"a": 1}


async def test_a_refused_connection_follows_error() -> None:
    url = f"http://127.0.0.1:{free_port()}/hook"
    result, _ = await call({"url": url, "body": {"a": 1}})

    assert result.port == "error"
    assert result.payload["error"].startswith(f"POST {url} failed: ConnectError")


async def test_no_answer_within_the_timeout_follows_error(receiver: Receiver) -> None:
    result, _ = await call({"method": "GET", "url": f"{receiver.url}/slow", "timeout": 0.1})
    assert result == Output("error", {"error": f"no answer from {receiver.url}/slow within 0.1 s"})


async def test_a_body_that_does_not_render_to_json_is_not_sent(receiver: Receiver) -> None:
    result, _ = await call({"url": f"{receiver.url}/hook", "body": '{"name": {{ profile.traits.first_name }}}'})

    assert result.port == "error"
    assert "the body is not JSON" in result.payload["error"] and "tojson" in result.payload["error"]
    assert receiver.received == []


async def test_a_url_that_renders_to_something_else_than_http_is_refused(receiver: Receiver) -> None:
    result, _ = await call({"url": "{{ profile.traits.email }}"})
    assert result == Output("error", {"error": "the URL 'ada@example.com' does not start with http:// or https://"})


async def test_a_header_that_renders_to_non_ascii_text_is_refused_before_sending(receiver: Receiver) -> None:
    config = {"url": f"{receiver.url}/hook", "headers": {"X-Name": "{{ profile.traits.name }}"}}
    result, _ = await run_live(HttpRequest, config, profile={"id": "p1", "traits": {"name": "Zoë"}})

    assert isinstance(result, Output) and result.port == "error"
    assert result.payload["error"].startswith("header 'X-Name' renders to 'Zoë', which an HTTP header cannot carry")
    assert receiver.received == []


async def test_the_engines_shared_client_is_used_when_given(receiver: Receiver) -> None:
    async with httpx.AsyncClient(headers={"User-Agent": "cairn-engine"}) as shared:
        result, _ = await call({"url": f"{receiver.url}/hook"}, services={"http": shared})
    assert result.port == "success"
    assert receiver.received[0]["headers"]["user-agent"] == "cairn-engine"


async def test_a_dry_run_sends_nothing_and_records_the_request(receiver: Receiver) -> None:
    result, ctx = await run_node(HttpRequest, {"url": f"{receiver.url}/hook", "body": {"e": "{{ event.type }}"}},
                                 event=EVENT, profile=PROFILE)

    assert receiver.received == []
    request = {"method": "POST", "url": f"{receiver.url}/hook", "headers": {}, "body": {"e": "order-completed"}}
    assert result == Output("success", {"status": None, "body": None, "headers": {}, "dry_run": True,
                                        "request": request})
    assert ctx.services["calls"].calls == [{"kind": "http", "node_id": "node", "details": request}]
    assert ctx.logs == [f"dry run: http request not sent: POST {receiver.url}/hook"]


async def test_a_dry_run_masks_secret_headers_in_what_it_records() -> None:
    headers = {"Authorization": "Bearer s3cr3t", "X-Api-Key": "k", "X-Request-Source": "cairn"}
    result, ctx = await run_node(HttpRequest, {"url": "https://crm.example.com/hook", "headers": headers})

    shown = {"Authorization": "***", "X-Api-Key": "***", "X-Request-Source": "cairn"}
    assert isinstance(result, Output) and result.payload["request"]["headers"] == shown
    assert ctx.services["calls"].calls[0]["details"]["headers"] == shown


@pytest.mark.parametrize(("config", "problem"), [
    ({"url": "{{ oops"}, "template syntax error"),
    ({"url": "http://x", "method": "TRACE"}, "Input should be"),
    ({"url": "http://x", "timeout": 0}, "greater than 0"),
    ({"url": "http://x", "body": {"a": ["{% if %}"]}}, "template syntax error"),
    ({"url": "http://x", "headers": {"X": "{{"}}, "template syntax error"),
])
def test_a_broken_request_is_refused_when_the_flow_is_saved(config: dict[str, Any], problem: str) -> None:
    with pytest.raises(ValidationError, match=problem):
        HttpRequest.Config.model_validate(config)
