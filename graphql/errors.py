"""GraphQL errors for requests that cannot be answered as asked (bad paging arguments…).

Expected outcomes of mutations are union members instead (:mod:`cairn.graphql.results`).
"""

from __future__ import annotations

from graphql import GraphQLError

BAD_USER_INPUT = "BAD_USER_INPUT"


def bad_input(message: str, hint: str) -> GraphQLError:
    """An error saying what is wrong with the arguments and what to send instead."""
    return GraphQLError(message, extensions={"code": BAD_USER_INPUT, "hint": hint})
