"""recurring_choices: a user's confirm / dismiss choices about their streams

Recurring streams are detected on every read and never stored; what the user
says about one (PATCH /users/{id}/recurring/{stream_id}) is. One row per
(user, stream id), holding `confirmed` or `dismissed` (a cleared choice is
no row). The stream id is derived from the account, the direction and the
merchant key, so a choice survives new transactions and re-detection; it
goes with the user (ON DELETE CASCADE, the right to erasure). Both id
columns compare bytewise on PostgreSQL, like every id (migration 0005).

A new leaf table: nothing to rebuild on SQLite, and the downgrade drops it.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-07 17:10:19.616788

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

ID_TYPE = sa.String(length=50).with_variant(sa.String(length=50, collation="C"), "postgresql")


def upgrade() -> None:
    op.create_table(
        "recurring_choices",
        sa.Column("user_status", sa.String(length=10), nullable=False),
        sa.Column("user_id", ID_TYPE, nullable=False),
        sa.Column("stream_id", ID_TYPE, nullable=False),
        sa.Column("updated_at", app.models.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_recurring_choices_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("user_id", "stream_id", name=op.f("pk_recurring_choices")),
    )


def downgrade() -> None:
    op.drop_table("recurring_choices")
