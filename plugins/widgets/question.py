"""Question pop-up: one question, answered by a choice or in free text."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from cairn.core.widgets import Widget
from cairn.plugins.widgets._assets import asset
from cairn.plugins.widgets._fields import Identifier, Label, Text


class QuestionConfig(BaseModel):
    """The question, how it is answered, and the id sent back."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    question_id: Identifier = Field(description="Sent back as questionId.", examples=["how-did-you-find-us"])
    question: Text = Field(min_length=1)
    kind: Literal["choice", "text"] = Field("choice", description="choice: one button per choice; text: a text box.")
    choices: list[Label] = Field(default_factory=list, max_length=10, description="The answers offered (choice).")
    placeholder: Text = "Your answer"
    submit_label: Label = "Send"
    thanks: Text = "Thank you!"

    @model_validator(mode="after")
    def _choices_for_choice(self) -> QuestionConfig:
        if self.kind == "choice" and len(self.choices) < 2:
            raise ValueError("a choice question needs at least two choices")
        return self


class Question(Widget):
    """Asks one question; sends ``question-answered`` with ``{questionId, answer}``."""

    id = "cairn.question"
    name = "Question pop-up"
    description = "Asks one question (multiple choice or free text); sends question-answered {questionId, answer}."
    docs = """\
Shows `question` with one button per entry of `choices` (`kind: choice`) or a text box
and a send button (`kind: text`). The answer goes back as `question-answered` with
`{"questionId": <question_id>, "answer": <the choice or the text>}`. Closing it with ×
sends `widget-dismissed`.
"""
    events = ("question-answered", "widget-dismissed")
    Config = QuestionConfig
    template = asset("question.html")
    styles = asset("question.css")
    script = asset("question.js")
    example = {"question_id": "found-us", "question": "How did you find us?",
               "choices": ["Search engine", "A friend", "Social media"]}
