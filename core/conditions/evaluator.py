"""The evaluator: walks a syntax tree and computes its value in an :class:`Env`."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .functions import Env, call_function
from .nodes import (
    And, Arith, Call, Compare, Contains, Exists, ListLiteral, Literal, Negate, Node, Not, Now, Or,
    Path, StringMatch,
)  # fmt: skip
from .operators import arithmetic, compare, membership, string_match
from .values import MISSING, is_truthy, lookup


def evaluate_node(node: Node, env: Env) -> Any:
    """Return the value of ``node``: a plain Python value, a bool or :data:`MISSING`."""
    return _HANDLERS[type(node)](node, env)


def _literal(node: Literal, env: Env) -> Any:
    return node.value


def _list(node: ListLiteral, env: Env) -> Any:
    return [evaluate_node(item, env) for item in node.items]


def _path(node: Path, env: Env) -> Any:
    value = env.context.get(node.root, MISSING)
    for segment in node.segments:
        if value is MISSING:
            break
        value = lookup(value, segment)
    return value


def _now(node: Now, env: Env) -> Any:
    return env.now


def _call(node: Call, env: Env) -> Any:
    return call_function(env, node.name, [evaluate_node(arg, env) for arg in node.args])


def _negate(node: Negate, env: Env) -> Any:
    return arithmetic("*", evaluate_node(node.operand, env), -1)


def _arith(node: Arith, env: Env) -> Any:
    value = evaluate_node(node.first, env)
    for op, operand in node.rest:
        value = arithmetic(op, value, evaluate_node(operand, env))
    return value


def _compare(node: Compare, env: Env) -> bool:
    return compare(node.op, evaluate_node(node.left, env), evaluate_node(node.right, env))


def _contains(node: Contains, env: Env) -> bool:
    return membership(evaluate_node(node.container, env), evaluate_node(node.item, env), node.negated)


def _string_match(node: StringMatch, env: Env) -> bool:
    subject = evaluate_node(node.subject, env)
    return string_match(node.op, subject, evaluate_node(node.pattern, env), node.negated)


def _exists(node: Exists, env: Env) -> bool:
    return (evaluate_node(node.operand, env) is not MISSING) != node.negated


def _not(node: Not, env: Env) -> bool:
    return not is_truthy(evaluate_node(node.operand, env))


def _and(node: And, env: Env) -> bool:
    return all(is_truthy(evaluate_node(operand, env)) for operand in node.operands)


def _or(node: Or, env: Env) -> bool:
    return any(is_truthy(evaluate_node(operand, env)) for operand in node.operands)


_HANDLERS: dict[type, Callable[[Any, Env], Any]] = {
    Literal: _literal,
    ListLiteral: _list,
    Path: _path,
    Now: _now,
    Call: _call,
    Negate: _negate,
    Arith: _arith,
    Compare: _compare,
    Contains: _contains,
    StringMatch: _string_match,
    Exists: _exists,
    Not: _not,
    And: _and,
    Or: _or,
}
