"""Ingestion: the journal of accepted requests waiting to be processed."""
