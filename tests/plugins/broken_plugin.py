"""A plugin module that cannot be imported (its dependency is missing)."""

import cairn_no_such_dependency  # noqa: F401
