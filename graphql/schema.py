"""The root schema, composed from the types every plugin contributes.

Each ``register_graphql_types`` implementation returns ``{"query": [...],
"mutation": [...], "subscription": [...]}``; the fields of every type listed under a
key become fields of the root ``Query``, ``Mutation`` or ``Subscription``. The GraphQL
plugin contributes Cairn's own types through the same hook. Two contributions naming
the same root field fail start-up with a clear error.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from functools import partial
from typing import Any

import strawberry
from graphql import GraphQLError
from strawberry.exceptions import StrawberryGraphQLError
from strawberry.extensions import MaxAliasesLimiter, MaxTokensLimiter, QueryDepthLimiter, SchemaExtension
from strawberry.schema.config import StrawberryConfig
from strawberry.tools import merge_types
from strawberry.types import ExecutionContext
from strawberry.types.base import has_object_definition

from cairn.core.config import Settings
from cairn.graphql.scalars import SCALAR_MAP

ROOT_NAMES = {"query": "Query", "mutation": "Mutation", "subscription": "Subscription"}
MAX_TOKENS = 5000
"""Tokens (names, brackets, colons) a document may hold; GraphiQL's introspection needs ~300."""
MAX_ALIASES = 30
"""Aliases a document may hold: each one can repeat a whole (page-sized) selection."""

Contribution = Mapping[str, Sequence[type]] | None


class SchemaCompositionError(RuntimeError):
    """The contributed types cannot form one schema; the message names the culprit."""


class CairnSchema(strawberry.Schema):
    """The schema, logging only unexpected errors (not refused input, limits or permissions)."""

    def process_errors(self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None) -> None:
        unexpected = [error for error in errors if _is_unexpected(error)]
        if unexpected:
            super().process_errors(unexpected, execution_context)


def _is_unexpected(error: GraphQLError) -> bool:
    original = error.original_error
    return original is not None and not isinstance(original, GraphQLError | StrawberryGraphQLError)


def collect_root_types(contributions: Iterable[Contribution]) -> dict[str, list[type]]:
    """The contributed types by root (``query``, ``mutation``, ``subscription``), checked."""
    roots: dict[str, list[type]] = {key: [] for key in ROOT_NAMES}
    for contribution in contributions:
        for key, types in (contribution or {}).items():
            if key not in ROOT_NAMES:
                raise SchemaCompositionError(
                    f"register_graphql_types returned the key {key!r}; use 'query', 'mutation' or 'subscription'")
            for contributed in types:
                if not has_object_definition(contributed):
                    raise SchemaCompositionError(f"{_name(contributed)} was contributed as a {key} type but is not "
                                                 "a Strawberry type; decorate it with @strawberry.type")
                if contributed not in roots[key]:
                    roots[key].append(contributed)
    return roots


def merge_root(name: str, types: Sequence[type]) -> type | None:
    """One root type holding every field of ``types`` (``None`` if there are none)."""
    if not types:
        return None
    owners: dict[str, type] = {}
    for contributed in types:
        for field in contributed.__strawberry_definition__.fields:  # type: ignore[attr-defined]
            if field.python_name in owners:
                raise SchemaCompositionError(
                    f"{name}.{field.python_name} is contributed by both {_name(owners[field.python_name])} and "
                    f"{_name(contributed)}; rename one of the fields (prefix it with the plugin's name)")
            owners[field.python_name] = contributed
    return merge_types(name, tuple(types))


def limits(settings: Settings) -> list[Callable[[], SchemaExtension]]:
    """Factories of the extensions (built afresh for each operation) that refuse documents too deep or too large."""
    return [
        partial(QueryDepthLimiter, max_depth=settings.graphql_max_depth),
        partial(MaxTokensLimiter, max_token_count=MAX_TOKENS),
        partial(MaxAliasesLimiter, max_alias_count=MAX_ALIASES),
    ]


def build_schema(contributions: Iterable[Contribution], settings: Settings) -> strawberry.Schema:
    """The root schema made of every contribution, with Cairn's limits."""
    roots = collect_root_types(contributions)
    query = merge_root(ROOT_NAMES["query"], roots["query"])
    if query is None:
        raise SchemaCompositionError("no plugin contributed a query type; is the cairn.graphql.plugin registered?")
    options: dict[str, Any] = {}
    for key in ("mutation", "subscription"):
        options[key] = merge_root(ROOT_NAMES[key], roots[key])
    return CairnSchema(query=query, **options, extensions=limits(settings),
                       config=StrawberryConfig(scalar_map=SCALAR_MAP))


def _name(value: object) -> str:
    return f"{getattr(value, '__module__', '?')}.{getattr(value, '__qualname__', repr(value))}"
