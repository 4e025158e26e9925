"""GraphQL for the customer's rights: export everything about a profile, erase it."""
