"""Fixtures of the tracker suite: Chromium, Cairn as a website sees it, and a website."""

from __future__ import annotations

from tests.support.browser import browser, page, page_errors, pytest_runtest_makereport, site, source, web

__all__ = ["browser", "page", "page_errors", "pytest_runtest_makereport", "site", "source", "web"]
