"""Profiles: one per customer, across sessions and devices."""
