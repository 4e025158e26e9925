"""GraphQL for consents: consent types, profiles' consents, their audit history."""
