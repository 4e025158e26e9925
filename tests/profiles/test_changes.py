"""Profile changes are operations: replayed on any copy, they do what they say."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from cairn.core.profiles.changes import (
    AddToList,
    Increment,
    KeepEarliest,
    KeepLatest,
    RemoveFromList,
    SetField,
    SetIfMissing,
    Unset,
    apply_changes,
)

T0 = datetime(2026, 1, 1, tzinfo=UTC)


def test_set_field_creates_the_missing_levels_and_keeps_dotted_keys_whole() -> None:
    doc: dict[str, object] = {"traits": "not a mapping"}
    apply_changes(doc, [SetField(("traits", "address.city"), "Lyon"), SetField(("a", "b", "c"), 1)])
    assert doc == {"traits": {"address.city": "Lyon"}, "a": {"b": {"c": 1}}}


def test_set_if_missing_fills_only_empty_values() -> None:
    doc = {"traits": {"name": "Ada", "email": "", "phone": None}}
    apply_changes(doc, [SetIfMissing(("traits", key), "new") for key in ("name", "email", "phone", "city")])
    assert doc == {"traits": {"name": "Ada", "email": "new", "phone": "new", "city": "new"}}


def test_unset_removes_and_ignores_what_is_absent() -> None:
    doc = {"traits": {"a": 1}}
    apply_changes(doc, [Unset(("traits", "a")), Unset(("traits", "b"))])
    assert doc == {"traits": {}}


def test_increment_adds_to_what_is_there_and_counts_anything_else_as_zero() -> None:
    doc = {"n": 2, "flag": True, "text": "7"}
    apply_changes(doc, [Increment(("n",), 3), Increment(("flag",)), Increment(("text",), 2), Increment(("new",), 0.5)])
    assert doc == {"n": 5, "flag": 1, "text": 2, "new": 0.5}


def test_increment_replayed_on_a_fresher_copy_adds_to_the_fresher_value() -> None:
    change = Increment(("stats", "events"), 1)
    stale, fresh = {"stats": {"events": 3}}, {"stats": {"events": 10}}
    apply_changes(stale, [change])
    apply_changes(fresh, [change])
    assert (stale["stats"]["events"], fresh["stats"]["events"]) == (4, 11)


def test_add_to_list_is_a_set_union_in_order() -> None:
    doc = {"tags": ["a"], "single": "x"}
    apply_changes(doc, [AddToList(("tags",), ("b", "a", "c")), AddToList(("single",), ("y",)),
                        AddToList(("new",), ("z", "z"))])
    assert doc == {"tags": ["a", "b", "c"], "single": ["x", "y"], "new": ["z"]}


def test_remove_from_list_removes_every_occurrence() -> None:
    doc = {"tags": ["a", "b", "a", "c"], "text": "a"}
    apply_changes(doc, [RemoveFromList(("tags",), ("a", "c")), RemoveFromList(("text",), ("a",))])
    assert doc == {"tags": ["b"], "text": "a"}


def test_keep_latest_and_earliest_widen_the_seen_range() -> None:
    doc = {"first_seen": T0, "last_seen": T0}
    apply_changes(doc, [KeepLatest(("last_seen",), T0 + timedelta(hours=1)), KeepLatest(("last_seen",), T0),
                        KeepEarliest(("first_seen",), T0 - timedelta(hours=1)),
                        KeepEarliest(("first_seen",), T0), KeepLatest(("new",), T0)])
    assert doc == {"first_seen": T0 - timedelta(hours=1), "last_seen": T0 + timedelta(hours=1), "new": T0}


def test_changes_apply_in_order() -> None:
    doc: dict[str, object] = {}
    apply_changes(doc, [SetField(("n",), 5), Increment(("n",), 1), Unset(("n",)), Increment(("n",), 1)])
    assert doc == {"n": 1}
