"""Cairn's core: what a plugin author imports.

``hookimpl`` marks a hook implementation (see :mod:`cairn.core.hookspecs` for every
hook); :mod:`cairn.core.nodes` holds the node contract.
"""

from cairn.core.plugin_manager import hookimpl

__all__ = ["hookimpl"]
