"""id columns compare bytewise on PostgreSQL too: COLLATE "C"

Ids are ordered in SQL: the keyset pages (`ORDER BY ..., id` and
`id < :cursor`), the content list, the insights reader's tie-breaker. SQLite
compares text bytewise (BINARY), as Python's sorted() and any client
comparing strings do. A PostgreSQL database whose default collation is
linguistic (en_US.UTF-8, the official image's default, or ICU) ignores case
and punctuation at first: "a_c" < "a-b" < "A1" < "aa" < "ab" there, where
bytewise "A1" < "a-b" < "a_c" < "aa" < "ab". So every id and foreign-key id
column gets the collation "C" (app.models.types.IdColumn says the same).

All of them in one migration (one transaction): a foreign key and the key it
references keep one collation, so joins and the foreign keys' checks agree.
Only the collation changes, which PostgreSQL does without rewriting the
tables (varchar is binary-compatible with itself); it rebuilds the indexes on
the columns (the primary keys, ix_*_user_id, ix_transactions_account_id,
ix_txn_account_date, ...) and re-checks the foreign keys, keeping their names.

The downgrade returns the columns to the database's default collation (no
COLLATE clause), as 0001 created them. On SQLite both ways are no-ops: its
columns already compare bytewise, and nothing in its schema changes.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-07 02:55:00.000000

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# (table, column): referenced tables before the tables that reference them.
ID_COLUMNS = (
    ("users", "id"),
    ("accounts", "id"),
    ("accounts", "user_id"),
    ("transactions", "id"),
    ("transactions", "account_id"),
    ("personas", "user_id"),
    ("content", "id"),
)


def _set_collation(collation: str | None) -> None:
    if op.get_context().dialect.name != "postgresql":
        return
    for table, column in ID_COLUMNS:
        op.alter_column(
            table,
            column,
            type_=sa.String(length=50, collation=collation),
            existing_type=sa.String(length=50),
            existing_nullable=False,
        )


def upgrade() -> None:
    _set_collation("C")


def downgrade() -> None:
    _set_collation(None)
