"""Templates: one sandboxed Jinja2 environment for every node, and the Render template node."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from cairn.core.nodes import Output, run_node
from cairn.plugins.nodes._paths import MISSING, check_path, read_path
from cairn.plugins.nodes.template import RenderTemplate

EVENT = {"type": "order-completed", "context": {}, "properties": {"total": 42.5, "items": [{"sku": "A-1"}]}}
PROFILE = {"id": "p1", "traits": {"first_name": "Ada", "email": 'ada"quote@example.com'}, "tags": ["vip"]}


async def render(template: str, **options: object) -> Output:
    result, _ = await run_node(RenderTemplate, {"template": template, **options}, event=EVENT, profile=PROFILE,
                               payload={"step": 1})
    assert isinstance(result, Output)
    return result


async def test_a_template_sees_event_profile_session_and_payload() -> None:
    result = await render("{{ profile.traits.first_name }} spent {{ event.properties.total }} "
                          "on {{ event.properties['items'][0].sku }} (step {{ payload.step }}, session {{ session }})")
    assert result == Output("out", "Ada spent 42.5 on A-1 (step 1, session {})")


async def test_missing_data_and_none_render_as_empty_text_with_default_as_fallback() -> None:
    result = await render("[{{ profile.traits.nickname }}][{{ profile.traits.a.b.c }}][{{ none }}]"
                          "[{{ profile.traits.city | default('your city') }}]")
    assert result == Output("out", "[][][][your city]")


async def test_parse_json_builds_structured_data_with_tojson_quoting() -> None:
    result = await render('{"email": {{ profile.traits.email | tojson }}, "total": {{ event.properties.total }}}',
                          parse_json=True)
    assert result == Output("out", {"email": 'ada"quote@example.com', "total": 42.5})


async def test_text_that_is_not_json_follows_error_when_json_is_expected() -> None:
    result = await render("total: {{ event.properties.total }}", parse_json=True)
    assert result.port == "error"
    assert result.payload["text"] == "total: 42.5"
    assert result.payload["error"].startswith("the rendered text is not JSON")


async def test_the_result_can_go_to_a_run_variable_leaving_the_payload_alone() -> None:
    result, ctx = await run_node(RenderTemplate, {"template": "Hi {{ profile.traits.first_name }}",
                                                  "target": "variable", "variable": "greeting"},
                                 profile=PROFILE, payload={"step": 1})
    assert result == Output("out", {"step": 1})
    assert ctx.variables == {"greeting": "Hi Ada"}


@pytest.mark.parametrize("template", [
    "{{ ''.__class__ }}",
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "{{ event.__init__.__globals__ }}",
    "{{ profile.traits.update({'first_name': 'Eve'}) }}",
    "{{ profile.tags.append('hacked') }}",
    "{{ 'x' * 1000000 }}",
    "{{ 10 ** 100000 }}",
])
async def test_the_sandbox_refuses_internals_mutation_and_memory_bombs(template: str) -> None:
    result = await render(template)
    assert result.port == "error"
    assert result.payload["error"].startswith("SecurityError")
    assert PROFILE["traits"]["first_name"] == "Ada" and PROFILE["tags"] == ["vip"]


async def test_an_undefined_function_call_follows_error_instead_of_raising() -> None:
    result = await render("{{ nothing_here() }}")
    assert result.port == "error"
    assert result.payload["error"].startswith("UndefinedError")


@pytest.mark.parametrize(("config", "problem"), [
    ({"template": "{% if %}"}, "template syntax error on line 1"),
    ({"template": "x", "target": "variable"}, "needs a 'variable' name"),
])
def test_a_broken_config_is_refused_when_the_flow_is_saved(config: dict[str, object], problem: str) -> None:
    with pytest.raises(ValidationError, match=problem):
        RenderTemplate.Config.model_validate(config)


class TestEventPaths:
    def test_steps_are_keys_or_list_positions(self) -> None:
        event = {"properties": {"items": [{"sku": "A-1"}, {"sku": "B-2"}], "Order ID": 7, "none": None}}
        assert read_path(event, "properties.items.0.sku") == "A-1"
        assert read_path(event, "properties.items.-1.sku") == "B-2"
        assert read_path(event, "properties.Order ID") == 7
        assert read_path(event, "properties.none") is None

    @pytest.mark.parametrize("path", ["properties.email", "properties.items.5", "properties.items.x",
                                      "properties.total.cents"])
    def test_a_path_that_leads_nowhere_is_missing_not_none(self, path: str) -> None:
        assert read_path({"properties": {"items": [], "total": 3}}, path) is MISSING
        assert not MISSING and repr(MISSING) == "MISSING"

    @pytest.mark.parametrize("path", ["", "  ", "properties..email", ".properties", "properties."])
    def test_malformed_paths_are_refused_with_an_example(self, path: str) -> None:
        with pytest.raises(ValueError, match=r"e\.g\."):
            check_path(path)
