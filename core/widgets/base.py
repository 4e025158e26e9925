"""The widget contract: a micro frontend a flow can ask a website to show.

A widget type is a class. Its class attributes declare what the editor shows (id,
name, description, the config model whose JSON Schema drives the settings form), the
HTML it renders and the script that brings that HTML to life:

- ``template`` is Jinja2 source, rendered by Cairn in a sandboxed, autoescaping
  environment with ``config`` (the validated settings, as JSON values) and ``widget``
  (``id``, ``name``) in scope. Whatever the settings say, they are text in the HTML,
  never markup.
- ``styles`` is CSS for the widget's shadow root; Cairn puts the shared widget styles
  (``frontend/widgets/widgets.css``) before it. Host page CSS does not reach into the
  shadow root, and the shared ``:host`` rules (``!important`` wins from inside) keep
  page rules such as ``div { display: none !important }`` off the widget's box.
- ``script`` is plain ES2017 that declares ``function mount(root, config, widget)``.
  Cairn serves it wrapped in its own scope; the tracker calls ``mount`` once the HTML
  is in the shadow ``root``. ``widget.track(type, properties)`` sends an event (it can
  trigger further flows), ``widget.close()`` removes the widget, ``widget.consent``
  is the tracker's consent switch (``grant()``/``deny()``).

Example::

    class Hello(Widget):
        id = "acme.hello"
        name = "Hello"
        description = "Greets the visitor."
        Config = HelloConfig
        events = ("hello-clicked",)
        template = '<div class="cairn-card"><button class="ok">{{ config.text }}</button></div>'
        script = '''function mount(root, config, widget) {
          root.querySelector(".ok").addEventListener("click", function () {
            widget.track("hello-clicked", {}); widget.close();
          });
        }'''
        example = {"text": "Hi!"}
"""

from __future__ import annotations

from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict


class EmptyWidgetConfig(BaseModel):
    """The settings of a widget that needs none."""

    model_config = ConfigDict(frozen=True, extra="forbid")


class Widget:
    """Base class of every widget type (see the module docstring for the contract)."""

    id: ClassVar[str]
    """A stable, globally unique id (prefix it with your package name: ``acme.survey``)."""
    version: ClassVar[int] = 1
    """Bump when the config or behaviour changes incompatibly."""
    name: ClassVar[str]
    """What the editor's widget catalogue shows."""
    description: ClassVar[str] = ""
    """One or two sentences: what the widget shows and what it sends back."""
    docs: ClassVar[str] = ""
    """Longer documentation (Markdown) shown in the editor."""
    events: ClassVar[tuple[str, ...]] = ()
    """The event types the widget sends (rules can start flows on them)."""
    Config: ClassVar[type[BaseModel]] = EmptyWidgetConfig
    """A frozen pydantic model; its JSON Schema drives the editor's form."""
    template: ClassVar[str] = ""
    """Jinja2 source of the widget's HTML (sandboxed, autoescaped; sees ``config`` and ``widget``)."""
    styles: ClassVar[str] = ""
    """CSS for the widget's shadow root, after the shared widget styles."""
    script: ClassVar[str] = ""
    """ES2017 source declaring ``function mount(root, config, widget)`` (empty: a static widget)."""
    example: ClassVar[dict[str, Any]] = {}
    """Valid settings used for previews and for the start-up check that the template renders."""

    @classmethod
    def config_schema(cls) -> dict[str, Any]:
        """The JSON Schema of the config model."""
        return cls.Config.model_json_schema()

    @classmethod
    def context(cls, config: BaseModel) -> dict[str, Any]:
        """Extra names for the template (besides ``config`` and ``widget``); none by default."""
        return {}
