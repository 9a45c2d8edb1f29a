"""personas gain as_of, reasons, also_matched, signals (computed personas)

The insights engine stores, with each persona it computes, the date it was
computed for (`as_of`), the reasons behind it, the lower-priority personas
that also matched and the snapshot of signals it decided on. Rows recorded by
hand keep working: `as_of` and `signals` are null for them, the two lists
default to `[]` (a server default, so existing rows get it too).

JSON is stored as text on both databases, like the content tags. On SQLite,
ADD COLUMN with a constant default needs no table rebuild; `personas` is a
leaf table (nothing references it), so a rebuild on the way down is safe.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-29 20:10:49.934733

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import app.models.types

# revision identifiers, used by Alembic.
revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("personas", schema=None) as batch_op:
        batch_op.add_column(sa.Column("as_of", sa.Date(), nullable=True))
        batch_op.add_column(
            sa.Column("reasons", app.models.types.JSONList(), server_default="[]", nullable=False)
        )
        batch_op.add_column(
            sa.Column(
                "also_matched", app.models.types.JSONList(), server_default="[]", nullable=False
            )
        )
        batch_op.add_column(sa.Column("signals", app.models.types.JSONObject(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("personas", schema=None) as batch_op:
        batch_op.drop_column("signals")
        batch_op.drop_column("also_matched")
        batch_op.drop_column("reasons")
        batch_op.drop_column("as_of")
