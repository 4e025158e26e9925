"""Merge profiles: against the real store of a running Cairn."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from cairn.core.nodes import NodeContext, Output, ProfileEditor, RunInfo, run_node
from cairn.core.runtime import Cairn
from cairn.plugins.nodes.merge import MergeProfiles
from tests.nodes.support import run_live


def profile(profile_id: str, *, email: str | None = None, **fields: Any) -> dict[str, Any]:
    """A stored profile document, as the pipeline would have made it."""
    return {"id": profile_id, "version": 0, "anonymous_ids": [], "user_ids": [], "traits": {}, "tags": [],
            "interests": {}, "consents": {}, "merged_from": [], "merged_into": None,
            "identifiers": {"email": [email]} if email else {}, **fields}


async def store(cairn: Cairn, *profiles: dict[str, Any]) -> None:
    await cairn.pipeline.repository.insert_many(list(profiles))


async def stored(cairn: Cairn, profile_id: str) -> dict[str, Any]:
    doc = await cairn.pipeline.repository.get(profile_id, follow_merges=False)
    assert doc is not None
    return doc


async def test_profiles_sharing_the_email_merge_into_the_current_one(cairn: Cairn) -> None:
    current = profile("p-shop", email="ada@example.com", traits={"first_name": "Ada"}, tags=["buyer"])
    await store(cairn,
                current,
                profile("p-phone", email="ada@example.com", traits={"city": "London"}, tags=["app"],
                        interests={"tents": 2}),
                profile("p-laptop", email="ada@example.com", traits={"newsletter": True}),
                profile("p-other", email="bob@example.com"))

    result, ctx = await run_live(MergeProfiles, {"key": "email"}, profile=dict(current),
                                 services={"cairn": cairn})

    assert result == Output("merged", {"merged": ["p-laptop", "p-phone"], "refused": []})
    assert (await stored(cairn, "p-phone"))["merged_into"] == "p-shop"
    assert (await stored(cairn, "p-laptop"))["merged_into"] == "p-shop"
    assert (await stored(cairn, "p-other"))["merged_into"] is None
    survivor = await stored(cairn, "p-shop")
    assert survivor["traits"] == {"first_name": "Ada", "city": "London", "newsletter": True}
    assert {record["profile_id"] for record in survivor["merged_from"]} == {"p-phone", "p-laptop"}
    assert ctx.profile.traits == survivor["traits"], "later nodes see the merged profile"
    assert sorted(ctx.profile.data["tags"]) == ["app", "buyer"]


async def test_changes_made_earlier_in_the_run_survive_the_refresh(cairn: Cairn) -> None:
    current = profile("p-a", email="ada@example.com")
    await store(cairn, current, profile("p-b", email="ada@example.com", traits={"city": "London"}))
    editor_profile = dict(current, traits={})
    ctx = NodeContext(event={"id": "e1", "type": "identify", "properties": {}}, profile=ProfileEditor(editor_profile),
                      session=None, run=RunInfo("flow-1", "run-1", "node-1"), services={"cairn": cairn})
    ctx.profile.set_trait("plan", "pro")  # an earlier node of the same run, not saved yet
    result = await MergeProfiles().run(MergeProfiles.Config(key="email"), ctx)

    assert isinstance(result, Output) and result.port == "merged"
    assert ctx.profile.traits == {"city": "London", "plan": "pro"}


async def test_a_trait_key_matches_the_exact_value(cairn: Cairn) -> None:
    current = profile("p-1", traits={"customer_number": "C-1001"})
    await store(cairn, current, profile("p-2", traits={"customer_number": "C-1001"}),
                profile("p-3", traits={"customer_number": "c-1001"}))

    result, _ = await run_live(MergeProfiles, {"key": "customer_number", "source": "trait"}, profile=dict(current),
                               services={"cairn": cairn})

    assert result == Output("merged", {"merged": ["p-2"], "refused": []})
    assert (await stored(cairn, "p-3"))["merged_into"] is None


async def test_nothing_to_merge_follows_none(cairn: Cairn) -> None:
    alone = profile("p-alone", email="ada@example.com")
    await store(cairn, alone)

    result, _ = await run_live(MergeProfiles, {"key": "email"}, profile=dict(alone), services={"cairn": cairn})

    assert result == Output("none", {"merged": [], "reason": "no other profile shares this 'email'"})


async def test_a_profile_without_the_key_follows_none(cairn: Cairn) -> None:
    result, _ = await run_live(MergeProfiles, {"key": "phone"}, profile=profile("p-x", email="a@b.c"),
                               services={"cairn": cairn})
    assert result == Output("none", {"merged": [], "reason": "the profile has no identifier 'phone'"})


async def test_profiles_of_two_known_customers_are_refused_and_kept_apart(cairn: Cairn) -> None:
    current = profile("p-ada", email="shared@example.com", user_ids=["u-ada"])
    await store(cairn, current, profile("p-bob", email="shared@example.com", user_ids=["u-bob"]))

    result, _ = await run_live(MergeProfiles, {"key": "email"}, profile=dict(current), services={"cairn": cairn})

    assert isinstance(result, Output) and result.port == "error"
    assert result.payload["error"] == "every merge was refused"
    [refusal] = result.payload["refused"]
    assert refusal["profile_id"] == "p-bob" and "different user ids" in refusal["reason"]
    assert (await stored(cairn, "p-bob"))["merged_into"] is None


async def test_more_matches_than_the_limit_is_an_error_and_merges_nothing(cairn: Cairn) -> None:
    current = profile("p-0", email="test@test.com")
    await store(cairn, current, *(profile(f"p-{n}", email="test@test.com") for n in range(1, 4)))

    result, _ = await run_live(MergeProfiles, {"key": "email", "limit": 2}, profile=dict(current),
                               services={"cairn": cairn})

    assert isinstance(result, Output) and result.port == "error"
    assert result.payload["error"].startswith("more than 2 profiles share this identifier 'email'")
    for n in range(1, 4):
        assert (await stored(cairn, f"p-{n}"))["merged_into"] is None


async def test_a_dry_run_reports_what_would_merge_and_merges_nothing(cairn: Cairn) -> None:
    current = profile("p-shop", email="ada@example.com")
    await store(cairn, current, profile("p-phone", email="ada@example.com"))

    result, ctx = await run_node(MergeProfiles, {"key": "email"}, profile=dict(current), services={"cairn": cairn})

    assert result == Output("merged", {"dry_run": True, "would_merge": ["p-phone"]})
    assert (await stored(cairn, "p-phone"))["merged_into"] is None
    assert ctx.logs == ["dry run: would merge ['p-phone'] into p-shop"]


async def test_a_profile_that_is_not_stored_cannot_take_others_in(cairn: Cairn) -> None:
    await store(cairn, profile("p-stored", email="ada@example.com"))

    result, _ = await run_live(MergeProfiles, {"key": "email"}, profile=profile("p-ghost", email="ada@example.com"),
                               services={"cairn": cairn})

    assert result == Output("error", {"error": "profile p-ghost is not stored, so nothing can merge into it"})


async def test_without_the_running_cairn_the_node_cannot_work() -> None:
    with pytest.raises(RuntimeError, match=r"ctx.services\['cairn'\]"):
        await run_node(MergeProfiles, {"key": "email"}, profile=profile("p", email="a@b.c"))


def test_the_limit_is_bounded() -> None:
    with pytest.raises(ValidationError):
        MergeProfiles.Config.model_validate({"key": "email", "limit": 0})
    with pytest.raises(ValidationError):
        MergeProfiles.Config.model_validate({"key": " "})
