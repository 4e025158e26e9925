"""The widget registry: built from ``register_widgets``, checked at start-up."""

from __future__ import annotations

from typing import Any, ClassVar

import pytest
from pydantic import BaseModel, ConfigDict

import cairn.plugins.widgets as builtin_widgets
from cairn.core.plugin_manager import PluginError, create_plugin_manager, hookimpl
from cairn.core.widgets import Widget, build_widget_registry


class HelloConfig(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    text: str = "Hi!"


class Hello(Widget):
    id = "acme.hello"
    name = "Hello"
    description = "Greets."
    Config = HelloConfig
    events = ("hello-clicked",)
    template = '<button class="ok">{{ config.text }}</button>'
    script = "function mount(root, config, widget) {}"


def _plugin(*widgets: Any, name: str = "acme") -> object:
    class Plugin:
        @hookimpl
        def register_widgets(self) -> list[Any]:
            return list(widgets)

    plugin = Plugin()
    plugin.name = name  # type: ignore[attr-defined]
    return plugin


def _manager(*plugins: object) -> Any:
    return create_plugin_manager(load_entry_points=False, extra_plugins=(builtin_widgets, *plugins))


async def test_the_builtin_widgets_are_registered_with_their_schemas() -> None:
    registry = await build_widget_registry(_manager())

    assert sorted(registry.widgets) == ["cairn.consent", "cairn.cta", "cairn.question", "cairn.rating",
                                        "cairn.toast"]
    rating = registry.get("cairn.rating")
    assert rating is not None and rating.plugin == "cairn.plugins.widgets"
    assert rating.config_schema["properties"]["scale"]["enum"] == ["stars", "nps"]
    assert [w.type.name for w in registry.all()] == sorted(w.type.name for w in registry.all())


async def test_a_third_party_widget_registers_like_a_builtin() -> None:
    registry = await build_widget_registry(_manager(_plugin(Hello)))

    assert registry.get("acme.hello") is not None
    assert registry.get("acme.hello").plugin == "acme"  # type: ignore[union-attr]


async def test_two_widgets_with_the_same_id_fail_start_up_naming_both() -> None:
    class Impostor(Hello):
        id = "cairn.rating"

    with pytest.raises(PluginError) as raised:
        await build_widget_registry(_manager(_plugin(Impostor)))

    message = str(raised.value)
    assert "widget id 'cairn.rating' is declared twice" in message
    assert "cairn.plugins.widgets" in message and "'acme'" in message
    assert "prefix ids with the package name" in message


class NoTemplate(Hello):
    id = "acme.empty"
    template = ""


class BadTemplate(Hello):
    id = "acme.broken"
    template = "{% for x in %}"


class Escaping(Hello):
    id = "acme.escape"
    template = "{{ ''.__class__.__mro__ }}"


class NoMount(Hello):
    id = "acme.nomount"
    script = "console.log('hello')"


class NotAModel(Hello):
    id = "acme.nomodel"
    Config: ClassVar[Any] = dict


@pytest.mark.parametrize(("widget", "problem"), [
    (NoTemplate, "has no `template`"),
    (BadTemplate, "does not compile"),
    (Escaping, "rendering its `example` failed"),
    (NoMount, "must declare `function mount(root, config, widget)`"),
    (NotAModel, "`Config` must be a pydantic model class"),
    (object, "is not a subclass of cairn.core.widgets.Widget"),
])
async def test_an_invalid_widget_disables_its_plugin_and_says_why(widget: type, problem: str) -> None:
    manager = _manager(_plugin(Hello, widget))

    registry = await build_widget_registry(manager)

    assert registry.get("acme.hello") is None
    assert registry.get("cairn.rating") is not None
    [reported] = manager.problems.all()
    assert reported.plugin == "acme" and reported.stage == "register" and reported.disabled
    assert problem in reported.message


async def test_a_plugin_whose_hook_raises_is_disabled_and_the_others_load() -> None:
    class Broken:
        name = "broken"

        @hookimpl
        def register_widgets(self) -> list[Any]:
            raise RuntimeError("boom")

    manager = _manager(Broken())
    registry = await build_widget_registry(manager)

    assert registry.get("cairn.consent") is not None
    assert "register_widgets raised RuntimeError: boom" in manager.problems.all()[0].message
