"""Alembic migrations of the actuel schema, run by the store when it opens a database."""
