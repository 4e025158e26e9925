"""Jinja2 templates for nodes, rendered in a sandbox with the node's context.

Every node that turns configured text into a value (messages, request bodies,
prompts, trait values) goes through :func:`render`, so templates see the same names
everywhere:

``event``      the event being processed (``event.properties.total``)
``profile``    the profile as a dict (``profile.traits.first_name``)
``session``    the session (``{}`` when there is none)
``payload``    what the previous node sent along the edge
``variables``  the run's variables (also reachable as ``flow.variables``)

Templates are forgiving with missing data (``{{ profile.traits.nickname }}`` renders
as an empty string, ``None`` too) and strict about safety: the sandbox refuses
access to Python internals (``{{ ''.__class__ }}``), refuses to modify the data it
sees, and caps results that would exhaust memory. Any failure is raised as
:class:`TemplateProblem`, which nodes route to their ``error`` port.
"""

from __future__ import annotations

import json
from functools import lru_cache
from typing import Any

from jinja2 import ChainableUndefined, Template, TemplateSyntaxError
from jinja2.exceptions import SecurityError
from jinja2.sandbox import ImmutableSandboxedEnvironment

from cairn.core.nodes import NodeContext

MAX_SEQUENCE = 100_000
"""The longest string or list a template may build with ``*``."""
MAX_EXPONENT = 1_000
"""The largest exponent ``**`` accepts."""


class TemplateProblem(Exception):
    """A template failed to render: what went wrong, by the name of the Jinja2 error."""

    def __init__(self, error: Exception) -> None:
        self.kind = type(error).__name__
        super().__init__(f"{self.kind}: {error}")


class _Environment(ImmutableSandboxedEnvironment):
    """The sandbox, refusing unsafe access at once, plus limits on ``*`` and ``**``."""

    intercepted_binops = frozenset({"*", "**"})

    def unsafe_undefined(self, obj: Any, attribute: str) -> Any:
        """Raise instead of Jinja2's default (an undefined value that only fails when used)."""
        raise SecurityError(f"access to attribute {attribute!r} of {type(obj).__name__!r} object is unsafe")

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        if operator == "**" and isinstance(right, int | float) and abs(right) > MAX_EXPONENT:
            raise SecurityError(f"the exponent {right} is larger than {MAX_EXPONENT}")
        if operator == "*":
            sequence, times = (left, right) if isinstance(left, str | list | tuple) else (right, left)
            if isinstance(sequence, str | list | tuple) and isinstance(times, int) \
                    and len(sequence) * times > MAX_SEQUENCE:
                raise SecurityError(f"the result would be longer than {MAX_SEQUENCE}")
        return super().call_binop(context, operator, left, right)


def _dumps(value: Any, **kwargs: Any) -> str:
    return json.dumps(value, default=str, **kwargs)


def _finalize(value: Any) -> Any:
    return "" if value is None else value


def _environment() -> _Environment:
    environment = _Environment(undefined=ChainableUndefined, finalize=_finalize, autoescape=False)
    environment.policies["json.dumps_function"] = _dumps
    return environment


ENVIRONMENT = _environment()


@lru_cache(maxsize=1024)
def _compile(source: str) -> Template:
    return ENVIRONMENT.from_string(source)


def check_template(source: str) -> str:
    """Return ``source`` if it is a valid template; raise ``ValueError`` saying where it is not.

    For config validators, so a broken template is refused when the flow is saved.
    """
    try:
        _compile(source)
    except TemplateSyntaxError as error:
        raise ValueError(f"template syntax error on line {error.lineno}: {error.message}") from None
    return source


def template_context(ctx: NodeContext) -> dict[str, Any]:
    """The names a template sees (see the module docstring)."""
    return {**ctx.condition_context(), "variables": ctx.variables}


def render(source: str, ctx: NodeContext) -> str:
    """Render ``source`` with the node's context; raise :class:`TemplateProblem` on any failure."""
    try:
        return _compile(source).render(template_context(ctx))
    except Exception as error:  # a template can fail in any way (1/0, a bad filter argument…)
        raise TemplateProblem(error) from error


def render_value(value: Any, ctx: NodeContext) -> Any:
    """Render every string inside ``value`` (a string, or mappings and lists of them)."""
    if isinstance(value, str):
        return render(value, ctx)
    if isinstance(value, dict):
        return {key: render_value(item, ctx) for key, item in value.items()}
    if isinstance(value, list):
        return [render_value(item, ctx) for item in value]
    return value


def check_templates(value: Any) -> Any:
    """Check every string inside ``value`` with :func:`check_template`; return ``value``."""
    if isinstance(value, str):
        check_template(value)
    elif isinstance(value, dict):
        for item in value.values():
            check_templates(item)
    elif isinstance(value, list):
        for item in value:
            check_templates(item)
    return value
