"""`spendsense explain`: one user's signals, personas and recommendations of
both windows, as an operator reads them; writes no rows."""

import argparse
import asyncio
from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from app.cli.arguments import as_of, bounded_int, today
from app.cli.output import console
from app.cli.schema import require_migrated
from app.db import make_engine, open_session
from app.models.recommendation import Recommendations
from app.services.errors import ConsentRequired, NotFound
from app.services.insights.assess import WINDOWS
from app.services.insights.persona_kinds import PERSONA_KINDS
from app.services.insights.ranking import DEFAULT_RECOMMENDATIONS, MAX_RECOMMENDATIONS
from app.services.insights.recommendations import Explanation, explain_user
from app.services.insights.signal_types import WindowSignals
from app.services.insights.streams import Stream, recurring_lists
from app.services.insights.text import card_label, money, number, percent

if TYPE_CHECKING:
    from app.cli.arguments import Subcommands


def register(commands: "Subcommands") -> None:
    parser = commands.add_parser(
        "explain",
        help="show one user's signals, personas and recommendations (both windows); writes no rows",
    )
    parser.add_argument("--user", required=True, metavar="ID", help="the user's id")
    parser.add_argument(
        "--as-of", type=as_of, default=None, help="YYYY-MM-DD (default: today, UTC)"
    )
    parser.add_argument(
        "--limit",
        type=bounded_int(1, MAX_RECOMMENDATIONS),
        default=DEFAULT_RECOMMENDATIONS,
        help=f"recommendations per window (1-{MAX_RECOMMENDATIONS}, "
        f"default {DEFAULT_RECOMMENDATIONS})",
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    if args.as_of is None:
        args.as_of = today()
    require_migrated()  # only `spendsense migrate` changes a schema
    return asyncio.run(_explain(args, console()))


async def _explain(args: argparse.Namespace, out: Console) -> int:
    engine = make_engine()
    try:
        async with open_session(engine) as session:
            explained = await explain_user(session, args.user, args.as_of, args.limit)
    except NotFound:
        out.print(f"unknown user {args.user!r}: nothing to explain")
        return 1
    except ConsentRequired:
        out.print(f"user {args.user!r} has not given consent: nothing is computed for them")
        return 1
    finally:
        await engine.dispose()
    _print_signals(out, args.user, args.as_of, explained)
    for window in WINDOWS:
        _print_recommendations(out, explained.recommendations[window])
    _print_streams(out, args.as_of, explained.streams)
    out.print(explained.recommendations[WINDOWS[0]].disclaimer)
    return 0


def _or_dash(value: float | None, shown: Callable[[float], str]) -> str:
    return "-" if value is None else shown(value)


def _ratio_percent(value: float) -> str:
    return percent(value, 1)


def _signal_rows(signals: WindowSignals) -> list[tuple[str, str]]:
    """(label, value) of one window's signals, as a person reads them: money
    in dollars, ratios in percent, floored like the reasons' sentences."""
    credit, income = signals.credit, signals.income
    subs, savings = signals.subscriptions, signals.savings
    rows = [
        ("window", f"{signals.start.isoformat()} to {signals.end.isoformat()}"),
        ("settled transactions", str(signals.transaction_count)),
        ("spending a month", money(signals.spending.monthly)),
    ]
    for card in credit.cards:
        label = card_label(card.name, card.mask)
        payment = _or_dash(card.last_payment, money)
        minimum = _or_dash(card.min_payment, money)
        rows += [
            (
                label,
                f"{percent(card.utilization, 1)} of {money(card.limit)} "
                f"({money(card.balance)} owed)",
            ),
            (
                "  interest, last payment",
                f"{money(card.interest_charged)}, {payment} (minimum {minimum})",
            ),
            (
                "  minimum only, overdue",
                f"{'yes' if card.minimum_payment_only else 'no'}, "
                f"{'yes' if card.is_overdue else 'no'}",
            ),
        ]
    rows += [
        ("max utilization", _or_dash(credit.max_utilization, _ratio_percent)),
        ("pay days (lookback)", str(income.pay_day_count)),
        ("median pay gap", _or_dash(income.median_pay_gap_days, lambda v: f"{number(v)} days")),
        ("income a month", money(income.monthly_income)),
        ("cash buffer", _or_dash(income.cash_buffer_months, lambda v: f"{number(v, 2)} months")),
        ("recurring merchants", str(subs.recurring_count)),
        ("  names", ", ".join(m.merchant_name for m in subs.recurring_merchants) or "-"),
        ("recurring spend a month", money(subs.monthly_recurring_spend)),
        ("recurring share", _or_dash(subs.recurring_share, _ratio_percent)),
        ("savings balance", money(savings.balance)),
        ("savings net inflow a month", money(savings.monthly_net_inflow)),
        ("savings growth", _or_dash(savings.growth_rate, _ratio_percent)),
        (
            "emergency fund",
            _or_dash(savings.emergency_fund_months, lambda v: f"{number(v, 2)} months"),
        ),
    ]
    return rows


def _reason_number(code: str, value: float | None, threshold: float | None) -> str:
    """A reason's value or threshold: money in dollars, other numbers (ratios,
    days, months, counts) with up to 4 decimals."""
    if value is None:
        return "-"
    if PERSONA_KINDS.in_cents(code, threshold):
        return money(value)
    return number(value, 4)


def _print_signals(out: Console, user_id: str, day: date, explained: Explanation) -> None:
    by_window = {w: _signal_rows(explained.signals[w]) for w in WINDOWS}
    table = Table(title=f"signals of {user_id} at {day.isoformat()}")
    table.add_column("signal")
    for window in WINDOWS:
        table.add_column(window, justify="right")
    # Both windows list the same rows (the same cards), in the same order.
    for index, (label, _) in enumerate(by_window[WINDOWS[0]]):
        # Names come from the data: escaped, so "[...]" in one is not markup.
        table.add_row(escape(label), *(escape(by_window[w][index][1]) for w in WINDOWS))
    out.print(table)


def _print_recommendations(out: Console, recommended: Recommendations) -> None:
    persona = recommended.persona
    also = ", ".join(p.value for p in persona.also_matched) or "none"
    out.print(
        f"[bold]{persona.window}: {persona.persona_type.value}[/bold] "
        f"(confidence {persona.confidence:.2f}; also matched: {also})"
    )
    reasons = Table(title=f"{persona.window} persona: reasons", title_justify="left")
    for column in ("code", "value", "threshold", "reason"):
        reasons.add_column(column, justify="right" if column in ("value", "threshold") else "left")
    for reason in persona.reasons:
        reasons.add_row(
            reason.code,
            _reason_number(reason.code, reason.value, reason.threshold),
            _reason_number(reason.code, reason.threshold, reason.threshold),
            escape(reason.text),
        )
    out.print(reasons)
    picks = Table(title=f"{persona.window} recommendations", title_justify="left")
    for column in ("#", "score", "content", "rationale"):
        picks.add_column(column, justify="right" if column in ("#", "score") else "left")
    for rank, item in enumerate(recommended.items, 1):
        picks.add_row(
            str(rank), str(item.score),
            f"{escape(item.title)}\n[dim]{item.type.value} {escape(item.id)}[/dim]",
            escape(item.rationale),
        )  # fmt: skip
    if not recommended.items:
        picks.add_row("", "", escape(recommended.note or "no content matches this persona"), "")
    out.print(picks)


def _stream_name(stream: Stream) -> str:
    """The merchant, else the bank's description, else the category."""
    return stream.merchant_name or stream.description or stream.category


def _print_streams(out: Console, day: date, streams: list[Stream]) -> None:
    """The active recurring streams, money in first, largest first (as GET
    /recurring lists them), and how many are tombstoned."""
    inflow, outflow = recurring_lists(streams)
    table = Table(title=f"recurring streams at {day.isoformat()}", title_justify="left")
    columns = ("", "merchant", "account", "frequency", "average", "last", "next", "status", "user")
    for column in columns:
        table.add_column(column, justify="right" if column in ("average", "last") else "left")
    for stream in [*inflow, *outflow]:
        table.add_row(
            "in" if stream.direction == "inflow" else "out",
            escape(_stream_name(stream)),
            escape(stream.account_id),
            stream.frequency,
            money(abs(stream.average_amount)),
            money(abs(stream.last_amount)),
            stream.predicted_next_date.isoformat(),
            stream.status,
            stream.user_status or "-",
        )
    if not inflow and not outflow:
        table.add_row("", "no recurring streams", *[""] * (len(columns) - 2))
    out.print(table)
    inactive = sum(not stream.is_active for stream in streams)
    if inactive:
        out.print(
            f"{inactive} tombstoned stream(s) not shown (GET /recurring?include_inactive=true)"
        )
