"""The embedded store: a child process with its data in a folder, found again by other commands."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from pymongo import MongoClient

from cairn.core.store import embedded
from cairn.core.store.embedded import STATE_FILE, EmbeddedStore, EmbeddedStoreError, free_port, running_store_url


def _client(url: str) -> MongoClient[dict[str, object]]:
    return MongoClient(url, serverSelectionTimeoutMS=5000)


def test_data_in_a_folder_survives_a_restart(tmp_path: Path) -> None:
    with EmbeddedStore(tmp_path) as store, _client(store.url) as client:
        client.cairn.profiles.insert_one({"_id": "p1", "name": "Ada"})
    with EmbeddedStore(tmp_path) as store, _client(store.url) as client:
        assert client.cairn.profiles.find_one({"_id": "p1"}) == {"_id": "p1", "name": "Ada"}


def test_a_running_store_is_found_through_its_state_file_until_it_stops(tmp_path: Path) -> None:
    store = EmbeddedStore(tmp_path)
    store.stop()
    url = store.start()
    try:
        assert json.loads((tmp_path / STATE_FILE).read_text())["url"] == url
        assert running_store_url(tmp_path) == url
    finally:
        store.stop()
    store.stop()
    assert not (tmp_path / STATE_FILE).exists()
    assert running_store_url(tmp_path) is None


def test_a_second_store_on_the_same_folder_fails_with_a_hint(tmp_path: Path) -> None:
    with EmbeddedStore(tmp_path) as first:
        second = EmbeddedStore(tmp_path, startup_timeout=20)
        with pytest.raises(EmbeddedStoreError, match="same data folder"):
            second.start()
        assert running_store_url(tmp_path) == first.url


def test_an_in_memory_store_starts_empty_every_time() -> None:
    with EmbeddedStore(None) as store, _client(store.url) as client:
        client.cairn.profiles.insert_one({"_id": "p1"})
    with EmbeddedStore(None) as store, _client(store.url) as client:
        assert client.cairn.profiles.count_documents({}) == 0


@pytest.mark.parametrize("content", ["not json", "{}", '{"url": 3}', '["mongodb://127.0.0.1:1"]',
                                     '{"url": "mongodb://"}', '{"url": "http://127.0.0.1:1"}'])
def test_a_broken_state_file_means_no_running_store(tmp_path: Path, content: str) -> None:
    (tmp_path / STATE_FILE).write_text(content)
    assert running_store_url(tmp_path) is None


def test_a_state_file_left_by_a_dead_store_means_no_running_store(tmp_path: Path) -> None:
    url = f"mongodb://127.0.0.1:{free_port()}/?directConnection=true"
    (tmp_path / STATE_FILE).write_text(json.dumps({"url": url, "pid": 1}))
    assert running_store_url(tmp_path) is None


def test_no_state_file_means_no_running_store(tmp_path: Path) -> None:
    assert running_store_url(tmp_path / "never-created") is None


def test_a_missing_server_program_is_explained(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(sys, "executable", str(tmp_path / "python"))
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(EmbeddedStoreError, match="CAIRN_MONGO_URL"):
        embedded.find_server_program()
