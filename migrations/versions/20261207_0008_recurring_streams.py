"""recurring streams: the user's choices (recurring_choices) and stored streams (stream_snapshots)

recurring_choices: what the user says about a stream (PATCH
/users/{id}/recurring/{stream_id}). One row per (user, stream id), holding
`confirmed` or `dismissed` (a cleared choice is no row). The stream id is
derived from the account, the direction and the merchant key, so a choice
survives new transactions and re-detection.

stream_snapshots: one row per user, a copy of their streams as the last
assessment detected them for an as-of date (JSON text), and `data_version`,
the count of writes to the user's transactions since the row was made: a
copy is stored only under the version it was computed from, and every write
bumps the version and clears the copy. GET /recurring serves the copy when
it still holds, and detects from the transactions otherwise.

Both go with the user (ON DELETE CASCADE, the right to erasure), and their
id columns compare bytewise on PostgreSQL, like every id (migration 0005).
New leaf tables: nothing to rebuild on SQLite; the downgrade drops them.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-07 17:10:19.616788

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import app.models.types

# revision identifiers, used by Alembic.
revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ID_TYPE = sa.String(length=50).with_variant(sa.String(length=50, collation="C"), "postgresql")


def _of_a_user(table: str, *columns: sa.Column[object], key: tuple[str, ...]) -> None:
    """A table whose rows belong to a user: `user_id` first, gone with the user."""
    op.create_table(
        table,
        sa.Column("user_id", ID_TYPE, nullable=False),
        *columns,
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f(f"fk_{table}_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint(*key, name=op.f(f"pk_{table}")),
    )


def upgrade() -> None:
    _of_a_user(
        "recurring_choices",
        sa.Column("user_status", sa.String(length=10), nullable=False),
        sa.Column("stream_id", ID_TYPE, nullable=False),
        sa.Column("updated_at", app.models.types.UTCDateTime(timezone=True), nullable=False),
        key=("user_id", "stream_id"),
    )
    _of_a_user(
        "stream_snapshots",
        sa.Column("data_version", sa.BigInteger(), server_default="0", nullable=False),
        sa.Column("as_of", sa.Date(), nullable=True),
        sa.Column("streams", sa.Text(), nullable=True),
        sa.Column("computed_at", app.models.types.UTCDateTime(timezone=True), nullable=True),
        key=("user_id",),
    )


def downgrade() -> None:
    op.drop_table("stream_snapshots")
    op.drop_table("recurring_choices")
