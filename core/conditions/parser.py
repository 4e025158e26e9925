"""Recursive-descent parser: tokens in, syntax tree (:mod:`.nodes`) out.

Grammar, loosest binding first::

    condition  := or EOF
    or         := and ("or" and)*
    and        := not ("and" not)*
    not        := "not" not | predicate
    predicate  := sum [comparison]
    comparison := ("==" | "!=" | ">" | ">=" | "<" | "<=") sum
                | ["not"] ("in" | "contains" | "icontains" | "matches") sum
                | ["not"] ("starts" | "istarts" | "ends" | "iends") "with" sum
                | ["not"] "exists"
    sum        := product (("+" | "-") product)*
    product    := unary (("*" | "/") unary)*
    unary      := "-" unary | primary
    primary    := NUMBER | DURATION | STRING | "true" | "false" | "null" | "now"
                | NAME "(" [or ("," or)*] ")" | path | "[" [or ("," or)* [","]] "]" | "(" or ")"
    path       := NAME ("." NAME | "[" (["-"] INTEGER | STRING) "]")*
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import timedelta
from typing import cast

from .errors import ConditionError, error_at, line_and_column
from .limits import MAX_DEPTH, MAX_SOURCE_LENGTH
from .nodes import (
    And, Arith, ArithOp, Call, Compare, CompareOp, Contains, Exists, ListLiteral, Literal,
    MatchOp, Negate, Node, Not, Now, Or, Path, StringMatch,
)  # fmt: skip
from .tokens import KEYWORDS, Token, tokenize

COMPARISON_OPS = ("==", "!=", ">", ">=", "<", "<=")
WORD_OPS = ("in", "contains", "icontains", "matches", "starts", "istarts", "ends", "iends", "exists")
_NEEDS_WITH = ("starts", "istarts", "ends", "iends")
_CONSTANTS = {"true": True, "false": False, "null": None}
_WORD_HINTS = {
    "is": "use `==` to compare, or `exists` to test presence",
    "equals": "use `==`",
    "like": "use `contains`, `starts with` or `matches`",
    "startswith": "write `starts with`",
    "startsWith": "write `starts with`",
    "endswith": "write `ends with`",
    "endsWith": "write `ends with`",
    "None": "write `null`",
    "nil": "write `null`",
}
VALUE_EXPECTED = "a value (a path, a literal, `now`, a function call, a list or '(')"


def parse(source: str) -> Node:
    """Parse ``source`` into a syntax tree; raise :class:`ConditionError` if it is invalid."""
    if len(source) > MAX_SOURCE_LENGTH:
        raise ConditionError(
            f"Condition is too long ({len(source)} characters, at most {MAX_SOURCE_LENGTH})",
            hint="split it into several conditions or move logic into a function",
        )
    tokens = tokenize(source)
    if tokens[0].kind == "end":
        raise error_at(source, 0, "Empty condition", hint="write e.g. profile.traits.age >= 18")
    try:
        return _Parser(source, tokens).parse_condition()
    except RecursionError:  # only when the caller's own stack is already very deep
        raise ConditionError("Condition is nested too deeply", hint="simplify the condition") from None


class _Parser:
    def __init__(self, source: str, tokens: list[Token]) -> None:
        self.source = source
        self.tokens = tokens
        self.index = 0
        self.depth = 0

    # --- token helpers -------------------------------------------------------------

    def peek(self, ahead: int = 0) -> Token:
        return self.tokens[min(self.index + ahead, len(self.tokens) - 1)]

    def advance(self) -> Token:
        token = self.peek()
        self.index += 1
        return token

    @property
    def last_end(self) -> int:
        return self.tokens[self.index - 1].end

    def expect_op(self, text: str, expected: str, hint: str | None = None) -> Token:
        if not self.peek().is_op(text):
            raise self.unexpected(self.peek(), expected, hint)
        return self.advance()

    def unexpected(self, token: Token, expected: str, hint: str | None = None) -> ConditionError:
        return error_at(
            self.source,
            token.position,
            f"Unexpected {token.describe()}",
            end=max(token.end, token.position + 1),
            expected=expected,
            hint=hint or _hint_for(token),
        )

    @contextmanager
    def nested(self, token: Token) -> Iterator[None]:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise error_at(
                self.source,
                token.position,
                f"Condition is nested too deeply (more than {MAX_DEPTH} levels)",
                end=token.end,
                hint="simplify the condition or split it",
            )
        try:
            yield
        finally:
            self.depth -= 1

    # --- boolean levels ------------------------------------------------------------

    def parse_condition(self) -> Node:
        node = self.parse_or()
        token = self.peek()
        if token.kind != "end":
            raise self.trailing(token)
        return node

    def trailing(self, token: Token) -> ConditionError:
        if token.is_op(")"):
            return self.unexpected(token, "an operator or the end", "remove the extra ')'")
        if token.is_op("("):
            hint = "only functions can be called, e.g. lower(profile.traits.name)"
            return self.unexpected(token, "an operator or the end", hint)
        if token.is_op(".", "["):
            hint = "only paths have keys and indexes, e.g. profile.traits.name"
            return self.unexpected(token, "an operator or the end", hint)
        hint = _hint_for(token) or "combine conditions with `and` or `or`"
        return self.unexpected(token, "an operator, `and`, `or` or the end", hint)

    def parse_or(self) -> Node:
        with self.nested(self.peek()):
            operands = [self.parse_and()]
            while self.peek().is_keyword("or"):
                self.advance()
                operands.append(self.parse_and())
        if len(operands) == 1:
            return operands[0]
        return Or(tuple(operands), operands[0].position, self.last_end)

    def parse_and(self) -> Node:
        operands = [self.parse_not()]
        while self.peek().is_keyword("and"):
            self.advance()
            operands.append(self.parse_not())
        if len(operands) == 1:
            return operands[0]
        return And(tuple(operands), operands[0].position, self.last_end)

    def parse_not(self) -> Node:
        token = self.peek()
        if not token.is_keyword("not"):
            return self.parse_predicate()
        self.advance()
        with self.nested(token):
            operand = self.parse_not()
        return Not(operand, token.position, self.last_end)

    # --- predicates ----------------------------------------------------------------

    def parse_predicate(self) -> Node:
        left = self.parse_sum()
        node = self.parse_comparison(left)
        if node is not left and self._at_operator():
            raise self.unexpected(
                self.peek(),
                "`and`, `or` or the end",
                "comparisons do not chain; write `a < b and b < c`",
            )
        return node

    def _at_operator(self) -> bool:
        token = self.peek()
        return token.is_op(*COMPARISON_OPS) or token.is_keyword("not", *WORD_OPS)

    def parse_comparison(self, left: Node) -> Node:
        token = self.peek()
        if token.is_op(*COMPARISON_OPS):
            self.advance()
            right = self.parse_operand(token)
            return Compare(cast(CompareOp, token.text), left, right, left.position, right.end)
        negated = token.is_keyword("not")
        if negated:
            self.advance()
            token = self.peek()
            if not token.is_keyword(*WORD_OPS):
                raise self.unexpected(
                    token,
                    "`in`, `exists`, `contains`, `starts with`, `ends with` or `matches` after `not`",
                    "to negate a whole comparison put `not` in front of it: not (a == b)",
                )
        if token.is_keyword(*WORD_OPS):
            return self.parse_word_operator(left, negated)
        return left

    def parse_word_operator(self, left: Node, negated: bool) -> Node:
        token = self.advance()
        word = token.text
        if word == "exists":
            return Exists(left, negated, left.position, token.end)
        if word in _NEEDS_WITH:
            self.expect_op_word("with", f"`with` after `{word}`", f"write `{word} with`")
        right = self.parse_operand(token)
        if word == "in":
            return Contains(right, left, negated, left.position, right.end)
        if word == "contains":
            return Contains(left, right, negated, left.position, right.end)
        op = cast(MatchOp, word)
        return StringMatch(op, left, right, negated, left.position, right.end)

    def expect_op_word(self, word: str, expected: str, hint: str) -> None:
        if not self.peek().is_keyword(word):
            raise self.unexpected(self.peek(), expected, hint)
        self.advance()

    def parse_operand(self, operator: Token) -> Node:
        token = self.peek()
        if token.kind == "end":
            raise self.unexpected(token, f"a value after {operator.describe()}")
        if token.is_keyword("not"):
            raise self.unexpected(token, VALUE_EXPECTED, "wrap it in parentheses: (not ...)")
        return self.parse_sum()

    # --- arithmetic ----------------------------------------------------------------

    def parse_sum(self) -> Node:
        return self._parse_chain(("+", "-"), self.parse_product)

    def parse_product(self) -> Node:
        return self._parse_chain(("*", "/"), self.parse_unary)

    def _parse_chain(self, ops: tuple[str, ...], operand: Callable[[], Node]) -> Node:
        first = operand()
        rest: list[tuple[ArithOp, Node]] = []
        while self.peek().is_op(*ops):
            op = cast(ArithOp, self.advance().text)
            rest.append((op, operand()))
        if not rest:
            return first
        return Arith(first, tuple(rest), first.position, self.last_end)

    def parse_unary(self) -> Node:
        token = self.peek()
        if not token.is_op("-"):
            return self.parse_primary()
        self.advance()
        with self.nested(token):
            operand = self.parse_unary()
        value = operand.value if isinstance(operand, Literal) else None
        if isinstance(value, int | float | timedelta) and not isinstance(value, bool):
            return Literal(-value, token.position, operand.end)
        return Negate(operand, token.position, operand.end)

    # --- primaries -----------------------------------------------------------------

    def parse_primary(self) -> Node:
        token = self.peek()
        if token.kind in ("number", "duration", "string"):
            self.advance()
            return Literal(token.value, token.position, token.end)
        if token.kind == "name":
            return self.parse_name(token)
        if token.is_op("("):
            return self.parse_group(token)
        if token.is_op("["):
            return self.parse_list(token)
        raise self.unexpected(token, VALUE_EXPECTED)

    def parse_name(self, token: Token) -> Node:
        if token.text in _CONSTANTS:
            self.advance()
            return Literal(_CONSTANTS[token.text], token.position, token.end)
        if token.text == "now":
            self.advance()
            return Now(token.position, token.end)
        if token.text in KEYWORDS or _hint_for(token):
            raise self.unexpected(token, VALUE_EXPECTED)
        if self.peek(1).is_op("("):
            return self.parse_call(token)
        return self.parse_path(token)

    def parse_group(self, token: Token) -> Node:
        self.advance()
        node = self.parse_or()
        self.expect_op(")", f"')' to close the '(' at {self._where(token)}")
        return node

    def parse_list(self, token: Token) -> Node:
        self.advance()
        items = self._parse_items("]", token)
        return ListLiteral(items, token.position, self.last_end)

    def parse_call(self, token: Token) -> Node:
        self.advance()
        opener = self.advance()
        args = self._parse_items(")", opener, trailing_comma=False)
        return Call(token.text, args, token.position, self.last_end)

    def _parse_items(self, closer: str, opener: Token, trailing_comma: bool = True) -> tuple[Node, ...]:
        items: list[Node] = []
        expected = f"',' or '{closer}' to close the '{opener.text}' at {self._where(opener)}"
        while not self.peek().is_op(closer):
            if items:
                self.expect_op(",", expected)
                if trailing_comma and self.peek().is_op(closer):
                    break
            if self.peek().kind == "end":
                raise self.unexpected(self.peek(), expected)
            items.append(self.parse_or())
        self.advance()
        return tuple(items)

    def parse_path(self, token: Token) -> Path:
        self.advance()
        segments: list[str | int] = []
        while True:
            if self.peek().is_op("."):
                segments.append(self._parse_key())
            elif self.peek().is_op("["):
                segments.append(self._parse_index())
            else:
                return Path(token.text, tuple(segments), token.position, self.last_end)

    def _parse_key(self) -> str:
        self.advance()
        token = self.peek()
        if token.kind == "name":
            return self.advance().text
        hint = None
        if token.kind == "number":
            hint = f"index lists with brackets: [{token.text}]"
        elif token.kind == "string":
            hint = f"quote odd keys in brackets without the dot: [{token.text}]"
        raise self.unexpected(token, "a key name after '.'", hint)

    def _parse_index(self) -> str | int:
        opener = self.advance()
        sign = -1 if self.peek().is_op("-") else 1
        if sign < 0:
            self.advance()
        token = self.peek()
        valid = (token.kind == "string" and sign > 0) or (token.kind == "number" and isinstance(token.value, int))
        if not valid:
            raise self.unexpected(
                token,
                "a list index (an integer) or a quoted key",
                'write items[0] or traits["first name"]',
            )
        self.advance()
        self.expect_op("]", f"']' to close the '[' at {self._where(opener)}")
        if isinstance(token.value, int):
            return sign * token.value
        return cast(str, token.value)

    def _where(self, token: Token) -> str:
        line, column = line_and_column(self.source, token.position)
        return f"line {line}, column {column}"


def _hint_for(token: Token) -> str | None:
    """Suggest a fix for a token that is often typed by mistake."""
    if token.kind != "name":
        return None
    if token.text in _WORD_HINTS:
        return _WORD_HINTS[token.text]
    lowered = token.text.lower()
    if lowered != token.text and lowered in KEYWORDS:
        return f"keywords are lowercase: `{lowered}`"
    return None
