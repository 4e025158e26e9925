"""The ingestion queue query: what waits in the journal, and what keeps failing."""

from __future__ import annotations

from typing import Any

from cairn.core.ingestion.pipeline import ProcessOutcome
from cairn.core.runtime import Cairn
from tests.graphql.conftest import GraphQLClient, Tracker
from tests.ingestion.helpers import processed

QUEUE = "{ ingestionQueue { entries events oldestAcceptedAt failingEntries lastError } }"


async def test_an_idle_cairn_has_an_empty_ingestion_queue(api: GraphQLClient, tracker: Tracker) -> None:
    await tracker.send("track", userId="u1", event="Paid")
    queue = (await api.data(QUEUE))["ingestionQueue"]
    assert queue == {"entries": 0, "events": 0, "oldestAcceptedAt": None, "failingEntries": 0, "lastError": None}


async def test_queued_requests_show_until_the_worker_has_processed_them(api: GraphQLClient, tracker: Tracker,
                                                                        cairn: Cairn) -> None:
    await cairn.intake.stop()
    cairn.intake.settings = cairn.intake.settings.with_changes(inline_events=0)
    await tracker.http.post("/v1/batch", auth=(tracker.write_key, ""), json={"batch": [
        {"type": "track", "userId": "u1", "event": "Paid"}, {"type": "track", "userId": "u2", "event": "Paid"}]})
    await tracker.send("track", userId="u3", event="Paid")
    queue = (await api.data(QUEUE))["ingestionQueue"]
    assert (queue["entries"], queue["events"], queue["failingEntries"]) == (2, 3, 0)
    assert queue["oldestAcceptedAt"]
    cairn.intake.start()
    await processed(cairn)
    assert (await api.data(QUEUE))["ingestionQueue"]["entries"] == 0


async def test_a_failing_request_is_listed_with_its_error(api: GraphQLClient, tracker: Tracker, cairn: Cairn) -> None:
    async def broken(stored: list[dict[str, Any]], profiles: dict[str, dict[str, Any]]) -> ProcessOutcome:
        raise RuntimeError("the flow engine is down")

    cairn.pipeline.processors.append(broken)
    response = await tracker.http.post("/v1/track", json={"userId": "u1", "event": "Paid"},
                                       auth=(tracker.write_key, ""))
    assert response.status_code == 500
    queue = (await api.data(QUEUE))["ingestionQueue"]
    assert (queue["entries"], queue["failingEntries"]) == (1, 1)
    assert "the flow engine is down" in queue["lastError"]


async def test_the_ingestion_queue_needs_an_admin_token(client: Any) -> None:
    response = await client.post("/graphql", json={"query": QUEUE})
    assert response.json()["errors"]
