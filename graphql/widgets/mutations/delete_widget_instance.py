"""``deleteWidgetInstance``: forget saved widget settings (flows keep their own copy)."""

from __future__ import annotations

from typing import Annotated

import strawberry

from cairn.core.widgets import instances_of
from cairn.graphql.context import Info
from cairn.graphql.permissions import IsAdmin
from cairn.graphql.results import NotFound
from cairn.graphql.widgets.mutations.results import WidgetInstanceDeleted

DeleteWidgetInstanceResult = Annotated[WidgetInstanceDeleted | NotFound, strawberry.union("DeleteWidgetInstanceResult")]


@strawberry.mutation(permission_classes=[IsAdmin], description="Delete a widget instance.")
async def delete_widget_instance(info: Info, id: strawberry.ID) -> DeleteWidgetInstanceResult:  # noqa: A002
    if not await (await instances_of(info.context.cairn)).delete(str(id)):
        return NotFound.of("widget instance", str(id))
    return WidgetInstanceDeleted(id=id)
