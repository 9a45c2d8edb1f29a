"""load the built-in content catalog into an empty content table

A fresh service recommends out of the box: this revision inserts the
catalog shipped in app/data/content_catalog.json (the one `spendsense seed`
loads) when the content table is empty and SPENDSENSE_LOAD_CATALOG is true
(the default). Deployments that bring their own catalog set it to false.

Why a data migration rather than a step at every start: it runs once per
database, under the lock every migration takes first (migrations/env.py), so
replicas or workers starting together insert the catalog exactly once, and
the applied revision is the record that it was loaded. An operator who
deletes items later, or all of them, does not see them come back at the next
start; `spendsense seed --users 0` loads the catalog again on purpose. An
existing database whose content table holds anything is left as it is.

Offline (`alembic upgrade --sql`) the script carries no rows: the check for
an empty table needs the database. The downgrade leaves the rows: they are
data, possibly edited since, not schema.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-07 16:00:00.000000

"""

import logging
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import context, op

from app.config import get_settings
from app.models.types import JSONList, UTCDateTime, utcnow
from app.services.seeding import load_catalog

# revision identifiers, used by Alembic.
revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

log = logging.getLogger("alembic.runtime.migration")

# The content table as of this revision: later columns are not written here.
CONTENT = sa.table(
    "content",
    sa.column("id", sa.String),
    sa.column("type", sa.String),
    sa.column("title", sa.String),
    sa.column("summary", sa.String),
    sa.column("body", sa.Text),
    sa.column("persona_tags", JSONList()),
    sa.column("signal_tags", JSONList()),
    sa.column("source", sa.String),
    sa.column("created_at", UTCDateTime()),
)


def upgrade() -> None:
    if context.is_offline_mode() or not get_settings().spendsense_load_catalog:
        return
    if op.get_bind().execute(sa.select(CONTENT.c.id).limit(1)).first() is not None:
        return
    now = utcnow()
    columns = set(CONTENT.c.keys())
    rows = [
        {key: value for key, value in item.model_dump(mode="json").items() if key in columns}
        | {"created_at": now}
        for item in load_catalog()
    ]
    op.bulk_insert(CONTENT, rows)
    log.info("Loaded the built-in content catalog: %d items", len(rows))


def downgrade() -> None:
    pass
