"""The consent service of a running Cairn.

Until ``Cairn`` declares a ``consents`` field of its own, the service is created on
first use and kept on the Cairn object under that name, so every caller (the event
processor, GraphQL, the outbox, unsubscribe links) shares one type cache.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from cairn.core.consents.service import ConsentService

if TYPE_CHECKING:
    from cairn.core.runtime import Cairn

ATTRIBUTE = "consents"


def consent_service(cairn: Cairn) -> ConsentService:
    """The :class:`ConsentService` of ``cairn``."""
    service = getattr(cairn, ATTRIBUTE, None)
    if not isinstance(service, ConsentService):
        service = ConsentService(cairn.database, cairn.pipeline.repository, cairn.pipeline.writer)
        setattr(cairn, ATTRIBUTE, service)
    return service
