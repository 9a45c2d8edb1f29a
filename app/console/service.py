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
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import func, or_
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from app.backends import RawQuery, backend_of
from app.console.charts import Chart, UtilizationBar, horizontal_bars, paired_columns
from app.console.charts import utilization_bar as card_bar
from app.models import Account, ImportResult, Page, User
from app.models.recommendation import Recommendations
from app.services import accounts as account_service
from app.services import repository, users
from app.services.errors import InvalidInput, NotFound
from app.services.imports import CsvOptions
from app.services.imports import store as imports
from app.services.imports.limits import check_not_empty, check_size
from app.services.insights import text
from app.services.insights.recommendations import explain_user
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


@dataclass(frozen=True, slots=True)
class UserLine:
    id: str
    name: str
    email: str
    consent: bool


@dataclass(frozen=True, slots=True)
class AccountLine:
    id: str
    type: str
    subtype: str
    name: str
    mask: str
    balance: int
    limit: int | None


@dataclass(frozen=True, slots=True)
class ImportLine:
    received_at: str  # YYYY-MM-DD HH:MM:SS... UTC
    filename: str | None
    format: str
    created: int
    updated: int
    skipped: int


@dataclass(frozen=True)
class AccountView:
    account: AccountLine
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
    user: UserLine
    as_of: date
    accounts: list[AccountView]
    months: list[tuple[str, int, int]]  # (YYYY-MM, money in, money out), oldest first
    categories: list[tuple[str, int]]  # (category, spent), largest first
    month_chart: Chart
    category_chart: Chart
    imports: list[ImportLine]
    insights: Insights | None  # None: no consent


def _month_keys(as_of: date, count: int) -> list[str]:
    """YYYY-MM of the `count` months ending with as_of's, oldest first."""
    year, month = as_of.year, as_of.month
    keys = []
    for _ in range(count):
        keys.append(f"{year:04d}-{month:02d}")
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return keys[::-1]


# The user's settled money of a date range, summed by the database per
# (month, category, direction): a few dozen rows whatever the history's
# length. Through the driver, as the insights reader reads; months as the
# first 7 characters of the UTC text both databases give.
_MONTHLY_SUMS = RawQuery(
    lambda db: (
        f"SELECT substr({db.utc_text('t.date')}, 1, 7), t.category, t.amount < 0, "
        "CAST(SUM(t.amount) AS BIGINT) "
        "FROM accounts a JOIN transactions t ON t.account_id = a.id "
        "WHERE a.user_id = :user AND NOT t.pending AND t.date >= :start AND t.date < :end "
        "GROUP BY 1, 2, 3"
    )
)


async def read_monthly_sums(
    session: AsyncSession, user_id: str, as_of: date
) -> list[tuple[str, str, bool, int]]:
    """(YYYY-MM, category, money in?, cents) of the CHART_MONTHS months ending
    with as_of's month, settled rows dated up to as_of."""
    first = _month_keys(as_of, CHART_MONTHS)[0]
    start = datetime(int(first[:4]), int(first[5:]), 1, tzinfo=UTC)
    end = datetime.combine(as_of + timedelta(days=1), time.min, tzinfo=UTC)
    params = {"user": user_id, "start": start, "end": end}
    rows = await backend_of(session).fetch(session, _MONTHLY_SUMS, params)
    return [
        (month, category, bool(incoming), int(cents)) for month, category, incoming, cents in rows
    ]


def money_sums(
    sums: list[tuple[str, str, bool, int]], as_of: date
) -> tuple[list[tuple[str, int, int]], list[tuple[str, int]]]:
    """From read_monthly_sums' rows: money in and out per month of the last
    CHART_MONTHS, transfers between the user's accounts left out; and
    spending per category over those months (what the signals count as
    spending), the largest CATEGORIES_SHOWN, the rest summed as OTHER."""
    keys = _month_keys(as_of, CHART_MONTHS)
    money_in: dict[str, int] = defaultdict(int)
    money_out: dict[str, int] = defaultdict(int)
    spent: dict[str, int] = defaultdict(int)
    for month, category, incoming, amount in sums:
        if category in TRANSFERS:
            continue
        if incoming:
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


# The user page's plain reads, each one call to the driver, as the insights
# reader reads: through the ORM, the user, their accounts and their imports
# each cost about as much as the insights' own read of a year of rows (the
# page's time is mostly round trips). The user and their accounts come in
# one query (one row with null account fields for a user without any).
_USER_AND_ACCOUNTS = RawQuery(
    lambda db: (
        "SELECT u.name, u.email, u.consent, a.id, a.type, a.subtype, a.name, a.mask, a.balance, "
        'a."limit" FROM users u LEFT JOIN accounts a ON a.user_id = u.id WHERE u.id = :user '
        f"ORDER BY a.id LIMIT {ACCOUNTS_SHOWN}"
    )
)
_IMPORTS = RawQuery(
    lambda db: (
        f"SELECT {db.utc_text('received_at')}, filename, format, created, updated, skipped "
        "FROM imports WHERE user_id = :user ORDER BY received_at DESC, id DESC "
        f"LIMIT {IMPORTS_SHOWN}"
    )
)


async def read_user_and_accounts(
    session: AsyncSession, user_id: str
) -> tuple[UserLine, list[AccountLine]]:
    """The user and their first ACCOUNTS_SHOWN accounts by id (NotFound for
    an unknown user)."""
    rows = []
    if repository.is_valid_id(user_id):
        rows = await backend_of(session).fetch(session, _USER_AND_ACCOUNTS, {"user": user_id})
    if not rows:
        raise NotFound("user", user_id)
    name, email, consent = rows[0][:3]
    accounts = [AccountLine(*row[3:]) for row in rows if row[3] is not None]
    return UserLine(user_id, name, email, bool(consent)), accounts


async def read_imports(session: AsyncSession, user_id: str) -> list[ImportLine]:
    """The user's newest IMPORTS_SHOWN imports, newest first."""
    rows = await backend_of(session).fetch(session, _IMPORTS, {"user": user_id})
    return [ImportLine(*row) for row in rows]


async def user_page(session: AsyncSession, user_id: str, as_of: date) -> UserPage:
    """Everything the user page shows at `as_of` (NotFound for an unknown user)."""
    user, accounts = await read_user_and_accounts(session, user_id)
    history = await read_imports(session, user_id)
    months, categories = money_sums(await read_monthly_sums(session, user_id, as_of), as_of)
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


SIGNS = ("debit_negative", "debit_positive")


async def import_statement(
    session: AsyncSession,
    user_id: str,
    data: bytes,
    filename: str | None,
    account_id: str | None,
    sign: str,
    dry_run: bool,
) -> ImportResult:
    """The import page's upload: held to the API's size limit and refused
    empty as the API refuses it, then imports.import_file (a dry run writes
    nothing). CSV columns, date format and decimal mark are detected."""
    check_size(len(data))
    check_not_empty(data, ("body", "file"))
    if sign not in SIGNS:
        raise InvalidInput([{"loc": ["sign"], "msg": "unknown sign", "type": "value_error"}])
    options = imports.ImportOptions(
        account_id=account_id,
        dry_run=dry_run,
        csv=CsvOptions(sign=sign),  # type: ignore[arg-type]  # one of SIGNS
        filename=filename,
    )
    return await imports.import_file(session, user_id, data, options)
