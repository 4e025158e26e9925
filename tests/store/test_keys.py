"""Escaping of free-form document keys: reversible, and nothing MongoDB would misread survives."""

from __future__ import annotations

import pytest

from cairn.core.store.database import Database
from cairn.core.store.keys import escape_key, escape_keys, unescape_key, unescape_keys

TRICKY_KEYS = [
    "", "plain", "snake_case", "with space", "Zoë", "价格", "emoji 🎉",
    "$", "$$", "$price", "price$", "a$b",
    ".", "..", "a.b", "a.b.c", ".leading", "trailing.",
    "\x00", "a\x00b",
    "%", "%%", "100%", "50% off", "%ZZ", "%2", "%2x",
    "%24", "%2E", "%2e", "%00", "%25", "%2524", "%%24", "%24%", "%252E",
    "$.%\x00", "%$.", "$%24", ".%2E",
]


@pytest.mark.parametrize("key", TRICKY_KEYS)
def test_unescape_undoes_escape(key: str) -> None:
    assert unescape_key(escape_key(key)) == key


@pytest.mark.parametrize("key", TRICKY_KEYS)
def test_an_escaped_key_holds_no_dollar_dot_or_nul(key: str) -> None:
    stored = escape_key(key)
    assert not {"$", ".", "\x00"} & set(stored)


def test_distinct_keys_stay_distinct_once_escaped() -> None:
    escaped = [escape_key(key) for key in TRICKY_KEYS]
    assert len(set(escaped)) == len(TRICKY_KEYS)


@pytest.mark.parametrize(("key", "stored"), [
    ("$price", "%24price"), ("a.b", "a%2Eb"), ("a\x00", "a%00"), ("100%", "100%25"), ("%24", "%2524"),
    ("plain", "plain"),
])
def test_the_stored_form_is_percent_encoding(key: str, stored: str) -> None:
    assert escape_key(key) == stored


@pytest.mark.parametrize("stored", ["plain", "%2e", "%ZZ", "%", "%2"])
def test_unescape_leaves_what_escape_never_produces_alone(stored: str) -> None:
    assert unescape_key(stored) == stored


def test_nested_mappings_and_lists_round_trip() -> None:
    value = {"$set": {"a.b": [{"%": 1, "x": {"$in": ["$not.a.key"]}}, "a.b", 2]}, "list": [[{"k.": None}]],
             "n": 1.5, "flag": True}
    stored = escape_keys(value)
    assert stored == {"%24set": {"a%2Eb": [{"%25": 1, "x": {"%24in": ["$not.a.key"]}}, "a.b", 2]},
                      "list": [[{"k%2E": None}]], "n": 1.5, "flag": True}
    assert unescape_keys(stored) == value


def test_values_are_never_changed() -> None:
    assert escape_keys(["$a.b", "%24", {"k": "$v.w"}]) == ["$a.b", "%24", {"k": "$v.w"}]
    assert unescape_keys(["%24", {"k": "%2E"}]) == ["%24", {"k": "%2E"}]


async def test_escaped_documents_round_trip_through_the_store(database: Database) -> None:
    properties = {key: index for index, key in enumerate(TRICKY_KEYS) if key}
    properties["nested"] = {"$op": {"a.b": ["$x", {"%": 1}]}}
    await database.events.insert_one({"_id": "e", "properties": escape_keys(properties)})
    stored = await database.events.find_one({"_id": "e"})
    assert unescape_keys(stored["properties"]) == properties


def test_escaping_and_unescaping_copy_every_mapping_and_list() -> None:
    """Profile copies kept for the next write must never share what a caller may change."""
    value = {"a": {"b": [{"c": 1}]}, "list": [[1]]}
    for converted in (escape_keys(value), unescape_keys(value)):
        converted["a"]["b"][0]["c"] = 2
        converted["list"][0].append(2)
    assert value == {"a": {"b": [{"c": 1}]}, "list": [[1]]}
