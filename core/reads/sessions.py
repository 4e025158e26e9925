"""Reading sessions (visits)."""

from __future__ import annotations

from collections.abc import Iterable

from cairn.core.models.session import Session
from cairn.core.reads.pagination import Document, Page, newest_first
from cairn.core.store.database import Database
from cairn.core.store.keys import unescape_keys


def session_from_document(doc: Document) -> Session:
    """The session a stored document stands for."""
    fields = unescape_keys({key: value for key, value in doc.items() if key != "_id"})
    return Session.model_validate({**fields, "id": doc["_id"]})


async def find_sessions(database: Database, profile_ids: Iterable[str], *, first: int,
                        after: str | None = None) -> Page[Session]:
    """A page of the sessions filed under any of ``profile_ids``, latest started first."""
    query = {"profile_id": {"$in": list(profile_ids)}}
    return await newest_first(database.sessions, query, time_field="started_at",
                              first=first, after=after, convert=session_from_document)
