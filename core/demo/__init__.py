"""The demo: Cairn plus a small shop website that uses the tracker and the widgets.

``cairn demo`` (or :func:`serve_demo`) starts both; :func:`run_demo` does it inside
an ``async with`` (the browser tests use it). The shop asks for consent on the first
visit, and for a rating after each purchase; the rating's comment gets a sentiment
score on the profile.
"""

from cairn.core.demo.run import DEMO_PLUGINS, Demo, demo_plugins, run_demo, serve_demo
from cairn.core.demo.seed import FLOWS, DemoSetup, prepare

__all__ = ["DEMO_PLUGINS", "FLOWS", "Demo", "DemoSetup", "demo_plugins", "prepare", "run_demo", "serve_demo"]
