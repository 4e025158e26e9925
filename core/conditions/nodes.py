"""The syntax tree of a condition: small frozen dataclasses, one per construct.

Every node records ``position`` and ``end``, 0-based offsets of its source text,
so that later checks can point at the exact spot of a problem.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from typing import Literal as TypingLiteral

LiteralValue = int | float | str | bool | None | timedelta
ArithOp = TypingLiteral["+", "-", "*", "/"]
CompareOp = TypingLiteral["==", "!=", ">", ">=", "<", "<="]
MatchOp = TypingLiteral["starts", "ends", "matches", "icontains", "istarts", "iends"]

_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


@dataclass(frozen=True, slots=True)
class Literal:
    """A number, string, ``true``/``false``/``null`` or duration written in the source."""

    value: LiteralValue
    position: int
    end: int


@dataclass(frozen=True, slots=True)
class ListLiteral:
    """``[item, ...]``."""

    items: tuple[Node, ...]
    position: int
    end: int


@dataclass(frozen=True, slots=True)
class Path:
    """A path into the context: ``root`` then keys (str) and list indexes (int)."""

    root: str
    segments: tuple[str | int, ...]
    position: int
    end: int

    @property
    def text(self) -> str:
        """The canonical spelling, e.g. ``profile.traits["first name"]`` or ``items[0]``."""
        return path_text(self.root, self.segments)


@dataclass(frozen=True, slots=True)
class Now:
    """The ``now`` keyword: the evaluation time."""

    position: int
    end: int


@dataclass(frozen=True, slots=True)
class Call:
    """``name(arg, ...)``, resolved through the function table."""

    name: str
    args: tuple[Node, ...]
    position: int
    end: int


@dataclass(frozen=True, slots=True)
class Negate:
    """Unary minus applied to something that is not a literal."""

    operand: Node
    position: int
    end: int


@dataclass(frozen=True, slots=True)
class Arith:
    """A left-to-right chain of ``+ -`` or ``* /``: ``first op operand op operand ...``."""

    first: Node
    rest: tuple[tuple[ArithOp, Node], ...]
    position: int
    end: int


@dataclass(frozen=True, slots=True)
class Compare:
    """``left op right`` for ``== != > >= < <=``."""

    op: CompareOp
    left: Node
    right: Node
    position: int
    end: int


@dataclass(frozen=True, slots=True)
class Contains:
    """``item in container`` / ``container contains item`` (``negated`` for ``not in``)."""

    container: Node
    item: Node
    negated: bool
    position: int
    end: int


@dataclass(frozen=True, slots=True)
class StringMatch:
    """``subject starts with pattern`` and the other string operators."""

    op: MatchOp
    subject: Node
    pattern: Node
    negated: bool
    position: int
    end: int


@dataclass(frozen=True, slots=True)
class Exists:
    """``operand exists`` / ``operand not exists``."""

    operand: Node
    negated: bool
    position: int
    end: int


@dataclass(frozen=True, slots=True)
class Not:
    """``not operand``."""

    operand: Node
    position: int
    end: int


@dataclass(frozen=True, slots=True)
class And:
    """``a and b and ...`` (two or more operands)."""

    operands: tuple[Node, ...]
    position: int
    end: int


@dataclass(frozen=True, slots=True)
class Or:
    """``a or b or ...`` (two or more operands)."""

    operands: tuple[Node, ...]
    position: int
    end: int


Node = (
    Literal | ListLiteral | Path | Now | Call | Negate | Arith | Compare | Contains | StringMatch
    | Exists | Not | And | Or
)  # fmt: skip


def children(node: Node) -> tuple[Node, ...]:
    """Return the direct sub-nodes of ``node`` in source order."""
    match node:
        case ListLiteral(items=items) | Call(args=items) | And(operands=items) | Or(operands=items):
            return items
        case Negate(operand=operand) | Exists(operand=operand) | Not(operand=operand):
            return (operand,)
        case Arith(first=first, rest=rest):
            return (first, *(operand for _, operand in rest))
        case Compare(left=left, right=right):
            return (left, right)
        case Contains(container=container, item=item):
            return (item, container) if item.position < container.position else (container, item)
        case StringMatch(subject=subject, pattern=pattern):
            return (subject, pattern)
    return ()


def walk(node: Node) -> Iterator[Node]:
    """Yield ``node`` and all its descendants, depth first, in source order."""
    stack = [node]
    while stack:
        current = stack.pop()
        yield current
        stack.extend(reversed(children(current)))


def is_constant(node: Node) -> bool:
    """True when ``node`` reads no path and calls no function (only literals and ``now``)."""
    return not any(isinstance(sub, Path | Call) for sub in walk(node))


def path_text(root: str, segments: tuple[str | int, ...]) -> str:
    """Spell a path canonically: identifiers after dots, other keys quoted in brackets."""
    parts = [root]
    for segment in segments:
        if isinstance(segment, int):
            parts.append(f"[{segment}]")
        elif _IDENTIFIER.fullmatch(segment):
            parts.append(f".{segment}")
        else:
            parts.append(f"[{json.dumps(segment, ensure_ascii=False)}]")
    return "".join(parts)
