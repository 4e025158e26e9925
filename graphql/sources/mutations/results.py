"""Success results of the source mutations."""

from __future__ import annotations

import strawberry

from cairn.graphql.sources.types import Source


@strawberry.type
class SourceCreated:
    """The source was created; give its write key to the website or app."""

    source: Source


@strawberry.type
class SourceUpdated:
    """The source was changed."""

    source: Source
