"""stream_snapshots.assessed_version: the data_version of the newest persona assessment

`spendsense assess --changed-only` re-assesses only the users whose
transactions changed since their last assessment: those whose data_version
(bumped by every write to their transactions) differs from the version their
newest stored personas were computed from, and those never assessed (null).
A nullable column on a leaf table: no rebuild on SQLite; the downgrade drops it.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-07 19:30:00

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("stream_snapshots") as batch_op:
        batch_op.add_column(sa.Column("assessed_version", sa.BigInteger(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("stream_snapshots") as batch_op:
        batch_op.drop_column("assessed_version")
