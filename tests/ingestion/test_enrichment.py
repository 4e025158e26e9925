"""Context enrichment: IP, parsed user agent, UTM parameters from the page URL."""

from __future__ import annotations

import httpx

from cairn.core.runtime import Cairn
from tests.ingestion.helpers import native, one_event, segment, session_of

IPHONE = ("Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 "
          "(KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1")
FIREFOX = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"


async def test_the_caller_ip_is_added_to_the_context(client: httpx.AsyncClient, write_key: str,
                                                     cairn: Cairn) -> None:
    await segment(client, "track", {"userId": "u1", "event": "Paid"}, write_key)
    assert (await one_event(cairn))["context"]["ip"] == "127.0.0.1"


async def test_an_ip_sent_in_the_context_is_kept(client: httpx.AsyncClient, write_key: str, cairn: Cairn) -> None:
    await segment(client, "track", {"userId": "u1", "event": "Paid", "context": {"ip": "203.0.113.9"}}, write_key)
    assert (await one_event(cairn))["context"]["ip"] == "203.0.113.9"


async def test_the_user_agent_header_is_parsed_into_browser_os_and_device(client: httpx.AsyncClient,
                                                                         write_key: str, cairn: Cairn) -> None:
    await segment(client, "track", {"userId": "u1", "event": "Paid"}, write_key, headers={"User-Agent": IPHONE})
    context = (await one_event(cairn))["context"]
    assert context["userAgent"] == IPHONE
    parsed = context["userAgentParsed"]
    assert parsed["browser"]["name"] == "Mobile Safari"
    assert parsed["os"] == {"name": "iOS", "version": "17.0"}
    assert parsed["device"]["brand"] == "Apple"


async def test_the_user_agent_sent_in_the_context_wins_over_the_header(client: httpx.AsyncClient, write_key: str,
                                                                      cairn: Cairn) -> None:
    await segment(client, "track", {"userId": "u1", "event": "Paid", "context": {"userAgent": FIREFOX}},
                  write_key, headers={"User-Agent": "analytics-node/2.0"})
    context = (await one_event(cairn))["context"]
    assert context["userAgent"] == FIREFOX
    assert context["userAgentParsed"]["browser"]["name"] == "Firefox"


async def test_utm_parameters_of_the_page_url_become_the_campaign(client: httpx.AsyncClient, write_key: str,
                                                                   cairn: Cairn) -> None:
    url = "https://shop.example/?utm_source=news&utm_medium=email&utm_campaign=spring&utm_term=shoes&utm_content=a"
    await native(client, write_key, [{"type": "page-view"}], context={"page": {"url": url}})
    assert (await one_event(cairn))["context"]["campaign"] == {
        "source": "news", "medium": "email", "name": "spring", "term": "shoes", "content": "a"}


async def test_utm_parameters_of_a_page_call_url_property_become_the_campaign(client: httpx.AsyncClient,
                                                                             write_key: str, cairn: Cairn) -> None:
    await segment(client, "page", {"userId": "u1", "properties": {"url": "https://shop.example/?utm_source=ads"}},
                  write_key)
    assert (await one_event(cairn))["context"]["campaign"] == {"source": "ads"}


async def test_a_campaign_sent_by_the_client_is_kept_and_completed_from_the_url(client: httpx.AsyncClient,
                                                                               write_key: str,
                                                                               cairn: Cairn) -> None:
    context = {"campaign": {"name": "black-friday", "source": "tv", "id": 7},
               "page": {"url": "https://shop.example/?utm_source=news&utm_medium=email"}}
    await segment(client, "track", {"userId": "u1", "event": "Paid", "context": context}, write_key)
    assert (await one_event(cairn))["context"]["campaign"] == {
        "name": "black-friday", "source": "tv", "id": 7, "medium": "email"}


async def test_the_visit_records_device_browser_referrer_and_campaign(client: httpx.AsyncClient, write_key: str,
                                                                      cairn: Cairn) -> None:
    page = {"url": "https://shop.example/?utm_source=news", "referrer": "https://search.example/"}
    reply = (await native(client, write_key, [{"type": "page-view"}], context={"page": page},
                          session={"id": "s1"}, )).json()
    session = await cairn.database.sessions.find_one({"_id": reply["session"]["id"]})
    assert session["referrer"] == "https://search.example/"
    assert session["utm"] == {"source": "news"}
    assert session["ip"] == "127.0.0.1"
    assert session["profile_id"] == reply["profile"]["id"]
    assert (await session_of(cairn, session["_id"])).event_count == 1
