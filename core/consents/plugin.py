"""Consents as a plugin of the core: the event processor and the audit indexes.

Register it as an essential plugin: consent enforcement must not be switched off.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from cairn.core.consents.events import ConsentProcessor
from cairn.core.consents.runtime import consent_service
from cairn.core.plugin_manager import hookimpl

if TYPE_CHECKING:
    from cairn.core.runtime import Cairn


@hookimpl(tryfirst=True)
def on_startup(cairn: Cairn) -> None:
    """Create the consent service and put its processor first in the pipeline."""
    service = consent_service(cairn)
    if not any(isinstance(processor, ConsentProcessor) for processor in cairn.pipeline.processors):
        cairn.pipeline.processors.insert(0, ConsentProcessor(service))
