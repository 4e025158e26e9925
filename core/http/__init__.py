"""Cairn's HTTP server: tracking endpoints and the app that mounts plugins' routes."""
