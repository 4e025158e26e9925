"""The GraphQL shapes of widget types, widget instances and previews."""

from __future__ import annotations

from datetime import datetime

import strawberry

from cairn.core.widgets import RegisteredWidget, RenderedWidget, WidgetInstance
from cairn.graphql.scalars import JSON


@strawberry.type(name="WidgetType")
class WidgetTypeInfo:
    """A widget a flow can show (from the widget catalogue)."""

    id: strawberry.ID
    name: str
    description: str
    docs: str
    version: int
    plugin: str = strawberry.field(description="The plugin that declares it.")
    events: list[str] = strawberry.field(description="The event types the widget sends back.")
    config_schema: JSON = strawberry.field(description="The JSON Schema of its settings (drives the editor's form).")
    example_config: JSON = strawberry.field(description="Valid example settings.")

    @classmethod
    def from_registered(cls, registered: RegisteredWidget) -> WidgetTypeInfo:
        """The GraphQL view of a registered widget."""
        widget = registered.type
        return cls(id=strawberry.ID(widget.id), name=widget.name, description=widget.description, docs=widget.docs,
                   version=widget.version, plugin=registered.plugin, events=list(widget.events),
                   config_schema=registered.config_schema, example_config=dict(widget.example))


@strawberry.type(name="WidgetInstance")
class WidgetInstanceInfo:
    """A widget with saved settings."""

    id: strawberry.ID
    name: str
    widget: str = strawberry.field(description="The widget id.")
    config: JSON
    created_at: datetime
    updated_at: datetime

    @classmethod
    def from_model(cls, instance: WidgetInstance) -> WidgetInstanceInfo:
        """The GraphQL view of a stored instance."""
        return cls(id=strawberry.ID(instance.id), name=instance.name, widget=instance.widget,
                   config=dict(instance.config), created_at=instance.created_at, updated_at=instance.updated_at)


@strawberry.type
class WidgetPreview:
    """A widget rendered for settings, as a page would mount it."""

    widget: str
    html: str = strawberry.field(description="The shadow root's content (styles included).")
    script: str | None = strawberry.field(description="The path of the widget's script on Cairn, if it has one.")
    config: JSON = strawberry.field(description="The settings as validated (defaults filled in).")

    @classmethod
    def from_rendered(cls, rendered: RenderedWidget) -> WidgetPreview:
        """The preview of a rendering."""
        return cls(widget=rendered.widget, html=rendered.html, script=rendered.script, config=rendered.config)
