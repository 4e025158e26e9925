"""Ingestion: parse and validate what sources send, then store it through the pipeline."""
