"""The one exception type of the condition language, with its position helpers."""

from __future__ import annotations

from typing import Any


class ConditionError(ValueError):
    """A condition that cannot be compiled: what is wrong, where, and what to do.

    ``position`` and ``end`` are 0-based offsets into the source (``end`` is
    exclusive); ``line`` and ``column`` are 1-based. ``expected`` says what the
    parser was looking for and ``hint`` suggests a fix; both may be ``None``.
    ``str()`` reads like::

        Unexpected ')' at line 1, column 14: expected a value. Hint: remove the extra ')'
    """

    def __init__(
        self,
        message: str,
        *,
        position: int = 0,
        end: int | None = None,
        line: int = 1,
        column: int = 1,
        expected: str | None = None,
        hint: str | None = None,
    ) -> None:
        self.message = message
        self.position = position
        self.end = position + 1 if end is None else end
        self.line = line
        self.column = column
        self.expected = expected
        self.hint = hint
        super().__init__(self._render())

    def _render(self) -> str:
        text = f"{self.message} at line {self.line}, column {self.column}"
        if self.expected:
            text += f": expected {self.expected}"
        if self.hint:
            text += f". Hint: {self.hint}"
        return text

    def to_dict(self) -> dict[str, Any]:
        """Return the error as plain data, e.g. for an API response or the editor."""
        return {
            "message": self.message,
            "position": self.position,
            "end": self.end,
            "line": self.line,
            "column": self.column,
            "expected": self.expected,
            "hint": self.hint,
            "text": str(self),
        }


def line_and_column(source: str, position: int) -> tuple[int, int]:
    """Return the 1-based line and column of a 0-based offset into ``source``."""
    line = source.count("\n", 0, position) + 1
    column = position - (source.rfind("\n", 0, position) + 1) + 1
    return line, column


def error_at(
    source: str,
    position: int,
    message: str,
    *,
    end: int | None = None,
    expected: str | None = None,
    hint: str | None = None,
) -> ConditionError:
    """Build a :class:`ConditionError` located at ``position`` in ``source``."""
    line, column = line_and_column(source, position)
    return ConditionError(message, position=position, end=end, line=line, column=column, expected=expected, hint=hint)
