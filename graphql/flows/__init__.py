"""The GraphQL part of flows: node catalogue, flows, rules, dry runs, traces, event schemas,
mappings and identification points (contributed through ``register_graphql_types``)."""
