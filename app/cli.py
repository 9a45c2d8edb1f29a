"""The `spendsense` command line: schema migration, data loading, and the
insights engine (assess, evaluate, explain)."""

import argparse
import asyncio
import json
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn
from rich.table import Table
from sqlmodel.ext.asyncio.session import AsyncSession

from app.db import init_db, make_engine
from app.models.recommendation import Recommendations
from app.models.types import within_as_of_range
from app.services.errors import ConsentRequired, NotFound
from app.services.insights.assess import WINDOWS, AssessReport, assess_all
from app.services.insights.evaluation import Evaluation, evaluate
from app.services.insights.persona_kinds import PERSONA_KINDS
from app.services.insights.ranking import DEFAULT_RECOMMENDATIONS, MAX_RECOMMENDATIONS
from app.services.insights.reader import consenting
from app.services.insights.recommendations import Explanation, explain_user
from app.services.insights.signal_types import WindowSignals
from app.services.insights.text import card_label, money, number, percent
from app.services.seeding import (
    SeedReport,
    count_users,
    load_content_catalog,
    reset_tables,
    seed_users,
)
from app.services.synthetic import SeedSpec

Handler = Callable[[argparse.Namespace], int]
MAX_SEED = 2**63 - 1


def _migrate(_args: argparse.Namespace) -> int:
    init_db()
    return 0


def _bounded_int(low: int, high: int) -> Callable[[str], int]:
    def parse(value: str) -> int:
        number = int(value)
        if not low <= number <= high:
            raise argparse.ArgumentTypeError(f"must be between {low} and {high}")
        return number

    return parse


def _iso_date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise argparse.ArgumentTypeError("use YYYY-MM-DD") from exc


def _as_of(value: str) -> date:
    try:
        return within_as_of_range(_iso_date(value))
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from exc


def _today() -> date:
    return datetime.now(UTC).date()


# Tables printed into a file or a pipe keep this width: rich's default of 80
# columns would wrap or cut them.
PLAIN_WIDTH = 120


def _console() -> Console:
    """The console the results go to (stdout)."""
    console = Console(highlight=False)
    if not console.is_terminal:
        console = Console(highlight=False, width=PLAIN_WIDTH)
    return console


def _progress(console: Console) -> Progress:
    """A progress bar on stderr, shown only on a terminal."""
    return Progress(
        "[progress.description]{task.description}",
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        disable=not console.is_terminal,
    )


def _past_date(value: str) -> date:
    """A YYYY-MM-DD date no later than today (UTC): the data would
    otherwise be dated after the moment of seeding."""
    day = _iso_date(value)
    today = datetime.now(UTC).date()
    if day > today:
        raise argparse.ArgumentTypeError(f"{day} is in the future (today is {today}, UTC)")
    return day


def seed_spec(args: argparse.Namespace, now: datetime) -> SeedSpec:
    """The data set the arguments name. One ending today stops at 00:00 UTC
    today: nothing after the moment of seeding, and the same rows whatever
    the time of day, so running it again later that day adds nothing (it
    could not fix the balances of accounts that already exist)."""
    as_of = args.as_of or now.date()
    midnight = datetime.combine(as_of, time.min, tzinfo=UTC)
    return SeedSpec(
        users=args.users,
        seed=args.seed,
        months=args.months,
        as_of=as_of,
        cutoff=midnight if as_of == now.date() else None,
    )


async def _seed_async(args: argparse.Namespace, out: Console) -> int:
    spec = seed_spec(args, datetime.now(UTC))
    engine = make_engine()
    try:
        async with AsyncSession(engine, expire_on_commit=False) as session:
            if args.reset:
                await reset_tables(session)
            existing = await count_users(session)
            if args.if_empty and existing:
                # Leave a populated database alone, content included: an item
                # an operator deleted must not come back on the next start.
                out.print(
                    f"users table already holds {existing} row(s): nothing seeded (--if-empty)"
                )
                return 0
            content = await load_content_catalog(session)
        out.print(f"content catalog: {content} item(s) added")
        with _progress(Console(stderr=True)) as progress:
            task = progress.add_task("seeding users", total=spec.users)
            report = await seed_users(engine, spec, on_user=lambda _: progress.advance(task))
    finally:
        await engine.dispose()
    if args.manifest is not None:
        args.manifest.parent.mkdir(parents=True, exist_ok=True)
        args.manifest.write_text(json.dumps(report.manifest, indent=2, sort_keys=True) + "\n")
    _print_summary(out, spec, report)
    return 0


def _print_summary(out: Console, spec: SeedSpec, report: SeedReport) -> None:
    title = f"generated: seed {spec.seed}, {spec.months} months to {spec.as_of.isoformat()}"
    if spec.cutoff is not None:
        title += f" (until {spec.cutoff:%H:%M} UTC)"
    table = Table(title=title)
    for column in ("pattern", "users", "accounts", "transactions"):
        table.add_column(column, justify="left" if column == "pattern" else "right")
    for pattern, counts in report.per_pattern.items():
        table.add_row(
            pattern.value, str(counts.users), str(counts.accounts), str(counts.transactions)
        )
    total_accounts = sum(c.accounts for c in report.per_pattern.values())
    table.add_row("total", str(spec.users), str(total_accounts), str(report.transactions))
    out.print(table)
    skipped = report.rows_generated - report.rows_created
    out.print(
        f"created {report.users_created} users, {report.accounts_created} accounts, "
        f"{report.transactions_created} transactions"
        + (f" ({skipped} rows already there, skipped)" if skipped else "")
        + f" in {report.seconds:.1f} s = {report.rate:,.0f} tx/s",
        soft_wrap=True,  # one line, whatever the console's width
    )


def _seed(args: argparse.Namespace) -> int:
    init_db()  # synchronous (Alembic runs its own loop): before ours starts
    return asyncio.run(_seed_async(args, _console()))


# --- assess -------------------------------------------------------------------------


async def _assess_async(args: argparse.Namespace, out: Console) -> int:
    engine = make_engine()
    try:
        if args.user:
            async with AsyncSession(engine) as session:
                with_consent, without = await consenting(session, args.user)
            unknown = sorted(set(args.user) - set(with_consent) - set(without))
            if unknown:
                out.print(f"unknown user(s): {', '.join(unknown)}: nothing assessed")
                return 1
        with _progress(Console(stderr=True)) as progress:
            task = progress.add_task("assessing users", total=None)

            def advance(done: int, total: int) -> None:
                progress.update(task, completed=done, total=total)

            report = await assess_all(engine, args.as_of, args.user or None, on_batch=advance)
    finally:
        await engine.dispose()
    _print_assessment(out, args.as_of, report)
    return 0


def _print_assessment(out: Console, as_of: date, report: AssessReport) -> None:
    table = Table(title=f"personas at {as_of.isoformat()}")
    table.add_column("persona")
    for window in WINDOWS:
        table.add_column(window, justify="right")
    for persona in PERSONA_KINDS.names:
        table.add_row(persona, *(str(report.personas[w][persona]) for w in WINDOWS))
    table.add_row("users assessed", *(str(report.assessed) for _ in WINDOWS))
    out.print(table)
    out.print(
        f"assessed {report.assessed} users ({2 * report.assessed} persona rows) in "
        f"{report.seconds:.2f} s = {report.users_per_second:,.0f} users/s; "
        f"skipped {report.skipped_no_consent} without consent"
    )


def _assess(args: argparse.Namespace) -> int:
    if args.as_of is None:
        args.as_of = _today()
    init_db()
    return asyncio.run(_assess_async(args, _console()))


# --- evaluate -----------------------------------------------------------------------


def _ratio(value: float | None) -> str:
    return "-" if value is None else f"{value:.3f}"


def _print_evaluation(out: Console, result: Evaluation) -> None:
    for window, report in result.windows.items():
        matrix = Table(title=f"{window}: planted (rows) x computed (columns)")
        matrix.add_column("planted")
        for persona in PERSONA_KINDS.names:
            matrix.add_column(persona, justify="right")
        matrix.add_column("recall", justify="right")
        for planted in PERSONA_KINDS.names:
            row = [str(report.confusion[planted][p]) for p in PERSONA_KINDS.names]
            matrix.add_row(planted, *row, _ratio(report.recall(planted)))
        matrix.add_row(
            "precision",
            *(_ratio(report.precision(p)) for p in PERSONA_KINDS.names),
            "",
            end_section=True,
        )
        out.print(matrix)
    summary = Table(title="summary")
    summary.add_column("")
    for window in result.windows:
        summary.add_column(window, justify="right")
    reports = list(result.windows.values())
    summary.add_row("consenting users", *(str(r.consenting) for r in reports))
    summary.add_row("coverage", *(f"{r.coverage:.1%}" for r in reports))
    summary.add_row(
        "planted pattern recovered",
        *(f"{r.recovered:.1%} ({r.correct}/{r.consenting})" for r in reports),
    )
    summary.add_row("lowest recall", *(_lowest_recall(r) for r in reports))
    summary.add_row("explainability", *(f"{r.explainability:.1%}" for r in reports))
    summary.add_row(
        "top persona share",
        *(f"{r.top_persona[1]:.1%} ({r.top_persona[0]})" for r in reports),
    )
    out.print(summary)
    out.print(
        f"{result.manifest_users} users in the manifest, {result.without_consent} without "
        f"consent, {result.missing_users} not in the database; engine time per user "
        f"{result.seconds_per_user * 1000:.2f} ms (read + both windows); stored personas match "
        f"a fresh computation for {result.agreeing}/{result.compared} users"
    )


def _lowest_recall(report: Any) -> str:
    recalls = [(r, p) for p in PERSONA_KINDS.names if (r := report.recall(p)) is not None]
    if not recalls:
        return "-"
    value, persona = min(recalls)
    return f"{value:.1%} ({persona})"


async def _evaluate_async(args: argparse.Namespace, out: Console) -> int:
    try:
        manifest = json.loads(args.manifest.read_text())
    except (OSError, ValueError) as exc:
        out.print(f"cannot read the manifest {args.manifest}: {exc}")
        return 1
    if not isinstance(manifest, dict) or not all(
        p in PERSONA_KINDS.names for p in manifest.values()
    ):
        out.print(f"{args.manifest} is not a seeding manifest ({{user_id: persona}})")
        return 1
    engine = make_engine()
    try:
        result = await evaluate(engine, manifest, args.as_of)
    finally:
        await engine.dispose()
    _print_evaluation(out, result)
    if args.json is not None:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(result.to_dict(), indent=2) + "\n")
    return 0


def _evaluate(args: argparse.Namespace) -> int:
    init_db()
    return asyncio.run(_evaluate_async(args, _console()))


# --- explain ------------------------------------------------------------------------


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


def _print_signals(out: Console, user_id: str, as_of: date, explained: Explanation) -> None:
    by_window = {w: _signal_rows(explained.signals[w]) for w in WINDOWS}
    table = Table(title=f"signals of {user_id} at {as_of.isoformat()}")
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
        picks.add_row("", "", "no content matches this persona", "")
    out.print(picks)


async def _explain_async(args: argparse.Namespace, out: Console) -> int:
    engine = make_engine()
    try:
        async with AsyncSession(engine) as session:
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
    out.print(explained.recommendations[WINDOWS[0]].disclaimer)
    return 0


def _explain(args: argparse.Namespace) -> int:
    if args.as_of is None:
        args.as_of = _today()
    init_db()
    return asyncio.run(_explain_async(args, _console()))


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="spendsense", description="SpendSense data service tools (DATABASE_URL picks the db)"
    )
    sub = parser.add_subparsers(dest="command", required=True)
    migrate = sub.add_parser("migrate", help="upgrade the database schema to head")
    migrate.set_defaults(handler=_migrate)

    seed = sub.add_parser(
        "seed",
        help="migrate, load the content catalog and synthetic users with planted patterns",
    )
    seed.add_argument(
        "--users", type=_bounded_int(0, 1_000_000), required=True, help="how many users"
    )
    seed.add_argument(
        "--seed",
        type=_bounded_int(0, MAX_SEED),
        default=0,
        help="random seed (default 0); same arguments = same rows, ids included",
    )
    seed.add_argument(
        "--months",
        type=_bounded_int(3, 36),
        default=6,
        help="months of history (3-36; the patterns need at least 3)",
    )
    seed.add_argument(
        "--as-of",
        type=_past_date,
        default=None,
        help="last day of the data, YYYY-MM-DD, not after today (default: today, UTC; "
        "a data set ending today stops at 00:00 UTC)",
    )
    seed.add_argument("--manifest", type=Path, help="write {user_id: planted pattern} JSON here")
    once = seed.add_mutually_exclusive_group()
    once.add_argument(
        "--reset",
        action="store_true",
        help="empty users, accounts, transactions, personas, content",
    )
    once.add_argument(
        "--if-empty", action="store_true", help="seed nothing when the users table has rows"
    )
    seed.set_defaults(handler=_seed)

    assess = sub.add_parser(
        "assess",
        help="compute and store both windows' personas of every consenting user",
    )
    assess.add_argument(
        "--as-of", type=_as_of, default=None, help="YYYY-MM-DD (default: today, UTC)"
    )
    assess.add_argument("--user", action="append", metavar="ID", help="only this user (repeatable)")
    assess.set_defaults(handler=_assess)

    evaluation = sub.add_parser(
        "evaluate",
        help="compare the stored personas with the planted patterns of a seeding manifest",
    )
    evaluation.add_argument(
        "--manifest", type=Path, required=True, help="the JSON written by seed --manifest"
    )
    evaluation.add_argument(
        "--as-of",
        type=_as_of,
        default=None,
        help="only personas computed for this date (default: the newest computed ones)",
    )
    evaluation.add_argument("--json", type=Path, help="also write the figures as JSON here")
    evaluation.set_defaults(handler=_evaluate)

    explain = sub.add_parser(
        "explain",
        help="show one user's signals, personas and recommendations (both windows); writes no rows",
    )
    explain.add_argument("--user", required=True, metavar="ID", help="the user's id")
    explain.add_argument(
        "--as-of", type=_as_of, default=None, help="YYYY-MM-DD (default: today, UTC)"
    )
    explain.add_argument(
        "--limit",
        type=_bounded_int(1, MAX_RECOMMENDATIONS),
        default=DEFAULT_RECOMMENDATIONS,
        help=f"recommendations per window (1-{MAX_RECOMMENDATIONS}, "
        f"default {DEFAULT_RECOMMENDATIONS})",
    )
    explain.set_defaults(handler=_explain)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    handler: Handler = args.handler
    return handler(args)


if __name__ == "__main__":
    raise SystemExit(main())
