"""Merge profiles: fold the other profiles that share a key value into this one."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from cairn.core.identity.merge import MergeRefused
from cairn.core.nodes import NodeContext, NodeResult, NodeType, Output
from cairn.core.profiles.changes import apply_changes
from cairn.core.store.keys import escape_key
from cairn.plugins.nodes._outputs import error_output

if TYPE_CHECKING:
    from cairn.core.runtime import Cairn


class MergeConfig(BaseModel):
    """The key whose value identifies the customer."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    key: str = Field(description="The identifier kind or trait name shared by profiles of one customer.",
                     examples=["email", "phone", "customer_number"])
    source: Literal["identifier", "trait"] = Field(
        "identifier", description="Match on the profile's identifiers (normalized e-mail, phone…) or on a trait's "
                                  "exact value.")
    limit: int = Field(10, ge=1, le=100, description="The most profiles one run may merge; finding more is "
                                                     "treated as an error (the value is probably not personal).")

    @field_validator("key")
    @classmethod
    def _not_blank(cls, key: str) -> str:
        key = key.strip()
        if not key:
            raise ValueError("name the key to merge on, e.g. 'email'")
        return key


def key_values(config: MergeConfig, profile: dict[str, Any]) -> list[Any]:
    """The values of the key on ``profile`` (identifiers normalized like Cairn stores them)."""
    if config.source == "identifier":
        values = (profile.get("identifiers") or {}).get(config.key) or []
        return list(dict.fromkeys(v.strip().lower() for v in values if isinstance(v, str) and v.strip()))
    value = (profile.get("traits") or {}).get(config.key)
    if isinstance(value, str):
        return [value] if value.strip() else []
    return [value] if isinstance(value, int | float) and not isinstance(value, bool) else []


async def find_others(cairn: Cairn, config: MergeConfig, profile_id: str, values: list[Any]) -> list[str]:
    """The ids of the live profiles other than ``profile_id`` holding one of ``values`` (at most limit + 1)."""
    field = f"{'identifiers' if config.source == 'identifier' else 'traits'}.{escape_key(config.key)}"
    query = {field: {"$in": values}, "_id": {"$ne": profile_id}, "merged_into": None}
    cursor = cairn.database.profiles.find(query, {"_id": 1}).sort("_id", 1).limit(config.limit + 1)
    return [doc["_id"] async for doc in cursor]


class MergeProfiles(NodeType):
    """Merges the profiles that share a key value into the current profile."""

    id = "cairn.merge_profiles"
    version = 1
    name = "Merge profiles"
    category = "Profile"
    description = "Finds the other profiles with the same e-mail (or another key) and merges them into this one."
    docs = """\
Looks up the value of `key` on the current profile — an identifier (`source:
identifier`; Cairn keeps e-mail addresses and phone numbers normalized in
`profile.identifiers`) or a trait (`source: trait`; exact value) — finds the other
profiles holding the same value, and merges each of them into the current profile.

A merge is Cairn's usual one: traits, consents, tags, interests and counters are
combined (counted once), events and sessions move to the current profile, and the
merged profile's id keeps leading to it. Profiles of two different known user ids
are never merged; they are listed as `refused`.

More than `limit` matching profiles is refused as an error: a value shared by that
many profiles is rarely personal (`test@test.com`, `0000`).

In a dry run nothing is merged: the payload lists `would_merge`.

**Ports**: `in`;
`merged` — `{"merged": [ids], "refused": [{"profile_id", "reason"}]}`;
`none` — no other profile shares the value (or the profile has none);
`error` — too many matches, or every merge was refused.

**Config**: `key`, `source`, `limit`.
"""
    outputs: ClassVar[tuple[str, ...]] = ("merged", "none", "error")
    Config = MergeConfig

    async def run(self, config: MergeConfig, ctx: NodeContext) -> NodeResult:
        """Find the profiles, merge them, refresh the profile the next nodes see."""
        cairn = ctx.services.get("cairn")
        if cairn is None:
            raise RuntimeError("the merge node needs the running Cairn in ctx.services['cairn'] "
                               "(the flow engine provides it)")
        values = key_values(config, ctx.profile.data)
        if not values:
            return Output("none", {"merged": [], "reason": f"the profile has no {config.source} {config.key!r}"})
        others = await find_others(cairn, config, ctx.profile.id, values)
        if len(others) > config.limit:
            return error_output(f"more than {config.limit} profiles share this {config.source} {config.key!r}; "
                                "nothing was merged (raise 'limit' if that is expected)")
        if not others:
            return Output("none", {"merged": [], "reason": f"no other profile shares this {config.key!r}"})
        if ctx.dry_run:
            ctx.log(f"dry run: would merge {others} into {ctx.profile.id}")
            return Output("merged", {"dry_run": True, "would_merge": others})
        return await self._merge(cairn, config, ctx, others)

    async def _merge(self, cairn: Cairn, config: MergeConfig, ctx: NodeContext, others: list[str]) -> NodeResult:
        if await cairn.pipeline.repository.get(ctx.profile.id) is None:
            return error_output(f"profile {ctx.profile.id} is not stored, so nothing can merge into it")
        merged: list[str] = []
        refused: list[dict[str, str]] = []
        reason = f"same {config.source} {config.key} (flow {ctx.run.flow_id})"
        for other in others:
            try:
                await cairn.pipeline.merger.merge(other, ctx.profile.id, reason=reason)
            except MergeRefused as refusal:
                refused.append({"profile_id": other, "reason": str(refusal)})
            except KeyError:
                continue  # merged or deleted since the lookup
            else:
                merged.append(other)
        if merged:
            await _refresh(cairn, ctx)
            ctx.log(f"merged {merged} into {ctx.profile.id}")
            return Output("merged", {"merged": merged, "refused": refused})
        if refused:
            return error_output("every merge was refused", refused=refused)
        return Output("none", {"merged": [], "reason": "the matching profiles disappeared meanwhile"})


async def _refresh(cairn: Cairn, ctx: NodeContext) -> None:
    """Reload the merged profile and re-apply this run's recorded changes, in place."""
    fresh = await cairn.pipeline.repository.get(ctx.profile.id)
    if fresh is None:
        return
    apply_changes(fresh, ctx.profile.changes)
    ctx.profile.data.clear()
    ctx.profile.data.update(fresh)
