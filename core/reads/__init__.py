"""Read-side queries over the store: small typed functions that the GraphQL API, the CLI
and exports share. They return domain models (``cairn.core.models``) with keys unescaped,
and page through large collections with opaque, stable cursors (:mod:`.pagination`)."""
