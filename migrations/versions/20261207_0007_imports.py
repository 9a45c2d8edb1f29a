"""Real bank data in: imports, Plaid cursors, category rules; new columns

- `transactions.description` (the source's raw text) and
  `transactions.category_detailed` (Plaid's detailed category): nullable, so
  rows written before keep working (null).
- `accounts.balance_as_of`: when the stored balance was true (null = unknown).
- `imports`: one row per accepted import (the audit trail), deleted with the
  user (ON DELETE CASCADE).
- `plaid_cursors`: the next_cursor of the last sync page applied, per
  (user, item_id).
- `category_rules`: the category a user gave a merchant (merchant key), which
  later imports of that merchant get.

Columns are added with ALTER TABLE ADD COLUMN (batch mode adds them without
rebuilding the tables on SQLite).

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-07 16:53:53.960897

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import app.models.types


# revision identifiers, used by Alembic.
revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "category_rules",
        sa.Column(
            "user_id",
            sa.String(length=50).with_variant(sa.String(length=50, collation="C"), "postgresql"),
            nullable=False,
        ),
        sa.Column("merchant_key", sa.String(length=200), nullable=False),
        sa.Column("category", sa.String(length=100), nullable=False),
        sa.Column("updated_at", app.models.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_category_rules_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("user_id", "merchant_key", name=op.f("pk_category_rules")),
    )
    op.create_table(
        "imports",
        sa.Column(
            "id",
            sa.String(length=50).with_variant(sa.String(length=50, collation="C"), "postgresql"),
            nullable=False,
        ),
        sa.Column(
            "user_id",
            sa.String(length=50).with_variant(sa.String(length=50, collation="C"), "postgresql"),
            nullable=False,
        ),
        sa.Column("format", sa.String(length=10), nullable=False),
        sa.Column("filename", sa.String(length=255), nullable=True),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("received_at", app.models.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("created", sa.BigInteger(), nullable=False),
        sa.Column("updated", sa.BigInteger(), nullable=False),
        sa.Column("deleted", sa.BigInteger(), nullable=False),
        sa.Column("skipped", sa.BigInteger(), nullable=False),
        sa.Column("accounts", app.models.types.JSONList(), nullable=False),
        sa.Column("warnings", app.models.types.JSONList(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_imports_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_imports")),
    )
    with op.batch_alter_table("imports", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_imports_user_id"), ["user_id"], unique=False)
        batch_op.create_index(
            "ix_imports_user_received", ["user_id", "received_at", "id"], unique=False
        )

    op.create_table(
        "plaid_cursors",
        sa.Column(
            "user_id",
            sa.String(length=50).with_variant(sa.String(length=50, collation="C"), "postgresql"),
            nullable=False,
        ),
        sa.Column(
            "item_id",
            sa.String(length=50).with_variant(sa.String(length=50, collation="C"), "postgresql"),
            nullable=False,
        ),
        sa.Column("cursor", sa.Text(), nullable=True),
        sa.Column("updated_at", app.models.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_plaid_cursors_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("user_id", "item_id", name=op.f("pk_plaid_cursors")),
    )
    with op.batch_alter_table("accounts", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("balance_as_of", app.models.types.UTCDateTime(timezone=True), nullable=True)
        )

    with op.batch_alter_table("transactions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("category_detailed", sa.String(length=100), nullable=True))
        batch_op.add_column(sa.Column("description", sa.String(length=1000), nullable=True))



def downgrade() -> None:
    with op.batch_alter_table("transactions", schema=None) as batch_op:
        batch_op.drop_column("description")
        batch_op.drop_column("category_detailed")

    with op.batch_alter_table("accounts", schema=None) as batch_op:
        batch_op.drop_column("balance_as_of")

    op.drop_table("plaid_cursors")
    with op.batch_alter_table("imports", schema=None) as batch_op:
        batch_op.drop_index("ix_imports_user_received")
        batch_op.drop_index(batch_op.f("ix_imports_user_id"))

    op.drop_table("imports")
    op.drop_table("category_rules")
