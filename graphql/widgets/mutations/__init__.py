"""Mutations on widget instances, one module per operation, gathered in :class:`WidgetMutations`."""

from __future__ import annotations

import strawberry

from cairn.graphql.widgets.mutations.create_widget_instance import create_widget_instance
from cairn.graphql.widgets.mutations.delete_widget_instance import delete_widget_instance
from cairn.graphql.widgets.mutations.update_widget_instance import update_widget_instance


@strawberry.type
class WidgetMutations:
    """Root mutation fields about widget instances."""

    create_widget_instance = create_widget_instance
    update_widget_instance = update_widget_instance
    delete_widget_instance = delete_widget_instance
