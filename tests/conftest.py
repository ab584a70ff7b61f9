"""Shared fixtures. Storage fixtures (SQLite and a throwaway PostgreSQL cluster)
live in tests/support/postgres.py; server fixtures in tests/support/servers.py."""

pytest_plugins = [
    "tests.support.postgres",
    "tests.support.servers",
    "tests.support.openai_server",
    "tests.support.receiver",
    "tests.support.certs",
    "tests.fuzz.figures",
]
