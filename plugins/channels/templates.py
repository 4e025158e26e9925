"""Message templates: Jinja2 in a sandbox, with the profile and event as data.

Subjects, bodies, recipients and webhook bodies are Jinja2 templates. They see
``profile`` (``profile.traits.first_name``), ``event`` (``event.properties.total``),
``session``, ``payload`` (what the previous node sent), ``variables`` (the run's)
and ``unsubscribe_url`` (e-mail only). Missing data renders as an empty string.
HTML bodies are auto-escaped (``{{ profile.traits.name }}`` cannot inject markup);
subjects, text bodies and SMS are not. The sandbox refuses access to Python
internals and any change to the data.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from jinja2 import ChainableUndefined, Template, TemplateSyntaxError
from jinja2.sandbox import ImmutableSandboxedEnvironment


class TemplateFailed(Exception):
    """A template could not be rendered; the message says which one and why."""


def _finalize(value: Any) -> Any:
    return "" if value is None else value


_PLAIN = ImmutableSandboxedEnvironment(undefined=ChainableUndefined, finalize=_finalize, autoescape=False)
_HTML = ImmutableSandboxedEnvironment(undefined=ChainableUndefined, finalize=_finalize, autoescape=True)


@lru_cache(maxsize=512)
def _compile(source: str, html: bool) -> Template:
    return (_HTML if html else _PLAIN).from_string(source)


def check_template(source: str) -> str:
    """Return ``source`` if it compiles; ``ValueError`` (for config validators) saying where it does not."""
    try:
        _compile(source, False)
    except TemplateSyntaxError as error:
        raise ValueError(f"template syntax error on line {error.lineno}: {error.message}") from None
    return source


def render(source: str, data: dict[str, Any], *, html: bool = False, name: str = "template") -> str:
    """Render ``source`` with ``data``; raise :class:`TemplateFailed` naming ``name`` on any failure."""
    try:
        return _compile(source, html).render(data)
    except Exception as error:  # a template can fail in many ways (1/0, a bad filter argument…)
        raise TemplateFailed(f"the {name} template failed: {type(error).__name__}: {error}") from error
