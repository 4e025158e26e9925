"""``createWidgetInstance``: save settings for a widget under a name."""

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

CreateWidgetInstanceResult = Annotated[WidgetInstanceSaved | InvalidInput | NotFound,
                                       strawberry.union("CreateWidgetInstanceResult")]


@strawberry.mutation(permission_classes=[IsAdmin],
                     description="Save settings for a widget under a name; they are checked against its config schema.")
async def create_widget_instance(info: Info, name: str, widget: str, config: JSON | None = None,
                                 ) -> CreateWidgetInstanceResult:
    settings = config_object(config)
    if isinstance(settings, InvalidInput):
        return settings
    instances = await instances_of(info.context.cairn)
    try:
        created = await instances.create(name, widget, settings)
    except UnknownWidget:
        return NotFound.of("widget", widget)
    except (WidgetConfigInvalid, InstanceNameInvalid) as error:
        return invalid(error)
    return WidgetInstanceSaved(instance=WidgetInstanceInfo.from_model(created))
