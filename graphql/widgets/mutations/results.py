"""Success results of the widget instance mutations."""

from __future__ import annotations

import strawberry

from cairn.graphql.widgets.types import WidgetInstanceInfo


@strawberry.type
class WidgetInstanceSaved:
    """The widget instance was created or changed."""

    instance: WidgetInstanceInfo


@strawberry.type
class WidgetInstanceDeleted:
    """The widget instance was deleted."""

    id: strawberry.ID
