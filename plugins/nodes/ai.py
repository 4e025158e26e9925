"""Call an AI endpoint: any OpenAI-compatible chat completions API, to write or to classify."""

from __future__ import annotations

import re
from typing import Any, ClassVar

import httpx
from pydantic import BaseModel, ConfigDict, Field, field_validator

from cairn.core.nodes import NodeContext, NodeResult, NodeType, Output
from cairn.plugins.nodes._http import http_client, record_dry_run, response_body
from cairn.plugins.nodes._outputs import error_output
from cairn.plugins.nodes._templating import TemplateProblem, check_template, render


class AiConfig(BaseModel):
    """The endpoint, the model and the prompts."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    url: str = Field("https://api.openai.com/v1/chat/completions",
                     description="The chat completions URL of an OpenAI-compatible API (OpenAI, Azure, "
                                 "Mistral, a local Ollama or vLLM…).",
                     examples=["https://api.openai.com/v1/chat/completions",
                               "http://127.0.0.1:11434/v1/chat/completions"])
    api_key: str = Field("", description="Sent as 'Authorization: Bearer <key>'; empty: no header.",
                         json_schema_extra={"format": "password", "writeOnly": True})
    model: str = Field(description="The model name.", examples=["gpt-4o-mini", "llama3.1"], min_length=1)
    system_prompt: str = Field("", description="Instructions for the model (a Jinja2 template).",
                               examples=["You are the customer service of an outdoor shop."])
    prompt: str = Field(description="The user message (a Jinja2 template).",
                        examples=["Classify this review: {{ event.properties.comment }}"])
    labels: tuple[str, ...] = Field((), description="For classification: the answers allowed. The model is told "
                                                    "to answer with one; its answer is matched to it.",
                                    examples=[["complaint", "question", "praise"]])
    temperature: float = Field(0, ge=0, le=2, description="Randomness of the answer (0: most repeatable).")
    max_tokens: int | None = Field(None, gt=0, description="The longest answer, in tokens; empty: the API's default.")
    timeout: float = Field(30, gt=0, le=600, description="Seconds to wait for the answer.")
    trait: str | None = Field(None, description="A trait that receives the answer (the label when classifying).",
                              examples=["review_topic"])

    _check_prompts = field_validator("system_prompt", "prompt")(check_template)

    @field_validator("url")
    @classmethod
    def _http_url(cls, url: str) -> str:
        if not url.startswith(("http://", "https://")):
            raise ValueError("the URL must start with http:// or https://, e.g. "
                             "'https://api.openai.com/v1/chat/completions'")
        return url

    @field_validator("api_key")
    @classmethod
    def _header_safe(cls, api_key: str) -> str:
        api_key = api_key.strip()
        if not api_key.isascii() or any(char.isspace() for char in api_key):
            raise ValueError("the API key has spaces or non-ASCII characters; paste the key exactly as issued")
        return api_key

    @field_validator("labels")
    @classmethod
    def _distinct_labels(cls, labels: tuple[str, ...]) -> tuple[str, ...]:
        cleaned = tuple(dict.fromkeys(label.strip() for label in labels if label.strip()))
        if len({label.casefold() for label in cleaned}) != len(cleaned):
            raise ValueError("two labels differ only by case; keep one")
        return cleaned


class _CallFailed(Exception):
    """The endpoint gave no usable answer; ``output`` is what the node sends through ``error``."""

    def __init__(self, message: str, **details: Any) -> None:
        super().__init__(message)
        self.output = error_output(message, **details)


def build_messages(config: AiConfig, ctx: NodeContext) -> list[dict[str, str]]:
    """The chat messages: the system prompt (with the label instruction) and the rendered prompt."""
    system = render(config.system_prompt, ctx).strip() if config.system_prompt else ""
    if config.labels:
        instruction = ("Answer with exactly one of these labels and nothing else: "
                       + ", ".join(config.labels) + ".")
        system = f"{system}\n\n{instruction}" if system else instruction
    messages = [{"role": "system", "content": system}] if system else []
    return [*messages, {"role": "user", "content": render(config.prompt, ctx)}]


def match_label(answer: str, labels: tuple[str, ...]) -> str | None:
    """The label the answer stands for: an exact match (case and punctuation aside), or the one label it names."""
    cleaned = answer.strip().strip(".!\"'`*").strip().casefold()
    for label in labels:
        if label.casefold() == cleaned:
            return label
    named = [label for label in labels
             if re.search(rf"(?<!\w){re.escape(label.casefold())}(?!\w)", answer.casefold())]
    return named[0] if len(named) == 1 else None


def answer_text(body: Any) -> str | None:
    """The first choice's message content of a chat completions response, if it has that shape."""
    try:
        content = body["choices"][0]["message"]["content"]
    except (KeyError, IndexError, TypeError):
        return None
    return content if isinstance(content, str) else None


class CallAi(NodeType):
    """Asks a chat model and passes its answer on."""

    id = "cairn.ai"
    version = 1
    name = "Call an AI model"
    category = "AI"
    description = "Sends a prompt to an OpenAI-compatible chat API; writes or classifies with the answer."
    docs = """\
Sends `system_prompt` and `prompt` (Jinja2 templates seeing `event`, `profile`,
`session`, `payload`, `variables`) to `model` at `url`, any API that speaks OpenAI's
chat completions format: OpenAI, Azure OpenAI, Mistral, Groq, or a model on your own
machine through Ollama, vLLM or llama.cpp.

**Classification**: list `labels` and the model is told to answer with exactly one of
them; its answer is matched back to a label (case and punctuation aside). An answer
that names no label, or several, follows `error`.

The payload becomes `{"text", "label", "model"}` (`label` is null without `labels`);
with `trait`, the label (or the text) is also saved on the profile.

In a dry run nothing is sent: the request is recorded (without the API key) and the
node follows `out` with `{"text": null, "label": null, "dry_run": true}`.

**Ports**: `in`; `out`; `error` — no answer within `timeout`, an error status, a
response of the wrong shape, an unmatched label, a failing template (`{"error": …}`).

**Config**: `url`, `api_key`, `model`, `system_prompt`, `prompt`, `labels`,
`temperature`, `max_tokens`, `timeout`, `trait`.
"""
    outputs: ClassVar[tuple[str, ...]] = ("out", "error")
    Config = AiConfig

    async def run(self, config: AiConfig, ctx: NodeContext) -> NodeResult:
        """Ask the model, match the label, follow ``out`` (or ``error``)."""
        try:
            messages = build_messages(config, ctx)
        except TemplateProblem as problem:
            return error_output(str(problem))
        request: dict[str, Any] = {"model": config.model, "messages": messages, "temperature": config.temperature}
        if config.max_tokens is not None:
            request["max_tokens"] = config.max_tokens
        if ctx.dry_run:
            record_dry_run(ctx, "ai", {"method": "POST", "url": config.url, "body": request})
            return Output("out", {"text": None, "label": None, "model": config.model, "dry_run": True})
        try:
            body = await self._call(config, request, ctx)
        except _CallFailed as failed:
            return failed.output
        return self._answer(config, body, ctx)

    async def _call(self, config: AiConfig, request: dict[str, Any], ctx: NodeContext) -> Any:
        """POST the request; return the response body or raise :class:`_CallFailed`."""
        headers = {"Authorization": f"Bearer {config.api_key}"} if config.api_key else {}
        try:
            async with http_client(ctx) as client:
                response = await client.post(config.url, json=request, headers=headers, timeout=config.timeout)
        except httpx.TimeoutException as error:
            raise _CallFailed(f"the model did not answer within {config.timeout:g} s") from error
        except httpx.HTTPError as error:
            raise _CallFailed(f"calling {config.url} failed: {error!r}") from error
        body = response_body(response)
        if not response.is_success:
            raise _CallFailed(f"the AI endpoint answered {response.status_code}", status=response.status_code,
                              body=body)
        return body

    def _answer(self, config: AiConfig, body: Any, ctx: NodeContext) -> NodeResult:
        text = answer_text(body)
        if text is None:
            return error_output("the response is not a chat completion (no choices[0].message.content)", body=body)
        label = match_label(text, config.labels) if config.labels else None
        if config.labels and label is None:
            return error_output(f"the answer names none (or several) of the labels {list(config.labels)}",
                                text=text)
        if config.trait:
            ctx.profile.set_trait(config.trait, label if config.labels else text)
        return Output("out", {"text": text, "label": label, "model": body.get("model", config.model)})
