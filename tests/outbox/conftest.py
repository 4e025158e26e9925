"""This suite runs on a Cairn with the consents, outbox, channels and privacy plugins."""

from tests.outbox.fixtures import gql, outbox_env, receiver, server

__all__ = ["gql", "outbox_env", "receiver", "server"]
