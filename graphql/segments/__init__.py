"""Segments in GraphQL: definitions, preview, members, sizes over time, history and recompute jobs."""
