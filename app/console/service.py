"""What the console's pages show, gathered from the services the API uses
(users, accounts, imports, the insights engine, recurring streams): the
console never calls the HTTP API, and computes nothing of its own beyond
the charts' monthly sums.

Consent is respected as the API respects it: for a user without consent the
page shows what the user gave (accounts, their money's monthly sums,
imports) and nothing computed about them (no signals, persona, reasons,
streams or recommendations): `UserPage.insights` is None.
"""

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, or_
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from app.console.charts import Chart, UtilizationBar, horizontal_bars, paired_columns
from app.console.charts import utilization_bar as card_bar
from app.models import Account, Page, User
from app.models.import_record import ImportPublic
from app.models.recommendation import Recommendations
from app.services import accounts as account_service
from app.services import users
from app.services.imports import store as imports
from app.services.insights import text
from app.services.insights.recommendations import explain_user
from app.services.insights.recurring import read_stream_rows
from app.services.insights.rows import NOT_SPENDING
from app.services.insights.signal_types import WindowSignals
from app.services.insights.streams import Stream, recurring_lists
from app.services.pagination import Keyset, fetch_page

SEARCH_PAGE = 20
BY_ID = Keyset.of(User.id, descending=False)
# The user page's lists: the first page of each (the API pages the rest).
ACCOUNTS_SHOWN = 100
IMPORTS_SHOWN = 10
CHART_MONTHS = 12
CATEGORIES_SHOWN = 8
# Moves between the user's own accounts: neither money in nor money out.
TRANSFERS = frozenset({"TRANSFER_IN", "TRANSFER_OUT"})


def _like(text: str) -> str:
    """`text` as a LIKE pattern matching it anywhere, its wildcards escaped."""
    escaped = text.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


async def search_users(
    session: AsyncSession, query: str, cursor: str | None, limit: int = SEARCH_PAGE
) -> Page[User]:
    """Users whose id, name or email holds `query` (any case; every user for
    an empty one), by id, a keyset page at a time."""
    stmt = select(User)
    query = query.strip()
    if query:
        pattern = _like(query)
        stmt = stmt.where(
            or_(
                *(
                    func.lower(column).like(pattern, escape="\\")
                    for column in (col(User.id), col(User.name), col(User.email))
                )
            )
        )
    return await fetch_page(session, stmt, BY_ID, cursor or None, limit)


@dataclass(frozen=True)
class AccountView:
    account: Account
    utilization: UtilizationBar | None  # cards with a limit only


@dataclass(frozen=True)
class WindowView:
    """One window's persona (with reasons, also_matched and the
    recommendations' rationales) and the signals it was decided on."""

    window: str
    recommendations: Recommendations
    signals: WindowSignals


def _or_dash(value: float | None, shown: Callable[[float], str]) -> str:
    return "—" if value is None else shown(value)


# The signals table: a row per figure, a column per window.
SIGNAL_ROWS: tuple[tuple[str, Callable[[WindowSignals], str]], ...] = (
    ("Settled transactions", lambda s: text.number(s.transaction_count, 0)),
    ("Spending", lambda s: text.money(s.spending.total)),
    ("Spending per month", lambda s: text.money(s.spending.monthly)),
    ("Highest card utilization", lambda s: _or_dash(s.credit.max_utilization, text.percent)),
    ("Pay days", lambda s: text.number(s.income.pay_day_count, 0)),
    ("Median pay gap", lambda s: _or_dash(s.income.median_pay_gap_days, text.days)),
    ("Income per month", lambda s: text.money(s.income.monthly_income)),
    ("Checking balance", lambda s: text.money(s.income.checking_balance)),
    ("Cash buffer", lambda s: _or_dash(s.income.cash_buffer_months, text.months)),
    ("Recurring merchants", lambda s: text.number(s.subscriptions.recurring_count, 0)),
    ("Recurring spend per month", lambda s: text.money(s.subscriptions.monthly_recurring_spend)),
    (
        "Recurring share of spending",
        lambda s: _or_dash(s.subscriptions.recurring_share, text.percent),
    ),
    ("Savings balance", lambda s: text.money(s.savings.balance)),
    ("Savings net inflow", lambda s: text.money(s.savings.net_inflow)),
    ("Savings growth", lambda s: _or_dash(s.savings.growth_rate, lambda r: text.percent(r, 1))),
    ("Emergency fund", lambda s: _or_dash(s.savings.emergency_fund_months, text.months)),
)


@dataclass(frozen=True)
class Insights:
    windows: list[WindowView]
    inflow: list[Stream]
    outflow: list[Stream]

    @property
    def signal_table(self) -> list[tuple[str, list[str]]]:
        return [(label, [show(w.signals) for w in self.windows]) for label, show in SIGNAL_ROWS]


@dataclass(frozen=True)
class UserPage:
    user: User
    as_of: date
    accounts: list[AccountView]
    months: list[tuple[str, int, int]]  # (YYYY-MM, money in, money out), oldest first
    categories: list[tuple[str, int]]  # (category, spent), largest first
    month_chart: Chart
    category_chart: Chart
    imports: list[ImportPublic]
    insights: Insights | None  # None: no consent


def _month_keys(as_of: date, count: int) -> list[str]:
    """YYYY-MM of the `count` months ending with as_of's, oldest first."""
    year, month = as_of.year, as_of.month
    keys = []
    for _ in range(count):
        keys.append(f"{year:04d}-{month:02d}")
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return keys[::-1]


def money_sums(
    rows: list[tuple[str, str, str, int, str | None, str | None, str, bool]], as_of: date
) -> tuple[list[tuple[str, int, int]], list[tuple[str, int]]]:
    """From the user's settled rows (read_stream_rows' tuples, dated up to
    as_of): money in and out per month of the last CHART_MONTHS, transfers
    between their accounts left out; and spending per category over those
    months (what the signals count as spending), the largest
    CATEGORIES_SHOWN, the rest summed as OTHER."""
    keys = _month_keys(as_of, CHART_MONTHS)
    first = keys[0]
    money_in: dict[str, int] = defaultdict(int)
    money_out: dict[str, int] = defaultdict(int)
    spent: dict[str, int] = defaultdict(int)
    for row in rows:
        day, amount, category = row[2], row[3], row[6]
        month = day[:7]
        if month < first or category in TRANSFERS:
            continue
        if amount < 0:
            money_in[month] -= amount
        else:
            money_out[month] += amount
            if category not in NOT_SPENDING:
                spent[category] += amount
    ranked = sorted(spent.items(), key=lambda item: (-item[1], item[0]))
    categories = ranked[:CATEGORIES_SHOWN]
    rest = sum(cents for _, cents in ranked[CATEGORIES_SHOWN:])
    if rest:
        categories.append(("OTHER", rest))
    return [(key, money_in[key], money_out[key]) for key in keys], categories


async def user_page(session: AsyncSession, user_id: str, as_of: date) -> UserPage:
    """Everything the user page shows at `as_of` (NotFound for an unknown user)."""
    user = await users.get(session, user_id)
    accounts = (await account_service.list_page(session, user_id, None, ACCOUNTS_SHOWN)).items
    history = (await imports.list_imports(session, user_id, None, IMPORTS_SHOWN)).items
    months, categories = money_sums(await read_stream_rows(session, user_id, as_of), as_of)
    insights = None
    if user.consent:
        explained = await explain_user(session, user_id, as_of)
        inflow, outflow = recurring_lists(explained.streams)
        insights = Insights(
            windows=[
                WindowView(window, recommendations, explained.signals[window])
                for window, recommendations in explained.recommendations.items()
            ],
            inflow=inflow,
            outflow=outflow,
        )
    return UserPage(
        user=user,
        as_of=as_of,
        accounts=[
            AccountView(
                account,
                card_bar(account.balance, account.limit)
                if account.type == "credit" and account.limit
                else None,
            )
            for account in accounts
        ],
        months=months,
        categories=categories,
        month_chart=paired_columns(months),
        category_chart=horizontal_bars(categories),
        imports=history,
        insights=insights,
    )


@dataclass(frozen=True)
class ImportPage:
    """The import page: the user, and their accounts to import a CSV into."""

    user: User
    accounts: list[Account]


async def import_page(session: AsyncSession, user_id: str) -> ImportPage:
    user = await users.get(session, user_id)
    accounts = (await account_service.list_page(session, user_id, None, ACCOUNTS_SHOWN)).items
    return ImportPage(user, accounts)
