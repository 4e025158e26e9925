"""GraphQL for the outbox: delivery status of every message, channels and their settings."""
