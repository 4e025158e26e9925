"""HTTP request / webhook: call any HTTP endpoint, route on the answer's status."""

from __future__ import annotations

import json
import re
from typing import Any, ClassVar, Literal

import httpx
from pydantic import BaseModel, ConfigDict, Field, JsonValue, field_validator

from cairn.core.nodes import NodeContext, NodeResult, NodeType, Output
from cairn.plugins.nodes._http import http_client, record_dry_run, response_body
from cairn.plugins.nodes._outputs import error_output
from cairn.plugins.nodes._templating import TemplateProblem, check_template, check_templates, render, render_value

Method = Literal["GET", "POST", "PUT", "PATCH", "DELETE"]


class HttpConfig(BaseModel):
    """The request to send."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    method: Method = Field("POST", description="The HTTP method.")
    url: str = Field(description="The address (http or https); a Jinja2 template.",
                     examples=["https://hooks.example.com/cairn", "https://crm.example.com/contacts/{{ profile.id }}"])
    headers: dict[str, str] = Field(default_factory=dict, description="Request headers; values are templates.",
                                    examples=[{"Authorization": "Bearer s3cr3t"}])
    body: str | dict[str, JsonValue] | None = Field(
        None, description="The JSON body: a mapping (its texts are templates) or a template rendering to JSON.",
        examples=[{"email": "{{ profile.traits.email }}", "event": "{{ event.type }}"},
                  '{"total": {{ event.properties.total | tojson }}}'])
    timeout: float = Field(10, gt=0, le=300, description="Seconds to wait for the answer.")

    _check_url = field_validator("url")(check_template)
    _check_headers = field_validator("headers")(check_templates)
    _check_body = field_validator("body")(check_templates)


class _Refused(Exception):
    """The request cannot be built (a template failed, the body is not JSON, a bad URL)."""


def build_request(config: HttpConfig, ctx: NodeContext) -> dict[str, Any]:
    """Render the URL, headers and body; raise :class:`_Refused` with the reason if one fails."""
    try:
        url = render(config.url, ctx).strip()
        headers = {name: render(value, ctx) for name, value in config.headers.items()}
        body = render_value(config.body, ctx)
    except TemplateProblem as problem:
        raise _Refused(str(problem)) from problem
    if not url.startswith(("http://", "https://")):
        raise _Refused(f"the URL {url!r} does not start with http:// or https://")
    for name, value in headers.items():
        if not value.isascii() or "\r" in value or "\n" in value:
            raise _Refused(f"header {name!r} renders to {value!r}, which an HTTP header cannot carry "
                           "(non-ASCII characters or line breaks); the |urlencode filter makes any text safe")
    if isinstance(body, str):
        try:
            body = json.loads(body)
        except json.JSONDecodeError as error:
            raise _Refused(f"the body is not JSON ({error}); the |tojson filter quotes values safely") from error
    return {"method": config.method, "url": url, "headers": headers, "body": body}


_SECRET_HEADER = re.compile(r"auth|key|token|secret|password|cookie|signature", re.IGNORECASE)


def redacted(headers: dict[str, str]) -> dict[str, str]:
    """The headers with the values of secret-looking ones (``Authorization``, ``X-Api-Key``…) hidden."""
    return {name: "***" if _SECRET_HEADER.search(name) else value for name, value in headers.items()}


def port_for(status: int) -> str:
    """The output port of an HTTP status."""
    if 200 <= status < 300:
        return "success"
    if 400 <= status < 500:
        return "client_error"
    if 500 <= status < 600:
        return "server_error"
    return "error"


class HttpRequest(NodeType):
    """Sends one HTTP request and routes on the response status."""

    id = "cairn.http_request"
    version = 1
    name = "HTTP request"
    category = "Integration"
    description = "Calls a URL (a webhook, a CRM, any API) and follows a port by the response status."
    docs = """\
Sends `method` `url` with `headers` and a JSON `body` and waits up to `timeout` seconds.

**Ports**: `in`; one output by the answer:

| port | when |
|---|---|
| `success` | a 2xx status |
| `client_error` | a 4xx status |
| `server_error` | a 5xx status |
| `error` | no answer (connection refused, timeout), another status, or a request that cannot be built |

The payload is `{"status", "body", "headers"}`, with `body` parsed as JSON when it is
JSON and as text otherwise; on `error` it is `{"error": …}`.

The URL, header values and body are Jinja2 templates seeing `event`, `profile`,
`session`, `payload` and `variables`. The body is either a mapping (every text in it is
rendered) or one template that must render to JSON — use `|tojson` to quote values:
`{"email": {{ profile.traits.email | tojson }}}`. Redirects are followed.

In a dry run nothing is sent: the request is listed in the dry run's result and log
(secret-looking headers such as `Authorization` masked), and the node follows
`success` with `{"status": null, "dry_run": true, "request": …}`.

**Config**: `method`, `url`, `headers`, `body`, `timeout`.
"""
    outputs: ClassVar[tuple[str, ...]] = ("success", "client_error", "server_error", "error")
    Config = HttpConfig

    async def run(self, config: HttpConfig, ctx: NodeContext) -> NodeResult:
        """Build, send, route."""
        try:
            request = build_request(config, ctx)
        except _Refused as refused:
            return error_output(str(refused))
        if ctx.dry_run:
            shown = {**request, "headers": redacted(request["headers"])}
            record_dry_run(ctx, "http", shown)
            return Output("success", {"status": None, "body": None, "headers": {}, "dry_run": True,
                                      "request": shown})
        try:
            async with http_client(ctx) as client:
                response = await client.request(
                    request["method"], request["url"], headers=request["headers"],
                    json=request["body"], timeout=config.timeout)
        except httpx.TimeoutException:
            return error_output(f"no answer from {request['url']} within {config.timeout:g} s")
        except httpx.HTTPError as error:
            return error_output(f"{request['method']} {request['url']} failed: {error!r}")
        payload = {"status": response.status_code, "body": response_body(response),
                   "headers": dict(response.headers)}
        ctx.log(f"{request['method']} {request['url']} → {response.status_code}")
        port = port_for(response.status_code)
        if port == "error":
            return error_output(f"unexpected status {response.status_code}", **payload)
        return Output(port, payload)
