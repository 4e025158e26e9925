"""The GraphQL part of widgets: the widget catalogue with config schemas, saved widget
instances and preview rendering (contributed through ``register_graphql_types``)."""
