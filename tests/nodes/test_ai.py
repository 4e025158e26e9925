"""Call an AI model: against a real local server speaking OpenAI's chat completions format."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from pydantic import ValidationError
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from cairn.core.nodes import Output, run_node
from cairn.core.profiles.changes import SetField
from cairn.core.store.embedded import free_port
from cairn.plugins.nodes.ai import CallAi, match_label
from tests.nodes.support import run_live, serve

API_KEY = "sk-test-123"
REVIEW = {"id": "e1", "type": "review-posted", "context": {},
          "properties": {"comment": "The tent leaked on the first night.", "product": "Tent 2"}}
PROFILE = {"id": "p1", "traits": {"first_name": "Ada"}}
LABELS = ["complaint", "question", "praise"]


@dataclass
class FakeOpenAI:
    """A chat completions endpoint: checks the key, records requests, answers ``answer``."""

    url: str = ""
    answer: str = "Hello!"
    received: list[dict[str, Any]] = field(default_factory=list)
    headers: list[dict[str, str]] = field(default_factory=list)

    async def completions(self, request: Request) -> Response:
        self.headers.append(dict(request.headers))
        if request.headers.get("authorization") != f"Bearer {API_KEY}":
            return JSONResponse({"error": {"message": "Incorrect API key provided", "type": "invalid_request_error",
                                           "code": "invalid_api_key"}}, status_code=401)
        body = await request.json()
        self.received.append(body)
        return JSONResponse({
            "id": "chatcmpl-1", "object": "chat.completion", "created": 1_700_000_000, "model": body["model"],
            "choices": [{"index": 0, "message": {"role": "assistant", "content": self.answer},
                         "finish_reason": "stop"}],
            "usage": {"prompt_tokens": 20, "completion_tokens": 3, "total_tokens": 23},
        })

    async def wrong_shape(self, request: Request) -> Response:
        return JSONResponse({"result": "not a chat completion"})

    async def overloaded(self, request: Request) -> Response:
        return JSONResponse({"error": {"message": "overloaded"}}, status_code=503)

    async def slow(self, request: Request) -> Response:
        await asyncio.sleep(0.5)
        return JSONResponse({})

    def app(self) -> Starlette:
        return Starlette(routes=[Route("/v1/chat/completions", self.completions, methods=["POST"]),
                                 Route("/wrong/v1/chat/completions", self.wrong_shape, methods=["POST"]),
                                 Route("/busy/v1/chat/completions", self.overloaded, methods=["POST"]),
                                 Route("/slow/v1/chat/completions", self.slow, methods=["POST"])])


@pytest.fixture(scope="module")
async def running_model() -> AsyncIterator[FakeOpenAI]:
    """The fake endpoint on 127.0.0.1, started once for this module."""
    fake = FakeOpenAI()
    async with serve(fake.app()) as url:
        fake.url = url
        yield fake


@pytest.fixture
def model(running_model: FakeOpenAI) -> FakeOpenAI:
    """The fake endpoint, with nothing received and the default answer."""
    running_model.received.clear()
    running_model.headers.clear()
    running_model.answer = "Hello!"
    return running_model


def config(model: FakeOpenAI, **overrides: Any) -> dict[str, Any]:
    return {"url": f"{model.url}/v1/chat/completions", "api_key": API_KEY, "model": "gpt-test",
            "prompt": "Reply to {{ profile.traits.first_name }}: {{ event.properties.comment }}", **overrides}


async def ask(settings: dict[str, Any]) -> tuple[Output, Any]:
    result, ctx = await run_live(CallAi, settings, event=REVIEW, profile=PROFILE)
    assert isinstance(result, Output)
    return result, ctx


async def test_the_rendered_prompts_go_to_the_model_and_its_answer_comes_back(model: FakeOpenAI) -> None:
    model.answer = "Sorry to hear that, Ada. We will replace your tent."
    result, ctx = await ask(config(model, system_prompt="You answer for {{ event.properties.product }}'s maker.",
                                   temperature=0.3, max_tokens=50, trait="last_reply"))

    [sent] = model.received
    assert sent == {"model": "gpt-test", "temperature": 0.3, "max_tokens": 50, "messages": [
        {"role": "system", "content": "You answer for Tent 2's maker."},
        {"role": "user", "content": "Reply to Ada: The tent leaked on the first night."}]}
    assert model.headers[0]["authorization"] == f"Bearer {API_KEY}"
    assert result == Output("out", {"text": model.answer, "label": None, "model": "gpt-test"})
    assert ctx.profile.changes == [SetField(("traits", "last_reply"), model.answer)]


async def test_classification_tells_the_labels_and_matches_the_answer(model: FakeOpenAI) -> None:
    model.answer = " Complaint. "
    result, ctx = await ask(config(model, prompt="{{ event.properties.comment }}", labels=LABELS,
                                   trait="review_topic"))

    system = model.received[0]["messages"][0]
    assert system == {"role": "system", "content": "Answer with exactly one of these labels and nothing else: "
                                                   "complaint, question, praise."}
    assert result == Output("out", {"text": " Complaint. ", "label": "complaint", "model": "gpt-test"})
    assert ctx.profile.traits["review_topic"] == "complaint"


async def test_the_label_instruction_follows_the_system_prompt(model: FakeOpenAI) -> None:
    model.answer = "praise"
    await ask(config(model, system_prompt="You sort reviews.", labels=LABELS))
    assert model.received[0]["messages"][0]["content"] == (
        "You sort reviews.\n\nAnswer with exactly one of these labels and nothing else: complaint, question, praise.")


async def test_a_chatty_answer_naming_one_label_is_matched(model: FakeOpenAI) -> None:
    model.answer = "I would say this is a complaint."
    result, _ = await ask(config(model, labels=LABELS))
    assert result.port == "out" and result.payload["label"] == "complaint"


@pytest.mark.parametrize("answer", ["I cannot decide.", "Either a complaint or a question."])
async def test_an_answer_naming_no_single_label_follows_error(model: FakeOpenAI, answer: str) -> None:
    model.answer = answer
    result, ctx = await ask(config(model, labels=LABELS, trait="review_topic"))

    assert result.port == "error"
    assert result.payload == {"error": "the answer names none (or several) of the labels "
                                       "['complaint', 'question', 'praise']", "text": answer}
    assert ctx.profile.changes == []


async def test_a_wrong_api_key_follows_error_with_the_endpoints_answer(model: FakeOpenAI) -> None:
    result, _ = await ask(config(model, api_key="sk-wrong"))

    assert result.port == "error"
    assert result.payload["error"] == "the AI endpoint answered 401"
    assert result.payload["body"]["error"]["code"] == "invalid_api_key"


async def test_without_api_key_no_authorization_header_is_sent(model: FakeOpenAI) -> None:
    await ask(config(model, api_key=""))
    assert "authorization" not in model.headers[0]


@pytest.mark.parametrize(("path", "problem"), [
    ("/wrong", "the response is not a chat completion (no choices[0].message.content)"),
    ("/busy", "the AI endpoint answered 503"),
])
async def test_an_unusable_answer_follows_error(model: FakeOpenAI, path: str, problem: str) -> None:
    result, _ = await ask(config(model, url=f"{model.url}{path}/v1/chat/completions"))
    assert result.port == "error" and result.payload["error"] == problem


async def test_no_answer_within_the_timeout_follows_error(model: FakeOpenAI) -> None:
    result, _ = await ask(config(model, url=f"{model.url}/slow/v1/chat/completions", timeout=0.1))
    assert result == Output("error", {"error": "the model did not answer within 0.1 s"})


async def test_an_unreachable_endpoint_follows_error() -> None:
    url = f"http://127.0.0.1:{free_port()}/v1/chat/completions"
    result, _ = await ask({"url": url, "model": "m", "prompt": "hi"})
    assert result.port == "error" and result.payload["error"].startswith(f"calling {url} failed: ConnectError")


async def test_a_dry_run_calls_nothing_and_records_the_request_without_the_key(model: FakeOpenAI) -> None:
    result, ctx = await run_node(CallAi, config(model, labels=LABELS), event=REVIEW, profile=PROFILE)

    assert model.received == [] and model.headers == []
    assert result == Output("out", {"text": None, "label": None, "model": "gpt-test", "dry_run": True})
    [call] = ctx.services["calls"].calls
    assert call["kind"] == "ai"
    assert call["details"]["url"] == f"{model.url}/v1/chat/completions"
    assert call["details"]["body"]["messages"][1] == {"role": "user",
                                                      "content": "Reply to Ada: The tent leaked on the first night."}
    assert API_KEY not in repr(call)


async def test_a_failing_prompt_template_follows_error(model: FakeOpenAI) -> None:
    result, _ = await ask(config(model, prompt="{{ ''.__class__ }}"))
    assert result.port == "error" and result.payload["error"].startswith("SecurityError")
    assert model.received == []


@pytest.mark.parametrize(("answer", "label"), [("question", "question"), ("**Praise**", "praise"),
                                               ("'complaint'", "complaint"), ("It is praise!", "praise"),
                                               ("complaints", None), ("praise, not a complaint", None)])
def test_answers_are_matched_to_labels_case_and_punctuation_aside(answer: str, label: str | None) -> None:
    assert match_label(answer, tuple(LABELS)) == label


@pytest.mark.parametrize(("settings", "problem"), [
    ({"url": "ftp://models", "model": "m", "prompt": "x"}, "must start with http:// or https://"),
    ({"model": "m", "prompt": "x", "labels": ["Yes", "yes"]}, "differ only by case"),
    ({"model": "m", "prompt": "{{ x"}, "template syntax error"),
    ({"model": "", "prompt": "x"}, "at least 1 character"),
    ({"model": "m", "prompt": "x", "api_key": "sk-ab cd"}, "paste the key exactly as issued"),
])
def test_a_broken_config_is_refused_when_the_flow_is_saved(settings: dict[str, Any], problem: str) -> None:
    with pytest.raises(ValidationError, match=problem):
        CallAi.Config.model_validate(settings)


def test_the_api_key_is_a_password_field_in_the_editors_form() -> None:
    assert CallAi.config_schema()["properties"]["api_key"]["format"] == "password"
