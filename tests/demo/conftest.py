"""Fixtures of the demo suite: Chromium (the demo itself is started by each test)."""

from __future__ import annotations

from tests.support.browser import browser, page, page_errors, pytest_runtest_makereport

__all__ = ["browser", "page", "page_errors", "pytest_runtest_makereport"]
