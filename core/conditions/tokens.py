"""Tokenizer: turns the source text of a condition into a list of tokens."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta
from typing import Literal

from .errors import ConditionError, error_at

TokenKind = Literal["number", "duration", "string", "name", "op", "end"]

KEYWORDS = frozenset(
    {
        "and", "or", "not", "in", "exists", "contains", "icontains", "starts", "istarts",
        "ends", "iends", "with", "matches", "true", "false", "null", "now",
    }
)  # fmt: skip
"""Words with a meaning of their own; they cannot start a path (but can follow a dot)."""

DURATION_UNITS = {"s": 1, "m": 60, "h": 3_600, "d": 86_400, "w": 604_800}
"""Duration suffixes and their length in seconds (no months or years: they vary)."""

OPERATORS = ("==", "!=", ">=", "<=", ">", "<", "+", "-", "*", "/", "(", ")", "[", "]", ",", ".")

_MISTAKES = {
    "===": "did you mean `==`?",
    "=>": "did you mean `>=`?",
    "=<": "did you mean `<=`?",
    "<>": "did you mean `!=`?",
    "&&": "use `and`",
    "||": "use `or`",
    "=": "did you mean `==`?",
    "&": "use `and`",
    "|": "use `or`",
    "!": "use `not`",
    "$": "paths start with a name such as `profile`, not `$`",
    "{": "objects are not supported; compare their fields instead",
    "}": "objects are not supported; compare their fields instead",
    ";": "combine conditions with `and` or `or`",
}
_MISTAKES_LIKE_OPERATORS = ("===", "<>")  # checked before the operators they start with
_NUMBER = re.compile(r"\d+(?:\.\d+)?(?:[eE][+-]?\d+)?")
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_ESCAPES = {"\\": "\\", "'": "'", '"': '"', "n": "\n", "r": "\r", "t": "\t", "/": "/"}


@dataclass(frozen=True, slots=True)
class Token:
    """One token: its kind, its exact source text, where it starts and its value."""

    kind: TokenKind
    text: str
    position: int
    value: int | float | str | timedelta | None = None

    @property
    def end(self) -> int:
        """Offset just after the token."""
        return self.position + len(self.text)

    def describe(self) -> str:
        """Name the token for an error message, e.g. ``')'`` or ``end of condition``."""
        if self.kind == "end":
            return "end of condition"
        if self.kind == "string":
            return f"string {self.text}"
        return f"'{self.text}'"

    def is_op(self, *texts: str) -> bool:
        """True when the token is one of the given operators."""
        return self.kind == "op" and self.text in texts

    def is_keyword(self, *words: str) -> bool:
        """True when the token is one of the given keywords."""
        return self.kind == "name" and self.text in words


def tokenize(source: str) -> list[Token]:
    """Split ``source`` into tokens, ending with an ``end`` token.

    Raises :class:`ConditionError` for characters and literals that are not part
    of the language, with a hint for common mistakes (``=``, ``&&``, ``!``).
    """
    return _Lexer(source).run()


class _Lexer:
    def __init__(self, source: str) -> None:
        self.source = source
        self.pos = 0
        self.tokens: list[Token] = []

    def run(self) -> list[Token]:
        while self._skip_blanks():
            self.tokens.append(self._next_token())
        self.tokens.append(Token("end", "", len(self.source)))
        return self.tokens

    def _skip_blanks(self) -> bool:
        """Skip whitespace and ``#`` comments; return False at the end of the source."""
        source = self.source
        while self.pos < len(source):
            char = source[self.pos]
            if char.isspace():
                self.pos += 1
            elif char == "#":
                newline = source.find("\n", self.pos)
                self.pos = len(source) if newline < 0 else newline
            else:
                return True
        return False

    def _next_token(self) -> Token:
        char = self.source[self.pos]
        if char.isdigit():
            return self._number()
        if char in "\"'":
            return self._string(char)
        match = _NAME.match(self.source, self.pos)
        if match:
            return self._take("name", match.group())
        return self._operator()

    def _take(self, kind: TokenKind, text: str, value: int | float | str | timedelta | None = None) -> Token:
        token = Token(kind, text, self.pos, value)
        self.pos += len(text)
        return token

    def _number(self) -> Token:
        match = _NUMBER.match(self.source, self.pos)
        assert match is not None
        digits = match.group()
        number: int | float = float(digits) if any(c in digits for c in ".eE") else int(digits)
        unit = _NAME.match(self.source, match.end())
        if unit is None:
            return self._take("number", digits, number)
        if unit.group() in DURATION_UNITS:
            seconds = number * DURATION_UNITS[unit.group()]
            return self._take("duration", digits + unit.group(), self._duration(seconds))
        raise self._error(
            f"Invalid number or duration '{digits + unit.group()}'",
            end=unit.end(),
            hint="durations are a number and one of s, m, h, d, w, e.g. `30d` or `12h`",
        )

    def _duration(self, seconds: float) -> timedelta:
        try:
            return timedelta(seconds=seconds)
        except OverflowError:
            raise self._error("Duration too long", hint="durations must be under 999,999,999 days") from None

    def _string(self, quote: str) -> Token:
        start, chars, i = self.pos, [], self.pos + 1
        source = self.source
        while i < len(source) and source[i] != quote:
            if source[i] == "\n":
                break
            if source[i] == "\\":
                char, i = self._escape(i)
                chars.append(char)
            else:
                chars.append(source[i])
                i += 1
        if i >= len(source) or source[i] != quote:
            raise self._error("Unterminated string", end=i, hint=f"close the string with {quote} on the same line")
        return self._take("string", source[start : i + 1], "".join(chars))

    def _escape(self, i: int) -> tuple[str, int]:
        """Decode the escape sequence starting at the backslash at ``i``."""
        code = self.source[i + 1 : i + 2]
        if code in _ESCAPES:
            return _ESCAPES[code], i + 2
        if code == "u" and re.fullmatch(r"[0-9a-fA-F]{4}", self.source[i + 2 : i + 6]):
            return chr(int(self.source[i + 2 : i + 6], 16)), i + 6
        raise error_at(
            self.source,
            i,
            f"Unknown escape sequence '\\{code}'",
            end=i + 2,
            hint="use \\\\ for a backslash; known escapes are \\\" \\' \\n \\t \\r \\/ \\uXXXX",
        )

    def _operator(self) -> Token:
        for mistake in _MISTAKES_LIKE_OPERATORS:
            if self.source.startswith(mistake, self.pos):
                raise self._mistake(mistake)
        for op in OPERATORS:
            if self.source.startswith(op, self.pos):
                return self._take("op", op)
        for mistake in _MISTAKES:
            if self.source.startswith(mistake, self.pos):
                raise self._mistake(mistake)
        char = self.source[self.pos]
        raise self._error(
            f"Unexpected character {char!r}",
            hint='names use letters, digits and _; quote other keys: profile.traits["first name"]',
        )

    def _mistake(self, text: str) -> ConditionError:
        return self._error(f"Unexpected '{text}'", end=self.pos + len(text), hint=_MISTAKES[text])

    def _error(self, message: str, *, end: int | None = None, hint: str | None = None) -> ConditionError:
        return error_at(self.source, self.pos, message, end=end, hint=hint)
