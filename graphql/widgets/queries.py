"""Queries on widgets: the catalogue, saved instances and previews."""

from __future__ import annotations

from typing import Annotated

import strawberry

from cairn.core.widgets import WidgetConfigInvalid, instances_of, render_widget, widgets_of
from cairn.graphql.context import Info
from cairn.graphql.permissions import IsAdmin
from cairn.graphql.results import InvalidInput, NotFound
from cairn.graphql.scalars import JSON
from cairn.graphql.widgets.inputs import config_object, invalid
from cairn.graphql.widgets.types import WidgetInstanceInfo, WidgetPreview, WidgetTypeInfo

WidgetPreviewResult = Annotated[WidgetPreview | NotFound | InvalidInput, strawberry.union("WidgetPreviewResult")]


@strawberry.type
class WidgetQueries:
    """Root query fields about widgets."""

    @strawberry.field(permission_classes=[IsAdmin], description="Every installed widget, by name.")
    async def widgets(self, info: Info) -> list[WidgetTypeInfo]:
        return [WidgetTypeInfo.from_registered(w) for w in (await widgets_of(info.context.cairn)).all()]

    @strawberry.field(permission_classes=[IsAdmin], description="The installed widget with this id.")
    async def widget(self, info: Info, id: strawberry.ID) -> WidgetTypeInfo | None:  # noqa: A002 - GraphQL's name
        found = (await widgets_of(info.context.cairn)).get(str(id))
        return WidgetTypeInfo.from_registered(found) if found else None

    @strawberry.field(permission_classes=[IsAdmin],
                      description="Saved widget settings, by name (of one widget when `widget` is given).")
    async def widget_instances(self, info: Info, widget: str | None = None) -> list[WidgetInstanceInfo]:
        instances = await instances_of(info.context.cairn)
        return [WidgetInstanceInfo.from_model(instance) for instance in await instances.list(widget)]

    @strawberry.field(permission_classes=[IsAdmin], description="The saved widget settings with this id.")
    async def widget_instance(self, info: Info, id: strawberry.ID) -> WidgetInstanceInfo | None:  # noqa: A002
        found = await (await instances_of(info.context.cairn)).get(str(id))
        return WidgetInstanceInfo.from_model(found) if found else None

    @strawberry.field(permission_classes=[IsAdmin],
                      description="Render a widget with settings, as a page would show it (for the editor's preview).")
    async def widget_preview(self, info: Info, widget: str, config: JSON | None = None) -> WidgetPreviewResult:
        registered = (await widgets_of(info.context.cairn)).get(widget)
        if registered is None:
            return NotFound.of("widget", widget)
        settings = config_object(config)
        if isinstance(settings, InvalidInput):
            return settings
        try:
            return WidgetPreview.from_rendered(render_widget(registered.type, settings))
        except WidgetConfigInvalid as error:
            return invalid(error)
