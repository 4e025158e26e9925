"""Checks on a parsed condition that need more than the grammar.

Unknown functions and wrong argument counts, invalid or oversized regexes,
literals of the wrong type for an operator, and bare words that were meant as
strings. All problems are collected so that an editor can show them at once.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Collection, Iterator, Mapping

from .errors import ConditionError, error_at
from .functions import Function, arity_problem
from .limits import MAX_PATTERN_LENGTH
from .nodes import Call, Compare, Contains, ListLiteral, Literal, Node, Path, StringMatch, walk

_ORDERING = (">", ">=", "<", "<=")


def check(
    node: Node,
    source: str,
    functions: Mapping[str, Function],
    roots: Collection[str] | None,
) -> list[ConditionError]:
    """Return every problem found in the tree, in source order ([] when fine)."""
    errors: list[ConditionError] = []
    for sub in walk(node):
        errors.extend(_check_node(sub, source, functions, roots))
    return sorted(errors, key=lambda error: error.position)


def _check_node(
    node: Node, source: str, functions: Mapping[str, Function], roots: Collection[str] | None
) -> Iterator[ConditionError]:
    match node:
        case Call():
            yield from _check_call(node, source, functions)
        case Path() if roots is not None:
            yield from _check_root(node, source, roots)
        case Compare():
            yield from _check_compare(node, source, roots)
        case StringMatch():
            yield from _check_string_match(node, source, roots)
        case Contains():
            yield from _check_contains(node, source)
        case ListLiteral():
            for item in node.items:
                yield from _bare_word(item, source, roots)


def _check_call(node: Call, source: str, functions: Mapping[str, Function]) -> Iterator[ConditionError]:
    end = node.position + len(node.name)
    if node.name not in functions:
        close = difflib.get_close_matches(node.name, list(functions), n=1)
        hint = f"did you mean `{close[0]}`?" if close else None
        known = ", ".join(sorted(functions))
        hint = f"{hint} Known functions: {known}" if hint else f"known functions: {known}"
        yield error_at(source, node.position, f"Unknown function '{node.name}'", end=end, hint=hint)
        return
    problem = arity_problem(node.name, functions[node.name], len(node.args))
    if problem:
        message = f"Wrong number of arguments for {node.name}()"
        yield error_at(source, node.position, message, end=node.end, hint=f"{problem}, {len(node.args)} given")


def _check_root(node: Path, source: str, roots: Collection[str]) -> Iterator[ConditionError]:
    if node.root in roots:
        return
    known = ", ".join(sorted(roots))
    hint = f"paths start with one of: {known}"
    if not node.segments:
        hint = f'strings need quotes: "{node.root}"; {hint}'
    end = node.position + len(node.root)
    yield error_at(source, node.position, f"Unknown name '{node.root}'", end=end, hint=hint)


def _check_compare(node: Compare, source: str, roots: Collection[str] | None) -> Iterator[ConditionError]:
    yield from _bare_word(node.right, source, roots)
    if node.op not in _ORDERING:
        return
    for side in (node.left, node.right):
        if isinstance(side, ListLiteral) or (isinstance(side, Literal) and _unordered(side.value)):
            what = "a list" if isinstance(side, ListLiteral) else source[side.position : side.end]
            yield error_at(
                source,
                side.position,
                f"Cannot use '{node.op}' with {what}",
                end=side.end,
                hint="use `==`/`!=`, or `exists` to test presence",
            )


def _check_string_match(node: StringMatch, source: str, roots: Collection[str] | None) -> Iterator[ConditionError]:
    pattern = node.pattern
    yield from _bare_word(pattern, source, roots)
    if isinstance(pattern, ListLiteral) or (isinstance(pattern, Literal) and not isinstance(pattern.value, str)):
        yield error_at(
            source,
            pattern.position,
            f"Expected a string after '{_spelling(node)}'",
            end=pattern.end,
            hint=f'put it in quotes: "{source[pattern.position : pattern.end]}"',
        )
    elif node.op == "matches" and isinstance(pattern, Literal) and isinstance(pattern.value, str):
        yield from _check_regex(pattern, pattern.value, source)


def _check_regex(node: Literal, pattern: str, source: str) -> Iterator[ConditionError]:
    if len(pattern) > MAX_PATTERN_LENGTH:
        message = f"Regular expression too long ({len(pattern)} characters, at most {MAX_PATTERN_LENGTH})"
        yield error_at(source, node.position, message, end=node.end, hint="use a shorter pattern")
        return
    try:
        re.compile(pattern)
    except re.error as error:
        literal = source[node.position : node.end]
        offset = node.position
        if "\\" not in literal and error.pos is not None:
            offset += 1 + error.pos
        yield error_at(
            source,
            offset,
            f"Invalid regular expression ({error.msg})",
            end=max(offset + 1, node.end - 1),
            hint="escape special characters such as . ( [ with \\\\, or use `contains` for plain text",
        )


def _check_contains(node: Contains, source: str) -> Iterator[ConditionError]:
    container = node.container
    if isinstance(container, Literal) and not isinstance(container.value, str):
        text = source[container.position : container.end]
        yield error_at(
            source,
            container.position,
            f"Cannot look inside {text}",
            end=container.end,
            expected="a list or a string",
            hint='write e.g. profile.traits.country in ["FR", "DE"]',
        )


def _bare_word(node: Node, source: str, roots: Collection[str] | None) -> Iterator[ConditionError]:
    """A one-word path on the right of an operator is almost always a forgotten quote."""
    if roots is None and isinstance(node, Path) and not node.segments:
        yield error_at(
            source,
            node.position,
            f"Unknown name '{node.root}'",
            end=node.end,
            hint=f'strings need quotes: "{node.root}"',
        )


def _unordered(value: object) -> bool:
    return value is None or isinstance(value, bool)


def _spelling(node: StringMatch) -> str:
    words = {"starts": "starts with", "ends": "ends with", "istarts": "istarts with", "iends": "iends with"}
    return words.get(node.op, node.op)
