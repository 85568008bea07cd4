"""The demo: a seeded book of business on the embedded sandbox."""
