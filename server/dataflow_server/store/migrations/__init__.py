"""Alembic migrations of the Dataflow schema (run by `store.database.run_migrations`)."""
