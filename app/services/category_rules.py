"""A user's own category rules, learned from the categories the user sets.

When a PATCH gives a transaction a category, the user has said what that
merchant is: the rule (user, merchant key) -> category is stored, and later
imports give the same merchant that category (the categorizer's fourth
rule, after what the source itself says). The key is the insights engine's
merchant key (lower case, whitespace collapsed), so it matches however the
normalizer's name was cased. The latest category set wins.
"""

from sqlalchemy import Table
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from app.backends import backend_of
from app.models import Account, CategoryRule, Transaction
from app.models.types import utcnow
from app.services.insights.recurrence import merchant_key

RULES: Table = CategoryRule.__table__  # type: ignore[attr-defined]


async def learn(session: AsyncSession, transaction: Transaction) -> None:
    """Remember the transaction's category for its merchant (nothing for a
    transaction without a merchant name). Does not commit."""
    if not transaction.merchant_name:
        return
    key = merchant_key(transaction.merchant_name)
    if not key:
        return
    owner = await session.exec(
        select(Account.user_id).where(col(Account.id) == transaction.account_id)
    )
    user_id = owner.first()
    if user_id is None:
        return
    row = {
        "user_id": user_id,
        "merchant_key": key[:200],
        "category": transaction.category,
        "updated_at": utcnow(),
    }
    conn = await session.connection()
    await backend_of(conn).upsert(conn, RULES, [row], update=("category", "updated_at"))


async def rules_of(session: AsyncSession, user_id: str) -> dict[str, str]:
    """merchant key -> category, the user's rules."""
    rows = await session.exec(
        select(CategoryRule.merchant_key, CategoryRule.category).where(
            col(CategoryRule.user_id) == user_id
        )
    )
    return dict(rows.all())
