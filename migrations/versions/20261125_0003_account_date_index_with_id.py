"""ix_txn_account_date gains the id tie-breaker: (account_id, date, id)

An account's transactions are listed newest first in keyset pages on
(date, id). With id in the index, the index alone gives that order, so a
page is one range scan that stops after `limit` rows, with no sort of the
rows that share a date. The index still serves every (account_id, date)
range query it served before: same leading columns, same name.

Both steps run in the migration's one transaction, so no reader sees the
table without the index and a failure between them changes nothing. DDL is
transactional on PostgreSQL; on SQLite it is because migrations/env.py makes
it so (Alembic and the sqlite3 driver would otherwise commit each statement
on its own).

DROP INDEX IF EXISTS: a database that an earlier env.py (no transaction on
SQLite) left half-way, index dropped but still at 0002, upgrades again
instead of failing with "no such index". The end state is the same either way.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25 23:10:00.000000

"""

from collections.abc import Sequence

from alembic import op

# revision identifiers, used by Alembic.
revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.drop_index("ix_txn_account_date", table_name="transactions", if_exists=True)
    op.create_index("ix_txn_account_date", "transactions", ["account_id", "date", "id"])


def downgrade() -> None:
    op.drop_index("ix_txn_account_date", table_name="transactions", if_exists=True)
    op.create_index("ix_txn_account_date", "transactions", ["account_id", "date"])
