"""Sentiment analysis: score a text of the event with VADER, offline."""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING, Any, ClassVar

from pydantic import BaseModel, ConfigDict, Field, field_validator

from cairn.core.nodes import NodeContext, NodeResult, NodeType, Output
from cairn.plugins.nodes._outputs import error_output
from cairn.plugins.nodes._paths import check_path, read_path

if TYPE_CHECKING:
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer  # type: ignore[import-untyped]

THRESHOLD = 0.05
"""VADER's usual cut-off: a compound score of at least this is positive, of at most minus this negative."""


class SentimentConfig(BaseModel):
    """Which text to read and where to write the result."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    text_path: str = Field("properties.comment", description="A dotted path to the text in the event.",
                           examples=["properties.comment", "properties.review.body"])
    score_trait: str | None = Field("sentiment_score", description="The trait that receives the compound "
                                                                   "score (-1 to 1); empty: none.")
    label_trait: str | None = Field("sentiment", description="The trait that receives the label "
                                                             "(positive, neutral, negative); empty: none.")

    _check_path = field_validator("text_path")(check_path)


@lru_cache(maxsize=1)
def analyzer() -> SentimentIntensityAnalyzer:
    """The VADER analyzer (its lexicon is loaded once)."""
    try:
        from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer
    except ImportError as error:  # pragma: no cover - depends on the installation
        raise RuntimeError("the sentiment node needs the 'vaderSentiment' package: "
                           "pip install vaderSentiment") from error
    return SentimentIntensityAnalyzer()


def label_for(score: float) -> str:
    """``positive``, ``neutral`` or ``negative`` for a compound score."""
    if score >= THRESHOLD:
        return "positive"
    if score <= -THRESHOLD:
        return "negative"
    return "neutral"


def analyse(text: str) -> dict[str, Any]:
    """The sentiment of ``text``: ``score``, ``label`` and the positive/neutral/negative shares."""
    scores = analyzer().polarity_scores(text)
    return {"score": scores["compound"], "label": label_for(scores["compound"]),
            "positive": scores["pos"], "neutral": scores["neu"], "negative": scores["neg"]}


class SentimentAnalysis(NodeType):
    """Scores the sentiment of a text in the event."""

    id = "cairn.sentiment"
    version = 1
    name = "Sentiment analysis"
    category = "AI"
    description = "Scores how positive or negative a text of the event is (VADER, runs offline)."
    docs = """\
Reads the text at `text_path` in the event (e.g. `properties.comment`) and scores it
with VADER, a lexicon-based analyser tuned for short, informal English texts (reviews,
chat messages, social posts). It runs locally: no text leaves Cairn.

The result, `{"score", "label", "positive", "neutral", "negative"}`, becomes the
payload. `score` is VADER's compound score from -1 (most negative) to 1 (most
positive); `label` is `positive` from 0.05, `negative` from -0.05, `neutral` between.
Score and label are also written to the traits `score_trait` and `label_trait`
(leave one empty to skip it).

**Ports**: `in`; `out`; `error` when the event has no text at `text_path` (or it is
empty or not text).

**Config**: `text_path`, `score_trait`, `label_trait`.
"""
    outputs: ClassVar[tuple[str, ...]] = ("out", "error")
    Config = SentimentConfig

    async def run(self, config: SentimentConfig, ctx: NodeContext) -> NodeResult:
        """Score the text, write the traits, follow ``out``."""
        text = read_path(ctx.event, config.text_path)
        if not isinstance(text, str) or not text.strip():
            return error_output(f"the event has no text at {config.text_path!r}")
        result = analyse(text)
        if config.score_trait:
            ctx.profile.set_trait(config.score_trait, result["score"])
        if config.label_trait:
            ctx.profile.set_trait(config.label_trait, result["label"])
        return Output("out", result)
