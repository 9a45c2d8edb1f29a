"""indexes for newest-first lists: users, content, a user's personas per window

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25 21:35:39.067358

"""

from collections.abc import Sequence

from alembic import op

# revision identifiers, used by Alembic.
revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("content", schema=None) as batch_op:
        batch_op.create_index("ix_content_created_at_id", ["created_at", "id"], unique=False)

    with op.batch_alter_table("personas", schema=None) as batch_op:
        batch_op.create_index(
            "ix_personas_user_window_assigned",
            ["user_id", "window", "assigned_at", "id"],
            unique=False,
        )

    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.create_index("ix_users_created_at_id", ["created_at", "id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_index("ix_users_created_at_id")

    with op.batch_alter_table("personas", schema=None) as batch_op:
        batch_op.drop_index("ix_personas_user_window_assigned")

    with op.batch_alter_table("content", schema=None) as batch_op:
        batch_op.drop_index("ix_content_created_at_id")
