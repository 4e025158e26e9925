"""Segmentation: live and batch membership, sizes over time, the GraphQL API."""
