"""Sentiment analysis with the real VADER analyser, offline."""

from __future__ import annotations

import pytest

from cairn.core.nodes import Output, run_node
from cairn.core.profiles.changes import SetField
from cairn.plugins.nodes.sentiment import SentimentAnalysis, label_for


def review(comment: object) -> dict[str, object]:
    return {"type": "review-posted", "context": {}, "properties": {"comment": comment, "rating": 5}}


async def test_a_happy_comment_is_positive_in_the_payload_and_the_traits() -> None:
    result, ctx = await run_node(SentimentAnalysis, event=review("I love this shop, the service is great!"))

    assert isinstance(result, Output) and result.port == "out"
    assert result.payload["label"] == "positive"
    assert result.payload["score"] > 0.5
    assert result.payload["positive"] > result.payload["negative"]
    assert ctx.profile.changes == [SetField(("traits", "sentiment_score"), result.payload["score"]),
                                   SetField(("traits", "sentiment"), "positive")]


async def test_an_angry_comment_is_negative() -> None:
    result, ctx = await run_node(SentimentAnalysis, event=review("Terrible. The parcel arrived broken and late."))

    assert isinstance(result, Output) and result.payload["label"] == "negative"
    assert result.payload["score"] < -0.5
    assert ctx.profile.traits["sentiment"] == "negative"


async def test_a_plain_statement_is_neutral() -> None:
    result, _ = await run_node(SentimentAnalysis, event=review("The parcel was delivered on Tuesday."))
    assert isinstance(result, Output) and result.payload["label"] == "neutral"


async def test_the_text_path_and_trait_names_are_configurable_and_a_trait_can_be_skipped() -> None:
    event = {"type": "chat", "context": {}, "properties": {"messages": [{"text": "Thanks, awesome help!"}]}}
    result, ctx = await run_node(SentimentAnalysis, {"text_path": "properties.messages.0.text",
                                                     "score_trait": None, "label_trait": "chat_mood"}, event=event)

    assert isinstance(result, Output) and result.payload["label"] == "positive"
    assert ctx.profile.changes == [SetField(("traits", "chat_mood"), "positive")]


@pytest.mark.parametrize("comment", [None, "", "   ", 42])
async def test_no_text_follows_error_and_changes_nothing(comment: object) -> None:
    result, ctx = await run_node(SentimentAnalysis, event=review(comment))

    assert result == Output("error", {"error": "the event has no text at 'properties.comment'"})
    assert ctx.profile.changes == []


@pytest.mark.parametrize(("score", "label"), [(0.05, "positive"), (0.049, "neutral"), (-0.049, "neutral"),
                                              (-0.05, "negative"), (1, "positive"), (-1, "negative")])
def test_labels_use_the_usual_plus_or_minus_005_thresholds(score: float, label: str) -> None:
    assert label_for(score) == label
