"""GraphQL: the widget catalogue, saved widget instances and previews."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from tests.support.server import RunningServer

INSTANCE = "id name widget config createdAt updatedAt"
SAVE = f"""... on WidgetInstanceSaved {{ instance {{ {INSTANCE} }} }}
           ... on InvalidInput {{ message errors {{ field message }} }}
           ... on NotFound {{ message }}"""


class Api:
    """Posts GraphQL operations with an admin token."""

    def __init__(self, http: httpx.AsyncClient, token: str) -> None:
        self.http = http
        self.token = token

    async def data(self, query: str, **variables: Any) -> dict[str, Any]:
        response = await self.http.post("/graphql", json={"query": query, "variables": variables},
                                        headers={"Authorization": f"Bearer {self.token}"})
        assert response.status_code == 200, response.text
        body = response.json()
        assert not body.get("errors"), body["errors"]
        return body["data"]  # type: ignore[no-any-return]


@pytest.fixture
async def api(web: RunningServer) -> AsyncIterator[Api]:
    async with httpx.AsyncClient(base_url=web.url) as http:
        yield Api(http, await web.cairn.tokens.create())


async def test_the_catalogue_lists_every_widget_with_its_config_schema(api: Api) -> None:
    data = await api.data("""{ widgets { id name description version plugin events configSchema exampleConfig }
                               widget(id: "cairn.question") { id events } }""")

    by_id = {widget["id"]: widget for widget in data["widgets"]}
    assert set(by_id) == {"cairn.consent", "cairn.rating", "cairn.question", "cairn.cta", "cairn.toast"}
    rating = by_id["cairn.rating"]
    assert rating["events"] == ["rating-submitted", "widget-dismissed"]
    assert rating["plugin"] == "cairn.plugins.widgets"
    assert rating["configSchema"]["properties"]["scale"]["enum"] == ["stars", "nps"]
    assert by_id["cairn.consent"]["configSchema"]["required"] == ["consent_types"]
    assert data["widget"] == {"id": "cairn.question", "events": ["question-answered", "widget-dismissed"]}


async def test_widget_instances_are_created_listed_changed_and_deleted(api: Api) -> None:
    created = (await api.data(f"""mutation($config: JSON) {{ createWidgetInstance(name: " Spring sale ",
        widget: "cairn.cta", config: $config) {{ {SAVE} }} }}""",
        config={"title": "Spring sale", "url": "https://shop.example/sale"}))["createWidgetInstance"]["instance"]
    await api.data(f"""mutation {{ createWidgetInstance(name: "After purchase", widget: "cairn.rating") {{ {SAVE} }} }}""")

    listed = await api.data(f"{{ widgetInstances {{ {INSTANCE} }} ctas: widgetInstances(widget: \"cairn.cta\") {{ id }} }}")
    updated = (await api.data(f"""mutation($id: ID!, $config: JSON) {{ updateWidgetInstance(id: $id,
        name: "Summer sale", config: $config) {{ {SAVE} }} }}""", id=created["id"],
        config={"title": "Summer sale", "url": "https://shop.example/summer", "new_tab": True}))
    deleted = await api.data("""mutation($id: ID!) { deleteWidgetInstance(id: $id) {
        ... on WidgetInstanceDeleted { id } ... on NotFound { message } } }""", id=created["id"])
    again = await api.data("""mutation($id: ID!) { deleteWidgetInstance(id: $id) {
        ... on WidgetInstanceDeleted { id } ... on NotFound { message } } }""", id=created["id"])

    assert created["name"] == "Spring sale" and created["widget"] == "cairn.cta"
    assert created["config"]["button_label"] == "Learn more"
    assert [item["name"] for item in listed["widgetInstances"]] == ["After purchase", "Spring sale"]
    assert listed["ctas"] == [{"id": created["id"]}]
    saved = updated["updateWidgetInstance"]["instance"]
    assert saved["name"] == "Summer sale" and saved["config"]["new_tab"] is True
    assert saved["createdAt"] == created["createdAt"]
    assert deleted["deleteWidgetInstance"] == {"id": created["id"]}
    assert again["deleteWidgetInstance"]["message"] == f"no widget instance has the id {created['id']!r}"
    assert (await api.data("""query($id: ID!) { widgetInstance(id: $id) { id } }""", id=created["id"])) == {
        "widgetInstance": None}


async def test_settings_the_widget_refuses_are_not_saved(api: Api) -> None:
    invalid = await api.data(f"""mutation {{ createWidgetInstance(name: "x", widget: "cairn.cta",
        config: {{title: "x", url: "javascript:alert(1)"}}) {{ {SAVE} }} }}""")
    nameless = await api.data(f"""mutation {{ createWidgetInstance(name: "  ", widget: "cairn.toast",
        config: {{message: "hi"}}) {{ {SAVE} }} }}""")
    unknown = await api.data(f"""mutation {{ createWidgetInstance(name: "x", widget: "acme.nothing") {{ {SAVE} }} }}""")
    not_object = await api.data(f"""mutation {{ createWidgetInstance(name: "x", widget: "cairn.toast",
        config: [1]) {{ {SAVE} }} }}""")

    assert invalid["createWidgetInstance"]["errors"] == [
        {"field": "config.url", "message": "Value error, must be an http:// or https:// address"}]
    assert nameless["createWidgetInstance"]["errors"] == [{"field": "name", "message": "must not be empty"}]
    assert unknown["createWidgetInstance"]["message"] == "no widget has the id 'acme.nothing'"
    assert not_object["createWidgetInstance"]["errors"] == [{"field": "config", "message": "must be a JSON object"}]
    assert (await api.data("{ widgetInstances { id } }")) == {"widgetInstances": []}


async def test_a_preview_renders_the_widget_for_the_editor(api: Api) -> None:
    data = await api.data("""{
        ok: widgetPreview(widget: "cairn.toast", config: {message: "<b>Saved</b>"}) {
            ... on WidgetPreview { widget html script config } }
        bad: widgetPreview(widget: "cairn.toast", config: {}) { ... on InvalidInput { errors { field } } }
        missing: widgetPreview(widget: "acme.none") { ... on NotFound { message } } }""")

    assert "&lt;b&gt;Saved&lt;/b&gt;" in data["ok"]["html"]
    assert data["ok"]["script"].startswith("/widgets/cairn.toast/script.js?v=")
    assert data["ok"]["config"]["duration_ms"] == 5000
    assert data["bad"]["errors"] == [{"field": "config.message"}]
    assert data["missing"]["message"] == "no widget has the id 'acme.none'"


async def test_the_widget_fields_need_an_admin_token(web: RunningServer) -> None:
    async with httpx.AsyncClient(base_url=web.url) as http:
        response = await http.post("/graphql", json={"query": "{ widgets { id } }"})

    assert response.status_code == 401
    assert response.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
