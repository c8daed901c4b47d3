"""The migrations build exactly the tables and columns the queries use, on both backends."""

from __future__ import annotations

import sqlalchemy as sa

from actuel.store import Store
from actuel.store.migrate import head_revision
from actuel.store.schema import metadata


def test_migrated_schema_matches_the_tables_the_store_queries(store: Store) -> None:
    with store._engine.connect() as conn:
        inspector = sa.inspect(conn)
        for table in metadata.sorted_tables:
            migrated = {
                c["name"]: c["nullable"]
                for c in inspector.get_columns(table.name)
                if c["name"] != "search_vector"  # PostgreSQL's generated search column
            }
            declared = {c.name: c.nullable for c in table.columns}
            assert migrated == declared, table.name
        version = conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalar()
    assert version == head_revision()
