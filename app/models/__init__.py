"""Tables and API schemas, one module per entity.

The naming convention is set before any table is declared so that every
constraint and index gets a stable name that Alembic can compare and drop.
"""

from sqlmodel import SQLModel

SQLModel.metadata.naming_convention = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

from app.models.account import (  # noqa: E402
    Account,
    AccountCreate,
    AccountPublic,
    AccountUpdate,
)
from app.models.category_rule import CategoryRule  # noqa: E402
from app.models.common import Page  # noqa: E402
from app.models.content import (  # noqa: E402
    Content,
    ContentCreate,
    ContentPublic,
    ContentType,
    ContentUpdate,
)
from app.models.import_record import (  # noqa: E402
    AccountCounts,
    ImportPublic,
    ImportRecord,
    ImportResult,
)
from app.models.persona import (  # noqa: E402
    Persona,
    PersonaCreate,
    PersonaPublic,
    PersonaType,
    PersonaWindow,
)
from app.models.plaid_cursor import PlaidCursor, PlaidCursorPublic  # noqa: E402
from app.models.recurring import (  # noqa: E402
    RecurringChoice,
    RecurringChoiceUpdate,
    RecurringStreamPublic,
    RecurringStreams,
)
from app.models.stream_snapshot import StreamSnapshot  # noqa: E402
from app.models.transaction import (  # noqa: E402
    BulkResult,
    Transaction,
    TransactionBulk,
    TransactionCreate,
    TransactionPublic,
    TransactionUpdate,
)
from app.models.user import (  # noqa: E402
    ConsentUpdate,
    User,
    UserCreate,
    UserPublic,
    UserUpdate,
)

metadata = SQLModel.metadata
# Every table, children before parents: deletes in this order never trip a
# foreign key (the seeder's --reset and the tests' cleanup use it).
TABLES_CHILDREN_FIRST: tuple[str, ...] = tuple(t.name for t in reversed(metadata.sorted_tables))

__all__ = [
    "AccountCounts",
    "CategoryRule",
    "ImportPublic",
    "ImportRecord",
    "ImportResult",
    "PlaidCursor",
    "PlaidCursorPublic",
    "Account",
    "AccountCreate",
    "AccountPublic",
    "AccountUpdate",
    "BulkResult",
    "ConsentUpdate",
    "Content",
    "ContentCreate",
    "ContentPublic",
    "ContentType",
    "ContentUpdate",
    "Page",
    "Persona",
    "PersonaCreate",
    "PersonaPublic",
    "PersonaType",
    "PersonaWindow",
    "RecurringChoice",
    "RecurringChoiceUpdate",
    "RecurringStreamPublic",
    "RecurringStreams",
    "StreamSnapshot",
    "Transaction",
    "TransactionBulk",
    "TransactionCreate",
    "TransactionPublic",
    "TransactionUpdate",
    "User",
    "UserCreate",
    "UserPublic",
    "UserUpdate",
    "TABLES_CHILDREN_FIRST",
    "metadata",
]
