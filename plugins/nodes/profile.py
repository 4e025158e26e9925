"""Profile nodes: set a trait, count, weigh interests, tag."""

from __future__ import annotations

import copy
from typing import Any, ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field, JsonValue, field_validator, model_validator

from cairn.core.nodes import NodeContext, NodeResult, NodeType, Output
from cairn.plugins.nodes._outputs import error_output
from cairn.plugins.nodes._paths import MISSING, check_path, read_path
from cairn.plugins.nodes._templating import TemplateProblem, check_template, render

_FROZEN = ConfigDict(frozen=True, extra="forbid")


def _name(value: str) -> str:
    value = value.strip()
    if not value:
        raise ValueError("the name is empty")
    return value


class SetTraitConfig(BaseModel):
    """Which trait to set, and where its value comes from."""

    model_config = _FROZEN

    name: str = Field(description="The trait to set.", examples=["email", "plan"])
    mode: Literal["value", "template", "event_path"] = Field(
        "value", description="Where the value comes from: the literal 'value', the rendered 'template', "
                             "or the event field at 'event_path'.")
    value: JsonValue = Field(None, description="The value to set (mode 'value'): text, a number, true/false, "
                                               "a list or a mapping.", examples=["gold", 3, True])
    template: str | None = Field(None, description="A Jinja2 template rendered as the value (mode 'template').",
                                 examples=["{{ profile.traits.first_name }} {{ profile.traits.last_name }}"])
    event_path: str | None = Field(None, description="A dotted path into the event (mode 'event_path').",
                                   examples=["properties.email", "context.page.url"])
    only_if_empty: bool = Field(False, description="Keep a value the trait already has (empty text counts "
                                                   "as no value).")

    _check_name = field_validator("name")(_name)

    @model_validator(mode="after")
    def _source_given(self) -> SetTraitConfig:
        if self.mode == "template":
            if self.template is None:
                raise ValueError("mode 'template' needs a 'template'")
            check_template(self.template)
        if self.mode == "event_path":
            if self.event_path is None:
                raise ValueError("mode 'event_path' needs an 'event_path', e.g. 'properties.email'")
            check_path(self.event_path)
        return self


class SetTrait(NodeType):
    """Sets one trait from a literal, a template or an event field."""

    id = "cairn.set_trait"
    version = 1
    name = "Set trait"
    category = "Profile"
    description = "Sets a profile trait to a value, a rendered template or a field of the event."
    docs = """\
Sets the trait `name` on the profile. The value comes from `mode`:

- `value`: the literal `value` in the config (text, number, boolean, list, mapping);
- `template`: the Jinja2 `template`, rendered with `event`, `profile`, `session`,
  `payload` and `variables` (`{{ event.properties.plan | upper }}`);
- `event_path`: the event field at `event_path`, a dotted path such as
  `properties.email` or `properties.items.0.sku` (list items by position).

With `only_if_empty`, a trait that already has a value keeps it.

**Ports**: `in`; `out` (payload unchanged); `error` when the event has nothing at
`event_path` or the template fails (`{"error": …}`).

**Config**: `name`, `mode`, `value`, `template`, `event_path`, `only_if_empty`.
"""
    outputs: ClassVar[tuple[str, ...]] = ("out", "error")
    Config = SetTraitConfig

    async def run(self, config: SetTraitConfig, ctx: NodeContext) -> NodeResult:
        """Work out the value, set the trait, follow ``out``."""
        value: Any = copy.deepcopy(config.value)
        if config.mode == "template":
            try:
                value = render(config.template or "", ctx)
            except TemplateProblem as problem:
                return error_output(str(problem), trait=config.name)
        elif config.mode == "event_path":
            value = read_path(ctx.event, config.event_path or "")
            if value is MISSING:
                return error_output(f"the event has no {config.event_path!r}", trait=config.name)
        ctx.profile.set_trait(config.name, value, only_if_empty=config.only_if_empty)
        return Output("out", ctx.payload)


class CounterConfig(BaseModel):
    """Which counter, by how much."""

    model_config = _FROZEN

    trait: str = Field(description="The trait holding the counter; dots reach into nested traits.",
                       examples=["orders", "loyalty.points"])
    amount: int | float = Field(1, gt=0, description="How much to add (increment) or take away (decrement).",
                                examples=[1, 10, 2.5])

    @field_validator("trait")
    @classmethod
    def _path(cls, trait: str) -> str:
        return check_path(trait)

    def path(self) -> tuple[str, ...]:
        """The counter's path in the profile document."""
        return ("traits", *self.trait.split("."))


class IncrementCounter(NodeType):
    """Adds to a numeric trait."""

    id = "cairn.increment_counter"
    version = 1
    name = "Increment counter"
    category = "Profile"
    description = "Adds an amount to a numeric trait (a missing trait counts as 0)."
    docs = """\
Adds `amount` to the number in trait `trait` (`loyalty.points` reaches into a nested
mapping). A missing or non-numeric trait counts as 0. The change is saved as an
increment, so concurrent events never lose a count.

**Ports**: `in`; `out` (payload unchanged).

**Config**: `trait`, `amount` (positive).
"""
    Config = CounterConfig
    sign: ClassVar[int] = 1

    async def run(self, config: CounterConfig, ctx: NodeContext) -> NodeResult:
        """Record the increment, follow ``out``."""
        ctx.profile.increment(config.path(), self.sign * config.amount)
        return Output("out", ctx.payload)


class DecrementCounter(IncrementCounter):
    """Takes away from a numeric trait."""

    id = "cairn.decrement_counter"
    name = "Decrement counter"
    description = "Takes an amount away from a numeric trait (a missing trait counts as 0)."
    docs = """\
Takes `amount` away from the number in trait `trait` (`loyalty.points` reaches into a
nested mapping). A missing or non-numeric trait counts as 0, so the result may be
negative.

**Ports**: `in`; `out` (payload unchanged).

**Config**: `trait`, `amount` (positive).
"""
    sign = -1


class InterestConfig(BaseModel):
    """Which interest, how strongly."""

    model_config = _FROZEN

    interest: str = Field(description="The interest (a topic, a product category…).",
                          examples=["running", "home/kitchen"])
    weight: float = Field(1, gt=0, description="How much the interest grows.", examples=[1, 0.5])

    _check_interest = field_validator("interest")(_name)


class AddInterest(NodeType):
    """Strengthens an interest."""

    id = "cairn.add_interest"
    version = 1
    name = "Add interest"
    category = "Profile"
    description = "Strengthens one of the customer's interests by a weight."
    docs = """\
Adds `weight` to the profile's interest `interest` (`profile.interests.running`),
starting from 0. Interests accumulate over events and are summed when profiles merge.

**Ports**: `in`; `out` (payload unchanged).

**Config**: `interest`, `weight` (positive, default 1).
"""
    Config = InterestConfig

    async def run(self, config: InterestConfig, ctx: NodeContext) -> NodeResult:
        """Record the interest, follow ``out``."""
        ctx.profile.add_interest(config.interest, config.weight)
        return Output("out", ctx.payload)


class RemoveInterestConfig(BaseModel):
    """Which interest, and whether to weaken or forget it."""

    model_config = _FROZEN

    interest: str = Field(description="The interest to weaken or forget.", examples=["running"])
    weight: float | None = Field(None, gt=0, description="How much to weaken the interest; "
                                                        "leave empty to forget it entirely.")

    _check_interest = field_validator("interest")(_name)


class RemoveInterest(NodeType):
    """Weakens or forgets an interest."""

    id = "cairn.remove_interest"
    version = 1
    name = "Remove interest"
    category = "Profile"
    description = "Weakens one of the customer's interests, or forgets it."
    docs = """\
Without `weight`, removes interest `interest` from the profile. With `weight`, takes
that much away from it (it may reach 0 or below; a segment can then ignore it).

**Ports**: `in`; `out` (payload unchanged).

**Config**: `interest`, `weight` (optional, positive).
"""
    Config = RemoveInterestConfig

    async def run(self, config: RemoveInterestConfig, ctx: NodeContext) -> NodeResult:
        """Record the change, follow ``out``."""
        if config.weight is None:
            ctx.profile.remove_interest(config.interest)
        else:
            ctx.profile.increment(("interests", config.interest), -config.weight)
        return Output("out", ctx.payload)


class TagsConfig(BaseModel):
    """The tags."""

    model_config = _FROZEN

    tags: tuple[str, ...] = Field(min_length=1, description="One or more tags.", examples=[["vip", "newsletter"]])

    @field_validator("tags")
    @classmethod
    def _clean(cls, tags: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(dict.fromkeys(_name(tag) for tag in tags))


class AddTag(NodeType):
    """Tags the profile."""

    id = "cairn.add_tag"
    version = 1
    name = "Add tag"
    category = "Profile"
    description = "Adds tags to the profile (a tag already there is kept once)."
    docs = """\
Adds each of `tags` to `profile.tags`; a tag the profile already has stays once.

**Ports**: `in`; `out` (payload unchanged).

**Config**: `tags` (one or more).
"""
    Config = TagsConfig

    async def run(self, config: TagsConfig, ctx: NodeContext) -> NodeResult:
        """Record the tags, follow ``out``."""
        ctx.profile.add_tags(*config.tags)
        return Output("out", ctx.payload)


class RemoveTag(NodeType):
    """Untags the profile."""

    id = "cairn.remove_tag"
    version = 1
    name = "Remove tag"
    category = "Profile"
    description = "Removes tags from the profile."
    docs = """\
Removes each of `tags` from `profile.tags`; a tag the profile does not have is ignored.

**Ports**: `in`; `out` (payload unchanged).

**Config**: `tags` (one or more).
"""
    Config = TagsConfig

    async def run(self, config: TagsConfig, ctx: NodeContext) -> NodeResult:
        """Record the removal, follow ``out``."""
        ctx.profile.remove_tags(*config.tags)
        return Output("out", ctx.payload)
