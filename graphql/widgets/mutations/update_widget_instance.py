"""``updateWidgetInstance``: rename saved widget settings or change them."""

from __future__ import annotations

from typing import Annotated

import strawberry

from cairn.core.widgets import InstanceNameInvalid, UnknownWidget, WidgetConfigInvalid, instances_of
from cairn.graphql.context import Info
from cairn.graphql.permissions import IsAdmin
from cairn.graphql.results import InvalidInput, NotFound
from cairn.graphql.scalars import JSON
from cairn.graphql.widgets.inputs import config_object, invalid
from cairn.graphql.widgets.mutations.results import WidgetInstanceSaved
from cairn.graphql.widgets.types import WidgetInstanceInfo

UpdateWidgetInstanceResult = Annotated[WidgetInstanceSaved | InvalidInput | NotFound,
                                       strawberry.union("UpdateWidgetInstanceResult")]


@strawberry.mutation(permission_classes=[IsAdmin],
                     description="Change a widget instance; arguments left out (or null) keep their value. "
                                 "`config` replaces the settings as a whole.")
async def update_widget_instance(info: Info, id: strawberry.ID, name: str | None = None,  # noqa: A002
                                 config: JSON | None = None) -> UpdateWidgetInstanceResult:
    settings = None if config is None else config_object(config)
    if isinstance(settings, InvalidInput):
        return settings
    instances = await instances_of(info.context.cairn)
    try:
        updated = await instances.update(str(id), name=name, config=settings)
    except UnknownWidget as error:
        return NotFound.of("widget", error.widget_id)
    except (WidgetConfigInvalid, InstanceNameInvalid) as error:
        return invalid(error)
    if updated is None:
        return NotFound.of("widget instance", str(id))
    return WidgetInstanceSaved(instance=WidgetInstanceInfo.from_model(updated))
